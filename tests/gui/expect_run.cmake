# Checks shared by the GUI's end-to-end scripts: the window's exit status and the files it wrote.

# Fails unless the run of `what` exited with status 0; out and err are what it printed.
function(expect_success what status out err)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "${what}: exit status ${status}\n${out}${err}")
    endif()
endfunction()

# Fails unless file is a PNG (its first bytes).
function(expect_png file)
    if(NOT EXISTS ${file})
        message(FATAL_ERROR "no screenshot at ${file}")
    endif()
    file(READ ${file} magic LIMIT 4 HEX)
    if(NOT magic STREQUAL "89504e47")
        message(FATAL_ERROR "${file} is not a PNG (starts with ${magic})")
    endif()
endfunction()

# Fails unless the stall log holds every one of the marks.
function(expect_marks log)
    file(READ ${log} stalls)
    foreach(mark IN LISTS ARGN)
        if(NOT stalls MATCHES "${mark}")
            message(FATAL_ERROR "the stall log has no \"${mark}\":\n${stalls}")
        endif()
    endforeach()
endfunction()
