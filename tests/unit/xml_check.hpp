#pragma once
/// A strict XML well-formedness checker for the tests of the SVG and HTML writers: elements
/// nested and closed, attributes quoted and unique, only the five named entities and numeric
/// references, one root, valid UTF-8 without control characters. No DTD beyond <!DOCTYPE html>.

#include "jjstat/text.hpp"

#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace jjstat::test {

/// Nullopt when `xml` is well-formed, else what is wrong and at which byte.
inline std::optional<std::string> xml_error(std::string_view xml) {
  auto error = [&](std::size_t at, const std::string& what) {
    return std::optional<std::string>(what + " at byte " + std::to_string(at));
  };
  if (!text::is_valid_utf8(xml)) return error(0, "invalid UTF-8");
  for (std::size_t i = 0; i < xml.size(); ++i) {
    auto c = static_cast<unsigned char>(xml[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return error(i, "control character");
  }
  auto name_start = [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
  };
  auto name_char = [&](char c) {
    return name_start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  };
  // A reference starting at `i` ('&'); returns its length or 0.
  auto reference = [&](std::size_t i) -> std::size_t {
    for (std::string_view named : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"}) {
      if (xml.substr(i, named.size()) == named) return named.size();
    }
    std::size_t j = i + 1;
    if (j >= xml.size() || xml[j] != '#') return 0;
    ++j;
    bool hex = j < xml.size() && xml[j] == 'x';
    if (hex) ++j;
    std::size_t digits = j;
    while (j < xml.size() && (hex ? std::isxdigit(static_cast<unsigned char>(xml[j]))
                                  : std::isdigit(static_cast<unsigned char>(xml[j])))) {
      ++j;
    }
    return j > digits && j < xml.size() && xml[j] == ';' ? j + 1 - i : 0;
  };
  std::vector<std::string> open;
  bool root_seen = false;
  std::size_t i = 0;
  if (xml.substr(0, 15) == "<!DOCTYPE html>") i = 15;
  while (i < xml.size()) {
    char c = xml[i];
    if (c == '&') {
      std::size_t n = reference(i);
      if (n == 0) return error(i, "bare &");
      if (open.empty()) return error(i, "text outside the root");
      i += n;
      continue;
    }
    if (c == '>' && xml.substr(i >= 2 ? i - 2 : 0, 3) == "]]>") return error(i, "]]> in text");
    if (c != '<') {
      if (open.empty() && !std::isspace(static_cast<unsigned char>(c))) {
        return error(i, "text outside the root");
      }
      ++i;
      continue;
    }
    if (xml.substr(i, 4) == "<!--") {
      std::size_t end = xml.find("-->", i + 4);
      if (end == std::string_view::npos) return error(i, "unclosed comment");
      i = end + 3;
      continue;
    }
    bool closing = i + 1 < xml.size() && xml[i + 1] == '/';
    std::size_t j = i + (closing ? 2 : 1);
    if (j >= xml.size() || !name_start(xml[j])) return error(i, "< without a tag name");
    std::size_t name_begin = j;
    while (j < xml.size() && name_char(xml[j]))
      ++j;
    std::string name(xml.substr(name_begin, j - name_begin));
    if (closing) {
      while (j < xml.size() && std::isspace(static_cast<unsigned char>(xml[j])))
        ++j;
      if (j >= xml.size() || xml[j] != '>') return error(j, "bad end tag");
      if (open.empty() || open.back() != name)
        return error(i, "</" + name + "> closes nothing open");
      open.pop_back();
      i = j + 1;
      continue;
    }
    if (open.empty() && root_seen) return error(i, "a second root element");
    std::set<std::string> attributes;
    for (;;) {
      std::size_t before = j;
      while (j < xml.size() && std::isspace(static_cast<unsigned char>(xml[j])))
        ++j;
      if (j >= xml.size()) return error(i, "unclosed tag");
      if (xml[j] == '>' || xml.substr(j, 2) == "/>") break;
      if (j == before) return error(j, "no space before an attribute");
      if (!name_start(xml[j])) return error(j, "bad attribute name");
      std::size_t a = j;
      while (j < xml.size() && name_char(xml[j]))
        ++j;
      std::string attribute(xml.substr(a, j - a));
      if (!attributes.insert(attribute).second) return error(a, "repeated attribute " + attribute);
      if (j >= xml.size() || xml[j] != '=') return error(j, "attribute without a value");
      ++j;
      if (j >= xml.size() || (xml[j] != '"' && xml[j] != '\'')) return error(j, "unquoted value");
      char quote = xml[j++];
      while (j < xml.size() && xml[j] != quote) {
        if (xml[j] == '<') return error(j, "< in an attribute value");
        if (xml[j] == '&') {
          std::size_t n = reference(j);
          if (n == 0) return error(j, "bare & in an attribute value");
          j += n;
        } else {
          ++j;
        }
      }
      if (j >= xml.size()) return error(a, "unterminated attribute value");
      ++j;
    }
    root_seen = true;
    if (xml[j] == '/') {
      i = j + 2;
    } else {
      open.push_back(name);
      i = j + 1;
    }
  }
  if (!open.empty()) return error(xml.size(), "<" + open.back() + "> is never closed");
  if (!root_seen) return error(0, "no root element");
  return std::nullopt;
}

} // namespace jjstat::test
