#pragma once
/// Writing a finished report to a file, all or nothing.

#include <string>
#include <string_view>

namespace jjstat::report {

/// Writes `text` to `path` through a new file beside it that is renamed over `path` once
/// complete, so that `path` never holds half a report; a symbolic link is followed (the file it
/// names is replaced), and what is not a regular file (a device, a FIFO) is written into
/// directly, never replaced. Throws IoError naming the path and the reason when the file cannot
/// be written; nothing is left behind then.
void write_file(const std::string& path, std::string_view text);

} // namespace jjstat::report
