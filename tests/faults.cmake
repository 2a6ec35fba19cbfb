# Fault injection tests (label faults): allocation failures, a full database, kill -9 of an
# import and of a recompute, and a read-only database. Included from tests/CMakeLists.txt;
# uses its hub_test() and adds what these tests need beyond it.

# The n-th allocation of our own code fails: only calls from the statically linked project
# objects and the test are wrapped; GEOS, PROJ and jansson keep their own allocators.
hub_test(test_faults LABEL faults LIBS hub_rpc hub_jobs)
if(TARGET test_faults)
  target_link_options(test_faults PRIVATE
    -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=crs_open)
  set_tests_properties(test_faults PROPERTIES TIMEOUT 300)
endif()

# SQLITE_FULL during a plan and an import; a read-only database served and refused.
hub_test(test_faults_disk LABEL faults LIBS hub_jobs PkgConfig::JANSSON)
if(TARGET test_faults_disk)
  target_compile_definitions(test_faults_disk PRIVATE HUB_BUILD_DIR="${CMAKE_BINARY_DIR}")
  add_dependencies(test_faults_disk hubplannerd)
  set_tests_properties(test_faults_disk PROPERTIES TIMEOUT 300)
endif()

# kill -9 of an import, a plan and the daemon's recompute child at seeded random moments.
hub_test(test_kill LABEL faults LIBS hub_jobs PkgConfig::JANSSON)
if(TARGET test_kill)
  target_compile_definitions(test_kill PRIVATE HUB_BUILD_DIR="${CMAKE_BINARY_DIR}")
  add_dependencies(test_kill hubplannerd)
  set_tests_properties(test_kill PROPERTIES TIMEOUT 300)
endif()
