# Runs PROGRAM with ARGS (a ;-list) without any display or platform plugin setting, and checks its
# exit status (STATUS) and that its output matches PATTERN. Used for the command-line behaviour of
# the desktop application that must not need a window system.
execute_process(
    COMMAND ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY --unset=QT_QPA_PLATFORM
            ${PROGRAM} ${ARGS}
    RESULT_VARIABLE status
    OUTPUT_VARIABLE out
    ERROR_VARIABLE err)
if(NOT status STREQUAL STATUS)
    message(FATAL_ERROR "${PROGRAM} ${ARGS}: exit status ${status}, expected ${STATUS}\n${out}${err}")
endif()
if(NOT "${out}${err}" MATCHES "${PATTERN}")
    message(FATAL_ERROR "${PROGRAM} ${ARGS}: output does not match \"${PATTERN}\":\n${out}${err}")
endif()
