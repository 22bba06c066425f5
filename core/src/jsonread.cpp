#include "jsonread.h"

#include <algorithm>
#include <fstream>
#include <new>
#include <unordered_map>
#include <vector>

namespace initlab {
namespace {

using Json = nlohmann::ordered_json;

// How the parser failed: where (characters read, the failing one included), on what token and
// with which of nlohmann's error ids (101 syntax, 406 a number too large for a double).
struct Failure {
    std::size_t position = 0;
    std::string token;
    int id = 0;
};

// Builds the document as nlohmann's own DOM parser does, with three differences: a container that
// would be nested deeper than kMaxJsonDepth stops the parser before it is opened; a failure is kept
// with its position rather than thrown (nlohmann throws a number too large for a double as an
// out_of_range without any position); and an object's keys are found through an index, where
// ordered_json searches its list of members: a file of a million keys took half an hour.
class LimitedBuilder final : public nlohmann::json_sax<Json> {
public:
    explicit LimitedBuilder(Json& root)
        : m_root(root)
    {
    }

    bool null() override { return put(nullptr); }
    bool boolean(bool value) override { return put(value); }
    bool number_integer(number_integer_t value) override { return put(value); }
    bool number_unsigned(number_unsigned_t value) override { return put(value); }
    bool number_float(number_float_t value, const string_t&) override { return put(value); }
    bool string(string_t& value) override { return put(std::move(value)); }
    bool binary(binary_t& value) override { return put(Json(std::move(value))); }
    bool start_object(std::size_t) override { return open(Json::object()); }
    bool key(string_t& name) override
    {
        m_key = std::move(name);
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(Json::array()); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t position, const std::string& token, const nlohmann::json::exception& e) override
    {
        m_failure = Failure{position, token, e.id};
        return false;
    }

    bool tooDeep() const { return m_tooDeep; }
    const Failure& failure() const { return m_failure; }

private:
    // Puts a value into the innermost open container (under the last key for an object), or makes
    // it the document. The open containers are always the last element of their parents, and
    // nothing is added to a parent while a child is open, so the pointers to them stay valid.
    Json* place(Json&& value)
    {
        if (m_open.empty()) {
            m_root = std::move(value);
            return &m_root;
        }
        Json& parent = *m_open.back();
        if (parent.is_array()) {
            parent.push_back(std::move(value));
            return &parent.back();
        }
        auto& members = parent.get_ref<Json::object_t&>();
        const auto [known, added] = m_keys.back().try_emplace(m_key, members.size());
        if (added) {
            members.emplace_back(std::move(m_key), std::move(value));
            return &members.back().second;
        }
        // A repeated key keeps its last value, as nlohmann's parser does.
        Json& slot = (members.begin() + static_cast<std::ptrdiff_t>(known->second))->second;
        slot = std::move(value);
        return &slot;
    }

    bool put(Json&& value)
    {
        place(std::move(value));
        return true;
    }

    bool open(Json&& container)
    {
        if (m_open.size() >= static_cast<std::size_t>(kMaxJsonDepth)) {
            m_tooDeep = true;
            return false;
        }
        m_open.push_back(place(std::move(container)));
        m_keys.emplace_back();
        return true;
    }

    bool close()
    {
        m_open.pop_back();
        m_keys.pop_back();
        return true;
    }

    Json& m_root;
    std::vector<Json*> m_open;
    std::vector<std::unordered_map<string_t, std::size_t>> m_keys; // per open container: key -> member
    string_t m_key;
    bool m_tooDeep = false;
    Failure m_failure;
};

// The line (from 1) of the byte at offset.
std::size_t lineAt(std::string_view text, std::size_t offset)
{
    const std::size_t end = std::min(offset, text.size());
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(end), '\n'));
}

// The offset of the bracket that opened the container deeper than the limit. The parser refused
// exactly that one, so everything before it is valid JSON: brackets count unless they are in a
// string, and a string ends at a quote that is not escaped.
std::size_t tooDeepAt(std::string_view text)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth)
                return i;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return text.size();
}

// The offset of the first byte that does not belong to well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or text.size() when there is none.
std::size_t firstInvalidUtf8(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80; // the range of the second byte, narrower for some lead bytes
        unsigned char high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            low = lead == 0xE0 ? 0xA0 : 0x80;
            high = lead == 0xED ? 0x9F : 0xBF;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            low = lead == 0xF0 ? 0x90 : 0x80;
            high = lead == 0xF4 ? 0x8F : 0xBF;
        } else {
            return i;
        }
        if (length > text.size() - i)
            return i;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF))
                return i;
        }
        i += length;
    }
    return text.size();
}

// text cut to about 40 bytes, between two UTF-8 characters so that the message stays UTF-8.
std::string shortened(std::string text)
{
    if (text.size() <= 40)
        return text;
    std::size_t end = 37;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end;
    return text.substr(0, end) + "...";
}

std::string describe(std::string_view text, const Failure& failure)
{
    const std::size_t at = failure.position > 0 ? failure.position - 1 : 0;
    if (failure.id == 406) {
        return "a number on line " + std::to_string(lineAt(text, at)) + " is too large (" + shortened(failure.token)
            + ")";
    }
    // The lexer calls a byte that is not UTF-8 a syntax error; it is worth its own words.
    if (const std::size_t bad = firstInvalidUtf8(text); bad < text.size() && bad <= at)
        return "not valid UTF-8 (line " + std::to_string(lineAt(text, bad)) + ")";
    return "not valid JSON (line " + std::to_string(lineAt(text, at)) + ")";
}

} // namespace

bool parseJsonText(std::string_view text, Json& out, std::string& error)
{
    try {
        Json root;
        LimitedBuilder builder(root);
        if (Json::sax_parse(text, &builder)) {
            out = std::move(root);
            return true;
        }
        error = builder.tooDeep() ? "nested more than " + std::to_string(kMaxJsonDepth) + " levels deep (line "
                + std::to_string(lineAt(text, tooDeepAt(text))) + ")"
                                  : describe(text, builder.failure());
    } catch (const std::exception& e) {
        error = unexpectedProblem(e);
    }
    return false;
}

bool readJsonFile(const std::string& path, std::string& text, std::string& error)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot open";
        return false;
    }
    std::string content;
    std::vector<char> buffer(64 * 1024);
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
        content.append(buffer.data(), static_cast<std::size_t>(in.gcount()));
        if (content.size() > kMaxJsonFileBytes) {
            error = "larger than " + std::to_string(kMaxJsonFileBytes >> 20) + " MB";
            return false;
        }
    }
    if (in.bad()) {
        error = "cannot read";
        return false;
    }
    text = std::move(content);
    return true;
}

std::string shortJson(const Json& value)
{
    return shortened(value.dump());
}

std::string shortKey(const std::string& key)
{
    const std::string quoted = Json(key).dump();
    return shortened(quoted.substr(1, quoted.size() - 2));
}

std::string unexpectedProblem(const std::exception& exception)
{
    if (dynamic_cast<const std::bad_alloc*>(&exception))
        return "too large to read (out of memory)";
    // nlohmann's messages start with their id ("[json.exception.type_error.302] "): the rest is
    // the reason.
    std::string_view what = exception.what();
    if (what.starts_with("[json.exception.")) {
        if (const std::size_t end = what.find("] "); end != std::string_view::npos)
            what.remove_prefix(end + 2);
    }
    std::string line = "unexpected content: " + std::string(what);
    std::replace(line.begin(), line.end(), '\n', ' ');
    return line;
}

} // namespace initlab
