#pragma once
/// Diagnostics as printed on stderr: a located one-line message, the line and a caret.

#include "jjstat/error.hpp"

#include <string>
#include <string_view>

namespace jjstat {

/// "source:line:column: error: message", then the offending line (escaped, cut to a window
/// around the column when long) and a caret under the column placed by display width.
std::string render_data_error(const DataError& error);

/// Sets where.line_text (and text_column) from `line`, the whole physical line of the error at
/// where.column: all of it when short, else the characters render_data_error() shows around the
/// column and one more on each side, so that a line of a gigabyte costs an error no more.
void set_line_text(Location& where, std::string_view line);

} // namespace jjstat
