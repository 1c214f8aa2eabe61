#include "jjstat/stats/growth.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <variant>

namespace jjstat::stats {
namespace {

const Observation* find_period(const Series& series, const Period& period) {
  for (const Observation* obs : series.points) {
    if (obs->period == period) return obs;
  }
  return nullptr;
}

} // namespace

std::string gap_text(GrowthGap gap, bool chinese, const std::string& period) {
  switch (gap) {
  case GrowthGap::none: return {};
  case GrowthGap::single_period: return chinese ? "仅有一个时期" : "only one period";
  case GrowthGap::missing_from:
  case GrowthGap::missing_to:
    return chinese ? fmt::format("{}无数据", period) : fmt::format("no value for {}", period);
  case GrowthGap::empty_from:
  case GrowthGap::empty_to:
    return chinese ? fmt::format("{}数值缺失", period)
                   : fmt::format("value for {} is missing", period);
  case GrowthGap::same_period: return chinese ? "起止为同一时期" : "from and to are one period";
  case GrowthGap::end_before_start: return chinese ? "终止时期早于起始时期" : "to is before from";
  case GrowthGap::kind_mismatch:
    return chinese ? fmt::format("{}与序列的时期类型不同", period)
                   : fmt::format("{} is not of the series' kind of period", period);
  case GrowthGap::zero_base:
    return chinese ? "基期值为0，增幅与年均增长率无定义" : "base value is 0: no percent change or CAGR";
  case GrowthGap::negative_base:
    return chinese ? "基期值为负，增幅与年均增长率无定义"
                   : "base value is negative: no percent change or CAGR";
  case GrowthGap::negative_end:
    return chinese ? "末期值为负，年均增长率无定义" : "end value is negative: no CAGR";
  case GrowthGap::cagr_too_large:
    return chinese ? "年均增长率过大，超出可表示范围" : "CAGR too large to represent";
  case GrowthGap::percent_unit:
    return chinese ? "百分比指标：变化以百分点计" : "a percentage: change in percentage points";
  }
  return {};
}

void sort_by_period(std::vector<const Observation*>& points) {
  auto earlier = [](const Observation* a, const Observation* b) { return a->period < b->period; };
  if (points.size() > 16) {
    std::stable_sort(points.begin(), points.end(), earlier);
    return;
  }
  // Insertion sort, stable (a point moves only past later periods): std::stable_sort would
  // allocate a buffer for every series.
  for (std::size_t i = 1; i < points.size(); ++i) {
    const Observation* point = points[i];
    std::size_t j = i;
    for (; j > 0 && earlier(point, points[j - 1]); --j) points[j] = points[j - 1];
    points[j] = point;
  }
}

std::vector<Series> group_series(const std::vector<const Observation*>& observations) {
  std::vector<Series> all;
  all.reserve(observations.size());
  // An open-addressing table of (hash, series index), a power of two at least twice the
  // figures: no node per series, no division per look-up.
  std::size_t slots = 16;
  while (slots < 2 * observations.size()) slots *= 2;
  constexpr std::size_t k_empty = SIZE_MAX;
  std::vector<std::pair<std::size_t, std::size_t>> table(slots, {0, k_empty});
  std::hash<std::string_view> hash;
  std::size_t last = 0;
  // Each figure's series found first and counted (in period_count), then each series' points
  // made room for once and filled: not a few reallocations of every series' vector.
  std::vector<std::size_t> series_of(observations.size());
  for (std::size_t i = 0; i < observations.size(); ++i) {
    const Observation* obs = observations[i];
    // Figures of one series mostly come together: the one before is tried first.
    if (!all.empty() && all[last].entity == obs->entity && all[last].indicator == obs->indicator) {
      series_of[i] = last;
      ++all[last].period_count;
      continue;
    }
    const std::size_t h = hash(obs->entity) * 31 + hash(obs->indicator);
    std::size_t slot = h & (slots - 1);
    while (table[slot].second != k_empty) {
      const Series& known = all[table[slot].second];
      const bool same = table[slot].first == h && known.entity == obs->entity &&
                        known.indicator == obs->indicator;
      if (same) break;
      slot = (slot + 1) & (slots - 1);
    }
    if (table[slot].second == k_empty) {
      table[slot] = {h, all.size()};
      all.push_back({obs->entity, obs->indicator, {}});
    }
    last = table[slot].second;
    series_of[i] = last;
    ++all[last].period_count;
  }
  for (Series& series : all) series.points.reserve(series.period_count);
  for (std::size_t i = 0; i < observations.size(); ++i)
    all[series_of[i]].points.push_back(observations[i]);
  for (Series& series : all) sort_by_period(series.points);
  return all;
}

std::vector<std::size_t> consecutive_starts(const std::vector<const Observation*>& observations) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < observations.size(); ++i) {
    if (i == 0 || observations[i]->entity != observations[i - 1]->entity ||
        observations[i]->indicator != observations[i - 1]->indicator) {
      starts.push_back(i);
    }
  }
  starts.push_back(observations.size());
  return starts;
}

std::vector<Series> group_consecutive(const std::vector<const Observation*>& observations) {
  const std::vector<std::size_t> starts = consecutive_starts(observations);
  std::vector<Series> all;
  all.reserve(starts.size() - 1);
  for (std::size_t s = 0; s + 1 < starts.size(); ++s) {
    const auto begin = observations.begin() + static_cast<std::ptrdiff_t>(starts[s]);
    const auto end = observations.begin() + static_cast<std::ptrdiff_t>(starts[s + 1]);
    all.push_back({(*begin)->entity, (*begin)->indicator, {begin, end}, 0});
    all.back().period_count = all.back().points.size();
  }
  return all;
}

double percent_change(const Number& change, const Number& base) {
  const auto* exact_change = std::get_if<Decimal>(&change);
  const auto* exact_base = std::get_if<Decimal>(&base);
  if (exact_change && exact_base) return percent_change(*exact_change, *exact_base);
  return ratio(times_hundred(change), base);
}

double percent_change(const Decimal& change, const Decimal& base) {
  // (times_hundred() and ratio() of the two as Numbers: × 100 exactly where it fits.)
  if (const std::optional<Decimal> hundredfold = change.times(100))
    return ratio(*hundredfold, base);
  return change.to_double() * 100.0 / base.to_double();
}

namespace {

/// −1, 0 or 1: the sign of a number.
int sign_of(const Decimal& decimal) {
  return decimal.is_zero() ? 0 : decimal.is_negative() ? -1 : 1;
}
int sign_of(const Number& number) {
  if (const auto* decimal = std::get_if<Decimal>(&number)) return sign_of(*decimal);
  const double value = std::get<double>(number);
  return value == 0 ? 0 : value < 0 ? -1 : 1;
}

/// The CAGR in % as a decimal of at most four digits after the point, when `approx` (the
/// computed one) is that close to such a decimal and it is exactly the rate. Over `years` =
/// p / q in lowest terms (a span of whole months: q divides 12), the rate is exact when (1 +
/// rate / 100)^p = (`to` / `from`)^q, checked in integers: 100 -> 121 over 2 years is 10 %,
/// not the 10.000000000000002 that logarithms give, and 1 -> 2 over a quarter 1500 %. Spans of
/// up to 64 years only; a power too large for 128 bits is not checked.
std::optional<double> exact_cagr(const Decimal& from, const Decimal& to, double years,
                                 double approx) {
  if (!(years > 0) || years > 64) return std::nullopt;
  constexpr double k_unit = 1e4; // the rate in units of 0.0001 %
  const double scaled = approx * k_unit;
  if (!(std::fabs(scaled) < 0x1p52)) return std::nullopt;
  const double nearest = std::nearbyint(scaled);
  // (The computed rate is within a few units in its last place: only a rate that close to a
  // short decimal is checked in integers; most rates are not, and go no further.)
  if (std::fabs(scaled - nearest) > 1e-12 * std::max(1.0, std::fabs(nearest))) return std::nullopt;
  const double months = years * 12;
  if (months != std::floor(months)) return std::nullopt;
  const auto span = static_cast<int>(months);
  const int whole = std::gcd(span, 12);
  const int p = span / whole; // years = p / q
  const int q = 12 / whole;
  // The factor 1 + rate / 100 = (10^6 + nearest) / 10^6, in lowest terms.
  using Wide = Decimal::Mantissa;
  constexpr std::int64_t k_whole = 1000000;
  Wide top = k_whole + static_cast<std::int64_t>(nearest);
  Wide bottom = k_whole;
  if (top < 0) return std::nullopt;
  const auto common = static_cast<Wide>(std::gcd(static_cast<std::int64_t>(top), k_whole));
  top /= common;
  bottom /= common;
  // from^q × top^p × 10^(q × to's scale) = to^q × bottom^p × 10^(q × from's scale), or no
  // exact rate.
  Wide left = 1;
  Wide right = 1;
  auto times = [](Wide& value, Wide factor, int count) {
    for (int i = 0; i < count; ++i) {
      if (__builtin_mul_overflow(value, factor, &value)) return false;
    }
    return true;
  };
  if (!times(left, from.mantissa(), q) || !times(right, to.mantissa(), q) || !times(left, top, p) ||
      !times(right, bottom, p) || !times(left, Wide{10}, q * to.scale()) ||
      !times(right, Wide{10}, q * from.scale()))
    return std::nullopt;
  if (left != right) return std::nullopt;
  return nearest / k_unit; // (both exact in a double: one rounding)
}
/// Decimal values only: a double has no exact rate.
std::optional<double> exact_cagr(const Number& base, const Number& end, double years,
                                 double approx) {
  const auto* from = std::get_if<Decimal>(&base);
  const auto* to = std::get_if<Decimal>(&end);
  if (!from || !to) return std::nullopt;
  return exact_cagr(*from, *to, years, approx);
}

/// compound_growth() and value_growth() of Numbers or of decimals (`N`), by the same steps:
/// the same doubles either way.
template <typename N>
double compound_growth_of(const N& base, const N& end, const N& change, double years) {
  // Over one year the CAGR is the change %, worked out exactly and rounded once.
  if (years == 1) return percent_change(change, base);
  // By logarithms, without 1 subtracted from a power near 1 (which loses the low digits of a
  // small rate): the logarithm of end / base as log1p of change / base, or, for an end below
  // half the base, where 1 + that quotient would lose digits, as log of end / base. Each
  // quotient is rounded once, so that equal ratios give equal rates.
  const double x = ratio(change, base);
  const double log_ratio = x > -0.5 ? std::log1p(x) : std::log(ratio(end, base));
  const double approx = std::expm1(log_ratio / years) * 100.0;
  return exact_cagr(base, end, years, approx).value_or(approx);
}

template <typename N>
ValueGrowth value_growth_of(double years, bool percent_unit, const N& base, const N& end,
                            const N& change) {
  ValueGrowth growth;
  const int base_sign = sign_of(base);
  if (years <= 0) {
    growth.gap = GrowthGap::same_period;
  } else if (percent_unit) {
    growth.gap = GrowthGap::percent_unit;
  } else if (base_sign == 0) {
    growth.gap = GrowthGap::zero_base;
  } else if (base_sign < 0) {
    growth.gap = GrowthGap::negative_base;
  } else if (sign_of(end) < 0) {
    growth.gap = GrowthGap::negative_end;
  } else {
    growth.cagr = compound_growth_of(base, end, change, years);
    // (A vast ratio over a month or two: its power overflows a double.)
    if (!std::isfinite(growth.cagr)) growth.gap = GrowthGap::cagr_too_large;
  }
  return growth;
}

} // namespace

double compound_growth(const Number& base, const Number& end, const Number& change, double years) {
  return compound_growth_of(base, end, change, years);
}

ValueGrowth value_growth(double years, bool percent_unit, const Number& base, const Number& end,
                         const Number& change) {
  return value_growth_of(years, percent_unit, base, end, change);
}

ValueGrowth value_growth(double years, bool percent_unit, const Decimal& base, const Decimal& end,
                         const Decimal& change) {
  return value_growth_of(years, percent_unit, base, end, change);
}

GrowthRow growth_between(const Series& series, const Observation* a, const Observation* b,
                         const std::optional<Period>& from, const std::optional<Period>& to) {
  GrowthRow row;
  row.entity = series.entity;
  row.indicator = series.indicator;
  row.from = from;
  row.to = to;
  row.unit = a ? a->unit : b ? b->unit : series.points.front()->unit;
  if (a) row.qualifiers = row.qualifiers.merged(a->qualifiers);
  if (b) row.qualifiers = row.qualifiers.merged(b->qualifiers);
  if (a && a->value) row.from_value = a->value;
  if (b && b->value) row.to_value = in_unit(*b->value, b->unit, row.unit);
  auto gap = [&](GrowthGap g, const std::optional<Period>& p) {
    row.gap = g;
    if (p) row.gap_period = p->label();
    return row;
  };
  if (from && to && *to < *from) return gap(GrowthGap::end_before_start, {});
  if (!a) return gap(GrowthGap::missing_from, from);
  if (!b) return gap(GrowthGap::missing_to, to);
  if (!row.from_value) return gap(GrowthGap::empty_from, from);
  if (!row.to_value) return gap(GrowthGap::empty_to, to);
  row.change = minus(*row.to_value, *row.from_value);
  row.years = Period::years_between(a->period, b->period);
  const ValueGrowth growth =
      value_growth(row.years, row.unit == "%", *row.from_value, *row.to_value, *row.change);
  if (growth.has_percent()) row.pct_change = percent_change(*row.change, *row.from_value);
  if (growth.gap != GrowthGap::none) return gap(growth.gap, {});
  row.cagr = growth.cagr;
  return row;
}

GrowthRow growth(const Series& series, const std::optional<Period>& from,
                 const std::optional<Period>& to) {
  PeriodKind kind = series.points.front()->period.kind();
  for (const std::optional<Period>& asked : {from, to}) {
    if (asked && asked->kind() != kind) {
      GrowthRow row = growth_between(series, nullptr, nullptr, from, to);
      row.gap = GrowthGap::kind_mismatch;
      row.gap_period = asked->label();
      return row;
    }
  }
  if (!from && !to && series.points.size() < 2) {
    GrowthRow row = growth_between(series, series.points.front(), nullptr,
                                   series.points.front()->period, std::nullopt);
    row.gap = GrowthGap::single_period;
    row.gap_period.clear();
    return row;
  }
  Period start = from ? *from : series.points.front()->period;
  Period end = to ? *to : series.points.back()->period;
  return growth_between(series, find_period(series, start), find_period(series, end), start, end);
}

std::vector<GrowthRow> year_over_year(const Series& series) {
  std::vector<GrowthRow> rows;
  // The points are in period order, so the period a year before each point's is never earlier
  // than the one before the point before: one walk finds them all (`earlier` stops at the first
  // point not before it, the point find_period() would give), not a search from the start for each
  // point.
  // The periods of the series' first year (whose year-earlier period comes before the series
  // starts) have no row, whatever the kind of period: a gap inside the series has one, n/a.
  const std::vector<const Observation*>& points = series.points;
  std::size_t earlier = 0;
  for (std::size_t i = 1; i < points.size(); ++i) {
    Period now = points[i]->period;
    Period before = now.year_earlier();
    if (before < points.front()->period) continue;
    while (earlier < points.size() && points[earlier]->period < before) ++earlier;
    const Observation* found =
        earlier < points.size() && points[earlier]->period == before ? points[earlier] : nullptr;
    rows.push_back(growth_between(series, found, points[i], before, now));
  }
  // A series of under a year (of quarters or months): one row, its last period's, n/a.
  if (rows.empty() && points.size() > 1) {
    const Period last = points.back()->period;
    rows.push_back(growth_between(series, nullptr, points.back(), last.year_earlier(), last));
  }
  return rows;
}

} // namespace jjstat::stats
