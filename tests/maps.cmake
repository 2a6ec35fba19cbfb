# Map tests (label maps), include()d from tests/CMakeLists.txt.

# ---- the writers (unit) and hubctl export on real data (validate_gpkg.py, RFC 7946) ----
hub_test(test_maps_io LABEL unit LIBS hub_geo hub_data)
add_test(NAME test_export COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test_export.sh
         $<TARGET_FILE:hubctl> $<TARGET_FILE:hubplannerd> ${CMAKE_SOURCE_DIR} ${HUB_DATA_DIR}
         ${HUB_PROJ_DIR})
set_tests_properties(test_export PROPERTIES LABELS maps TIMEOUT 600)

# ---- hubctl report: rendered and checked in headless Chromium (test_report.sh) ----
add_test(NAME test_report COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test_report.sh
         $<TARGET_FILE:hubctl> $<TARGET_FILE:hubplannerd> ${CMAKE_SOURCE_DIR} ${HUB_DATA_DIR}
         ${HUB_PROJ_DIR})
set_tests_properties(test_report PROPERTIES LABELS maps TIMEOUT 900)
# ---- end of test_report ----
