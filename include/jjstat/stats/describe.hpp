#pragma once
/// Count, sum, mean, min and max of each (indicator, period).

#include "jjstat/dataset.hpp"

#include <optional>
#include <string>
#include <vector>

namespace jjstat::stats {

/// The description of one (indicator, period).
struct Description {
  std::string indicator;
  Period period;
  std::string unit;            ///< the most common unit of the group; values are converted to it
  std::size_t count = 0;       ///< values present
  std::size_t missing = 0;     ///< observations without a value
  std::optional<Number> sum;   ///< exact for decimals; nullopt when count is 0
  std::optional<double> mean;  ///< sum / count
  std::optional<Number> min;
  std::optional<Number> max;
  Qualifiers qualifiers;       ///< union of the group's qualifiers
};

/// One description per (indicator, period), by indicator in order of appearance, then period.
std::vector<Description> describe(const std::vector<const Observation*>& observations);

} // namespace jjstat::stats
