#pragma once
/// A report written as GitHub-flavoured Markdown, which GitHub renders and pandoc converts.

#include "jjstat/report/document.hpp"

#include <string>
#include <string_view>

namespace jjstat::report {

/// `text` with what Markdown would read as markup escaped: \ ` * [ ] < > | ~ $, _ unless inside
/// a word, & when it would start an entity; controls and invalid bytes made visible first.
std::string markdown_escape(std::string_view text);

/// `document` as Markdown: # headings, paragraphs, lists, pipe tables under an italic caption
/// (number columns right-aligned), qualifier footnotes as [^id] defined at the end. Charts are
/// left out: their values are in the tables next to them.
std::string to_markdown(const Document& document);

} // namespace jjstat::report
