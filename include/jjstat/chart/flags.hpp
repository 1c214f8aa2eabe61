#pragma once
/// The command-line face of terminal charts: --chart, --width and --ascii of rank, growth and
/// show.

#include "jjstat/chart/terminal.hpp"
#include "jjstat/format.hpp"

#include <cstddef>
#include <optional>
#include <string_view>

namespace CLI {
class App;
}

namespace jjstat::chart {

/// The chart options as given.
struct Flags {
  bool chart = false;    ///< --chart
  std::size_t width = 0; ///< --width N (0: not given)
  bool ascii = false;    ///< --ascii
};

/// Width a chart takes when neither --width, COLUMNS nor a terminal says.
inline constexpr std::size_t k_default_width = 80;

/// Adds --chart, --width N and --ascii to `app`, bound to `flags` (the last two need --chart).
void add_flags(CLI::App& app, Flags& flags);

/// How to draw, or nullopt without --chart. A chart replaces a table: `format_name`, the --format
/// given ("" when none), must be empty or "table" (else UsageError), and `write` is switched to
/// the table format. The width is --width, else write.max_width (what a table fits: COLUMNS or
/// the terminal), else k_default_width.
std::optional<TerminalStyle> prepare(const Flags& flags, std::string_view format_name,
                                     format::WriteOptions& write, bool chinese);

} // namespace jjstat::chart
