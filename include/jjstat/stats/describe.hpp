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

/// The running totals of one (indicator, period), kept per unit and converted at the end, so
/// that values arriving in any order and any split give the same result.
class Aggregate {
public:
  /// Adds one observation's value (nullopt: missing), unit and qualifiers.
  void add(const std::optional<Number>& value, std::string_view unit, Qualifiers qualifiers);
  /// Adds figures of one unit and scale summed up elsewhere, as add() would have added them one
  /// by one (`count` values of which `min` and `max` were the first seen lowest and highest,
  /// `rows` − `count` missing ones); only on an empty aggregate.
  void add_summed(std::string_view unit, std::size_t rows, std::size_t count, const Decimal& sum,
                  const Decimal& min, const Decimal& max, Qualifiers qualifiers);
  /// Adds everything `other` holds (for merging partial totals).
  void merge(const Aggregate& other);
  /// The description, in the group's most common unit (the first seen wins a tie).
  Description finish(std::string indicator, const Period& period) const;

private:
  struct Part {
    std::string unit;
    std::size_t rows = 0; ///< observations in this unit, values or not
    std::size_t count = 0;
    std::optional<Number> sum, min, max;
  };
  std::vector<Part> m_parts;
  std::size_t m_missing = 0;
  Qualifiers m_qualifiers;
};

/// One description per (indicator, period), by indicator in order of appearance, then period.
std::vector<Description> describe(const std::vector<const Observation*>& observations);

} // namespace jjstat::stats
