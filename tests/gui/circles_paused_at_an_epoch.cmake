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
include(${CMAKE_CURRENT_LIST_DIR}/expect_run.cmake)
expect_success("initlab --run-circles --circles-epoch 300" "${status}" "${out}" "${err}")
expect_png(${WORK}/paused.png)
expect_marks(${WORK}/stalls.txt "run started" "run ended")
