# The Debian package: `cpack -G DEB` in a build tree (or `cmake --build BUILD --target package`)
# packs whatever `cmake --install` installs (binaries, manual pages, the default configuration,
# systemd units, sysusers and tmpfiles files, documents) into hubplanner_VERSION-1_ARCH.deb.
# Included from the top-level CMakeLists.txt right after include(GNUInstallDirs).

# hubplanner is a system service: the programs read /etc/hubplanner/hubplanner.conf and
# /usr/share/hubplanner/proj whatever the prefix, so a prefix left at CMake's default is /usr
# (as debhelper configures it) and GNUInstallDirs then puts the configuration in /etc.
# The package is laid out for the prefix the tree was configured with, because the units
# name the binaries by their full install paths.
if(CMAKE_INSTALL_PREFIX_INITIALIZED_TO_DEFAULT)
  set(CMAKE_INSTALL_PREFIX /usr CACHE PATH "Install path prefix" FORCE)
endif()
include(GNUInstallDirs)  # again: the full paths follow the prefix
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hubplanner)
set(CPACK_PACKAGE_VENDOR hubplanner)
set(CPACK_PACKAGE_CONTACT "hubplanner maintainers <maintainers@users.noreply.r-seed-44cd09e0.example>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "planner of emergency support points (noodsteunpunten) for the Netherlands")
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION  # one line each in the control file
  "hubplannerd loads CBS municipal, district, neighbourhood and grid data into SQLite,"
  "computes a national plan of local and regional emergency support points with an"
  "upper bound on the best possible coverage, and answers coverage, gap, site and"
  "what-if queries over a Unix socket (JSON-RPC 2.0). hubctl is its client; a"
  "systemd timer recomputes the plan every night.")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "sqlite3")
set(CPACK_STRIP_FILES ON)

# Depends: computed from the binaries by dpkg-shlibdeps (package dpkg-dev), else these.
find_program(HUB_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(HUB_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6, libuv1 (>= 1.44), libgeos-c1v5 (>= 3.11), \
libsqlite3-0 (>= 3.40), libjansson4 (>= 2.14), libinih1, libproj25, libsystemd0, coinor-libcbc3")
endif()

# Maintainer scripts (cmake/debian) and the conffiles list: the configuration is a conffile,
# so an upgrade keeps local changes. CPack does not mark files under /etc by itself.
set(HUB_DEB_CONFFILE ${CMAKE_INSTALL_FULL_SYSCONFDIR}/hubplanner/hubplanner.conf)
configure_file(${CMAKE_CURRENT_LIST_DIR}/debian/conffiles.in
               ${CMAKE_BINARY_DIR}/debian/conffiles @ONLY)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_BINARY_DIR}/debian/conffiles
    ${CMAKE_CURRENT_LIST_DIR}/debian/postinst
    ${CMAKE_CURRENT_LIST_DIR}/debian/prerm
    ${CMAKE_CURRENT_LIST_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# tests/install/test_install.sh checks the install and the package against these places.
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/hub-install-dirs.sh CONTENT [[
# Written by cmake/packaging.cmake: where `cmake --install` puts hubplanner's files.
HUB_VERSION='@PROJECT_VERSION@'
HUB_PREFIX='@CMAKE_INSTALL_PREFIX@'
HUB_BINDIR='@CMAKE_INSTALL_FULL_BINDIR@'
HUB_SBINDIR='@CMAKE_INSTALL_FULL_SBINDIR@'
HUB_MANDIR='@CMAKE_INSTALL_FULL_MANDIR@'
HUB_DOCDIR='@CMAKE_INSTALL_FULL_DOCDIR@'
HUB_CONFFILE='@HUB_DEB_CONFFILE@'
]] @ONLY)

set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\.git/" "/build/" "\\.db$" "\\.db-(wal|shm)$")

include(CPack)
