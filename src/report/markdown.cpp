#include "jjstat/report/markdown.hpp"

#include "jjstat/text.hpp"

#include <cctype>

namespace jjstat::report {
namespace {

bool is_word_byte(char c) {
  // Bytes of UTF-8 sequences count as word characters, as CJK letters do for Markdown.
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || static_cast<unsigned char>(c) >= 0x80;
}

/// True when the '&' at `at` starts something a Markdown reader takes for an entity (&amp;).
bool looks_like_entity(std::string_view text, std::size_t at) {
  std::size_t i = at + 1;
  if (i < text.size() && text[i] == '#') ++i;
  std::size_t start = i;
  while (i < text.size() && std::isalnum(static_cast<unsigned char>(text[i])) != 0)
    ++i;
  return i > start && i < text.size() && text[i] == ';';
}

std::string phrases(const Cell& cell) {
  std::string out;
  for (const Phrase& phrase : cell) {
    out += markdown_escape(phrase.text);
    for (const std::string& note : phrase.notes)
      out += "[^" + note + "]";
  }
  return out;
}

void write_table(const Table& table, std::string& out) {
  if (!table.caption.empty()) out += "*" + markdown_escape(table.caption) + "*\n\n";
  std::string head = "|";
  std::string rule = "|";
  for (std::size_t c = 0; c < table.headers.size(); ++c) {
    head += " " + markdown_escape(table.headers[c]) + " |";
    rule += c < table.align.size() && table.align[c] == Align::right ? " ---: |" : " --- |";
  }
  out += head + "\n" + rule + "\n";
  for (const std::vector<Cell>& row : table.rows) {
    std::string line = "|";
    for (const Cell& cell : row)
      line += " " + phrases(cell) + " |";
    out += line + "\n";
  }
}

} // namespace

std::string markdown_escape(std::string_view raw) {
  std::string text = text::escape_for_terminal(raw);
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool escape = false;
    switch (c) {
    case '\\':
    case '`':
    case '*':
    case '[':
    case ']':
    case '<':
    case '>':
    case '|':
    case '~':
    case '$':
      escape = true;
      break;
    case '_':
      escape =
          !(i > 0 && is_word_byte(text[i - 1]) && i + 1 < text.size() && is_word_byte(text[i + 1]));
      break;
    case '&':
      escape = looks_like_entity(text, i);
      break;
    default:
      break;
    }
    if (escape) out += '\\';
    out += c;
  }
  return out;
}

std::string to_markdown(const Document& document) {
  std::string out;
  auto separate = [&] {
    if (!out.empty()) out += '\n';
  };
  for (const Block& block : document.blocks) {
    if (const auto* heading = std::get_if<Heading>(&block)) {
      separate();
      out += std::string(static_cast<std::size_t>(heading->level), '#') + " " +
             markdown_escape(heading->text) + "\n";
    } else if (const auto* paragraph = std::get_if<Paragraph>(&block)) {
      separate();
      out += markdown_escape(paragraph->text) + "\n";
    } else if (const auto* items = std::get_if<Items>(&block)) {
      separate();
      for (const std::string& item : items->items)
        out += "- " + markdown_escape(item) + "\n";
    } else if (const auto* table = std::get_if<Table>(&block)) {
      separate();
      write_table(*table, out);
    }
  }
  if (!document.footnotes.empty()) {
    separate();
    for (const Footnote& note : document.footnotes) {
      out += "[^" + note.id + "]: " + markdown_escape(note.text) + "\n";
    }
  }
  return out;
}

} // namespace jjstat::report
