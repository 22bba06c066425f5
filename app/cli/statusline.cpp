#include "statusline.h"

#include "texttable.h"

#include <cmath>
#include <ostream>

namespace initlab::cli {

StatusLine::StatusLine(std::ostream& err, bool live) : m_err(err), m_live(live) {}

void StatusLine::show(const std::string& text)
{
    if (!m_live)
        return;
    std::string padded = text;
    if (padded.size() < m_drawnWidth)
        padded.append(m_drawnWidth - padded.size(), ' ');
    m_err << '\r' << padded << std::flush;
    m_drawnWidth = text.size();
}

void StatusLine::print(const std::string& line)
{
    if (m_live && m_drawnWidth > 0)
        m_err << '\r' << std::string(m_drawnWidth, ' ') << '\r';
    m_drawnWidth = 0;
    m_err << line << '\n' << std::flush;
}

void StatusLine::finish()
{
    if (m_live && m_drawnWidth > 0)
        m_err << '\r' << std::string(m_drawnWidth, ' ') << '\r' << std::flush;
    m_drawnWidth = 0;
}

std::string formatDuration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0.0)
        return "?";
    if (seconds < 10.0)
        return formatFixed(seconds, 1) + " s";
    const long total = std::lround(seconds);
    if (total < 60)
        return std::to_string(total) + " s";
    const auto twoDigits = [](long value) {
        std::string text = value < 10 ? "0" : "";
        text += std::to_string(value);
        return text;
    };
    if (total < 3600)
        return std::to_string(total / 60) + " min " + twoDigits(total % 60) + " s";
    return std::to_string(total / 3600) + " h " + twoDigits(total / 60 % 60) + " min";
}

} // namespace initlab::cli
