#include "jjstat/stats/rank.hpp"

#include "jjstat/error.hpp"
#include "jjstat/stats/growth.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <array>
#include <numeric>

namespace jjstat::stats {
namespace {

constexpr std::array<std::string_view, 5> k_names = {"min", "dense", "average", "ordinal", "max"};

} // namespace

std::optional<TieMethod> parse_tie_method(std::string_view name) {
  for (std::size_t i = 0; i < k_names.size(); ++i) {
    if (k_names[i] == name) return static_cast<TieMethod>(i);
  }
  return std::nullopt;
}

std::string_view tie_method_name(TieMethod method) { return k_names[static_cast<int>(method)]; }

std::vector<double> rank_values(const std::vector<std::optional<double>>& values,
                                TieMethod method, bool ascending) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Present values first, best first; a stable sort keeps input order among ties, which is
  // what ordinal ranks by.
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = values[a];
    const auto& y = values[b];
    if (x.has_value() != y.has_value()) return x.has_value();
    if (!x) return false;
    return ascending ? *x < *y : *x > *y;
  });
  std::vector<double> ranks(values.size());
  std::size_t dense = 0;
  for (std::size_t begin = 0; begin < order.size();) {
    std::size_t end = begin + 1;
    while (end < order.size() && values[order[end]] == values[order[begin]]) ++end;
    ++dense;
    for (std::size_t k = begin; k < end; ++k) {
      double rank = 0;
      switch (method) {
      case TieMethod::min: rank = static_cast<double>(begin + 1); break;
      case TieMethod::max: rank = static_cast<double>(end); break;
      case TieMethod::dense: rank = static_cast<double>(dense); break;
      case TieMethod::average: rank = (static_cast<double>(begin + 1 + end)) / 2.0; break;
      case TieMethod::ordinal: rank = static_cast<double>(k + 1); break;
      }
      ranks[order[k]] = rank;
    }
    begin = end;
  }
  return ranks;
}

} // namespace jjstat::stats

namespace jjstat::stats {
namespace {

constexpr std::array<std::string_view, 4> k_measures = {"value", "change", "pct_change", "cagr"};

/// The most frequent of `units`, ignoring empty ones (the first seen wins a tie); `fallback`
/// when there is none.
std::string most_common(const std::vector<std::string>& units, const std::string& fallback) {
  std::vector<std::pair<std::string, int>> counts;
  for (const std::string& unit : units) {
    if (unit.empty()) continue;
    auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == unit; });
    if (it == counts.end()) {
      counts.emplace_back(unit, 1);
    } else {
      ++it->second;
    }
  }
  auto best = std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
    return a.second < b.second;
  });
  return best == counts.end() ? fallback : best->first;
}

/// The rows of one ranking, before ranking: one per series, its measure in the unit most of
/// the measured figures have (so only the figures ranked decide it).
std::vector<RankedRow> measure(const std::string& ranking,
                               const std::vector<const Observation*>& observations,
                               const RankRequest& request) {
  std::vector<RankedRow> rows;
  std::vector<std::string> raw_units; // each row's measure's own unit; "" when not converted
  std::optional<Period> latest = request.period;
  if (!latest) {
    for (const Observation* obs : observations) {
      if (!latest || *latest < obs->period) latest = obs->period;
    }
  }
  const std::string latest_label = latest ? latest->label() : std::string();
  std::optional<Period> last_from, last_to;
  std::string last_text;
  const std::vector<Series> all =
      request.grouped ? group_consecutive(observations) : group_series(observations);
  rows.reserve(all.size());
  raw_units.reserve(all.size());
  for (const Series& series : all) {
    RankedRow row;
    row.ranking = ranking;
    row.entity = series.entity;
    row.indicator = series.indicator;
    std::string raw_unit;
    if (request.by == RankBy::value) {
      row.period = latest_label;
      for (const Observation* obs : series.points) {
        if (obs->period == *latest) row.observation = obs;
      }
      if (!row.observation) {
        row.note = fmt::format("no value for {}", row.period);
      } else {
        row.qualifiers = row.observation->qualifiers;
        if (!row.observation->value) {
          row.note = fmt::format("value for {} is missing", row.period);
        } else {
          row.measure = *row.observation->value;
          raw_unit = row.observation->unit;
        }
      }
    } else {
      GrowthRow growth_row = growth(series, request.from, request.to);
      // Rows of a ranking mostly share their periods: format the text once for each pair.
      if (growth_row.from != last_from || growth_row.to != last_to) {
        last_from = growth_row.from;
        last_to = growth_row.to;
        last_text = growth_row.from && growth_row.to
                        ? fmt::format("{}/{}", growth_row.from->label(), growth_row.to->label())
                    : growth_row.from ? growth_row.from->label()
                    : growth_row.to   ? growth_row.to->label()
                                      : "";
      }
      row.period = last_text;
      row.qualifiers = growth_row.qualifiers;
      row.note = gap_text(growth_row.gap, false, growth_row.gap_period);
      if (request.by == RankBy::change) {
        row.unit = growth_row.unit == "%" ? "pp" : "";
        row.measure = growth_row.change;
        if (row.measure && row.unit.empty()) raw_unit = growth_row.unit;
      } else if (request.by == RankBy::pct_change) {
        row.unit = "%";
        if (growth_row.pct_change) row.measure = *growth_row.pct_change;
      } else {
        row.unit = "%/yr";
        if (growth_row.cagr) row.measure = *growth_row.cagr;
      }
      if (row.measure) row.note.clear();
    }
    rows.push_back(std::move(row));
    raw_units.push_back(std::move(raw_unit));
  }
  std::string unit = most_common(raw_units, observations.front()->unit);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].unit.empty()) rows[i].unit = unit;
    if (!raw_units[i].empty()) rows[i].measure = in_unit(*rows[i].measure, raw_units[i], unit);
  }
  return rows;
}

void check_one_dimension(const std::vector<const Observation*>& observations) {
  for (const Observation* obs : observations) {
    const Observation* first = observations.front();
    if (!same_dimension(first->unit, obs->unit)) {
      throw UsageError(fmt::format(
          "cannot rank '{}' ({}) together with '{}' ({}): quantities of different dimensions "
          "are never ranked together",
          first->indicator, dimension_of(first->unit), obs->indicator, dimension_of(obs->unit)));
    }
  }
}

} // namespace

std::optional<RankBy> parse_rank_by(std::string_view name) {
  for (std::size_t i = 0; i < k_measures.size(); ++i) {
    if (k_measures[i] == name) return static_cast<RankBy>(i);
  }
  return std::nullopt;
}

/// Leaves out of `rows` and `keys` (in step) the rows that cannot make the top `top`: those
/// worse than the top-th best value. The rank of a row depends only on the rows better than or
/// equal to it, all of which stay, so the ranks of those kept do not change. Nothing is left
/// out when fewer than `top` rows have a value (the rows without one may then make the cut).
void keep_contenders(std::vector<RankedRow>& rows, std::vector<std::optional<double>>& keys,
                     double cut, bool ascending) {
  // Competition ranks are whole: ranks up to 2.5 are ranks up to 2.
  const auto top = static_cast<std::size_t>(std::max(0.0, std::floor(cut)));
  std::vector<double> present;
  for (const auto& key : keys) {
    if (!key) continue;
    if (std::isnan(*key)) return;
    present.push_back(*key);
  }
  if (top == 0 || present.size() <= top) return;
  auto better = [&](double a, double b) { return ascending ? a < b : a > b; };
  std::nth_element(present.begin(), present.begin() + static_cast<std::ptrdiff_t>(top - 1), present.end(), better);
  const double threshold = present[top - 1];
  std::size_t kept = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!keys[i] || better(threshold, *keys[i])) continue;
    if (kept != i) {
      rows[kept] = std::move(rows[i]);
      keys[kept] = keys[i];
    }
    ++kept;
  }
  rows.resize(kept);
  keys.resize(kept);
}

std::vector<RankedRow> rank_figures(const std::vector<const Observation*>& observations,
                                    const RankRequest& request) {
  // Rankings in order of first appearance of their indicator.
  std::vector<std::pair<std::string, std::vector<const Observation*>>> groups;
  for (const Observation* obs : observations) {
    std::string key = request.pool ? "pooled" : obs->indicator;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == key; });
    if (it == groups.end()) {
      groups.emplace_back(key, std::vector<const Observation*>{obs});
    } else {
      it->second.push_back(obs);
    }
  }
  std::vector<RankedRow> out;
  for (auto& [ranking, members] : groups) {
    if (request.pool) check_one_dimension(members);
    std::vector<RankedRow> rows = measure(ranking, members, request);
    std::vector<std::optional<double>> keys;
    for (const RankedRow& row : rows) {
      keys.push_back(row.measure ? std::optional<double>(to_double(*row.measure)) : std::nullopt);
    }
    if (request.top) keep_contenders(rows, keys, *request.top, request.ascending);
    std::vector<double> ranks = rank_values(keys, request.ties, request.ascending);
    // The cut goes by competition rank, whatever the method shown, so that every figure tied
    // with one inside the cut stays (with max ranks, [30, 20, 20] under --top 2 keeps all three).
    std::vector<double> cut = rank_values(keys, TieMethod::min, request.ascending);
    std::vector<std::size_t> order(rows.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return ranks[a] < ranks[b]; });
    for (std::size_t i : order) {
      if (request.top && cut[i] > *request.top) continue;
      rows[i].rank = ranks[i];
      out.push_back(std::move(rows[i]));
    }
  }
  return out;
}

} // namespace jjstat::stats
