# Starts the desktop application (offscreen) on files no InitLab wrote, each of which once stopped
# it: run records whose experiment.json holds a number too large for a double or whose run.json is
# nested 100000 deep, QSettings whose tabs' last settings are such files, and such a file given to
# --config. The window must start and show the Runs tab (exit 0, a screenshot), and --config must be
# one error line naming the file and the problem (exit 2), never a crash. PROGRAM is the binary,
# WORK a scratch folder.
file(REMOVE_RECURSE ${WORK})
string(REPEAT "[" 100000 open)
string(REPEAT "]" 100000 close)
set(tooLarge [[{"initlab_experiment": 1, "experiment": "deep", "settings": {"depth": 1e999}}]])

file(WRITE ${WORK}/runs/20260101-000000-deep/run.json
     [[{"experiment": "deep", "started": "2026-01-01T00:00:00Z", "status": "finished", "results": []}]])
file(WRITE ${WORK}/runs/20260101-000000-deep/experiment.json "${tooLarge}")
file(WRITE ${WORK}/runs/20260102-000000-deep/run.json "${open}${close}")
file(WRITE ${WORK}/runs/20260102-000000-deep/experiment.json "${tooLarge}")
# The session restores each tab's last settings from here at every start (not for screenshots).
string(REPLACE "\"" "\\\"" quoted "${tooLarge}")
file(WRITE ${WORK}/config/initlab/initlab.conf
     "[settings]\ndeep=\"${quoted}\"\ncircles=${open}${close}\n[window]\ngeometry=@ByteArray(\\xff\\xff)\n")
file(WRITE ${WORK}/too-large.json "${tooLarge}")
file(WRITE ${WORK}/nested.json "${open}${close}")

set(environment QT_QPA_PLATFORM=offscreen INITLAB_RUNS_FOLDER=${WORK}/runs XDG_CONFIG_HOME=${WORK}/config
                XDG_DATA_HOME=${WORK}/data)

function(run_initlab expectedStatus pattern)
    execute_process(
        COMMAND ${CMAKE_COMMAND} -E env ${environment} ${PROGRAM} ${ARGN}
        RESULT_VARIABLE status
        OUTPUT_VARIABLE out
        ERROR_VARIABLE err
        TIMEOUT 120)
    if(NOT status STREQUAL expectedStatus)
        message(FATAL_ERROR "initlab ${ARGN}: exit status ${status}, expected ${expectedStatus}\n${out}${err}")
    endif()
    if(pattern AND NOT "${out}${err}" MATCHES "${pattern}")
        message(FATAL_ERROR "initlab ${ARGN}: output does not match \"${pattern}\":\n${out}${err}")
    endif()
endfunction()

run_initlab(0 "" --tab runs --screenshot ${WORK}/runs.png)
if(NOT EXISTS ${WORK}/runs.png)
    message(FATAL_ERROR "initlab --tab runs --screenshot: no screenshot")
endif()
run_initlab(2 "error: [^\n]*too-large.json: a number on line 1 is too large \\(1e999\\)" --config ${WORK}/too-large.json)
run_initlab(2 "error: [^\n]*nested.json: nested more than 64 levels deep \\(line 1\\)" --config ${WORK}/nested.json)
