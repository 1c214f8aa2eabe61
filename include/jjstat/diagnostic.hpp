#pragma once
/// Diagnostics as printed on stderr: a located one-line message, the line and a caret.

#include "jjstat/error.hpp"

#include <string>

namespace jjstat {

/// "source:line:column: error: message", then the offending line (escaped, cut to a window
/// around the column when long) and a caret under the column placed by display width.
std::string render_data_error(const DataError& error);

} // namespace jjstat
