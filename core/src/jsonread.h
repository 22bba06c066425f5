#pragma once
// Reading JSON that anyone may have written: experiment files (File ▸ Open, --config, QSettings)
// and run records. Everything core reads as JSON goes through here, so that what a hostile file can
// do is decided in one place: it is refused with one line that says why, and nothing it holds can
// throw out of a reader or recurse deeper than the nesting limit.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <exception>
#include <string>
#include <string_view>

namespace initlab {

// Far above what any of InitLab's files needs (3 levels); low enough that the recursive parts of
// nlohmann::json (dump, comparison) stay far from the end of the stack.
inline constexpr int kMaxJsonDepth = 64;
// Experiment files and run.json are a few kilobytes; a file larger than this is not one of them
// (or is a device such as /dev/zero) and is not read into memory at all.
inline constexpr std::size_t kMaxJsonFileBytes = 16u << 20;

// Parses one JSON document. Nesting deeper than kMaxJsonDepth is refused while parsing, iteratively.
// False with a one-line error naming the problem and its line:
//   "not valid JSON (line 3)", "not valid UTF-8 (line 2)", "a number on line 1 is too large (1e999)",
//   "nested more than 64 levels deep (line 1)", "too large to read (out of memory)".
bool parseJsonText(std::string_view text, nlohmann::ordered_json& out, std::string& error);

// The whole content of a JSON file of at most kMaxJsonFileBytes. False with "cannot open" or
// "larger than 16 MB" (without the path, which the caller puts in front).
bool readJsonFile(const std::string& path, std::string& text, std::string& error);

// A value from a file as a one-line message shows it: as JSON (strings quoted and control
// characters escaped, so nothing in a file can break the line or reach a terminal unescaped), cut
// to about 40 bytes between two characters.
std::string shortJson(const nlohmann::ordered_json& value);
// A key from a file the same way, without the quotes ("depht", "a\nb").
std::string shortKey(const std::string& key);

// The one-line error for an exception a reader of a parsed document did not expect (an
// nlohmann::json type or range error, running out of memory). Readers catch std::exception once,
// around everything they do, and report this.
std::string unexpectedProblem(const std::exception& exception);

} // namespace initlab
