#pragma once
/// A report written as one self-contained HTML file.

#include "jjstat/report/document.hpp"

#include <string>

namespace jjstat::report {

/// `document` as one HTML file that needs nothing else: inline CSS (A4 pages when printed, a
/// CJK-capable font stack of local fonts), an inline SVG per chart, footnotes at the end; no
/// script, and a Content-Security-Policy that forbids fetching anything. The file is also
/// well-formed XML.
std::string to_html(const Document& document);

} // namespace jjstat::report
