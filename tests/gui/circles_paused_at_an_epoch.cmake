# The README's screenshot of the circles lab paused at an early epoch: the window trains the
# default run (offscreen), pauses its playback at epoch 300 and saves the screenshot (exit 0, a PNG),
# and the stall log it was asked for records the run's start and end. PROGRAM is the binary, WORK a
# scratch folder.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(
    COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen INITLAB_RUNS_FOLDER=${WORK}/runs
            XDG_CONFIG_HOME=${WORK}/config XDG_DATA_HOME=${WORK}/data
            ${PROGRAM} --run-circles --circles-epoch 300 --stall-log ${WORK}/stalls.txt
            --screenshot ${WORK}/paused.png
    RESULT_VARIABLE status
    OUTPUT_VARIABLE out
    ERROR_VARIABLE err
    TIMEOUT 300)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "initlab --run-circles --circles-epoch 300: exit status ${status}\n${out}${err}")
endif()
if(NOT EXISTS ${WORK}/paused.png)
    message(FATAL_ERROR "initlab --run-circles --circles-epoch 300: no screenshot\n${out}${err}")
endif()
file(READ ${WORK}/paused.png magic LIMIT 4 HEX)
if(NOT magic STREQUAL "89504e47")
    message(FATAL_ERROR "paused.png is not a PNG (starts with ${magic})")
endif()
file(READ ${WORK}/stalls.txt stalls)
if(NOT stalls MATCHES "run started" OR NOT stalls MATCHES "run ended")
    message(FATAL_ERROR "the stall log does not record the run:\n${stalls}")
endif()
