#include "jjstat/stats/rank.hpp"

#include "jjstat/error.hpp"
#include "jjstat/stats/growth.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <numeric>
#include <string_view>
#include <thread>
#include <unordered_map>

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

namespace {

/// rank_order() of many values, none NaN, by a stable radix sort (a byte at a time, from the
/// lowest) of keys whose unsigned order is the ranking's: a value's bits, the sign bit flipped
/// for the positive ones and all of them for the negative ones (zero of either sign made +0,
/// which the comparison finds equal), turned around when descending; a missing value's key is
/// the largest of all, which no value's reaches. A million values sort in about a sixth of the
/// time of std::stable_sort's comparisons.
std::vector<std::size_t> radix_order(const std::vector<std::optional<double>>& values,
                                     bool ascending) {
  struct Entry {
    std::uint64_t key;
    std::size_t index;
  };
  std::vector<Entry> entries(values.size()), spare(values.size());
  std::uint64_t differ = 0; // the bits in which some keys differ from the first
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::uint64_t key = UINT64_MAX;
    if (values[i]) {
      const double value = *values[i] == 0.0 ? 0.0 : *values[i];
      const auto bits = std::bit_cast<std::uint64_t>(value);
      key = (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
      if (!ascending) key = ~key;
    }
    entries[i] = {key, i};
    differ |= key ^ entries[0].key;
  }
  for (int shift = 0; shift < 64; shift += 8) {
    if (((differ >> shift) & 0xFF) == 0) continue; // every key has the same byte here
    std::array<std::size_t, 257> start{};
    for (const Entry& entry : entries) ++start[((entry.key >> shift) & 0xFF) + 1];
    for (std::size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
    for (const Entry& entry : entries) spare[start[(entry.key >> shift) & 0xFF]++] = entry;
    entries.swap(spare);
  }
  std::vector<std::size_t> order(values.size());
  for (std::size_t i = 0; i < entries.size(); ++i) order[i] = entries[i].index;
  return order;
}

} // namespace

std::vector<std::size_t> rank_order(const std::vector<std::optional<double>>& values,
                                    bool ascending) {
  constexpr std::size_t k_radix = 4096;
  if (values.size() >= k_radix &&
      std::none_of(values.begin(), values.end(),
                   [](const std::optional<double>& v) { return v && std::isnan(*v); }))
    return radix_order(values, ascending);
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
  return order;
}

std::vector<double> rank_values(const std::vector<std::optional<double>>& values, TieMethod method,
                                bool ascending) {
  return ranks_in_order(values, rank_order(values, ascending), method);
}

std::vector<double> ranks_in_order(const std::vector<std::optional<double>>& values,
                                   const std::vector<std::size_t>& order, TieMethod method) {
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

/// The series of `observations`, one at a time: when `grouped` (each series' figures come
/// together, in period order), the stretches of group_consecutive viewed in place, with no
/// Series made for each; otherwise group_series.
class SeriesList : public SeriesSource {
public:
  SeriesList(const std::vector<const Observation*>& observations, bool grouped)
      : m_observations(observations), m_grouped(grouped) {
    if (grouped) {
      m_starts = consecutive_starts(observations);
    } else {
      m_all = group_series(observations);
    }
  }
  std::size_t size() const override { return m_grouped ? m_starts.size() - 1 : m_all.size(); }
  /// The figures are the caller's, and last.
  const Observation* keep(const Observation* figure) override { return figure; }
  /// Series `i`; what a grouped list gives stays valid until the next call.
  const Series& at(std::size_t i) override {
    if (!m_grouped) return m_all[i];
    const auto begin = m_observations.begin() + static_cast<std::ptrdiff_t>(m_starts[i]);
    const auto end = m_observations.begin() + static_cast<std::ptrdiff_t>(m_starts[i + 1]);
    m_view.entity = (*begin)->entity;
    m_view.indicator = (*begin)->indicator;
    m_view.points.assign(begin, end);
    m_view.period_count = m_view.points.size();
    return m_view;
  }

private:
  const std::vector<const Observation*>& m_observations;
  const bool m_grouped;
  std::vector<Series> m_all;
  std::vector<std::size_t> m_starts; ///< where each stretch starts, then the end
  Series m_view;
};

/// The row of `series` in a ranking, before ranking and before its unit is settled: the
/// measure in `raw_unit` when that is not empty (a value, or a change, in the figure's own
/// unit), else in row.unit. Without `full`, only the measure and its units (no texts).
RankedRow measure_row(const std::string& ranking, const Series& series, const RankRequest& request,
                      const std::optional<Period>& latest, const std::string& latest_label,
                      std::string& raw_unit, bool full) {
  RankedRow row;
  if (full) {
    row.ranking = ranking;
    row.entity = series.entity;
    row.indicator = series.indicator;
  }
  raw_unit.clear();
  if (request.by == RankBy::value) {
    for (const Observation* obs : series.points) {
      if (obs->period == *latest) row.observation = obs;
    }
    if (row.observation && row.observation->value) {
      row.measure = *row.observation->value;
      raw_unit = row.observation->unit;
    }
    if (!full) return row;
    row.period = latest_label;
    if (row.observation) row.qualifiers = row.observation->qualifiers;
    if (!row.observation && !series.points.empty() &&
        series.points.front()->period.kind() != latest->kind()) {
      // (As growth says it: a quarter asked of yearly figures is no gap in the data.)
      row.gap = GrowthGap::kind_mismatch;
    } else if (!row.observation) {
      row.gap = GrowthGap::missing_to;
    } else if (!row.observation->value) {
      row.gap = GrowthGap::empty_to;
    }
    if (row.gap != GrowthGap::none) row.gap_period = row.period;
    return row;
  }
  GrowthRow growth_row = growth(series, request.from, request.to);
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
  if (!full) return row;
  row.period = growth_row.from && growth_row.to
                   ? growth_row.from->label() + "/" + growth_row.to->label()
               : growth_row.from ? growth_row.from->label()
               : growth_row.to   ? growth_row.to->label()
                                 : "";
  row.qualifiers = growth_row.qualifiers;
  if (!row.measure) {
    row.gap = growth_row.gap;
    row.gap_period = growth_row.gap_period;
  }
  return row;
}

/// Which of `keys` can make the top `cut`: all of them, or, when more than `cut` have a
/// value, those as good as the cut-th best. The rank of a row depends only on the rows better
/// than or equal to it, all of which stay, so the ranks of those kept do not change; the rows
/// without a value may make the cut only when fewer than `cut` rows have one.
std::vector<bool> contenders(const std::vector<std::optional<double>>& keys, double cut,
                             bool ascending) {
  std::vector<bool> kept(keys.size(), true);
  // Competition ranks are whole: ranks up to 2.5 are ranks up to 2.
  const auto top = static_cast<std::size_t>(std::max(0.0, std::floor(cut)));
  if (top == 0) return kept;
  auto better = [&](double a, double b) { return ascending ? a < b : a > b; };
  // The best `top` values so far in a heap whose front is the worst of them (the cut-th best
  // once `top` are in): one pass, no copy of every key.
  std::vector<double> best;
  best.reserve(std::min(top, keys.size()));
  std::size_t present = 0;
  for (const auto& key : keys) {
    if (!key) continue;
    if (std::isnan(*key)) return kept;
    ++present;
    if (best.size() < top) {
      best.push_back(*key);
      std::push_heap(best.begin(), best.end(), better);
    } else if (better(*key, best.front())) {
      std::pop_heap(best.begin(), best.end(), better);
      best.back() = *key;
      std::push_heap(best.begin(), best.end(), better);
    }
  }
  if (present <= top) return kept;
  const double threshold = best.front();
  for (std::size_t i = 0; i < keys.size(); ++i) {
    kept[i] = keys[i] && !better(threshold, *keys[i]);
  }
  return kept;
}

/// The latest period of any figure of `all` (nullopt when it has none).
std::optional<Period> latest_period(SeriesSource& all) {
  std::optional<Period> latest;
  if (all.latest(latest)) return latest;
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (const Observation* obs : all.at(i).points) {
      if (!latest || *latest < obs->period) latest = obs->period;
    }
  }
  return latest;
}

/// The measure of series `i` of `source` by `request`, in its own unit when `raw_unit` is not
/// empty (else in the ranking's): the quick way when the source knows it, else from its row.
std::optional<Number> measure_of(const std::string& ranking, SeriesSource& source, std::size_t i,
                                 const RankRequest& request, const std::optional<Period>& latest,
                                 const std::string& latest_label, std::string& raw_unit) {
  std::optional<Number> measure;
  if (source.quick_measure(i, request, latest, measure, raw_unit)) return measure;
  return measure_row(ranking, source.at(i), request, latest, latest_label, raw_unit, false).measure;
}

/// The units the measures of a stretch of series came in, each once, in the order they first
/// came, with how many measures had it.
struct UnitTally {
  std::vector<std::string> units;
  std::vector<std::size_t> counts;
  std::unordered_map<std::string, std::uint32_t> index; ///< unit -> place in units
  std::uint32_t last = UINT32_MAX;                      ///< the place last found
  /// The place of `unit` (added when new), counted `times` more.
  std::uint32_t count(const std::string& unit, std::size_t times = 1) {
    if (last == UINT32_MAX || units[last] != unit) {
      const auto [it, added] = index.try_emplace(unit, static_cast<std::uint32_t>(units.size()));
      if (added) {
        units.push_back(unit);
        counts.push_back(0);
      }
      last = it->second;
    }
    counts[last] += times;
    return last;
  }
};

/// The key each series of `all` (not empty) is ranked by: its measure in the ranking's unit,
/// which `unit` receives (the unit most of the measured figures have, the first to come of
/// those tied, so that only the figures ranked decide it; `fallback_unit` when none is
/// measured), as a double; nullopt for a series without a measure. `latest` is the period
/// ranked by value. Many series (a store's hundred thousand) are measured half on another
/// thread, by a twin of the source. Only the keys are kept (16 bytes a series) and a unit's
/// number for each (4 bytes): the measures themselves, 64 bytes each, would be memory touched
/// for the first time after the stream, on its own thread (bench/README.md, "Engine notes");
/// RankingPlan::row() measures the rows shown again.
std::vector<std::optional<double>> measure_keys(const std::string& ranking, SeriesSource& all,
                                                const std::optional<Period>& latest,
                                                const std::string& latest_label,
                                                const std::string& fallback_unit,
                                                const RankRequest& request, std::string& unit) {
  const std::size_t size = all.size();
  std::vector<std::optional<double>> keys(size);
  // Each series' unit: 0 when its measure is in the ranking's unit whatever that is, else 1 +
  // its place in the tally of its stretch.
  std::vector<std::uint32_t> unit_of(size, 0);
  auto measure_range = [&](SeriesSource& source, std::size_t begin, std::size_t end,
                           UnitTally& tally) {
    std::string raw_unit;
    for (std::size_t i = begin; i < end; ++i) {
      const std::optional<Number> measure =
          measure_of(ranking, source, i, request, latest, latest_label, raw_unit);
      if (measure) keys[i] = to_double(*measure);
      if (!raw_unit.empty()) unit_of[i] = tally.count(raw_unit) + 1;
    }
  };
  constexpr std::size_t k_parallel = 4096;
  std::unique_ptr<SeriesSource> twin;
  if (size >= k_parallel && std::thread::hardware_concurrency() > 1) twin = all.twin();
  const std::size_t half = twin ? size / 2 : size;
  std::array<UnitTally, 2> tallies;
  if (twin) {
    std::exception_ptr failure;
    std::thread second([&] {
      try {
        measure_range(*twin, half, size, tallies[1]);
      } catch (...) {
        failure = std::current_exception();
      }
    });
    try {
      measure_range(all, 0, half, tallies[0]);
    } catch (...) {
      second.join();
      throw;
    }
    second.join();
    if (failure) std::rethrow_exception(failure);
  } else {
    measure_range(all, 0, size, tallies[0]);
  }
  // The two tallies as one, in the order the units first came (the first stretch's first).
  UnitTally merged;
  std::array<std::vector<std::uint32_t>, 2> to_merged; // place in a tally -> place in merged
  for (std::size_t t = 0; t < tallies.size(); ++t) {
    for (std::size_t k = 0; k < tallies[t].units.size(); ++k) {
      to_merged[t].push_back(merged.count(tallies[t].units[k], tallies[t].counts[k]));
    }
  }
  const auto best = std::max_element(merged.counts.begin(), merged.counts.end());
  if (best == merged.counts.end()) {
    unit = fallback_unit;
    return keys;
  }
  const auto ranked = static_cast<std::uint32_t>(best - merged.counts.begin());
  unit = merged.units[ranked];
  // The measures in another unit, measured again and converted (a ranking of one unit has none).
  std::string raw_unit;
  for (std::size_t i = 0; i < size; ++i) {
    if (unit_of[i] == 0 || to_merged[i < half ? 0 : 1][unit_of[i] - 1] == ranked) continue;
    const std::optional<Number> measure =
        measure_of(ranking, all, i, request, latest, latest_label, raw_unit);
    keys[i] = to_double(in_unit(*measure, raw_unit, unit));
  }
  return keys;
}

/// The ranking of the series of `all` (not empty), its rows appended to `out`, each figure
/// kept by the source. `latest` is the period ranked by value.
void rank_into(const std::string& ranking, SeriesSource& all, const std::optional<Period>& latest,
               const std::string& fallback_unit, RankRequest request, std::vector<RankedRow>& out) {
  request.period = latest;
  const RankingPlan plan(ranking, all, fallback_unit, request);
  plan.each_row(all, 0, plan.size(), [&](RankedRow& row) {
    if (row.observation) row.observation = all.keep(row.observation);
    out.push_back(std::move(row));
  });
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

/// A pooled ranking by value without a period ranks the pool's latest: figures of one kind of
/// period only (the latest quarter is no year's figure), else a usage error naming two of them.
void check_one_kind(const std::vector<const Observation*>& observations) {
  const Observation* first = observations.front();
  auto adjective = [](PeriodKind kind) {
    return kind == PeriodKind::year      ? "yearly"
           : kind == PeriodKind::quarter ? "quarterly"
                                         : "monthly";
  };
  for (const Observation* obs : observations) {
    if (obs->period.kind() != first->period.kind()) {
      throw UsageError(fmt::format("cannot rank '{}' together with '{}' at the latest period: "
                                   "'{}' has {} periods ({}), '{}' {} ones ({}); give --period",
                                   first->indicator, obs->indicator, first->indicator,
                                   adjective(first->period.kind()), first->period.label(),
                                   obs->indicator, adjective(obs->period.kind()),
                                   obs->period.label()));
    }
  }
}

} // namespace

std::string note_text(const RankedRow& row, bool chinese) {
  return gap_text(row.gap, chinese, row.gap_period);
}

std::optional<RankBy> parse_rank_by(std::string_view name) {
  for (std::size_t i = 0; i < k_measures.size(); ++i) {
    if (k_measures[i] == name) return static_cast<RankBy>(i);
  }
  return std::nullopt;
}

std::vector<RankedRow> rank_figures(const std::vector<const Observation*>& observations,
                                    const RankRequest& request,
                                    const std::string* first_pooled_unit) {
  // Rankings in order of first appearance of their indicator.
  std::vector<std::pair<std::string, std::vector<const Observation*>>> groups;
  // Each ranking's place in `groups` by name (the names are the figures', which outlive this):
  // a file sorted by period goes through every indicator once a period.
  std::unordered_map<std::string_view, std::size_t> places;
  for (const Observation* obs : observations) {
    const std::string_view key = request.pool ? std::string_view("pooled") : obs->indicator;
    // Figures mostly come indicator by indicator: the last group first.
    if (!groups.empty() && groups.back().first == key) {
      groups.back().second.push_back(obs);
      continue;
    }
    const auto [place, added] = places.try_emplace(key, groups.size());
    if (added) {
      groups.emplace_back(std::string(key), std::vector<const Observation*>{obs});
    } else {
      groups[place->second].second.push_back(obs);
    }
  }
  std::vector<RankedRow> out;
  for (auto& [ranking, members] : groups) {
    if (request.pool) check_one_dimension(members);
    if (request.pool && request.by == RankBy::value && !request.period) check_one_kind(members);
    std::optional<Period> latest = request.period;
    if (!latest) {
      for (const Observation* obs : members) {
        if (!latest || *latest < obs->period) latest = obs->period;
      }
    }
    SeriesList all(members, request.grouped);
    const std::string& first_unit =
        request.pool && first_pooled_unit != nullptr ? *first_pooled_unit : members.front()->unit;
    rank_into(ranking, all, latest, first_unit, request, out);
  }
  return out;
}

RankingPlan::RankingPlan(const std::string& ranking, SeriesSource& source,
                         const std::string& first_unit, const RankRequest& request)
    : m_ranking(ranking), m_request(request) {
  if (source.size() == 0) return;
  // (Only a ranking by value has a use for the latest period: finding it views every series,
  // unless the source knows it: SeriesSource::latest().)
  m_latest = request.period || request.by != RankBy::value ? request.period : latest_period(source);
  m_latest_label = m_latest ? m_latest->label() : std::string();
  std::vector<std::optional<double>> keys =
      measure_keys(ranking, source, m_latest, m_latest_label, first_unit, request, m_unit);
  // With --top, only the contenders are ranked: the rank of a row depends only on the rows
  // better than or equal to it, all of which stay.
  if (request.top) {
    const std::vector<bool> kept = contenders(keys, *request.top, request.ascending);
    std::vector<std::optional<double>> kept_keys;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (!kept[i]) continue;
      m_ranked.push_back(i);
      kept_keys.push_back(keys[i]);
    }
    keys = std::move(kept_keys);
  }
  // The rows best first, ties in the order they came: also the order of their ranks, whatever
  // the method (ranks grow along it, and tied rows share a rank but with ordinal ranks, which
  // follow it).
  m_order = rank_order(keys, request.ascending);
  m_ranks = ranks_in_order(keys, m_order, request.ties);
  // The rows within the cut come first in that order: the cut goes by competition rank,
  // whatever the method shown, so that every figure tied with one inside the cut stays (with
  // max ranks, [30, 20, 20] under --top 2 keeps all three), and competition ranks grow along it.
  m_shown = m_order.size();
  if (request.top) {
    const std::vector<double> cut = ranks_in_order(keys, m_order, TieMethod::min);
    m_shown = static_cast<std::size_t>(
        std::count_if(cut.begin(), cut.end(), [&](double rank) { return !(rank > *request.top); }));
  }
}

RankedRow RankingPlan::row(SeriesSource& source, std::size_t place) const {
  const std::size_t i = series_at(place);
  // The measure as measure_keys() took it (the quick way first), in the ranking's unit.
  std::string raw_unit;
  std::optional<Number> measure;
  const bool quick = source.quick_measure(i, m_request, m_latest, measure, raw_unit);
  std::string row_unit;
  RankedRow row =
      measure_row(m_ranking, source.at(i), m_request, m_latest, m_latest_label, row_unit, true);
  if (!quick) {
    measure = row.measure;
    raw_unit = row_unit;
  }
  if (measure && !raw_unit.empty()) measure = in_unit(*measure, raw_unit, m_unit);
  if (row.unit.empty()) row.unit = m_unit;
  row.measure = measure;
  row.rank = m_ranks[m_order[place]];
  return row;
}

void RankingPlan::ask_ahead(SeriesSource& source, std::size_t place) const {
  // In three steps, each reading what the one before asked for (SeriesStore::ask_for()).
  if (place + 24 < m_shown) {
    source.ask_for(series_at(place + 24), 0);
    __builtin_prefetch(&m_ranks[m_order[place + 24]]);
  }
  if (place + 16 < m_shown) source.ask_for(series_at(place + 16), 1);
  if (place + 8 < m_shown) source.ask_for(series_at(place + 8), 2);
}

} // namespace jjstat::stats
