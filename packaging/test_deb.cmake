# Builds the .deb with CPack, unpacks it into a scratch root with dpkg-deb and runs what it
# installed: initlab-cli --version, a tiny deep experiment, and the GUI's screenshot option.
set(root ${BUILD_DIR}/package/test-root)
file(REMOVE_RECURSE ${root})
execute_process(COMMAND cpack -G DEB WORKING_DIRECTORY ${BUILD_DIR} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cpack failed:\n${out}")
endif()
set(deb ${BUILD_DIR}/package/initlab_${VERSION}_amd64.deb)
if(NOT EXISTS ${deb})
    message(FATAL_ERROR "no package at ${deb}:\n${out}")
endif()
execute_process(COMMAND dpkg-deb --field ${deb} Depends OUTPUT_VARIABLE depends)
foreach(needed libtorch libqt6widgets6 libopenblas0)
    if(NOT depends MATCHES "${needed}")
        message(FATAL_ERROR "the package does not depend on ${needed}: ${depends}")
    endif()
endforeach()
execute_process(COMMAND dpkg-deb -x ${deb} ${root} RESULT_VARIABLE rc)
foreach(file usr/bin/initlab usr/bin/initlab-cli usr/share/applications/org.initlab.InitLab.desktop
        usr/share/metainfo/org.initlab.InitLab.metainfo.xml usr/share/icons/hicolor/scalable/apps/org.initlab.InitLab.svg
        usr/share/icons/hicolor/48x48/apps/org.initlab.InitLab.png)
    if(NOT EXISTS ${root}/${file})
        message(FATAL_ERROR "the package does not install ${file}")
    endif()
endforeach()
execute_process(COMMAND ${root}/usr/bin/initlab-cli --version RESULT_VARIABLE rc OUTPUT_VARIABLE version)
if(NOT rc EQUAL 0 OR NOT version MATCHES "${VERSION}")
    message(FATAL_ERROR "installed initlab-cli --version failed (${rc}): ${version}")
endif()
execute_process(COMMAND ${root}/usr/bin/initlab-cli deep --init xavier_uniform --activation tanh --depth 3
                        --width 16 --batch 32 --out ${root}/out
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT EXISTS ${root}/out/deep.csv)
    message(FATAL_ERROR "installed initlab-cli deep failed (${rc}): ${out} ${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
                        ${root}/usr/bin/initlab --screenshot ${root}/window.png
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT EXISTS ${root}/window.png)
    message(FATAL_ERROR "installed initlab --screenshot failed (${rc}): ${out} ${err}")
endif()
message(STATUS "installed ${deb}: ${version}")
