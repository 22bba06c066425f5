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
if(NOT status EQUAL 0)
    message(FATAL_ERROR "initlab --deep-cell: exit status ${status}\n${out}${err}")
endif()
if(NOT err MATCHES "preview drawn [0-9]+ ms after the click")
    message(FATAL_ERROR "initlab --deep-cell did not report the preview's time:\n${out}${err}")
endif()
file(READ ${WORK}/preview.png magic LIMIT 4 HEX)
if(NOT magic STREQUAL "89504e47")
    message(FATAL_ERROR "preview.png is not a PNG (starts with ${magic})")
endif()
file(READ ${WORK}/stalls.txt stalls)
if(NOT stalls MATCHES "click" OR NOT stalls MATCHES "preview drawn")
    message(FATAL_ERROR "the stall log does not record the click and the preview:\n${stalls}")
endif()
