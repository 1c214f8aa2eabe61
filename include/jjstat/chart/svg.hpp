#pragma once
/// Charts as SVG: standalone, valid XML, readable without a script or a font download. Every
/// chart has a <title>, an aria-label and a <desc> listing its values as text.

#include "jjstat/chart/model.hpp"

#include <string>
#include <string_view>

namespace jjstat::chart {

/// `text` safe in XML character data and double-quoted attributes: & < > " as entities, and
/// controls and invalid bytes (which XML 1.0 cannot hold) as visible escapes (\x1b).
std::string xml_escape(std::string_view text);

/// A horizontal bar chart: a rect of class "bar" per present value (a zero one is 0 wide, a
/// missing one has none and reads "n/a"), the entity labels on the left, the value and unit
/// beside each bar, an axis with round ticks and the unit, and the scale's note when it has one
/// (a log scale when positive values span three orders of magnitude or more).
std::string bar_chart_svg(const BarChart& chart, bool chinese);

/// A line chart of one series: a circle of class "point" per present value with its value
/// above it, lines between neighbouring present values, "n/a" at a missing period, the
/// periods on the x axis, the unit on the y axis.
std::string line_chart_svg(const LineChart& chart, bool chinese);

} // namespace jjstat::chart
