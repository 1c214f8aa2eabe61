#pragma once
/// Writing a finished report to a file, all or nothing.

#include <string>
#include <string_view>

namespace jjstat::report {

/// Writes `text` to `path` through a new file beside it that is renamed over `path` once
/// complete, so that `path` never holds half a report. Throws IoError naming the path and the
/// reason when the file cannot be written; nothing is left behind then.
void write_file(const std::string& path, std::string_view text);

} // namespace jjstat::report
