#pragma once
/// Charts drawn with text: horizontal bars in eighth blocks (▏▎▍▌▋▊▉█), sparklines (▁▂▃▄▅▆▇█),
/// or plain ASCII.

#include "jjstat/chart/model.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace jjstat::chart {

/// How to draw charts in a terminal.
struct TerminalStyle {
  std::size_t width = 80; ///< columns a line may take
  bool ascii = false;     ///< # for a whole cell, = for a half, | for the zero axis
  bool chinese = false;   ///< language of the scale notes
};

/// Columns bars may shrink to before labels are cut.
inline constexpr std::size_t k_min_bar_width = 10;

/// A bar `length` columns long (at least its smallest step when `length` is above 0): whole
/// cells then one partial cell, eighths growing rightwards, or halves (▐) when `leftwards`
/// (Unicode has no right-aligned eighths); # and = in ASCII.
std::string bar_cells(double length, bool leftwards, bool ascii);

/// One character per value from ▁ (the lowest) to █ (the highest), or _ - = # in ASCII; a space
/// for a missing value; "" when `values` has fewer than three periods.
std::string sparkline(const std::vector<std::optional<double>>& values, bool ascii);

/// `charts` one after the other, each under its title (and the note of its scale, if any), each
/// bar on one line: the labels aligned by display width, the sparkline, the bar scaled to what
/// the width leaves, the value; then `notes`, wrapped to the width.
std::string render(const std::vector<BarChart>& charts, const std::vector<std::string>& notes,
                   const TerminalStyle& style);

} // namespace jjstat::chart
