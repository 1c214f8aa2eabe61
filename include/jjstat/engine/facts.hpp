#pragma once
/// Records of a chunk of an observations file parsed into facts: the fast path for plain rows,
/// the full CSV reader for anything else, with the same errors either way.

#include "jjstat/engine/pages.hpp"
#include "jjstat/error.hpp"
#include "jjstat/period.hpp"
#include "jjstat/schema.hpp"
#include "jjstat/sources.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace jjstat::engine {

/// One observation of a chunk; its strings point into the chunk (or its arena).
struct RawFact {
  static constexpr std::uint8_t k_has_value = 1;
  static constexpr std::uint8_t k_wide = 2; ///< the mantissa indexes ParsedChunk::wide
  static constexpr std::uint8_t k_same_unit = 4; ///< same series and unit as the fact before

  // Its entity and indicator are those of its run (RunSummary): 40 bytes a fact.
  std::string_view unit;
  std::int64_t mantissa = 0;
  std::int32_t period = 0;      ///< Period::code()
  std::uint32_t line = 0;       ///< physical line in the chunk, 1-based
  std::uint32_t line_start = 0; ///< byte offset of that line in the chunk
  std::int8_t scale = 0;
  std::uint8_t flags = 0;
  Qualifiers qualifiers;
};

/// Where the core columns are in a plain observations file, and how wide its rows are.
struct Layout {
  std::array<int, schema::k_core_columns> columns{};
  /// Where its metadata columns are (-1: absent); a wide table may have its names, category
  /// and source.
  std::array<int, schema::k_meta_columns> meta = [] {
    std::array<int, schema::k_meta_columns> absent;
    absent.fill(-1);
    return absent;
  }();
  /// True when the file has a metadata column: its rows' metadata is kept beside the facts
  /// (ParsedChunk::meta), and the store reads them fact by fact.
  bool has_meta() const {
    return std::any_of(meta.begin(), meta.end(), [](int at) { return at >= 0; });
  }
  std::size_t width = 0;
  csv::Options csv; ///< the reading options of the run (quote policy, limits)
  /// A wide table's period columns (column, period), in order; empty for a long table.
  std::vector<std::pair<int, Period>> periods;
};

/// The metadata cells of a fact's row that a streamed command uses or checks across rows (an
/// indicator's names agree row to row; rankings show a figure's reported rank); they point
/// into the chunk (or its arena). reported_rank and source_line were checked as the row was
/// read; the source and its line are not kept (no streamed command shows them).
struct FactMeta {
  std::string_view rank_scope, category, name_zh, name_en;
  std::int32_t reported_rank = 0; ///< 0: none
};

/// One run of facts of one series in a chunk, summed up by the parser so that the in-order
/// pass can take the run at once when nothing in it needs a closer look.
struct RunSummary {
  RunSummary() = default;
  /// The summary of a run at its first fact (`index`, of period code `period`), which
  /// extend_run() then extends row by row; `asked` holds the bits of asked_found for that
  /// period. (The parsers that leave runs for parse_chunk() to sum up make them empty, names
  /// only.) Every member is written by its own store: a summary cleared first (88 bytes, one
  /// `rep stos`) and then read at once, as extend_run() read `count`, waits for the clearing to
  /// reach memory that is seldom in cache (half of quick_head()'s samples; bench/README.md,
  /// 2026-12-04, late morning).
  RunSummary(std::string_view entity_id, std::string_view indicator_id, std::uint64_t hash,
             std::int32_t period, std::uint32_t index, std::uint8_t asked)
      : entity(entity_id), indicator(indicator_id), simple(true), first_month(period >> 2),
        periods(1), count(1), picks{index, index, index}, earliest(period), latest(period),
        asked_found(asked), entity_hash(hash) {}
  std::string_view entity;      ///< of every fact of the run
  std::string_view indicator;   ///< of every fact of the run
  bool simple = true;           ///< one unit, one kind of period, no period twice, all within
                                ///< 64 steps from the first
  std::int32_t first_month = 0; ///< month index of its first fact's period
  std::uint64_t periods = 0;    ///< its periods, one bit per step of its kind from first_month
  std::uint32_t count = 0;      ///< rows in the run: more than its facts when it was compacted
  /// Facts (indexes into ParsedChunk::facts) a store may keep: the start asked for or else
  /// the earliest, the end asked for or else the latest, the period asked for or else the latest.
  std::array<std::uint32_t, 3> picks{};
  std::int32_t earliest = 0, latest = 0; ///< period codes
  std::uint8_t asked_found = 0;          ///< bit k: picks[k] is the period asked for
  /// entity_hash(entity), worked out by the parser (which has time to spare) when it reads the
  /// run quickly and its entity is not the run before's (which the store finds without it); 0
  /// otherwise (the store works it out when it needs it).
  std::uint64_t entity_hash = 0;
};

/// The hash of an entity id by which the store finds it.
inline std::uint64_t entity_hash(std::string_view entity) {
  return std::hash<std::string_view>{}(entity);
}

/// True when `a` and `b` hold the same bytes: string_view's == without the call to memcmp,
/// for the short ids and names that rows repeat.
inline bool same_text(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  auto load8 = [](const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  };
  auto load4 = [](const char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  };
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (load8(x + i) != load8(y + i)) return false;
    }
    return load8(x + n - 8) == load8(y + n - 8);
  }
  if (n >= 4) return load4(x) == load4(y) && load4(x + n - 4) == load4(y + n - 4);
  for (std::size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) return false;
  }
  return true;
}

/// The periods a command asks for (Period::code(); INT32_MIN: none).
struct AskedPeriods {
  std::int32_t from = INT32_MIN;
  std::int32_t to = INT32_MIN;
  std::int32_t at = INT32_MIN;
};

/// A chunk parsed: its facts, up to the first error if there is one.
struct ParsedChunk {
  sources::Chunk chunk;
  std::deque<std::string> arena;  ///< unescaped fields that do not lie in the chunk's text
  std::vector<RawFact, BigPages<RawFact>> facts; ///< megabytes, filled anew for each piece
  /// Index of each fact that starts a run of one series.
  std::vector<std::uint32_t, BigPages<std::uint32_t>> runs;
  /// One per run: its entity, indicator and summary (mapped as the facts, at least 2 MiB
  /// reserved: grown from nothing, a piece's thousands of runs faulted in a 4 KiB page every 46
  /// runs, each time in a new buffer).
  std::vector<RunSummary, BigPages<RunSummary>> summaries;
  std::vector<Decimal> wide;      ///< values too wide for 64 bits
  std::vector<FactMeta> meta;     ///< one per fact when the layout has metadata columns
  std::size_t lines = 0;          ///< physical lines the chunk holds
  std::optional<DataError> error; ///< the first error, its line counted in the chunk
  /// The chunk was cut blindly (Chunk::cut_blindly) and its quotes are odd in number: the cut
  /// lies inside a quoted field, and what was parsed of the chunk does not count.
  bool quotes_open = false;
  /// parse_chunk() was asked to compact, and parsed the chunk again without compacting.
  bool parsed_again = false;
};

/// The value of a fact of `parsed` (nullopt: missing).
std::optional<Decimal> value_of(const ParsedChunk& parsed, const RawFact& fact);

/// The layout of a header, when it names only observation columns (core and metadata, in any
/// order, each once); nullopt for any other header, which the full loader must read.
std::optional<Layout> plain_layout(const csv::Record& header);

/// The layout of a wide table's header (`--wide`), when it names entity, indicator, unit and
/// optionally qualifiers, category, name_zh, name_en and source, each once, and periods of one
/// kind, each once (at least one); nullopt for any other header, which
/// the full loader reads (or rejects).
std::optional<Layout> wide_layout(const csv::Record& header);

/// Takes the facts of the rows a compacting parse_chunk() keeps no fact of, one by one, as the
/// parser writes the next row's fact in their place.
class RetiredFacts {
public:
  virtual ~RetiredFacts() = default;
  /// `fact`, of run `run` (its index in `parsed.runs`: the chunk's last run so far), is about
  /// to be written over.
  virtual void retire(const ParsedChunk& parsed, std::size_t run, const RawFact& fact) = 0;
  /// Forgets every fact taken: the chunk is parsed again, without compacting.
  virtual void restart() = 0;
};

/// Parses the records of `parsed.chunk` from byte `start` (past the header in the first chunk),
/// whose first line is `first_line`, and sums up its runs, picking the facts of the periods
/// `asked`; stops at the first error and records it.
///
/// With `compact`, a run of yearly rows in order, one year after another, is compacted as the
/// quick reader reads it: a row that neither starts the run nor is one of its picks gives its
/// fact's place to the next row, so that the run keeps only the facts that a store taking it
/// whole reads (its first, its picks, its last) and RunSummary::count more rows than facts. A
/// chunk where a compacted run ends up not simple (RunSummary::simple) is parsed again without
/// compacting; a store that must go through a compacted run fact by fact all the same (its
/// series came before) cannot (SeriesStore::add throws FactsLeftOut): the inputs are then
/// parsed again without compacting.
///
/// `retired`, when given, takes each fact a compacting parse writes over, before it does (what
/// `describe` totals of every row), and is restarted when the chunk is parsed again.
void parse_chunk(ParsedChunk& parsed, const Layout& layout, std::size_t start,
                 std::size_t first_line, const std::string& source, const AskedPeriods& asked = {},
                 bool compact = false, RetiredFacts* retired = nullptr);

/// True when run `r` of `parsed` was compacted (parse_chunk()): it holds fewer facts than rows.
inline bool compacted(const ParsedChunk& parsed, std::size_t r) {
  const std::size_t end = r + 1 < parsed.runs.size() ? parsed.runs[r + 1] : parsed.facts.size();
  return end - parsed.runs[r] < parsed.summaries[r].count;
}

/// Months in one step of `kind`: 12 for years, 3 for quarters, 1 for months.
constexpr std::int32_t months_per_step(PeriodKind kind) {
  return kind == PeriodKind::year ? 12 : kind == PeriodKind::quarter ? 3 : 1;
}

/// Steps of `kind` (years, quarters or months) in `months`, the distance from one period of that
/// kind to another; -1 when it is negative or not a whole number of steps. Inline, each divisor
/// a constant: the row reader asks it for every row.
inline std::int32_t steps_in(std::int32_t months, PeriodKind kind) {
  if (months < 0) return -1;
  switch (kind) {
  case PeriodKind::year: return months % 12 == 0 ? months / 12 : -1;
  case PeriodKind::quarter: return months % 3 == 0 ? months / 3 : -1;
  case PeriodKind::month: return months;
  }
  return -1;
}

/// The location of byte `offset` of a chunk, its line counted from the chunk's start.
Location locate_in_chunk(const ParsedChunk& parsed, std::size_t line, std::size_t line_start,
                         std::size_t offset, const std::string& source);

} // namespace jjstat::engine
