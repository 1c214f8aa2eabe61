#pragma once
/// The numbers charts draw: observations in one unit, and series laid out period by period.

#include "jjstat/dataset.hpp"
#include "jjstat/stats/growth.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jjstat::chart {

/// Most periods a timeline fills in between a series' first and last; a longer span keeps only
/// the periods observed.
inline constexpr std::size_t k_max_timeline = 400;

/// The value of `observation` in `unit` when the two share a dimension (else as it is);
/// nullopt when missing.
std::optional<double> value_in(const Observation& observation, std::string_view unit);

/// The most common unit of `observations` (the first seen wins a tie); "" when there are none.
std::string common_unit(const std::vector<const Observation*>& observations);

/// A series on every period from its first to its last, so that a missing period shows as a
/// gap and is never bridged.
struct Timeline {
  std::vector<Period> periods;
  std::vector<const Observation*> points; ///< one per period; nullptr where none was observed
};

/// The timeline of `series` (points sorted by period, as stats::group_series gives them).
Timeline timeline(const stats::Series& series);

/// The values of a timeline in `unit`, nullopt for a period without a value.
std::vector<std::optional<double>> timeline_values(const Timeline& line, std::string_view unit);

} // namespace jjstat::chart
