# CPack: `cpack -G DEB` in the build folder makes a Debian package of the two programs and the
# desktop files. Library dependencies are computed from the binaries (dpkg-shlibdeps); the BLAS that
# LibTorch should use and the default data set are named explicitly because nothing links them.
set(CPACK_PACKAGE_NAME initlab)
set(CPACK_PACKAGE_VENDOR "InitLab")
set(CPACK_PACKAGE_CONTACT "InitLab developers <initlab@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "laboratory for neural-network initialization, normalization and dropout")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "InitLab shows students how weight initialization, input normalization and dropout\n\
 shape a neural network: per-layer signal statistics of deep nets beside mean-field\n\
 theory, decision boundaries of a small net on two rings, and dropout with MC-dropout\n\
 ensembles on MNIST-format data. initlab-cli runs the same experiments headless.")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-openmp | libopenblas0")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "dataset-fashion-mnist")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/package)
include(CPack)

# Install-and-run: build the .deb, unpack it into a scratch root, and run the installed programs.
if(INITLAB_BUILD_CLI AND INITLAB_BUILD_GUI)
    add_test(NAME deb_installs_and_runs
             COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${PROJECT_BINARY_DIR} -DVERSION=${PROJECT_VERSION}
                     -P ${PROJECT_SOURCE_DIR}/packaging/test_deb.cmake)
    set_tests_properties(deb_installs_and_runs PROPERTIES TIMEOUT 600 RUN_SERIAL ON
        ENVIRONMENT "INITLAB_RUNS_FOLDER=${PROJECT_BINARY_DIR}/test-runs")
endif()
