#include "texttable.h"

#include "initlab/blas.h"

#include <algorithm>
#include <cstdio>

namespace initlab::cli {

TextTable::TextTable(std::vector<std::string> header, std::size_t leftAlignedColumns)
    : m_leftAlignedColumns(leftAlignedColumns)
{
    m_rows.push_back(std::move(header));
}

void TextTable::addRow(std::vector<std::string> cells)
{
    cells.resize(m_rows.front().size());
    m_rows.push_back(std::move(cells));
}

std::string TextTable::render() const
{
    const std::size_t columns = m_rows.front().size();
    std::vector<std::size_t> widths(columns, 0);
    for (const auto& row : m_rows)
        for (std::size_t c = 0; c < columns; ++c)
            widths[c] = std::max(widths[c], row[c].size());

    std::string text;
    for (const auto& row : m_rows) {
        std::string line;
        for (std::size_t c = 0; c < columns; ++c) {
            const std::string padding(widths[c] - row[c].size(), ' ');
            if (c > 0)
                line += "  ";
            line += c < m_leftAlignedColumns ? row[c] + padding : padding + row[c];
        }
        line.erase(line.find_last_not_of(' ') + 1);
        text += line + '\n';
    }
    return text;
}

std::string formatFixed(double value, int decimals)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string formatSignificant(double value, int digits)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    return buffer;
}

void appendItem(std::string& list, std::string_view item, std::string_view separator)
{
    if (!list.empty())
        list += separator;
    list += item;
}

std::string blasSummary(const BlasInfo& info)
{
    std::string text = info.library + ", kernels " + (info.coreName.empty() ? "unknown" : info.coreName);
    if (info.autoSelected)
        text += " (auto-selected)";
    else if (!info.coreTypeEnv.empty())
        text += " (OPENBLAS_CORETYPE=" + info.coreTypeEnv + ")";
    return text;
}

} // namespace initlab::cli
