#include "jjstat/engine/series.hpp"

#include "jjstat/text.hpp"
#include "jjstat/unit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <new>

namespace jjstat::engine {
namespace {

constexpr std::uint8_t k_has_value = 1;
constexpr std::uint8_t k_wide = 2;
constexpr std::uint8_t k_double = 4; ///< a computed figure's double, its bits in the mantissa
/// The input a computed figure is of (read inputs are numbered below it).
constexpr std::uint8_t k_computed_input = 255;

/// The key of a series in SeriesStore::m_series_slots.
std::uint64_t series_key(std::uint32_t entity, std::uint32_t indicator) {
  return std::uint64_t{entity} << 32 | indicator;
}

/// splitmix64's finish: every bit of `key` moves the low bits of the result.
std::uint64_t mix(std::uint64_t key) {
  key = (key ^ (key >> 30)) * 0xBF58476D1CE4E5B9ULL;
  key = (key ^ (key >> 27)) * 0x94D049BB133111EBULL;
  return key ^ (key >> 31);
}

/// The key of period `code` of series `index` in m_far_periods and m_gaps.
std::uint64_t period_key(std::uint32_t index, std::int32_t code) {
  return (static_cast<std::uint64_t>(index) << 32) | static_cast<std::uint32_t>(code);
}

/// The location of the first byte of core column `column` of a fact's row (where the full
/// loader points), read again from its chunk with the run's reading options.
Location locate_field(const ParsedChunk& parsed, const RawFact& fact, int field,
                      std::size_t line_base, const std::string& source, const Layout& layout) {
  const std::string_view text = parsed.chunk.text();
  csv::Options options = layout.csv;
  options.file_start = false;
  csv::Reader reader(text.substr(fact.line_start), source, options);
  csv::Record record;
  reader.next(record);
  const std::size_t at = fact.line_start + record.offsets[static_cast<std::size_t>(field)];
  // Line breaks inside quoted cells before it put the cell on a later line than its row's.
  const std::size_t breaks =
      jjstat::text::count_byte(text.substr(fact.line_start, at - fact.line_start), '\n');
  const std::size_t line_start = breaks == 0 ? fact.line_start : text.rfind('\n', at - 1) + 1;
  return locate_in_chunk(parsed, line_base + fact.line + breaks, line_start, at, source);
}

/// The location of core column `column` of a fact's row (its first byte).
Location locate_cell(const ParsedChunk& parsed, const RawFact& fact, int column,
                     std::size_t line_base, const std::string& source, const Layout& layout) {
  // A wide table's period and value are the fact's own column: the one headed by its period
  // (each period heads one column).
  int field = layout.columns[static_cast<std::size_t>(column)];
  if (!layout.periods.empty() && (column == schema::c_period || column == schema::c_value)) {
    for (const auto& [at, period] : layout.periods) {
      if (period.code() == fact.period) field = at;
    }
  }
  return locate_field(parsed, fact, field, line_base, source, layout);
}

} // namespace

AskedPeriods Retention::asked() const {
  AskedPeriods codes;
  if (from) codes.from = from->code();
  if (to) codes.to = to->code();
  if (at) codes.at = at->code();
  return codes;
}

Filter::Filter(std::vector<std::string> indicators, std::vector<std::string> entities)
    : m_indicators(std::move(indicators)), m_entities(std::move(entities)) {
  std::sort(m_indicators.begin(), m_indicators.end());
  std::sort(m_entities.begin(), m_entities.end());
}

bool Filter::among(const std::vector<std::string>& all, std::string_view value) {
  if (all.empty()) return true;
  const auto at = std::lower_bound(all.begin(), all.end(), value,
                                   [](const std::string& a, std::string_view b) { return a < b; });
  return at != all.end() && *at == value;
}

// (Named, not anonymous: ChunkTotaller::State holds them, and g++ warns of a class declared in a
// header whose fields' types have internal linkage.)
namespace chunk_totals {

/// The figures of one (indicator, period) of a chunk that share the unit of its first row and
/// the scale of its first value, summed up as integers; the first figure of that unit that
/// does not fit closes it, and it and every later one go to the Aggregate, so that the lane's
/// figures all come before those (what Aggregate::merge assumes of its argument).
struct Lane {
  bool open = false;
  std::string_view unit;
  int scale = -1;
  __extension__ __int128 sum = 0;
  std::int64_t min = 0, max = 0;
  std::size_t rows = 0, count = 0;
  Qualifiers qualifiers;

  /// Takes the fact when it fits; false when the Aggregate must.
  bool take(const RawFact& fact) {
    if (!open || !same_text(fact.unit, unit)) return false;
    if (fact.flags & RawFact::k_wide || ((fact.flags & RawFact::k_has_value) && scale >= 0 && fact.scale != scale)) {
      open = false;
      return false;
    }
    ++rows;
    qualifiers = qualifiers.merged(fact.qualifiers);
    if (!(fact.flags & RawFact::k_has_value)) return true;
    const std::int64_t m = fact.mantissa;
    if (count++ == 0) {
      scale = fact.scale;
      sum = min = max = m;
      return true;
    }
    sum += m;
    if (m < min) min = m;
    if (m > max) max = m;
    return true;
  }

  /// Puts what it took in front of `aggregate`.
  void flush(stats::Aggregate& aggregate) const {
    if (rows == 0) return;
    stats::Aggregate lane;
    const int s = std::max(scale, 0);
    lane.add_summed(unit, rows, count, Decimal(sum, s), Decimal(min, s), Decimal(max, s), qualifiers);
    lane.merge(aggregate);
    aggregate = std::move(lane);
  }
};

/// Hashes names, looked up by std::string_view in a map keyed by std::string (no copy made).
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

/// The lanes of one indicator of a chunk's totals, and the codes of their periods side by side
/// (compared for every figure: a code's neighbour is the next code, not the next Aggregate).
struct Group {
  std::vector<std::int32_t> codes; ///< of the indicator's periods in ChunkTotals
  std::vector<Lane> lanes;         ///< by period; none for periods held before
};

} // namespace chunk_totals

namespace {

using chunk_totals::Group;
using chunk_totals::Lane;
using chunk_totals::TextHash;

/// The slot of `code` in `group` and `periods`, added (with an open lane) when it is new.
/// Apart from add_totals()'s loop, which mostly finds the slot at the first try.
[[gnu::noinline]] std::size_t
slot_of(std::int32_t code, std::string_view unit, Group& group,
        std::vector<std::pair<std::int32_t, stats::Aggregate>>& periods) {
  const auto found = std::find(group.codes.begin(), group.codes.end(), code);
  if (found != group.codes.end()) return static_cast<std::size_t>(found - group.codes.begin());
  periods.emplace_back(code, stats::Aggregate());
  group.codes.push_back(code);
  Lane& lane = group.lanes.emplace_back();
  // A lane only in front of an aggregate that holds nothing yet.
  lane.open = true;
  lane.unit = unit;
  return group.codes.size() - 1;
}

/// Adds a figure its lane does not take to the Aggregate.
[[gnu::noinline]] void add_to(stats::Aggregate& aggregate, const ParsedChunk& parsed,
                              const RawFact& fact) {
  std::optional<Number> value;
  if (auto decimal = value_of(parsed, fact)) value = *decimal;
  aggregate.add(value, fact.unit, fact.qualifiers);
}

/// True when the rows from `begin` to `end` of `parsed` give the same category and names, and
/// none a reported rank or its scope.
bool same_meta_throughout(const ParsedChunk& parsed, std::size_t begin, std::size_t end) {
  const FactMeta& first = parsed.meta[begin];
  if (first.reported_rank != 0 || !first.rank_scope.empty()) return false;
  for (std::size_t i = begin + 1; i < end; ++i) {
    const FactMeta& meta = parsed.meta[i];
    if (meta.reported_rank != 0 || !meta.rank_scope.empty() ||
        !same_text(meta.category, first.category) || !same_text(meta.name_zh, first.name_zh) ||
        !same_text(meta.name_en, first.name_en))
      return false;
  }
  return true;
}

} // namespace

/// What a ChunkTotaller holds while it adds: the lanes of each indicator of the totals, the
/// indicators by name, and where it is.
struct ChunkTotaller::State {
  std::vector<Group> groups;
  // Indicators looked for one by one, at most; past that, by_name indexes them (all but those
  // added since the last search).
  static constexpr std::size_t k_scanned = 16;
  std::unordered_map<std::string, std::size_t, TextHash, std::equal_to<>> by_name;
  std::size_t group = SIZE_MAX;    ///< of the last run added
  std::size_t next_skipped = 0;    ///< the first of the skipped facts not passed yet
  std::size_t retiring = SIZE_MAX; ///< the run retire() took a fact of last
  bool retiring_selected = false;  ///< that run is selected
  std::size_t retiring_group = 0;  ///< its indicator's place in the totals

  /// The place of indicator `id` in `totals`, added when new: the last run's, or else the one
  /// after it (files sorted by entity go through their indicators in turn), or else any (among
  /// a few, one by one; among more, by name: a piece may hold thousands of indicators).
  std::size_t group_of(std::string_view id, ChunkTotals& totals) {
    const std::size_t known = totals.indicators.size();
    if (group != SIZE_MAX && same_text(totals.indicators[group].id, id)) return group;
    const std::size_t after = group == SIZE_MAX || group + 1 == known ? 0 : group + 1;
    std::size_t found = known;
    if (after < known && same_text(totals.indicators[after].id, id)) {
      found = after;
    } else if (known <= k_scanned) {
      found = static_cast<std::size_t>(
          std::find_if(totals.indicators.begin(), totals.indicators.end(),
                       [&](const ChunkTotals::Indicator& i) { return same_text(i.id, id); }) -
          totals.indicators.begin());
    } else {
      for (std::size_t k = by_name.size(); k < known; ++k)
        by_name.emplace(totals.indicators[k].id, k);
      const auto at = by_name.find(id);
      found = at == by_name.end() ? known : at->second;
    }
    if (found == known) {
      totals.indicators.push_back({std::string(id), {}});
      groups.emplace_back();
    }
    return found;
  }

  /// Adds `fact` to the lane of its period in indicator `g`, `guess` the lane tried first
  /// (moved to the one after).
  void add(const ParsedChunk& parsed, const RawFact& fact, std::size_t g, std::size_t& guess,
           ChunkTotals& totals) {
    auto& periods = totals.indicators[g].periods;
    Group& lanes = groups[g];
    const std::size_t slot = guess < lanes.codes.size() && lanes.codes[guess] == fact.period
                                 ? guess
                                 : slot_of(fact.period, fact.unit, lanes, periods);
    guess = slot + 1;
    if (!lanes.lanes[slot].take(fact)) add_to(periods[slot].second, parsed, fact);
  }
};

ChunkTotaller::ChunkTotaller(const Filter& filter, ChunkTotals& totals,
                             const std::vector<std::uint32_t>& skipped)
    : m_filter(filter), m_totals(totals), m_skipped(skipped), m_state(std::make_unique<State>()) {
  m_state->groups.resize(totals.indicators.size());
  for (std::size_t g = 0; g < m_state->groups.size(); ++g) {
    Group& group = m_state->groups[g];
    for (const auto& held : totals.indicators[g].periods) group.codes.push_back(held.first);
    group.lanes.resize(group.codes.size());
  }
}

ChunkTotaller::~ChunkTotaller() = default;

void ChunkTotaller::retire(const ParsedChunk& parsed, std::size_t run, const RawFact& fact) {
  // The runs before this one are over: their facts first, in the order of the rows.
  if (m_added_runs < run) add_runs(parsed, run);
  State& state = *m_state;
  if (state.retiring != run) {
    const RunSummary& summary = parsed.summaries[run];
    state.retiring = run;
    state.retiring_selected = m_filter.selects(summary.indicator, summary.entity);
    if (state.retiring_selected) state.retiring_group = state.group_of(summary.indicator, m_totals);
  }
  ++m_retired;
  if (!state.retiring_selected) return;
  // (A compacted run's periods are all different: a lane is found by its period.)
  std::size_t guess = 0;
  state.add(parsed, fact, state.retiring_group, guess, m_totals);
}

void ChunkTotaller::restart() {
  m_totals.clear();
  m_state = std::make_unique<State>();
  m_added_runs = 0;
  m_retired = 0;
}

void ChunkTotaller::add_runs(const ParsedChunk& parsed, std::size_t end) {
  State& state = *m_state;
  for (std::size_t r = m_added_runs; r < end; ++r) {
    const std::size_t begin = parsed.runs[r];
    const std::size_t stop = r + 1 < parsed.runs.size() ? parsed.runs[r + 1] : parsed.facts.size();
    const RunSummary& run = parsed.summaries[r];
    if (!m_filter.selects(run.indicator, run.entity)) {
      while (state.next_skipped < m_skipped.size() && m_skipped[state.next_skipped] < stop)
        ++state.next_skipped;
      continue;
    }
    state.group = state.group_of(run.indicator, m_totals);
    // Runs mostly go through the periods in the order they were first seen: the one after the
    // last found is tried first.
    std::size_t guess = 0;
    for (std::size_t i = begin; i < stop; ++i) {
      if (state.next_skipped < m_skipped.size() && m_skipped[state.next_skipped] == i) {
        ++state.next_skipped;
        continue;
      }
      state.add(parsed, parsed.facts[i], state.group, guess, m_totals);
    }
  }
  m_added_runs = std::max(m_added_runs, end);
}

void ChunkTotaller::finish(const ParsedChunk& parsed) {
  add_runs(parsed, parsed.runs.size());
  State& state = *m_state;
  for (std::size_t g = 0; g < m_totals.indicators.size(); ++g) {
    for (std::size_t p = 0; p < state.groups[g].lanes.size(); ++p) {
      state.groups[g].lanes[p].flush(m_totals.indicators[g].periods[p].second);
    }
  }
}

void add_totals(const ParsedChunk& parsed, const Filter& filter, ChunkTotals& totals,
                const std::vector<std::uint32_t>& skipped) {
  ChunkTotaller totaller(filter, totals, skipped);
  totaller.finish(parsed);
}

SeriesStore::SeriesStore(Retention retention, Filter filter)
    : m_retention(std::move(retention)), m_asked(m_retention.asked()), m_filter(std::move(filter)) {}

void SeriesStore::add(const ParsedChunk& parsed, const Layout& layout, std::size_t first_line,
                      std::uint8_t input, const std::string& source) {
  // The Kept streamed into place (add_untracked()) fenced before the store is left, however
  // it is left: the pipeline may hand it to another thread next.
  struct Fence {
    SeriesStore& store;
    ~Fence() {
      store.flush_pending_kept();
      if (std::exchange(store.m_streamed, false)) stream_fence();
    }
  } fence{*this};
  m_layout = layout;
  if (m_sources.size() <= input) m_sources.resize(input + std::size_t{1});
  m_sources[input] = source;
  std::size_t line_base = first_line - 1;
  m_skipped.clear();
  const bool with_meta = !parsed.meta.empty();
  // Untracked series only in a piece whose series come in runs of two rows or more: a file in
  // no order, or sorted by period, whose series all come back, would have to be read again.
  const bool lean = m_lean && parsed.lines >= 2 * parsed.runs.size();
  m_ahead.fill(Ahead{}); // (what it found of the chunk before is of other runs)
  std::size_t far_runs = 0;
  for (std::size_t r = 0; r < parsed.runs.size(); ++r) {
    std::size_t begin = parsed.runs[r];
    std::size_t end = r + 1 < parsed.runs.size() ? parsed.runs[r + 1] : parsed.facts.size();
    const RawFact& head = parsed.facts[begin];
    const RunSummary& run = parsed.summaries[r];
    // What the parser wrote a while ago is out of cache by now: ask for a later run's summary,
    // the text of its row (its names) and its first and last facts ahead of their turn.
    // (Far enough ahead for look_ahead()'s first step, both ends: a summary spans two lines.)
    if (r + 24 < parsed.runs.size()) {
      __builtin_prefetch(&parsed.summaries[r + 24]);
      __builtin_prefetch(reinterpret_cast<const char*>(&parsed.summaries[r + 24] + 1) - 1);
    }
    if (r + 9 < parsed.runs.size()) {
      __builtin_prefetch(parsed.summaries[r + 8].entity.data());
      __builtin_prefetch(&parsed.facts[parsed.runs[r + 8]]);
      __builtin_prefetch(&parsed.facts[parsed.runs[r + 9] - 1]);
      __builtin_prefetch(&parsed.facts[parsed.summaries[r + 8].picks[0]]);
      // (The unit text of a run whose head was asked for four turns ago: check_indicator()
      // compares it.)
      __builtin_prefetch(parsed.facts[parsed.runs[r + 4]].unit.data());
      // (Its entity's slot in entity_of()'s table, when the parser worked out its hash.)
      if (const std::uint64_t hash = parsed.summaries[r + 8].entity_hash;
          hash != 0 && !m_entity_slots.empty())
        __builtin_prefetch(&m_entity_slots[hash & (m_entity_slots.size() - 1)]);
    }
    // (Rows of a series apart: once a series had to be looked for, m_series_slots has them.)
    if (m_look_ahead && !m_series_slots.empty()) look_ahead(parsed, r);
    std::uint32_t indicator = UINT32_MAX, series = UINT32_MAX;
    if (const Ahead& ahead = m_ahead[r & 31]; m_look_ahead && ahead.series != UINT32_MAX) {
      // The run's series as the look-ahead found it, by its entity's name and its indicator's
      // id compared in full: what the look-ups below would find again.
      indicator = m_last_indicator = ahead.indicator;
      series = ahead.series;
      m_last_entity = UINT32_MAX; // (entity_of()'s guess: the entity before, not this run's)
    } else {
      indicator = indicator_of(run.indicator, head, line_base + head.line, source);
      const std::uint32_t entity = entity_of(run.entity, run.entity_hash);
      // (Not the rows of a wide table, which remember_row() below takes series by series.)
      if (lean && !with_meta && layout.periods.empty() &&
          add_untracked(parsed, run, begin, entity, indicator, line_base, input, source))
        continue;
      series = series_of(entity, indicator, head.unit);
    }
    // (Far: more than 16 series from the run before's, either way; unsigned arithmetic.)
    far_runs += series - m_last_series + 16 > 32;
    m_last_series = series;
    // Rows with metadata go one by one (their names are checked before their unit, as the
    // loader checks them), unless they all give the same names and no rank: then the first
    // row's names are checked, and the run may go at once.
    const bool one_by_one = with_meta && !same_meta_throughout(parsed, begin, end);
    if (with_meta && !one_by_one)
      agree_names(parsed, begin, m_indicators[indicator], line_base, source);
    if (one_by_one || !add_run(parsed, run, begin, end, series, line_base, input, source)) {
      if (compacted(parsed, r)) throw FactsLeftOut{};
      for (std::size_t i = begin; i < end; ++i) {
        const RawFact& fact = parsed.facts[i];
        if (with_meta) agree_names(parsed, i, m_indicators[indicator], line_base, source);
        const std::uint16_t unit =
            check_indicator(parsed, fact, m_indicators[indicator], line_base, source);
        if (!add_fact(parsed, fact, unit, series, line_base, input, source)) {
          m_skipped.push_back(static_cast<std::uint32_t>(i));
        } else if (with_meta && m_retention.reported_ranks && m_series[series].selected) {
          remember_rank(parsed, i, input, line_base + fact.line);
        }
      }
    }
    if (!layout.periods.empty()) {
      // A wide table's row, remembered when the next one may repeat it: the next run is of the
      // same series, or in the next chunk.
      const bool again = r + 1 == parsed.runs.size() ||
                         (same_text(parsed.summaries[r + 1].entity, run.entity) &&
                          same_text(parsed.summaries[r + 1].indicator, run.indicator));
      if (again) {
        remember_row(parsed, begin, end, series, line_base, input);
      } else {
        m_row_series = UINT32_MAX;
      }
    }
  }
  // Looking ahead pays when most runs' series lie far from the run before's; near, the
  // processor's own prefetch finds them (a file sorted by period goes through the series in
  // order, period after period), and the look-ahead would only cost time.
  m_look_ahead = 4 * far_runs > parsed.runs.size();
  if (parsed.error) {
    Location where = parsed.error->where();
    where.line += first_line - 1;
    throw DataError(where, parsed.error->what());
  }
}

void SeriesStore::look_ahead(const ParsedChunk& parsed, std::size_t r) {
  const std::size_t runs = parsed.runs.size();
  // Each stage reads what the stage before asked for some runs earlier, and the tables as they
  // are now (they may have grown since: only numbers of entities and series, which stay, are
  // carried from stage to stage).
  constexpr std::size_t k_slot = 20, k_entity = 14, k_series_slot = 9, k_series = 5, k_kept = 2;
  constexpr int k_entity_probes = 8;
  static_assert(k_slot < std::tuple_size_v<decltype(m_ahead)>);
  if (r + k_slot < runs) {
    // The entity's slot: the parser's hash, or (its entity not the run before's) made here.
    const RunSummary& run = parsed.summaries[r + k_slot];
    Ahead& ahead = m_ahead[(r + k_slot) & 31];
    ahead = Ahead{};
    ahead.hash = run.entity_hash;
    if (ahead.hash == 0 && !same_text(run.entity, parsed.summaries[r + k_slot - 1].entity))
      ahead.hash = entity_hash(run.entity);
    if (ahead.hash != 0 && !m_entity_slots.empty())
      __builtin_prefetch(&m_entity_slots[ahead.hash & (m_entity_slots.size() - 1)]);
  }
  if (r + k_entity < runs) {
    // The entity of the hash: its slot's, or a later one's along the probe (a fifth of the
    // entities lie past their first slot, and each of those runs would wait for its entity,
    // series and kept ends in turn), known by the half of its hash the slot holds; then its
    // name asked for.
    Ahead& ahead = m_ahead[(r + k_entity) & 31];
    if (ahead.hash != 0 && !m_entity_slots.empty()) {
      const std::size_t mask = m_entity_slots.size() - 1;
      std::size_t at = ahead.hash & mask;
      for (int probe = 0; probe < k_entity_probes && m_entity_slots[at] != 0;
           ++probe, at = (at + 1) & mask) {
        if (const std::uint64_t slot = m_entity_slots[at]; same_hash_half(slot, ahead.hash)) {
          ahead.entity = static_cast<std::uint32_t>(slot) - 1;
          __builtin_prefetch(&m_entities[ahead.entity]);
          break;
        }
      }
    }
  }
  if (r + k_series_slot < runs) {
    // The entity checked, the indicator found among the first 32; then the series' slot.
    const RunSummary& run = parsed.summaries[r + k_series_slot];
    Ahead& ahead = m_ahead[(r + k_series_slot) & 31];
    if (ahead.entity != UINT32_MAX && !same_text(m_entities[ahead.entity], run.entity))
      ahead.entity = UINT32_MAX;
    ahead.indicator = UINT32_MAX;
    if (ahead.entity != UINT32_MAX) {
      if (m_ahead_indicator >= m_indicators.size() ||
          !same_text(m_indicators[m_ahead_indicator].id, run.indicator))
        m_ahead_indicator = among_first_indicators(run.indicator);
      ahead.indicator = m_ahead_indicator;
      if (ahead.indicator != UINT32_MAX) {
        if (ahead.entity < m_entity_indicators.size())
          __builtin_prefetch(&m_entity_indicators[ahead.entity]);
        __builtin_prefetch(&m_series_slots[series_slot(ahead.entity, ahead.indicator)]);
      }
    }
  }
  if (r + k_series < runs) {
    // The series, found in its slot.
    Ahead& ahead = m_ahead[(r + k_series) & 31];
    ahead.series = UINT32_MAX;
    if (ahead.indicator != UINT32_MAX) {
      ahead.series = indexed_series(ahead.entity, ahead.indicator);
      if (ahead.series != UINT32_MAX) __builtin_prefetch(&m_series[ahead.series]);
    }
  }
  if (r + k_kept < runs) {
    // What is kept of it (two cache lines).
    const Ahead& ahead = m_ahead[(r + k_kept) & 31];
    if (ahead.series != UINT32_MAX && m_retention.keep != Retention::Keep::all) {
      const Series& series = m_series[ahead.series];
      if (series.selected && series.indicator < m_kept.size() &&
          series.slot < m_kept[series.indicator].size()) {
        const Kept& kept = m_kept[series.indicator][series.slot];
        __builtin_prefetch(&kept);
        __builtin_prefetch(reinterpret_cast<const char*>(&kept) + sizeof(Kept) - 1);
      }
    }
  }
}

std::uint16_t SeriesStore::unit_of(std::string_view unit) {
  // The first few compared one by one (most files have a handful), the others found by name.
  const std::size_t scanned = std::min(m_units.size(), k_units_scanned);
  for (std::size_t i = 0; i < scanned; ++i) {
    if (same_text(m_units[i], unit)) return static_cast<std::uint16_t>(i);
  }
  if (m_units.size() > scanned) {
    const auto found = m_unit_index.find(std::string(unit));
    if (found != m_unit_index.end()) return found->second;
  }
  if (m_units.size() > UINT16_MAX) throw TooManyUnits{};
  const auto id = static_cast<std::uint16_t>(m_units.size());
  m_units.emplace_back(unit);
  if (id >= k_units_scanned) m_unit_index.emplace(m_units.back(), id);
  return id;
}

std::uint32_t SeriesStore::entity_of(std::string_view entity, std::uint64_t known_hash) {
  if (m_last_entity != UINT32_MAX && same_text(m_last_entity_id, entity)) return m_last_entity;
  // An open-addressing table, probed linearly from the hash's low bits, of each entity's number
  // + 1 (0: empty) beside the high half of its hash (entity_slot()), so that a probe checks
  // the hash without a load of its own; grown at half full, each entity's hash kept so that
  // growing does not hash again.
  const std::uint64_t hash = known_hash != 0 ? known_hash : entity_hash(entity);
  if (2 * (m_entities.size() + 1) > m_entity_slots.size()) {
    std::vector<std::uint64_t, BigPages<std::uint64_t>> slots(
        std::max<std::size_t>(1024, 2 * m_entity_slots.size()), 0);
    const std::size_t mask = slots.size() - 1;
    for (std::uint32_t i = 0; i < m_entities.size(); ++i) {
      std::size_t at = m_entity_hashes[i] & mask;
      while (slots[at] != 0) at = (at + 1) & mask;
      slots[at] = entity_slot(m_entity_hashes[i], i);
    }
    m_entity_slots.swap(slots);
  }
  const std::size_t mask = m_entity_slots.size() - 1;
  std::size_t at = hash & mask;
  for (; m_entity_slots[at] != 0; at = (at + 1) & mask) {
    const std::uint64_t slot = m_entity_slots[at];
    if (!same_hash_half(slot, hash)) continue;
    const auto i = static_cast<std::uint32_t>(slot) - 1;
    if (same_text(m_entities[i], entity)) {
      m_last_entity_id = m_entities[i];
      return m_last_entity = i;
    }
  }
  m_entities.emplace_back(entity);
  m_entity_hashes.emplace_back() = hash;
  m_entity_untracked.emplace_back();
  m_entity_untracked_figures.emplace_back();
  m_entity_slots[at] = entity_slot(hash, static_cast<std::uint32_t>(m_entities.size() - 1));
  m_last_entity_id = m_entities.back();
  return m_last_entity = static_cast<std::uint32_t>(m_entities.size() - 1);
}

bool SeriesStore::add_untracked(const ParsedChunk& parsed, const RunSummary& run, std::size_t begin,
                                std::uint32_t entity, std::uint32_t indicator,
                                std::size_t line_base, std::uint8_t input,
                                const std::string& source) {
  if (!run.simple || indicator >= 64 || !m_repeats_expected.empty()) return false;
  // (The Kept made by the call before is written now: this one may read it, or make another.)
  flush_pending_kept();
  Indicator& info = m_indicators[indicator];
  // A selected series keeps its ends or its latest figure in a Kept of its own, without a
  // record; what else would keep something (every figure) needs the record.
  const bool keeps = !m_untrack_selected && selects(entity, indicator);
  if (keeps && !keeps_only_ends()) return false;
  const RawFact& head = parsed.facts[begin];
  const std::uint64_t bit = std::uint64_t{1} << indicator;
  LastUntracked& last = m_last_untracked;
  const bool going_on = last.entity == entity && last.indicator == indicator;
  if (!going_on) {
    // Untracked before, and another untracked series since (m_last_untracked moved on): it
    // goes as any run once it has a record, which only a series that kept its periods can get.
    if (m_entity_untracked[entity] & bit) {
      if (!promote(entity, indicator)) throw FactsLeftOut{};
      return false;
    }
    // Recorded: it goes as any run.
    if (entity < m_entity_indicators.size() && (m_entity_indicators[entity] & bit)) return false;
  }
  // The checks add_run() makes of a run, on its head: one kind of quantity, one kind of period.
  const std::uint16_t unit = check_indicator(parsed, head, info, line_base, source);
  if (going_on) {
    // The run before (the end of the piece before) of the same series: its periods and this
    // run's, none twice, within the window add_run() would take them in.
    const std::int32_t shift = steps_in(run.first_month - last.base, info.kind);
    if (shift < 0 || shift >= 64 || (shift > 0 && (run.periods >> (64 - shift)) != 0) ||
        (last.seen & (run.periods << shift)) != 0)
      throw FactsLeftOut{};
    last.seen |= run.periods << shift;
    if (last.kept != UINT32_MAX) {
      Kept& held = m_kept[indicator][last.kept];
      keep_picks(held, parsed, run, unit, line_base, input);
      held.seen = last.seen;
    }
  } else {
    m_entity_untracked[entity] |= bit;
    ++m_untracked;
    ++info.all_series;
    last.entity = entity;
    last.indicator = indicator;
    last.base = run.first_month;
    last.seen = run.periods;
    last.kept = UINT32_MAX;
    if (keeps) {
      // Its place among the indicator's selected series, as series_of() gives it one; its Kept
      // made whole aside, streamed into place later (m_pending_kept).
      Kept& held = m_pending_kept;
      held = Kept();
      held.entity = entity;
      keep_picks(held, parsed, run, unit, line_base, input);
      held.base = last.base;
      held.seen = last.seen;
      last.kept = append_kept(indicator, held);
      if (info.series.empty()) info.first_selected_unit = head.unit;
      info.series.emplace_back() = k_kept_only;
    }
  }
  const auto figures = static_cast<std::uint32_t>(std::popcount(run.periods));
  info.untracked_figures += figures;
  m_entity_untracked_figures[entity] += figures;
  // (The row before is of no recorded series.)
  m_prev_series = UINT32_MAX;
  return true;
}

std::uint32_t SeriesStore::series_of(std::uint32_t entity, std::uint32_t indicator,
                                     std::string_view unit) {
  // A series left untracked (add_untracked()) whose rows must now go one by one: given a
  // record when it kept its periods; otherwise they are gone.
  if (indicator < 64 && entity < m_entity_untracked.size() &&
      (m_entity_untracked[entity] & (std::uint64_t{1} << indicator)) && !promote(entity, indicator))
    throw FactsLeftOut{};
  // Each entity's series form a list; an entity has few indicators, and with sorted input its
  // series lie side by side.
  hold_entity_lists(entity);
  // Which of the first 64 indicators the entity has a series of: a new series (every run of a
  // sorted file) is known new without walking the list.
  std::uint64_t bit = indicator < 64 ? std::uint64_t{1} << indicator : 0;
  if (!bit || (m_entity_indicators[entity] & bit)) {
    // The entity may have it. The last series made (a run going on in the next piece), or
    // looked up by (entity, indicator), not along the entity's list, whose series lie anywhere
    // in memory when the file is not sorted by entity.
    if (const std::size_t last = m_series.size() - 1; m_series.size() != 0 &&
                                                      m_series[last].entity == entity &&
                                                      m_series[last].indicator == indicator)
      return static_cast<std::uint32_t>(last);
    // The series made after the last run's: rows that come back to their series in the order
    // the series were made (a file sorted by period, period after period) find theirs here,
    // next in memory to the one before. (Not when the chunk before had its runs' series far
    // apart, and m_series_slots is there: rows in no order would miss it, each miss a wait.)
    if (const std::size_t after = std::size_t{m_last_series} + 1;
        (!m_look_ahead || m_series_slots.empty()) && after < m_series.size() &&
        m_series[after].entity == entity && m_series[after].indicator == indicator) {
      ++m_followed;
      return static_cast<std::uint32_t>(after);
    }
    if (m_series_slots.empty()) {
      // Until rows miss that guess often (rows in no order), the entity's own list, when short,
      // is walked instead of building m_series_slots: a file sorted by period misses it once a
      // period, and its series of one entity lie side by side.
      const std::uint32_t walked = walk_entity(entity, indicator);
      if (walked < m_series.size()) return walked;
      if (walked == k_not_walked) index_series(UINT32_MAX);
    }
    if (!m_series_slots.empty()) {
      if (const std::uint32_t known = indexed_series(entity, indicator); known != UINT32_MAX)
        return known;
    }
  }
  const std::uint32_t index = make_record(entity, indicator);
  Series& series = m_series[index];
  ++m_indicators[indicator].all_series;
  if (!m_repeats_expected.empty()) {
    const auto at = std::lower_bound(m_repeats_expected.begin(), m_repeats_expected.end(),
                                     std::uint64_t{index} << 32);
    series.repeats = at != m_repeats_expected.end() && (*at >> 32) == index;
  }
  series.selected = selects(entity, indicator);
  if (series.selected && m_retention.keep == Retention::Keep::all) {
    series.slot = static_cast<std::uint32_t>(m_all.size());
    m_all.emplace_back();
  } else if (series.selected && m_retention.keep != Retention::Keep::nothing) {
    Kept held;
    held.entity = entity;
    series.slot = append_kept(indicator, held);
  }
  if (series.selected) {
    Indicator& info = m_indicators[indicator];
    // (The first row of the first selected series is the first selected row.)
    if (info.series.empty()) info.first_selected_unit = unit;
    info.series.emplace_back() = index;
  }
  return index;
}

bool SeriesStore::promote(std::uint32_t entity, std::uint32_t indicator) {
  // Only a selected series that keeps its ends or latest figure kept its periods
  // (add_untracked()).
  if (!keeps_only_ends() || !selects(entity, indicator)) return false;
  flush_pending_kept(); // (the bisection may read it)
  Indicator& info = m_indicators[indicator];
  // Its Kept, among its indicator's in order of entity: right after the last one found (the
  // rows of a file sorted by entity bring them back in that order), else by bisection.
  if (indicator >= m_kept_order.size() || !m_kept_order[indicator].by_entity) return false;
  const BlockVector<Kept>& kept = m_kept[indicator];
  KeptOrder& order = m_kept_order[indicator];
  std::size_t slot = order.last_found + 1;
  if (slot >= kept.size() || kept[slot].entity != entity) {
    std::size_t low = 0, high = kept.size();
    while (low < high) {
      const std::size_t middle = low + (high - low) / 2;
      if (kept[middle].entity < entity) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    slot = low;
  }
  if (slot >= kept.size() || kept[slot].entity != entity || info.series[slot] != k_kept_only)
    return false;
  order.last_found = slot;
  const Kept& held = kept[slot];
  // The record series_of() makes, with the periods and the place the Kept has; last in its
  // entity's list (whose order nothing needs).
  hold_entity_lists(entity);
  m_entity_untracked[entity] &= ~(std::uint64_t{1} << indicator);
  const std::uint32_t index = make_record(entity, indicator);
  Series& series = m_series[index];
  series.first = series.base = held.base;
  series.seen = held.seen;
  series.slot = static_cast<std::uint32_t>(slot);
  series.selected = true;
  info.series[slot] = index;
  // Its figures are counted by its record from now on.
  const auto figures = static_cast<std::uint32_t>(std::popcount(held.seen));
  info.untracked_figures -= figures;
  m_entity_untracked_figures[entity] -= figures;
  if (m_last_untracked.entity == entity && m_last_untracked.indicator == indicator)
    m_last_untracked = LastUntracked{};
  return true;
}

std::uint32_t SeriesStore::append_kept(std::uint32_t indicator, const Kept& held) {
  if (m_kept.size() <= indicator) m_kept.resize(indicator + std::size_t{1});
  if (m_kept_order.size() <= indicator) m_kept_order.resize(indicator + std::size_t{1});
  BlockVector<Kept>& kept = m_kept[indicator];
  KeptOrder& order = m_kept_order[indicator];
  // (Two series of one entity and indicator are one: in order means each entity after.)
  if (!kept.empty() && order.last_entity >= held.entity) order.by_entity = false;
  order.last_entity = held.entity;
  if (&held == &m_pending_kept) {
    m_pending_at = kept.push_back_unwritten();
  } else {
    kept.emplace_back() = held;
  }
  return static_cast<std::uint32_t>(kept.size() - 1);
}

void SeriesStore::hold_entity_lists(std::uint32_t entity) {
  if (entity < m_entity_first.size()) return;
  m_entity_first.resize(entity + std::size_t{1}, UINT32_MAX);
  m_entity_last.resize(entity + std::size_t{1}, UINT32_MAX);
  m_entity_indicators.resize(entity + std::size_t{1}, 0);
}

std::uint32_t SeriesStore::make_record(std::uint32_t entity, std::uint32_t indicator) {
  const auto index = static_cast<std::uint32_t>(m_series.size());
  std::uint32_t* link = &m_entity_first[entity];
  if (*link != UINT32_MAX) link = &m_series_next[m_entity_last[entity]];
  *link = index;
  m_entity_last[entity] = index;
  if (indicator < 64) m_entity_indicators[entity] |= std::uint64_t{1} << indicator;
  m_series_next.emplace_back() = UINT32_MAX;
  Series& series = m_series.emplace_back();
  series.entity = entity;
  series.indicator = indicator;
  if (!m_series_slots.empty()) index_series(index);
  return index;
}

std::uint32_t SeriesStore::periods_of(const Series& series, std::uint32_t index) const {
  auto count = static_cast<std::int64_t>(std::popcount(series.seen));
  if (series.first != series.base || series.far) {
    const PeriodKind kind = m_indicators[indicator_now(series)].kind;
    count += (series.base - series.first) / months_per_step(kind);
    if (const auto it = m_period_adjust.find(index); it != m_period_adjust.end())
      count += it->second;
  }
  return static_cast<std::uint32_t>(count);
}

std::uint32_t SeriesStore::walk_entity(std::uint32_t entity, std::uint32_t indicator) {
  // Rows that missed the guess of series_of() more often than it held (past their first 64
  // misses) are in no order: then each walk would wait for memory at every step. (A file
  // sorted by period misses it after each gap, and twice around each series that began after
  // the first period: it was made after the others.)
  if (m_walked >= k_walks_free + m_followed) return k_not_walked;
  ++m_walked;
  std::size_t steps = 0;
  for (std::uint32_t at = m_entity_first[entity]; at != UINT32_MAX; at = m_series_next[at]) {
    if (++steps > k_walk_steps) return k_not_walked;
    if (m_series[at].indicator == indicator) return at;
  }
  return UINT32_MAX;
}

std::size_t SeriesStore::series_slot(std::uint32_t entity, std::uint32_t indicator) const {
  const std::size_t mask = m_series_slots.size() - 1;
  if (m_series_stride != 0) return (std::size_t{entity} * m_series_stride + indicator) & mask;
  return static_cast<std::size_t>(mix(series_key(entity, indicator))) & mask;
}

void SeriesStore::index_series(std::uint32_t index) {
  auto enter = [this](std::uint32_t i) {
    const Series& series = m_series[i];
    const std::size_t mask = m_series_slots.size() - 1;
    std::size_t at = series_slot(series.entity, series.indicator);
    while (m_series_slots[at].index != 0) at = (at + 1) & mask;
    m_series_slots[at] = {series_key(series.entity, series.indicator), i + 1};
  };
  const std::size_t count = m_series.size();
  // Built anew when three quarters full, and (entity × indicator) when the series is past the
  // table or its indicator past the stride: the slots then stay one per series, none shared
  // (entries that wrap around would pile up behind each other, and each probe walk them all).
  const bool past =
      m_series_stride != 0 && index != UINT32_MAX &&
      (m_series[index].indicator >= m_series_stride ||
       (std::size_t{m_series[index].entity} + 1) * m_series_stride > m_series_slots.size());
  if (m_series_slots.empty() || 4 * count > 3 * m_series_slots.size() || past) {
    std::size_t size = 1024;
    while (4 * (count + 1) > 3 * size) size *= 2;
    // Entity × indicator when that table is at least a quarter full (with room for twice the
    // entities known: a file sorted by entity adds them as it goes).
    const std::size_t entities = 2 * m_entity_first.size();
    const std::size_t stride = std::bit_ceil(std::max<std::size_t>(1, m_indicators.size()));
    m_series_stride = entities * stride <= 4 * std::max<std::size_t>(count, 1) ? stride : 0;
    if (m_series_stride != 0) size = std::max(size, std::bit_ceil(entities * stride));
    m_series_slots.assign(size, SeriesSlot{});
    for (std::uint32_t i = 0; i < count; ++i) enter(i);
    return; // (`index`, when it is a series, is among them)
  }
  enter(index);
}

std::uint32_t SeriesStore::indexed_series(std::uint32_t entity, std::uint32_t indicator) const {
  const std::uint64_t key = series_key(entity, indicator);
  const std::size_t mask = m_series_slots.size() - 1;
  for (std::size_t at = series_slot(entity, indicator); m_series_slots[at].index != 0;
       at = (at + 1) & mask) {
    if (m_series_slots[at].key == key) return m_series_slots[at].index - 1;
  }
  return UINT32_MAX;
}

void SeriesStore::hold_wide(const ParsedChunk& parsed, const RawFact& fact, Point& point,
                            std::vector<Decimal>& wide) {
  point.flags |= k_wide;
  point.mantissa = static_cast<std::int64_t>(wide.size());
  wide.push_back(parsed.wide[static_cast<std::size_t>(fact.mantissa)]);
}

Number SeriesStore::value_of(const Point& point) const {
  if (point.flags & k_wide) return m_wide[static_cast<std::size_t>(point.mantissa)];
  if (point.flags & k_double) return std::bit_cast<double>(point.mantissa);
  return Decimal(point.mantissa, point.scale);
}

std::string SeriesStore::describe_point(const Point& point) const {
  std::string text = point.flags & k_has_value
                         ? fmt::format("{} {}", to_string(value_of(point)), m_units[point.unit])
                         : fmt::format("missing ({})", m_units[point.unit]);
  if (!point.qualifiers.empty()) text += fmt::format(" [{}]", point.qualifiers.ids());
  return text;
}

bool SeriesStore::mark_seen(std::uint32_t index, Series& series, std::int32_t code, PeriodKind kind) {
  const std::int32_t month = code >> 2;
  if (series.seen == 0) {
    series.first = series.base = month;
    series.seen = 1;
    return false;
  }
  const std::uint64_t key = period_key(index, code);
  if (series.far && m_far_periods.contains(key)) return true;
  // (The period is of the series' kind: check_indicator() saw to that.)
  const std::int32_t steps = steps_in(month - series.base, kind);
  if (steps >= 0 && steps < 64) {
    const std::uint64_t bit = std::uint64_t{1} << steps;
    if (series.seen & bit) return true;
    series.seen |= bit;
  } else if (steps < 0 && month >= series.first) {
    // Between the first period and the window: seen, unless it is one of the gaps left.
    if (m_gaps.erase(key) == 0) return true;
    ++m_period_adjust[index];
  } else if (month < series.first && move_window_down(series, month, kind, 1)) {
    // Below the window, which moves down to start here and still holds every period seen (the
    // rows of a series in any order: a file sorted by period, or in none).
  } else if (!move_window(index, series, month, kind)) {
    m_far_periods.insert(key);
    ++m_period_adjust[index];
    series.far = true;
  }
  return false;
}

bool SeriesStore::move_window_down(Series& series, std::int32_t month, PeriodKind kind,
                                   std::uint64_t periods) {
  // (A window that moved up ends at the period that moved it, its top step seen, so it never
  // moves down again: `first` is `base` when this moves it.)
  const std::int32_t down = steps_in(series.base - month, kind);
  const int top = 63 - std::countl_zero(series.seen);
  if (down <= 0 || down + top >= 64 || (periods & (series.seen << down)) != 0) return false;
  series.seen = series.seen << down | periods;
  series.first = series.base = month;
  return true;
}

bool SeriesStore::move_window(std::uint32_t index, Series& series, std::int32_t month,
                              PeriodKind kind) {
  const std::int32_t step = months_per_step(kind);
  auto gap = [&](std::int32_t at) {
    if (m_gaps.insert(period_key(index, Period::code_of(at, kind))).second)
      --m_period_adjust[index];
  };
  if (month < series.first) {
    // Below everything: the steps up to the first period are gaps.
    const std::int32_t between = (series.first - month) / step - 1;
    if (between > 64) return false;
    for (std::int32_t k = 1; k <= between; ++k) gap(month + k * step);
    series.first = month;
    return true;
  }
  // Above the window: it moves up by `shift` steps, to end at `month`; the steps it leaves
  // behind that were not seen become gaps.
  const std::int64_t shift = (month - series.base) / step - 63;
  const std::int64_t left = std::min<std::int64_t>(shift, 64);
  const std::uint64_t leaving =
      left == 64 ? series.seen : series.seen & ((std::uint64_t{1} << left) - 1);
  if (left - std::popcount(leaving) + (shift - left) > 64) return false;
  for (std::int64_t k = 0; k < shift; ++k) {
    if (k >= 64 || !((leaving >> k) & 1)) gap(series.base + static_cast<std::int32_t>(k) * step);
  }
  series.seen = shift >= 64 ? 0 : series.seen >> shift;
  series.base += static_cast<std::int32_t>(shift) * step;
  series.seen |= std::uint64_t{1} << 63;
  return true;
}

void SeriesStore::keep(Series& series, const Point& point) {
  const Retention& r = m_retention;
  if (r.keep == Retention::Keep::nothing) return;
  if (r.keep == Retention::Keep::all) {
    m_all[series.slot].push_back(point);
    return;
  }
  keep_in(m_kept[series.indicator][series.slot], point);
}

void SeriesStore::keep_picks(Kept& held, const ParsedChunk& parsed, const RunSummary& run,
                             std::uint16_t unit, std::size_t line_base, std::uint8_t input) {
  auto fill_at = [&](Point & out, std::uint32_t i) __attribute__((always_inline)) {
    const RawFact& fact = parsed.facts[i];
    fill_point(out, parsed, fact, unit, line_base + fact.line, input, m_wide);
  };
  if (m_retention.keep == Retention::Keep::ends && held.count() == 0) {
    // Nothing kept yet: the run's picks are what keep() would settle on (the start asked for or
    // the earliest, the end asked for or the latest).
    fill_at(held.points[0], run.picks[0]);
    fill_at(held.points[1], run.picks[1]);
    held.points[0].kept = held.points[1].kept = 1;
    return;
  }
  // Keeping only the picks keeps what keeping every fact would: the runs' periods differ.
  std::array<std::uint32_t, 3> picks = run.picks;
  std::sort(picks.begin(), picks.end());
  for (std::size_t k = 0; k < picks.size(); ++k) {
    if (k != 0 && picks[k] == picks[k - 1]) continue;
    Point point;
    fill_at(point, picks[k]);
    keep_in(held, point);
  }
}

void SeriesStore::keep_in(Kept& held, const Point& point) const {
  const Retention& r = m_retention;
  std::array<Point, 2>& kept = held.points;
  if (r.keep == Retention::Keep::latest) {
    // Slot 0: the period asked for once seen; until then (or with none asked) the latest.
    bool is_target = point.period == m_asked.at;
    bool have_target = held.count() && kept[0].period == m_asked.at;
    if (is_target || (!have_target && (!held.count() || kept[0].period < point.period))) {
      held.set(0, point);
    }
    return;
  }
  // Keep::ends. Slot 0: the start (the period asked for, else the earliest; the earliest stands
  // in until the asked one comes). Slot 1: the end, likewise with the latest.
  auto better = [&](int slot, std::int32_t asked, bool earliest) {
    bool has = held.count() & (1U << slot);
    const Point& now = kept[static_cast<std::size_t>(slot)];
    if (asked != INT32_MIN) {
      if (point.period == asked) return true;
      if (has && now.period == asked) return false;
    }
    if (!has) return true;
    return earliest ? point.period < now.period : point.period > now.period;
  };
  if (better(0, m_asked.from, true)) {
    held.set(0, point);
  }
  if (better(1, m_asked.to, false)) {
    held.set(1, point);
  }
}

std::uint32_t SeriesStore::indicator_of(std::string_view id, const RawFact& fact, std::size_t line,
                                        const std::string& source) {
  if (m_last_indicator != UINT32_MAX && same_text(m_indicators[m_last_indicator].id, id)) {
    return m_last_indicator;
  }
  // Files have few indicators: look through them before building a key for the index, the
  // one after the last first (sorted files go through them in turn).
  if (m_last_indicator != UINT32_MAX && m_last_indicator + 1 < m_indicators.size() &&
      same_text(m_indicators[m_last_indicator + 1].id, id)) {
    return ++m_last_indicator;
  }
  if (m_indicators.size() <= 32) {
    if (const std::uint32_t i = among_first_indicators(id); i != UINT32_MAX)
      return m_last_indicator = i;
  }
  auto it = m_indicator_index.find(std::string(id));
  m_last_indicator = it != m_indicator_index.end()
                         ? it->second
                         : new_indicator(id, fact.unit, fmt::format("{}:{}", source, line),
                                         static_cast<PeriodKind>(fact.period & 3));
  return m_last_indicator;
}

std::uint32_t SeriesStore::among_first_indicators(std::string_view id) const {
  const std::size_t count = std::min<std::size_t>(m_indicators.size(), 32);
  for (std::uint32_t i = 0; i < count; ++i) {
    if (same_text(m_indicators[i].id, id)) return i;
  }
  return UINT32_MAX;
}

std::uint32_t SeriesStore::new_indicator(std::string_view id, std::string_view unit,
                                         std::string origin, PeriodKind kind) {
  Indicator info;
  info.id = id;
  info.unit = unit;
  info.origin = std::move(origin);
  info.kind = kind;
  info.units_checked.push_back(unit_of(unit));
  info.selected = m_filter.selects_indicator(id);
  const auto index = static_cast<std::uint32_t>(m_indicators.size());
  m_indicator_index.emplace(info.id, index);
  m_indicators.push_back(std::move(info));
  m_indicator_ids.emplace_back(id);
  return index;
}

void SeriesStore::agree_names(const ParsedChunk& parsed, std::size_t i, Indicator& info,
                              std::size_t line_base, const std::string& source) {
  const FactMeta& meta = parsed.meta[i];
  auto agree = [&](std::string& known, std::string_view given, int column, std::string_view what) {
    if (given.empty() || given == known) return;
    if (known.empty()) {
      known = given;
      return;
    }
    throw DataError(locate_field(parsed, parsed.facts[i],
                                 m_layout.meta[static_cast<std::size_t>(column)], line_base, source,
                                 m_layout),
                    fmt::format("{} '{}' of indicator '{}' differs from '{}' given at {}", what,
                                given, info.id, known, info.origin));
  };
  agree(info.category, meta.category, schema::m_category, "category");
  agree(info.name_zh, meta.name_zh, schema::m_name_zh, "name_zh");
  agree(info.name_en, meta.name_en, schema::m_name_en, "name_en");
}

void SeriesStore::remember_rank(const ParsedChunk& parsed, std::size_t i, std::uint8_t input,
                                std::size_t line) {
  const FactMeta& meta = parsed.meta[i];
  if (meta.reported_rank == 0 && meta.rank_scope.empty()) return;
  const auto key =
      rank_key(input, static_cast<std::uint32_t>(std::min<std::size_t>(line, UINT32_MAX)));
  m_ranks[key] = RankMeta{meta.reported_rank, std::string(meta.rank_scope)};
  if (m_ranks.size() > m_ranks_limit) prune_ranks();
}

void SeriesStore::prune_ranks() {
  // The points an observation can be made of: those kept of each selected series.
  std::unordered_map<std::uint64_t, RankMeta> held;
  std::size_t series_walked = 0;
  auto hold = [&](const Point& point) {
    const auto it = m_ranks.find(rank_key(point.input, point.line));
    if (it != m_ranks.end()) held.insert(*it);
  };
  for (std::uint32_t indicator = 0; indicator < m_indicators.size(); ++indicator) {
    const BlockVector<std::uint32_t>& all = m_indicators[indicator].series;
    for (std::size_t k = 0; k < all.size(); ++k) {
      ++series_walked;
      if (m_retention.keep == Retention::Keep::all) {
        for (const Point& point : m_all[m_series[all[k]].slot]) hold(point);
      } else if (m_retention.keep != Retention::Keep::nothing) {
        // (Slot k of the indicator's m_kept: a series with a record or without.)
        const Kept& kept = m_kept[indicator][k];
        for (int slot = 0; slot < 2; ++slot) {
          if (kept.count() & (1U << slot)) hold(kept.points[static_cast<std::size_t>(slot)]);
        }
      }
    }
  }
  m_ranks.swap(held);
  // The next sweep after as many new ranks as the series it walks (and twice what it kept): its
  // cost spread over them stays constant per row, whatever share of the series has ranks.
  m_ranks_limit = 2 * m_ranks.size() + series_walked + 4096;
}

void SeriesStore::finish() {
  // The loader's Dataset::indicators(): each indicator ranked by its category's place among
  // those of the categories table, then those that first appear among the indicators (no
  // category is one too), the sort stable.
  const auto count = static_cast<std::uint32_t>(m_indicators.size());
  std::vector<std::uint32_t> rank(count);
  std::vector<std::string_view> categories(m_category_table.begin(), m_category_table.end());
  for (std::uint32_t i = 0; i < count; ++i) {
    const auto found = std::find(categories.begin(), categories.end(), m_indicators[i].category);
    rank[i] = static_cast<std::uint32_t>(found - categories.begin());
    if (found == categories.end()) categories.emplace_back(m_indicators[i].category);
  }
  m_categories.assign(categories.begin(), categories.end());
  order_indicators(rank);
  if (m_category) keep_category(*m_category);
  // (What add() keeps by indicator index is stale now: nothing adds any more.)
  m_last_indicator = UINT32_MAX;
  m_entity_indicators.clear();
}

void SeriesStore::order_indicators(const std::vector<std::uint32_t>& rank) {
  const auto count = static_cast<std::uint32_t>(m_indicators.size());
  std::vector<std::uint32_t> order(count);
  for (std::uint32_t i = 0; i < count; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return rank[a] < rank[b]; });
  if (std::is_sorted(order.begin(), order.end())) return; // (files without categories)
  std::vector<std::uint32_t> moved_to(count);
  for (std::uint32_t k = 0; k < count; ++k) moved_to[order[k]] = k;
  std::vector<Indicator> indicators;
  std::vector<std::string> ids;
  m_kept.resize(count);
  std::vector<BlockVector<Kept>> kept;
  for (std::uint32_t k = 0; k < count; ++k) {
    indicators.push_back(std::move(m_indicators[order[k]]));
    ids.push_back(std::move(m_indicator_ids[order[k]]));
    kept.push_back(std::move(m_kept[order[k]]));
  }
  m_indicators = std::move(indicators);
  m_indicator_ids = std::move(ids);
  m_kept = std::move(kept);
  for (auto& [id, index] : m_indicator_index) index = moved_to[index];
  // (Series::indicator stays as it was: nothing reads it once rows are no longer added, and
  // rewriting it would go through every series once more.)
  std::map<std::pair<std::uint32_t, std::int32_t>, stats::Aggregate> totals;
  for (auto& [key, aggregate] : m_totals) {
    totals.emplace(std::make_pair(moved_to[key.first], key.second), std::move(aggregate));
  }
  m_totals = std::move(totals);
  m_moved_to = std::move(moved_to);
}

void SeriesStore::keep_category(const std::string& category) {
  for (std::uint32_t i = 0; i < m_indicators.size(); ++i) {
    Indicator& info = m_indicators[i];
    if (info.category == category) continue;
    // Its series unselected (single_period_series() counts by series), its list emptied (what
    // every view of the series goes through), what was kept of them let go of.
    for (std::size_t s = 0; s < info.series.size(); ++s) {
      const std::uint32_t k = info.series[s];
      if (k == k_kept_only) continue; // (its Kept goes below)
      m_series[k].selected = false;
      // (Every figure kept, with Keep::all: growth --yoy and --chart.)
      if (m_retention.keep == Retention::Keep::all && m_series[k].slot < m_all.size())
        std::vector<Point>().swap(m_all[m_series[k].slot]);
    }
    info.series = BlockVector<std::uint32_t>();
    info.selected = false;
    if (i < m_kept.size()) m_kept[i] = BlockVector<Kept>();
    for (auto it = m_totals.lower_bound({i, INT32_MIN});
         it != m_totals.end() && it->first.first == i;)
      it = m_totals.erase(it);
  }
}

std::vector<IndicatorListing> SeriesStore::listing() const {
  std::vector<IndicatorListing> listing(m_indicators.size());
  for (std::size_t k = 0; k < m_series.size(); ++k) {
    const Series& series = m_series[k];
    const std::uint32_t at = m_moved_to.empty() ? series.indicator : m_moved_to[series.indicator];
    listing[at].figures += periods_of(series, static_cast<std::uint32_t>(k));
  }
  for (std::size_t i = 0; i < listing.size(); ++i) {
    const Indicator& info = m_indicators[i];
    IndicatorListing& out = listing[i];
    out.figures += info.untracked_figures;
    out.id = info.id;
    out.category = info.category;
    out.name_zh = info.name_zh;
    out.name_en = info.name_en;
    for (const std::uint16_t unit : info.units_checked) out.units.emplace_back(m_units[unit]);
  }
  return listing;
}

std::string SeriesStore::indicator_name(std::string_view id, bool chinese) const {
  const auto it = m_indicator_index.find(std::string(id));
  if (it == m_indicator_index.end()) return {};
  const Indicator& info = m_indicators[it->second];
  return chinese ? info.name_zh : info.name_en;
}

std::uint16_t SeriesStore::check_indicator(const ParsedChunk& parsed, const RawFact& fact,
                                           Indicator& info, std::size_t line_base,
                                           const std::string& source) {
  // The checks of the full loader, in its order: one kind of quantity, one kind of period.
  // Rows of a run mostly share their unit, and an indicator mostly keeps the unit it had: the
  // list of units is only looked through when neither holds.
  std::uint16_t unit = m_last_unit;
  if (fact.flags & RawFact::k_same_unit) {
  } else if (same_text(fact.unit, m_units[info.units_checked.back()])) {
    unit = info.units_checked.back();
  } else {
    unit = unit_of(fact.unit);
    if (std::find(info.units_checked.begin(), info.units_checked.end(), unit) == info.units_checked.end()) {
      if (!same_dimension(info.unit, fact.unit)) {
        throw DataError(
            locate_cell(parsed, fact, schema::c_unit, line_base, source, m_layout),
            fmt::format("unit '{}' of indicator '{}' measures {}, but its unit at {} is "
                        "'{}', which measures {}; one indicator holds one kind of "
                        "quantity",
                        fact.unit, info.id, dimension_of(fact.unit), info.origin, info.unit,
                        dimension_of(info.unit)));
      }
      info.units_checked.push_back(unit);
    }
  }
  m_last_unit = unit;
  if (static_cast<PeriodKind>(fact.period & 3) != info.kind) {
    Period period = Period::from_code(fact.period);
    throw DataError(locate_cell(parsed, fact, schema::c_period, line_base, source, m_layout),
                    fmt::format("period {} is a {}, but indicator '{}' has {} periods (see {}); "
                                "one indicator holds one kind of period",
                                period.label(), to_string(period.kind()), info.id,
                                to_string(info.kind), info.origin));
  }
  return unit;
}

bool SeriesStore::add_run(const ParsedChunk& parsed, const RunSummary& run, std::size_t begin,
                          std::size_t end, std::uint32_t index, std::size_t line_base,
                          std::uint8_t input, const std::string& source) {
  if (!run.simple || m_retention.keep == Retention::Keep::all) return false;
  const RawFact& head = parsed.facts[begin];
  Series& series = m_series[index];
  if (series.repeats) return false;
  Indicator& info = m_indicators[series.indicator];
  // The run's facts share the head's unit and kind of period: checking the head checks them all.
  const std::uint16_t unit = check_indicator(parsed, head, info, line_base, source);
  // Its periods join the series' when none was seen before and all fit the window of `seen`.
  if (series.seen == 0) {
    series.first = series.base = run.first_month;
    series.seen = run.periods;
  } else {
    // (Periods outside the window may be anywhere: those go one by one.)
    if (series.far) return false;
    const std::int32_t shift = steps_in(run.first_month - series.base, info.kind);
    if (shift < 0 && run.first_month < series.first) {
      // Below the window, which moves down to start at the run as mark_seen() moves it for
      // its first fact (rows of a series in any order: a compacted run must not go fact by
      // fact, which would read the input again).
      if (!move_window_down(series, run.first_month, info.kind, run.periods)) return false;
    } else {
      if (shift < 0 || shift >= 64) return false;
      if (shift > 0 && (run.periods >> (64 - shift)) != 0) return false;
      const std::uint64_t bits = run.periods << shift;
      if (series.seen & bits) return false;
      series.seen |= bits;
    }
  }
  // (Keep::nothing gives a selected series no Kept; Keep::all went back above.)
  if (series.selected && m_retention.keep != Retention::Keep::nothing)
    keep_picks(m_kept[series.indicator][series.slot], parsed, run, unit, line_base, input);
  const RawFact& last = parsed.facts[end - 1];
  fill_point(m_prev, parsed, last, unit, line_base + last.line, input, m_wide);
  m_prev_series = index;
  return true;
}

const Point* SeriesStore::known_point(std::uint32_t index, std::int32_t period) const {
  if (m_prev_series == index && m_prev.period == period) return &m_prev;
  const Series& series = m_series[index];
  if (!series.selected) return nullptr;
  if (m_retention.keep == Retention::Keep::all) {
    for (const Point& point : m_all[series.slot]) {
      if (point.period == period) return &point;
    }
    return nullptr;
  }
  if (m_retention.keep == Retention::Keep::nothing) return nullptr; // (m_kept has no slot)
  const Kept& held = m_kept[series.indicator][series.slot];
  for (int slot = 0; slot < 2; ++slot) {
    if (!(held.count() & (1U << slot))) continue;
    const Point& kept = held.points[static_cast<std::size_t>(slot)];
    if (kept.period == period) return &kept;
  }
  return nullptr;
}

void SeriesStore::remember_row(const ParsedChunk& parsed, std::size_t begin, std::size_t end,
                               std::uint32_t series, std::size_t line_base, std::uint8_t input) {
  // The row after a row of the same series repeated it (it got this far) or added periods: the
  // figures already remembered stay (a later repeat that differs names the first row).
  if (m_row_series != series) {
    m_row_series = series;
    m_row.clear();
    m_row_wide.clear();
  }
  for (std::size_t i = begin; i < end; ++i) {
    const RawFact& fact = parsed.facts[i];
    // (A row of the series remembered already has its periods in the same columns.)
    if (row_figure(fact.period, i - begin) != SIZE_MAX) continue;
    // A figure the store holds of that period is the row's own, or the earlier one it repeated
    // (whose line a later repeat that differs must name).
    if (const Point* known = known_point(series, fact.period)) {
      Point point = *known;
      if (point.flags & k_wide) {
        point.mantissa = static_cast<std::int64_t>(m_row_wide.size());
        m_row_wide.push_back(m_wide[static_cast<std::size_t>(known->mantissa)]);
      }
      m_row.push_back(point);
      continue;
    }
    // (A value too wide for 64 bits is held beside the row: in m_wide it would stay for good.)
    m_row.push_back(
        point_of(parsed, fact, unit_of(fact.unit), line_base + fact.line, input, m_row_wide));
  }
}

std::size_t SeriesStore::row_figure(std::int32_t period, std::size_t guess) const {
  if (guess < m_row.size() && m_row[guess].period == period) return guess;
  for (std::size_t k = 0; k < m_row.size(); ++k) {
    if (m_row[k].period == period) return k;
  }
  return SIZE_MAX;
}

bool SeriesStore::add_fact(const ParsedChunk& parsed, const RawFact& fact, std::uint16_t unit,
                           std::uint32_t index, std::size_t line_base, std::uint8_t input,
                           const std::string& source) {
  std::size_t line = line_base + fact.line;
  const Indicator& info = m_indicators[m_series[index].indicator];
  Series& series = m_series[index];
  if (mark_seen(index, series, fact.period, info.kind)) {
    // A repeated key: the same figure again is one figure (compared as the fact is, so that a
    // repeat leaves nothing in the store); another value is an error.
    const Point* earlier = known_point(index, fact.period);
    // A period that a first pass found repeated after the store had let go of its figure: the
    // figure kept aside for it (expect_repeats()), the first of that key. (Before the wide row
    // below, which holds a row's own figures when that row was a far repeat.)
    if (!earlier && series.repeats) {
      if (std::optional<Point>* first = first_figure(index, fact.period); first && *first)
        earlier = &**first;
    }
    // A wide table's row repeats the row right before it cell by cell.
    bool in_row = false;
    if (!earlier && m_row_series == index) {
      // (The row's figures come in the remembered row's order: the one after the last found
      // is tried first.)
      if (const std::size_t k = row_figure(fact.period, m_row_after); k != SIZE_MAX) {
        earlier = &m_row[k];
        in_row = true;
        m_row_after = k + 1;
      }
    }
    if (!earlier && m_defer_repeats) {
      // (The inputs are read again, this key known: see defer_repeats().)
      m_repeats_found.push_back(period_key(index, fact.period));
      return false;
    }
    auto value_before = [&] {
      return in_row && (earlier->flags & k_wide)
                 ? Number(m_row_wide[static_cast<std::size_t>(earlier->mantissa)])
                 : value_of(*earlier);
    };
    const std::optional<Decimal> value = engine::value_of(parsed, fact);
    bool same = earlier && earlier->unit == unit && earlier->qualifiers == fact.qualifiers &&
                ((earlier->flags & k_has_value) != 0) == value.has_value() &&
                (!value || value_before() == Number(*value));
    if (same) return false;
    const Point point = point_of(parsed, fact, unit, line, input); // (for the message)
    Location where = locate_cell(parsed, fact, schema::c_value, line_base, source, m_layout);
    if (!earlier) {
      throw DataError(where,
                      fmt::format("duplicate row for entity '{}', indicator '{}', period {}: "
                                  "an earlier row has the same key; with standard input or "
                                  "a pipe among the inputs, a repeated row is accepted only "
                                  "right after the one it repeats",
                                  m_entities[series.entity], info.id,
                                  Period::from_code(point.period).label()));
    }
    Point shown = *earlier;
    if (in_row && (shown.flags & k_wide)) { // (its value where value_of() looks, for the message)
      shown.mantissa = static_cast<std::int64_t>(m_wide.size());
      m_wide.push_back(m_row_wide[static_cast<std::size_t>(earlier->mantissa)]);
    }
    throw DataError(where,
                    fmt::format("duplicate row for entity '{}', indicator '{}', period {}: "
                                "{} here, {} at {}:{}",
                                m_entities[series.entity], info.id,
                                Period::from_code(point.period).label(), describe_point(point),
                                describe_point(shown), m_sources[shown.input], shown.line));
  }
  const Point point = point_of(parsed, fact, unit, line, input);
  m_prev = point;
  m_prev_series = index;
  if (series.selected) keep(series, point);
  if (series.repeats) {
    if (std::optional<Point>* first = first_figure(index, fact.period)) *first = point;
  }
  return true;
}

RepeatKeys SeriesStore::repeats_found() const {
  RepeatKeys keys = m_repeats_found;
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

void SeriesStore::expect_repeats(RepeatKeys keys) {
  m_repeats_expected = std::move(keys);
  m_first_figures.assign(m_repeats_expected.size(), std::nullopt);
}

std::optional<Point>* SeriesStore::first_figure(std::uint32_t index, std::int32_t code) {
  const std::uint64_t key = period_key(index, code);
  const auto at = std::lower_bound(m_repeats_expected.begin(), m_repeats_expected.end(), key);
  if (at == m_repeats_expected.end() || *at != key) return nullptr;
  return &m_first_figures[static_cast<std::size_t>(at - m_repeats_expected.begin())];
}

void SeriesStore::add_totals(const ChunkTotals& totals) {
  for (const ChunkTotals::Indicator& indicator : totals.indicators) {
    auto it = m_indicator_index.find(indicator.id);
    if (it == m_indicator_index.end()) continue;
    for (const auto& [code, aggregate] : indicator.periods) m_totals[{it->second, code}].merge(aggregate);
  }
}

bool SeriesStore::add_computed(const Observation& figure, const IndicatorInfo& about) {
  const auto it = m_indicator_index.find(figure.indicator);
  std::uint32_t indicator = 0;
  if (it != m_indicator_index.end()) {
    indicator = it->second;
  } else {
    indicator = new_indicator(figure.indicator, figure.unit, about.origin, figure.period.kind());
    Indicator& info = m_indicators[indicator];
    info.category = about.category;
    info.name_zh = about.name_zh;
    info.name_en = about.name_en;
    info.computed = true;
  }
  // A figure of an indicator the rows gave, or of another kind of period, is the full loader's.
  if (!m_indicators[indicator].computed || m_indicators[indicator].kind != figure.period.kind())
    return false;
  const std::uint32_t entity = entity_of(figure.entity);
  const std::uint32_t index = series_of(entity, indicator, figure.unit);
  Series& series = m_series[index];
  const std::int32_t code = figure.period.code();
  if (mark_seen(index, series, code, m_indicators[indicator].kind)) return false;
  Point point;
  point.period = code;
  point.unit = unit_of(figure.unit);
  // (Its units as the loader lists them: the figures' distinct units, in order.)
  std::vector<std::uint16_t>& units = m_indicators[indicator].units_checked;
  if (std::find(units.begin(), units.end(), point.unit) == units.end()) units.push_back(point.unit);
  point.input = k_computed_input;
  point.line = 0;
  point.qualifiers = figure.qualifiers;
  if (figure.value) {
    point.flags = k_has_value;
    if (const auto* decimal = std::get_if<Decimal>(&*figure.value)) {
      if (decimal->mantissa() >= INT64_MIN && decimal->mantissa() <= INT64_MAX) {
        point.mantissa = static_cast<std::int64_t>(decimal->mantissa());
        point.scale = static_cast<std::int8_t>(decimal->scale());
      } else {
        point.flags |= k_wide;
        point.mantissa = static_cast<std::int64_t>(m_wide.size());
        m_wide.push_back(*decimal);
      }
    } else {
      point.flags |= k_double;
      point.mantissa = std::bit_cast<std::int64_t>(std::get<double>(*figure.value));
    }
  }
  if (series.selected) keep(series, point);
  m_prev = point;
  m_prev_series = index;
  if (m_retention.describe && m_filter.selects(figure.indicator, figure.entity))
    m_totals[{indicator, code}].add(figure.value, figure.unit, figure.qualifiers);
  return true;
}

std::uint32_t SeriesStore::find_entity(std::string_view entity) const {
  if (m_entity_slots.empty()) return UINT32_MAX;
  const std::uint64_t hash = entity_hash(entity);
  const std::size_t mask = m_entity_slots.size() - 1;
  for (std::size_t at = hash & mask; m_entity_slots[at] != 0; at = (at + 1) & mask) {
    const std::uint64_t slot = m_entity_slots[at];
    const auto i = static_cast<std::uint32_t>(slot) - 1;
    if (same_hash_half(slot, hash) && m_entities[i] == entity) return i;
  }
  return UINT32_MAX;
}

std::size_t SeriesStore::figures_of_entity(std::string_view id) const {
  const std::uint32_t entity = find_entity(id);
  if (entity == UINT32_MAX) return 0;
  // (Its untracked series' figures, leave_untracked(), then those of its series.)
  std::size_t count =
      entity < m_entity_untracked_figures.size() ? m_entity_untracked_figures[entity] : 0;
  if (entity >= m_entity_first.size()) return count;
  for (std::uint32_t k = m_entity_first[entity]; k != UINT32_MAX; k = m_series_next[k])
    count += periods_of(m_series[k], k);
  return count;
}

std::size_t SeriesStore::series_of_indicator(std::string_view id) const {
  const auto it = m_indicator_index.find(std::string(id));
  return it == m_indicator_index.end() ? 0 : m_indicators[it->second].all_series;
}

std::size_t SeriesStore::single_period_series() const {
  std::size_t count = 0;
  for (std::size_t i = 0; i < m_series.size(); ++i) {
    if (m_series[i].selected && periods_of(m_series[i], static_cast<std::uint32_t>(i)) < 2) ++count;
  }
  // (Those without a record, by their Kept.)
  for (std::uint32_t indicator = 0; indicator < m_indicators.size(); ++indicator) {
    const BlockVector<std::uint32_t>& all = m_indicators[indicator].series;
    for (std::size_t k = 0; k < all.size(); ++k) {
      if (all[k] == k_kept_only && std::popcount(m_kept[indicator][k].seen) < 2) ++count;
    }
  }
  return count;
}

void SeriesStore::fill_observation(Observation& obs, std::uint32_t indicator, std::uint32_t entity,
                                   const Point& point) const {
  obs.entity = m_entities[entity];
  obs.indicator = m_indicators[indicator].id;
  obs.period = Period::from_code(point.period);
  obs.value.reset();
  if (point.flags & k_has_value) obs.value = value_of(point);
  obs.unit = m_units[point.unit];
  obs.qualifiers = point.qualifiers;
  if (!m_ranks.empty()) {
    // (Points carry no line above 2^32 - 1: such rows share the key of that line.)
    const auto it = m_ranks.find(rank_key(point.input, point.line));
    obs.reported_rank.reset();
    obs.rank_scope.clear();
    if (it != m_ranks.end()) {
      if (it->second.rank != 0) obs.reported_rank = it->second.rank;
      obs.rank_scope = it->second.scope;
    }
  }
  // No origin: it serves the full loader's messages, and formatting one per figure would
  // cost more than the figure.
}

void SeriesStore::for_each_series(const std::function<void(const stats::Series&)>& visit) const {
  for (std::uint32_t indicator = 0; indicator < m_indicators.size(); ++indicator) {
    for_each_series_of(indicator, visit);
  }
}

std::vector<std::size_t> SeriesStore::series_counts() const {
  std::vector<std::size_t> counts;
  for (const Indicator& indicator : m_indicators) counts.push_back(indicator.series.size());
  return counts;
}

void SeriesStore::ask_ahead(const BlockVector<std::uint32_t>& all, std::size_t k,
                            std::size_t stop) const {
  // The series of one indicator lie apart in m_series (rows come entity by entity): ask for
  // a later one now so that it is in cache when its turn comes.
  if (k + 8 < stop && all[k + 8] != k_kept_only) {
    const auto* ahead = reinterpret_cast<const char*>(&m_series[all[k + 8]]);
    __builtin_prefetch(ahead);
    __builtin_prefetch(ahead + sizeof(Series) - 1);
  }
  // (What is kept of them lies in order in m_kept: no need to ask.)
}

void SeriesStore::ask_ahead_of(std::uint32_t indicator, std::size_t k) const {
  const BlockVector<std::uint32_t>& all = m_indicators[indicator].series;
  ask_ahead(all, k, all.size());
}

void SeriesStore::ask_for(std::uint32_t indicator, std::size_t k, int step) const {
  const BlockVector<std::uint32_t>& all = m_indicators[indicator].series;
  if (k >= all.size()) return;
  if (step == 0) {
    __builtin_prefetch(&all[k]);
    return;
  }
  const bool kept = m_retention.keep != Retention::Keep::all &&
                    m_retention.keep != Retention::Keep::nothing && indicator < m_kept.size() &&
                    k < m_kept[indicator].size();
  if (step == 2) {
    // (The name's object: a short name lies in it.)
    const std::uint32_t entity = all[k] != k_kept_only ? m_series[all[k]].entity
                                 : kept                ? m_kept[indicator][k].entity
                                                       : UINT32_MAX;
    if (entity != UINT32_MAX) __builtin_prefetch(&m_entities[entity]);
    return;
  }
  if (all[k] != k_kept_only) {
    const Series& series = m_series[all[k]];
    __builtin_prefetch(&series);
    __builtin_prefetch(reinterpret_cast<const char*>(&series) + sizeof(Series) - 1);
  }
  if (kept) {
    const Kept& held = m_kept[indicator][k];
    __builtin_prefetch(&held);
    __builtin_prefetch(reinterpret_cast<const char*>(&held) + sizeof(Kept) - 1);
  }
}

std::optional<Period> SeriesStore::latest_of(std::uint32_t indicator) const {
  std::optional<Period> latest;
  std::int32_t latest_code = 0;
  each_kept(
      indicator, 0, SIZE_MAX,
      [&](std::uint32_t, const Point& point) {
        // (Most figures are of the latest period found: compared by code.)
        if (latest && point.period == latest_code) return;
        const Period period = Period::from_code(point.period);
        if (!latest || *latest < period) {
          latest = period;
          latest_code = point.period;
        }
      },
      [](std::uint32_t, std::uint32_t) {});
  return latest;
}

template <typename PointVisit, typename Done>
void SeriesStore::each_kept(std::uint32_t indicator, std::size_t begin, std::size_t end,
                            PointVisit&& point, Done&& done) const {
  const BlockVector<std::uint32_t>& all = m_indicators[indicator].series;
  const std::size_t stop = std::min(end, all.size());
  for (std::size_t k = begin; k < stop; ++k) {
    ask_ahead(all, k, stop);
    if (m_retention.keep == Retention::Keep::all) {
      // (Every series keeping all has a record: add_untracked() leaves it to add_run().)
      const Series& series = m_series[all[k]];
      for (const Point& p : m_all[series.slot]) point(series.entity, p);
      done(series.entity, periods_of(series, all[k]));
    } else if (m_retention.keep != Retention::Keep::nothing) {
      // (Slot k of the indicator's m_kept: series_of() and add_untracked() give them out in
      // this order.)
      const Kept& held = m_kept[indicator][k];
      const std::array<Point, 2>& kept = held.points;
      for (int slot = 0; slot < 2; ++slot) {
        if (!(held.count() & (1U << slot))) continue;
        if (slot == 1 && (held.count() & 1) && kept[1].period == kept[0].period) continue;
        point(held.entity, kept[static_cast<std::size_t>(slot)]);
      }
      done(held.entity, all[k] == k_kept_only ? static_cast<std::uint32_t>(std::popcount(held.seen))
                                              : periods_of(m_series[all[k]], all[k]));
    } else {
      done(m_series[all[k]].entity, periods_of(m_series[all[k]], all[k]));
    }
    // (Every series has a point kept: keep() keeps the first point it is given, whatever the
    // periods asked for. Keep::nothing keeps none, and no command goes through its series.)
  }
}

template <typename Visit>
void SeriesStore::views(std::uint32_t indicator, std::size_t begin, std::size_t end,
                        stats::Series& view, std::vector<Observation>& figures,
                        Visit&& visit) const {
  // The figures and the view are filled again for each series, their strings keeping their
  // buffers.
  std::size_t used = 0;
  each_kept(
      indicator, begin, end,
      [&](std::uint32_t entity, const Point& point) {
        if (used == figures.size()) figures.emplace_back();
        fill_observation(figures[used++], indicator, entity, point);
      },
      [&](std::uint32_t entity, std::uint32_t periods) {
        view.entity = m_entities[entity];
        view.indicator = m_indicators[indicator].id;
        view.points.clear();
        for (std::size_t i = 0; i < used; ++i) view.points.push_back(&figures[i]);
        stats::sort_by_period(view.points);
        view.period_count = periods;
        visit(view);
        used = 0;
      });
}

void SeriesStore::for_each_series_of(std::uint32_t indicator,
                                     const std::function<void(const stats::Series&)>& visit,
                                     std::size_t begin, std::size_t end) const {
  std::vector<Observation> figures;
  stats::Series view;
  views(indicator, begin, end, view, figures, visit);
}

void SeriesStore::view_series(std::uint32_t indicator, std::size_t k, stats::Series& view,
                              std::vector<Observation>& figures) const {
  views(indicator, k, k + 1, view, figures, [](const stats::Series&) {});
}

void SeriesStore::quick_ends(std::uint32_t indicator, std::size_t begin, std::size_t end,
                             std::vector<QuickEnds>& out) const {
  const std::size_t stop = std::min(end, m_indicators[indicator].series.size());
  if (begin >= stop) {
    out.clear();
    return;
  }
  // The caller's elements are written over, not cleared first: clearing each (a `rep stos` of
  // its 128 bytes) took more than half of this function's time (bench/README.md, 2026-12-06,
  // afternoon). Of an element not quick, only `quick` is set.
  out.resize(stop - begin);
  if (m_retention.keep != Retention::Keep::ends) {
    for (QuickEnds& ends : out) ends.quick = false;
    return;
  }
  // Only what is kept is read, in order (slot k of m_kept is the indicator's series k): not
  // the series themselves, which lie apart.
  const BlockVector<Kept>& kept = m_kept[indicator];
  for (std::size_t k = begin; k < stop; ++k) {
    const Kept& held = kept[k];
    QuickEnds& ends = out[k - begin];
    const Point& a = held.points[0];
    const Point& b = held.points[1];
    // Both kept, of two periods: the two points each_kept() gives.
    ends.quick = held.count() == 3 && a.period < b.period && a.unit == b.unit &&
                 (a.flags & k_has_value) && (b.flags & k_has_value) &&
                 !((a.flags | b.flags) & (k_wide | k_double)) && a.qualifiers.empty() &&
                 b.qualifiers.empty();
    if (!ends.quick) continue;
    ends.entity = m_entities[held.entity];
    ends.indicator = m_indicators[indicator].id;
    ends.unit = m_units[a.unit];
    ends.from = a.period;
    ends.to = b.period;
    ends.from_value = Decimal(a.mantissa, a.scale);
    ends.to_value = Decimal(b.mantissa, b.scale);
  }
}

bool SeriesStore::kept_value(std::uint32_t indicator, std::size_t k, std::int32_t code,
                             std::optional<Number>& value, std::string& unit) const {
  if (m_retention.keep != Retention::Keep::latest) return false;
  // (Slot k of m_kept is the indicator's series k; its one figure is the series' only one.)
  const Kept& held = m_kept[indicator][k];
  const Point& point = held.points[0];
  value.reset();
  unit.clear();
  if (held.count() != 0 && point.period == code && (point.flags & k_has_value)) {
    value = value_of(point);
    unit = m_units[point.unit];
  }
  return true;
}

const std::string& SeriesStore::first_selected_unit() const {
  static const std::string k_none;
  for (const Indicator& info : m_indicators) {
    if (!info.series.empty()) return info.first_selected_unit;
  }
  return k_none;
}

std::vector<Observation> SeriesStore::observations_of(const std::string& indicator) const {
  std::vector<Observation> out;
  auto it = m_indicator_index.find(indicator);
  if (it == m_indicator_index.end()) return out;
  out.reserve(m_indicators[it->second].series.size() *
              (m_retention.keep == Retention::Keep::all ? 1 : 2));
  // Tens of megabytes with a million series: their pages put in place at once.
  populate(out.data(), out.capacity() * sizeof(Observation));
  // Filled in place (not through for_each_series_of's views, which would copy each), then
  // each series' points put in order of period, as the views have them.
  std::size_t first = 0;
  each_kept(
      it->second, 0, SIZE_MAX,
      [&](std::uint32_t entity, const Point& point) {
        fill_observation(out.emplace_back(), it->second, entity, point);
      },
      [&](std::uint32_t, std::uint32_t) {
        const auto from = out.begin() + static_cast<std::ptrdiff_t>(first);
        auto earlier = [](const Observation& a, const Observation& b) {
          return a.period < b.period;
        };
        // (Mostly in order already: the start kept, then the end.)
        if (!std::is_sorted(from, out.end(), earlier)) std::stable_sort(from, out.end(), earlier);
        first = out.size();
      });
  return out;
}

std::vector<stats::Description> SeriesStore::descriptions() const {
  std::vector<stats::Description> out;
  out.reserve(m_totals.size());
  each_description([&](const stats::Description& d) { out.push_back(d); });
  return out;
}

void SeriesStore::each_description(
    const std::function<void(const stats::Description&)>& use) const {
  for (const auto& [key, aggregate] : m_totals) {
    use(aggregate.finish(m_indicators[key.first].id, Period::from_code(key.second)));
  }
}

} // namespace jjstat::engine
