#pragma once
// A plain-text table with aligned columns for terminal output: the leading text columns (names) are
// left-aligned, the others (numbers) right-aligned so that their digits line up.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace initlab {
struct BlasInfo;
}

namespace initlab::cli {

class TextTable {
public:
    explicit TextTable(std::vector<std::string> header, std::size_t leftAlignedColumns = 1);
    void addRow(std::vector<std::string> cells); // missing cells are empty, extra cells are dropped
    std::string render() const;                  // every line ends in '\n'

private:
    std::vector<std::vector<std::string>> m_rows; // m_rows[0] is the header
    std::size_t m_leftAlignedColumns = 1;
};

// printf-style formatting into a std::string (GCC 12 has no <format>).
std::string formatFixed(double value, int decimals);       // "12.35"
std::string formatSignificant(double value, int digits);   // "0.6285", "1.234e-05"

// Appends item to a separated list ("a, b" + "c" -> "a, b, c"); no separator before the first.
void appendItem(std::string& list, std::string_view item, std::string_view separator = ", ");

// "OpenBLAS 0.3.21 …, kernels Haswell (OPENBLAS_CORETYPE=Haswell)": the BLAS a benchmark ran on.
std::string blasSummary(const BlasInfo& info);

} // namespace initlab::cli
