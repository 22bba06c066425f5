#pragma once
// Progress of a long run on stderr. On a terminal a transient line is redrawn in place (a run of
// minutes must not look frozen); elsewhere (a log file, a pipe, a test) only the lines worth
// keeping are printed, because a log full of carriage returns is unreadable.

#include <cstddef>
#include <iosfwd>
#include <string>

namespace initlab::cli {

class StatusLine {
public:
    StatusLine(std::ostream& err, bool live);

    bool live() const { return m_live; }
    // Redraws the transient line; does nothing when not live.
    void show(const std::string& text);
    // Prints a permanent line, first clearing the transient one.
    void print(const std::string& line);
    // Clears the transient line so that what follows starts on a clean one.
    void finish();

private:
    std::ostream& m_err;
    bool m_live = false;
    std::size_t m_drawnWidth = 0;
};

// "0.8 s", "42 s", "3 min 05 s", "1 h 02 min": for elapsed times and ETAs.
std::string formatDuration(double seconds);

} // namespace initlab::cli
