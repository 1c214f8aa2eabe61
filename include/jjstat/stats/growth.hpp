#pragma once
/// Growth between two periods of a series: change, percent change and CAGR, with the reason
/// whenever one of them is undefined.

#include "jjstat/dataset.hpp"

#include <optional>
#include <string>
#include <vector>

namespace jjstat::stats {

/// Why a growth figure is undefined (none: everything is defined).
enum class GrowthGap {
  none,
  single_period,    ///< the series has one period
  missing_from,     ///< no observation for the start period
  missing_to,       ///< no observation for the end period
  empty_from,       ///< the start observation has no value
  empty_to,         ///< the end observation has no value
  same_period,      ///< start and end are one period
  end_before_start, ///< --to is earlier than --from
  kind_mismatch,    ///< --from or --to is a year, quarter or month where the series has another
  zero_base,        ///< start value is 0: no percent change, no CAGR
  negative_base,    ///< start value below 0: no percent change, no CAGR
  negative_end,     ///< end value below 0 from a positive start: no CAGR
  percent_unit,     ///< a percentage: the change is in percentage points, nothing else
  cagr_too_large,   ///< the CAGR is beyond what a double holds (a vast ratio over a short span)
};

/// The English text of a gap, as every format shows it ("base value is 0").
std::string gap_text(GrowthGap gap, bool chinese, const std::string& period = {});

/// The observations of one (entity, indicator), ordered by period.
struct Series {
  std::string entity;
  std::string indicator;
  std::vector<const Observation*> points;
  std::size_t period_count = 0; ///< periods the series has (points may hold only some of them)
};

/// Sorts `points` by period, stably; a few points (the usual series) without allocating.
void sort_by_period(std::vector<const Observation*>& points);

/// Every series of `observations`, in order of first appearance; points sorted by period.
std::vector<Series> group_series(const std::vector<const Observation*>& observations);

/// The same for observations that come series by series, each series' points in period order:
/// a series is each stretch of one entity and indicator.
std::vector<Series> group_consecutive(const std::vector<const Observation*>& observations);
/// Where each of those stretches starts in `observations`, then observations.size().
std::vector<std::size_t> consecutive_starts(const std::vector<const Observation*>& observations);

/// Growth from one period to another of a series.
struct GrowthRow {
  std::string entity;
  std::string indicator;
  std::string unit;              ///< the unit of the values (that of the start value)
  std::optional<Period> from;
  std::optional<Period> to;
  std::optional<Number> from_value;
  std::optional<Number> to_value; ///< in `unit` (converted when its own unit differs)
  std::optional<Number> change;   ///< to − from, exact for decimals; in `unit`, or in
                                  ///< percentage points when `unit` is %
  std::optional<double> pct_change; ///< (to / from − 1) × 100
  std::optional<double> cagr;       ///< ((to / from)^(1 / years) − 1) × 100
  double years = 0;                 ///< real gap in years
  Qualifiers qualifiers;            ///< union of the inputs' qualifiers
  GrowthGap gap = GrowthGap::none;
  std::string gap_period;           ///< the period a missing_* or empty_* gap is about
};

/// The percent change of a growth row: the exact change over the base, scaled exactly by 100
/// (which keeps more digits than to / from − 1).
double percent_change(const Number& change, const Number& base);
/// percent_change() of two decimals, without a Number made of each (the rows written from
/// kept ends): the same double.
double percent_change(const Decimal& change, const Decimal& base);
/// The CAGR of a growth row, in %: ((end / base)^(1 / years) − 1) × 100, for a base above
/// zero and an end not below it: over one year the change % (percent_change()); otherwise
/// by logarithms of (end − base) / base, and exactly the decimal rate of up to four digits
/// after the point that `base` × (1 + rate / 100)^years = `end` holds for, when there is one
/// (whole years, decimal values). `change` is end − base (minus()).
double compound_growth(const Number& base, const Number& end, const Number& change, double years);

/// What a growth between two values that are both there comes to: its gap, if any (the first
/// that applies, in the order growth_between() reports them), and the CAGR when it has none.
struct ValueGrowth {
  GrowthGap gap = GrowthGap::none;
  double cagr = 0;
  /// True when the change % is defined (there may still be no CAGR).
  bool has_percent() const {
    return gap == GrowthGap::none || gap == GrowthGap::negative_end ||
           gap == GrowthGap::cagr_too_large;
  }
};
/// The growth from `base` to `end` over `years`, in a unit that is `%` or not.
/// `change` is end − base (minus()), which the caller has made already.
ValueGrowth value_growth(double years, bool percent_unit, const Number& base, const Number& end,
                         const Number& change);
/// value_growth() of three decimals, without a Number made of each: the same result.
ValueGrowth value_growth(double years, bool percent_unit, const Decimal& base, const Decimal& end,
                         const Decimal& change);

/// Growth between observations `a` (start) and `b` (end); either may be null (missing).
GrowthRow growth_between(const Series& series, const Observation* a, const Observation* b,
                         const std::optional<Period>& from, const std::optional<Period>& to);

/// First-to-last growth of a series, or `from`-to-`to` when given (matched by period label).
GrowthRow growth(const Series& series, const std::optional<Period>& from,
                 const std::optional<Period>& to);

/// Each period of the series against the same period a year earlier, from the second one on
/// (its points in period order, as group_series() and the store give them).
std::vector<GrowthRow> year_over_year(const Series& series);

} // namespace jjstat::stats
