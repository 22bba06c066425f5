# A click on a deep-tab cell answered by its preview: the window clicks the cell at start
# (--deep-cell) with a small net and a batch above the preview's, prints the time from the click to
# the preview's complete curves, saves the screenshot of the preview (exit 0, a PNG) and closes,
# cancelling the full batch. PROGRAM is the binary, WORK a scratch folder.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(
    COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen INITLAB_RUNS_FOLDER=${WORK}/runs
            XDG_CONFIG_HOME=${WORK}/config XDG_DATA_HOME=${WORK}/data
            ${PROGRAM} --deep-cell xavier_uniform+relu --depth 8 --width 32 --batch 20000
            --stall-log ${WORK}/stalls.txt --screenshot ${WORK}/preview.png
    RESULT_VARIABLE status
    OUTPUT_VARIABLE out
    ERROR_VARIABLE err
    TIMEOUT 300)
include(${CMAKE_CURRENT_LIST_DIR}/expect_run.cmake)
expect_success("initlab --deep-cell" "${status}" "${out}" "${err}")
if(NOT err MATCHES "preview drawn [0-9]+ ms after the click")
    message(FATAL_ERROR "initlab --deep-cell did not report the preview's time:\n${out}${err}")
endif()
expect_png(${WORK}/preview.png)
expect_marks(${WORK}/stalls.txt "click" "preview drawn")
