#pragma once
/// The streaming side of a query: every row of a plain observations file passes through once;
/// what the command needs of each series is kept in compact form, everything else is checked
/// (as the full loader checks it) and dropped.

#include "jjstat/dataset.hpp"
#include "jjstat/engine/facts.hpp"
#include "jjstat/engine/pages.hpp"
#include "jjstat/stats/describe.hpp"
#include "jjstat/stats/growth.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace jjstat::engine {

/// What a command keeps of each selected series while the data streams past.
struct Retention {
  enum class Keep { nothing, ends, all, latest };
  Keep keep = Keep::nothing;
  std::optional<Period> from; ///< ends: this start period instead of the first
  std::optional<Period> to;   ///< ends: this end period instead of the last
  std::optional<Period> at;   ///< latest: this period instead of the latest
  bool describe = false;      ///< keep count, sum, min and max per (indicator, period)
  /// Keep the reported rank and rank scope of the figures kept (rankings show them).
  bool reported_ranks = false;
  /// from, to and at as period codes, for the parser's run summaries and the store.
  AskedPeriods asked() const;
};

/// Which series a command works on (empty: all).
class Filter {
public:
  Filter() = default;
  /// The indicators and entities named (empty: all of them).
  Filter(std::vector<std::string> indicators, std::vector<std::string> entities);
  /// True when `indicator` and `entity` are selected.
  bool selects(std::string_view indicator, std::string_view entity) const {
    return selects_indicator(indicator) && selects_entity(entity);
  }
  bool selects_indicator(std::string_view indicator) const {
    return among(m_indicators, indicator);
  }
  bool selects_entity(std::string_view entity) const { return among(m_entities, entity); }
  /// True when it names entities (not all of them).
  bool names_entities() const { return !m_entities.empty(); }

private:
  /// True when `all` is empty or holds `value`: sorted, so that a series of a file with a
  /// million of them is not compared with each of thousands of names given.
  static bool among(const std::vector<std::string>& all, std::string_view value);
  std::vector<std::string> m_indicators; ///< sorted
  std::vector<std::string> m_entities;   ///< sorted
};

/// Orders the non-temporal stores made so far (stream_into()) before the
/// stores that follow: what another thread then learns of (a lock, a queue) it finds written.
inline void stream_fence() {
#if defined(__SSE2__)
  _mm_sfence();
#endif
}

/// Copies `from` to `to` with non-temporal stores where T is whole cache lines and `to` lies on
/// one (a BlockVector's element): the line goes to memory without being read first, which a
/// plain store into a line not in cache waits for. `from` should have been written a while
/// before (a load of stores still under way waits for them). Call stream_fence() before
/// another thread reads `to`.
template <typename T> void stream_into(T* to, const T& from) {
  static_assert(std::is_trivially_copyable_v<T>);
#if defined(__SSE2__) && !defined(JJSTAT_ADDRESS_SANITIZER)
  if constexpr (sizeof(T) % k_block_alignment == 0) {
    if (reinterpret_cast<std::uintptr_t>(to) % k_block_alignment == 0) {
      const auto* in = reinterpret_cast<const __m128i*>(&from);
      auto* out = reinterpret_cast<__m128i*>(to);
      for (std::size_t k = 0; k < sizeof(T) / sizeof(__m128i); ++k)
        _mm_stream_si128(out + k, _mm_loadu_si128(in + k));
      return;
    }
  }
#endif
  std::memcpy(static_cast<void*>(to), &from, sizeof(T));
}

/// A growing array whose elements never move, indexed cheaply. Block b holds 2^b elements, so
/// that an array of one element takes one (the store has one for each indicator that has
/// selected series, and a file may have thousands of indicators) while one of millions lies in
/// a few blocks of megabytes. Each element is written once, as it is appended. A block of 64 KiB
/// or more is put in place 256 KiB at a time, the whole pages within each step, ahead of the
/// elements: while the elements fill one step, a helper thread writes to the pages of the next
/// (PagesAhead), so that with a million series most are written without a page fault, which
/// costs more than writing them. When the step is a block's last and the next block is of 2 MiB
/// or more, that block is allocated then for the helper's first step (smaller ones are not: a
/// file of thousands of indicators of a few thousand series each would hold a block ahead, its
/// first step written, for each). Blocks under 64 KiB, and a last step under 64 KiB, fault
/// their pages in as they are written. Blocks of 2 MiB or more are mapped on their own
/// (allocate_big()), on huge pages when those are asked for (JJSTAT_HUGE_PAGES=1;
/// bench/README.md, "Huge pages or small"; the helper: "On 2026-12-06").
template <typename T> class BlockVector {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
  static_assert(alignof(T) <= k_block_alignment);

public:
  BlockVector() = default;
  BlockVector(BlockVector&& other) noexcept
      : m_blocks(std::move(other.m_blocks)), m_size(std::exchange(other.m_size, 0)),
        m_next(std::exchange(other.m_next, nullptr)),
        m_ready(std::exchange(other.m_ready, nullptr)),
        m_put_in_place(std::exchange(other.m_put_in_place, 0)),
        m_spare(std::exchange(other.m_spare, nullptr)), m_ahead(std::move(other.m_ahead)) {
    other.m_blocks.clear();
  }
  BlockVector& operator=(BlockVector&& other) noexcept {
    if (this != &other) {
      release();
      m_blocks = std::move(other.m_blocks);
      other.m_blocks.clear();
      m_size = std::exchange(other.m_size, 0);
      m_next = std::exchange(other.m_next, nullptr);
      m_ready = std::exchange(other.m_ready, nullptr);
      m_put_in_place = std::exchange(other.m_put_in_place, 0);
      m_spare = std::exchange(other.m_spare, nullptr);
      m_ahead = std::move(other.m_ahead);
    }
    return *this;
  }
  BlockVector(const BlockVector&) = delete;
  BlockVector& operator=(const BlockVector&) = delete;
  ~BlockVector() { release(); }

  /// Number of elements.
  std::size_t size() const { return m_size; }
  bool empty() const { return m_size == 0; }
  /// Element `i`.
  T& operator[](std::size_t i) { return *at(i); }
  /// Element `i`.
  const T& operator[](std::size_t i) const { return *at(i); }
  /// Appends a value-initialised element and returns it, to be filled in place (an element
  /// built aside and copied in is read back while its writes are still under way, which
  /// stalls).
  T& emplace_back() {
    if (m_next == m_ready) make_ready();
    T* const at = m_next++;
    ++m_size;
    return *::new (static_cast<void*>(at)) T();
  }
  /// Appends an element left unwritten and returns where it lies, for the caller to write
  /// before anything reads it (stream_into(), say).
  T* push_back_unwritten() {
    if (m_next == m_ready) make_ready();
    ++m_size;
    return m_next++;
  }
  /// Bytes taken by its blocks (put in place or not), the one allocated ahead included.
  std::size_t block_bytes() const {
    std::size_t bytes = 0;
    for (std::size_t b = 0; b < m_blocks.size(); ++b) bytes += bytes_of(b);
    return bytes + (m_spare ? bytes_of(m_blocks.size()) : 0);
  }

private:
  /// Bytes of block `b`.
  static std::size_t bytes_of(std::size_t b) { return (std::size_t{1} << b) * sizeof(T); }
  /// Blocks of this many bytes or more have their pages put in place ahead of the elements.
  static constexpr std::size_t k_populate_from = std::size_t{1} << 16;
  /// Bytes put in place at a time.
  static constexpr std::size_t k_populate_step = std::size_t{1} << 18;
  /// The next block is allocated ahead (for the helper) when it has this many bytes or more.
  static constexpr std::size_t k_spare_from = k_huge_page;
  static_assert(k_spare_from >= k_populate_step);
  // (An element larger than a step would never fit in what a step makes ready.)
  static_assert(sizeof(T) <= k_populate_step);
  /// Element `i`: block b holds elements 2^b − 1 to 2^(b+1) − 2.
  T* at(std::size_t i) const {
    const std::size_t j = i + 1;
    const auto block = static_cast<std::size_t>(std::bit_width(j)) - 1;
    return m_blocks[block] + (j - (std::size_t{1} << block));
  }

  /// Makes room for the next element: the next step of the last block, or the first of a new
  /// block, put in place (by the helper, when it was asked for, or now); then asks the helper
  /// for the step after.
  void make_ready() {
    if (m_blocks.empty() || m_put_in_place == bytes_of(m_blocks.size() - 1)) {
      m_blocks.reserve(m_blocks.size() + 1);
      T* const block = m_spare ? std::exchange(m_spare, nullptr) : allocate(m_blocks.size());
      m_blocks.push_back(block);
      m_put_in_place = 0;
      m_next = block;
    }
    T* const block = m_blocks.back();
    const std::size_t bytes = bytes_of(m_blocks.size() - 1);
    const std::size_t from = m_put_in_place;
    m_put_in_place = std::min(from + k_populate_step, bytes);
    // (An element across the end of what is put in place waits for the next step.)
    m_ready = block + m_put_in_place / sizeof(T);
    char* const step = reinterpret_cast<char*>(block) + from;
    if (m_ahead.memory() == step) {
      m_ahead.take();
    } else if (m_put_in_place - from >= k_populate_from) {
      // (A block of a few pages is left to fault them in: not worth a system call.)
      populate(step, m_put_in_place - from);
    }
    // The step after, in this block or the next.
    if (m_put_in_place < bytes) {
      const std::size_t after = std::min(m_put_in_place + k_populate_step, bytes) - m_put_in_place;
      if (after >= k_populate_from)
        m_ahead.ask(reinterpret_cast<char*>(block) + m_put_in_place, after);
    } else if (const std::size_t next = bytes_of(m_blocks.size()); next >= k_spare_from) {
      // (Only a help: without memory for it, the next block is allocated when it is reached.)
      try {
        m_spare = allocate(m_blocks.size());
      } catch (const std::bad_alloc&) {
        return;
      }
      m_ahead.ask(m_spare, k_populate_step);
    }
  }
  /// A new block `b`: blocks of a huge page or more are mapped on their own (allocate_big()).
  static T* allocate(std::size_t b) {
    const std::size_t bytes = bytes_of(b);
    return mapped_apart(bytes)
               ? static_cast<T*>(allocate_big(bytes))
               : static_cast<T*>(::operator new (bytes, std::align_val_t{k_block_alignment}));
  }
  static void free(T* block, std::size_t b) noexcept {
    if (mapped_apart(bytes_of(b))) {
      free_big(block, bytes_of(b));
    } else {
      ::operator delete (block, std::align_val_t{k_block_alignment});
    }
  }
  static bool mapped_apart(std::size_t bytes) { return k_big_pages_mapped && bytes >= k_huge_page; }
  void release() noexcept {
    m_ahead.take();
    if (m_spare) free(std::exchange(m_spare, nullptr), m_blocks.size());
    for (std::size_t b = 0; b < m_blocks.size(); ++b) free(m_blocks[b], b);
    m_blocks.clear();
  }

  std::vector<T*> m_blocks;
  std::size_t m_size = 0;
  T* m_next = nullptr;            ///< where the next element goes
  T* m_ready = nullptr;           ///< the end of the elements put in place in the last block
  std::size_t m_put_in_place = 0; ///< bytes of the last block put in place
  T* m_spare = nullptr;           ///< the next block, allocated for m_ahead
  PagesAhead m_ahead;             ///< the step after m_ready's, asked of the helper
};

/// A kept observation, 24 bytes.
struct Point {
  std::int32_t period = 0;   ///< Period::code()
  std::uint16_t unit = 0;    ///< id of the unit
  std::uint8_t input = 0;    ///< which input it came from
  std::uint8_t flags = 0;    ///< k_has_value, k_wide, k_double
  std::int64_t mantissa = 0; ///< the value, an index into the wide values, or a double's bits
  std::uint32_t line = 0;    ///< its line in the input (saturates at 2^32 − 1)
  std::int8_t scale = 0;
  Qualifiers qualifiers;
  /// 1 in a point a Kept holds (SeriesStore::Kept::count()), in what is otherwise padding.
  std::uint8_t kept = 0;
};
static_assert(sizeof(Point) == 24);

/// A selected series by its two kept ends (Retention::Keep::ends), without Observations made
/// of them: what growth writes most rows from.
struct QuickEnds {
  /// The rest is set: the series has two kept points, the first of an earlier period, both
  /// with a value of at most 18 digits, in one unit, without qualifiers.
  bool quick = false;
  std::string_view entity, indicator, unit;
  std::int32_t from = 0, to = 0; ///< the points' periods (Period::code())
  Decimal from_value, to_value;

  /// True when it is quick and its ends are the periods asked for (those given): then
  /// stats::growth() takes these two points.
  bool ends_at(const std::optional<Period>& asked_from,
               const std::optional<Period>& asked_to) const {
    return quick && (!asked_from || asked_from->code() == from) &&
           (!asked_to || asked_to->code() == to);
  }
  /// stats::value_growth() of its two values over `years` (from its periods), as
  /// stats::growth_between() works it out.
  stats::ValueGrowth growth(double years) const {
    return growth(years, minus(to_value, from_value));
  }
  /// growth(), with its change (to_value − from_value) made already.
  stats::ValueGrowth growth(double years, const Number& change) const {
    if (const auto* exact = std::get_if<Decimal>(&change)) return growth(years, *exact);
    return stats::value_growth(years, unit == "%", Number(from_value), Number(to_value), change);
  }
  /// growth() of an exact change, without a Number made of each value.
  stats::ValueGrowth growth(double years, const Decimal& change) const {
    return stats::value_growth(years, unit == "%", from_value, to_value, change);
  }
};

/// The partial describe totals of one chunk: per indicator, per period code.
struct ChunkTotals {
  struct Indicator {
    std::string id;
    std::vector<std::pair<std::int32_t, stats::Aggregate>> periods;
  };
  std::vector<Indicator> indicators;
  /// Empties it, keeping nothing.
  void clear() { indicators.clear(); }
};

/// Makes a chunk's describe totals beside its parser, in the order of its rows: the facts a
/// compacting parse writes over as they go (RetiredFacts), the facts of each run before them
/// once its run is over, the rest at finish(). A figure's (indicator, period) gets at most one
/// fact of each compacted run (its periods are all different), so every total takes its figures
/// in the order of the rows, as add_totals() takes them from a chunk not compacted.
class ChunkTotaller final : public RetiredFacts {
public:
  /// Adds to `totals`, leaving out the facts whose indexes are in `skipped` (sorted; the
  /// vector outlives the totaller).
  ChunkTotaller(const Filter& filter, ChunkTotals& totals,
                const std::vector<std::uint32_t>& skipped);
  ~ChunkTotaller() override;
  ChunkTotaller(const ChunkTotaller&) = delete;
  ChunkTotaller& operator=(const ChunkTotaller&) = delete;

  void retire(const ParsedChunk& parsed, std::size_t run, const RawFact& fact) override;
  /// Empties the totals and forgets every fact taken.
  void restart() override;
  /// Adds the facts of the runs not added yet, and closes the totals.
  void finish(const ParsedChunk& parsed);
  /// How many facts retire() took since the start or the last restart().
  std::size_t retired() const { return m_retired; }

private:
  struct State;
  /// Adds the facts of runs up to `end` (not included) not added yet.
  void add_runs(const ParsedChunk& parsed, std::size_t end);
  const Filter& m_filter;
  ChunkTotals& m_totals;
  const std::vector<std::uint32_t>& m_skipped;
  std::unique_ptr<State> m_state;
  std::size_t m_added_runs = 0; ///< runs whose facts are added
  std::size_t m_retired = 0;
};

/// Adds the selected facts of a chunk to its describe totals (run beside the parser), leaving
/// out the facts whose indexes are in `skipped` (sorted).
void add_totals(const ParsedChunk& parsed, const Filter& filter, ChunkTotals& totals,
                const std::vector<std::uint32_t>& skipped = {});

/// Thrown by SeriesStore::add() when a run the parser compacted (parse_chunk()) must go fact
/// by fact: its facts are not all there, and the inputs must be parsed again without compacting.
struct FactsLeftOut {};

/// Thrown by SeriesStore::add() at a 65 537th distinct unit, more than a Point's 16-bit unit
/// id tells apart: the inputs must be read whole (stream() declines them).
struct TooManyUnits {};

/// Keys of rows that repeat an earlier row's key, each (series << 32 | period code), sorted:
/// series are numbered in order of first appearance, the same in every pass over the same
/// inputs.
using RepeatKeys = std::vector<std::uint64_t>;

/// What `jjstat list` shows of an indicator (SeriesStore::listing()).
struct IndicatorListing {
  std::string_view id, category, name_zh, name_en;
  std::vector<std::string_view> units; ///< its rows' distinct units, in order of appearance
  std::size_t figures = 0;             ///< its figures (distinct entity and period), all entities
};

/// The series and checks of everything streamed so far.
class SeriesStore {
public:
  /// A store keeping what `retention` says of the series `filter` selects.
  SeriesStore(Retention retention, Filter filter);

  /// Adds the facts of a parsed chunk of input `input` named `source` (its columns as in
  /// `layout`), whose first line is
  /// `first_line`, in order; throws the DataError the full loader would (then the chunk's own
  /// parse error, if any), or FactsLeftOut.
  void add(const ParsedChunk& parsed, const Layout& layout, std::size_t first_line,
           std::uint8_t input, const std::string& source);
  /// Merges a chunk's describe totals (after add() of the same chunk).
  void add_totals(const ChunkTotals& totals);
  /// The categories of a categories table (the embedded data's), in its order: finish() puts
  /// them first, as the full loader does, then the others in order of first appearance.
  void order_categories(std::vector<std::string> table) { m_category_table = std::move(table); }
  /// Adds a figure computed by jjstat (a derived figure of the embedded data, whose indicator
  /// is `about`), after the rows: its value may be a double. False, having added nothing of it,
  /// when its indicator came in the data or its key is held already: then the full loader must
  /// take over (the store is not used).
  bool add_computed(const Observation& figure, const IndicatorInfo& about);
  /// Selects, besides what the filter selects, only the indicators of category `id` (empty:
  /// those without one), as finish() finds their categories once every row gave its own: the
  /// others' series are kept like any until then, and let go of there.
  void select_category(std::string id) { m_category = std::move(id); }
  /// Puts the indicators in the order the full loader gives them once everything is added:
  /// grouped by category (those of order_categories() first, the others in order of first
  /// appearance), then by first appearance; then drops the indicators of other categories than
  /// select_category()'s from the selection. Indexes of indicators change; nothing may be added
  /// after.
  void finish();
  /// The categories, after finish(), as the full loader lists them: those of
  /// order_categories(), then those of the indicators in order of first appearance (an
  /// indicator without one gives the empty category).
  const std::vector<std::string>& categories() const { return m_categories; }
  /// Number of figures held of entity `id` (distinct indicator and period), selected or not; 0
  /// when it was not seen.
  std::size_t figures_of_entity(std::string_view id) const;
  /// Number of series of indicator `id`, selected or not; 0 when it was not seen.
  std::size_t series_of_indicator(std::string_view id) const;
  /// The facts of the last chunk added that repeated an earlier row and were left out.
  const std::vector<std::uint32_t>& skipped() const { return m_skipped; }

  /// A row repeating the key of an earlier row is compared with it, as the whole-file path
  /// compares them. The store holds the earlier figure when it is the row right before or
  /// one the command keeps; otherwise (the figure is gone) the row is, by default, an error.
  /// After defer_repeats(), such a row is left out and its key noted (repeats_found()), for a
  /// second pass over the inputs that knows them: expect_repeats() keeps the first figure of
  /// each of those keys aside, so that the later rows are compared with it.
  void defer_repeats() { m_defer_repeats = true; }
  /// Leaves series untracked: a series the filter does not select, any under `describe`
  /// (whose totals come from the parsers), and a selected one whose ends or latest figure are
  /// kept (Keep::ends, Keep::latest), read as runs that need no closer look (simple, of one of
  /// the first 64 indicators, without metadata; in a piece whose runs are of two rows or more
  /// on average, not a file in no order), gets no record: its entity notes that it has the
  /// indicator, its figures are counted, a selected one keeps its run's picks in its Kept (with
  /// its number of periods), and a series that comes back after another series' rows (its
  /// earlier periods gone) throws FactsLeftOut: the inputs must be read again with every series
  /// recorded. A million series of a query about a few are then a million records (and their
  /// memory, fresh pages) fewer; a million series of growth keep 64 bytes each (their Kept),
  /// and 4 for their place in their indicator's list, instead of 96. Such a series that comes
  /// back gets its record then, from its Kept (promote()), when that can be found.
  void leave_untracked() {
    m_lean = true;
    m_untrack_selected = m_retention.keep == Retention::Keep::nothing && m_retention.describe;
  }
  /// Number of series recorded (selected or not): those leave_untracked() left out are not.
  std::size_t recorded_series() const { return m_series.size(); }
  /// True when some series was left untracked: the series are then numbered otherwise than
  /// with every series recorded, and repeats_found() names series by those numbers.
  bool left_untracked() const { return m_untracked != 0; }
  bool found_repeats() const { return !m_repeats_found.empty(); }
  /// The keys noted, sorted, each once.
  RepeatKeys repeats_found() const;
  void expect_repeats(RepeatKeys keys);

  /// The indicator ids seen, in order of first appearance.
  const std::vector<std::string>& indicators() const { return m_indicator_ids; }
  /// The entity ids seen, in order of first appearance.
  const std::deque<std::string>& entities() const { return m_entities; }
  /// Number of series of a selected indicator and entity, and of those with one period only.
  std::size_t single_period_series() const;

  /// Calls `visit(series)` for every selected series, by indicator then first appearance, with
  /// its kept observations as Observations, sorted by period.
  void for_each_series(const std::function<void(const stats::Series&)>& visit) const;
  /// The same for the series of one indicator, those from `begin` to `end` (in its order).
  void for_each_series_of(std::uint32_t indicator,
                          const std::function<void(const stats::Series&)>& visit,
                          std::size_t begin = 0, std::size_t end = SIZE_MAX) const;
  /// Series `k` of indicator `indicator` (in its order, below series_counts()[indicator]) as
  /// for_each_series_of() gives it, made in `view` with its figures in `figures`: both are the
  /// caller's, their buffers kept from call to call. `view` points into `figures`.
  void view_series(std::uint32_t indicator, std::size_t k, stats::Series& view,
                   std::vector<Observation>& figures) const;
  /// Asks for the memory of the series of `indicator` that come a few after series `k`, so
  /// that viewing them one by one in order (view_series) does not wait for each.
  void ask_ahead_of(std::uint32_t indicator, std::size_t k) const;
  /// Asks for the memory of series `k` of `indicator`, so that viewing series in any order
  /// (view_series) does not wait for each, in three steps a few turns apart, each reading what
  /// the step before asked for: 0 its place in the indicator's list, 1 its record and what is
  /// kept of it, 2 its entity's name.
  void ask_for(std::uint32_t indicator, std::size_t k, int step) const;
  /// The latest period of any figure of the series of `indicator` (those view_series() makes),
  /// found without making them; nullopt when they have none.
  std::optional<Period> latest_of(std::uint32_t indicator) const;
  /// The series of `indicator` from `begin` to `end` (in its order) by their kept ends, into
  /// `out` (resized to their number, its elements written over): QuickEnds::quick is false for
  /// those that are not plain, and for all unless the store keeps ends; the other members of
  /// an element not quick are left as they were.
  void quick_ends(std::uint32_t indicator, std::size_t begin, std::size_t end,
                  std::vector<QuickEnds>& out) const;
  /// The value of period `code` of series `k` of `indicator` (in its order) when the store
  /// keeps the latest figure or the one asked for (Retention::Keep::latest), and that unit:
  /// what a ranking by value reads from the series' figures; nullopt and an empty unit when it
  /// has no value there. False when the store keeps something else.
  bool kept_value(std::uint32_t indicator, std::size_t k, std::int32_t code,
                  std::optional<Number>& value, std::string& unit) const;
  /// Number of selected series of each indicator, by indicator index.
  std::vector<std::size_t> series_counts() const;
  /// The unit of the first selected row of indicator `indicator` (by index), in input order:
  /// the unit the loader gives a ranking's rows that have no measure.
  const std::string& first_selected_unit(std::uint32_t indicator) const {
    return m_indicators[indicator].first_selected_unit;
  }
  /// The unit of the first selected row of the first indicator (in order of appearance) that
  /// has one: the first figure of a pooled ranking, whose figures go indicator by indicator;
  /// empty when none is selected.
  const std::string& first_selected_unit() const;
  /// The name a row of indicator `id` gave it (name_zh with `chinese`, else name_en); empty
  /// when none did or the indicator was not seen.
  std::string indicator_name(std::string_view id, bool chinese) const;
  /// Every indicator after finish(), in its order, with its units and number of figures (the
  /// rows of every entity, selected or not, a repeated row once): views into the store.
  std::vector<IndicatorListing> listing() const;
  /// The kept observations of one selected indicator, in order (for rankings).
  std::vector<Observation> observations_of(const std::string& indicator) const;
  /// The describe totals, by indicator in order of appearance, then period.
  std::vector<stats::Description> descriptions() const;
  /// Calls `use` with each of descriptions() in turn, made one at a time (none kept).
  void each_description(const std::function<void(const stats::Description&)>& use) const;

private:
  struct Indicator {
    std::string id;
    std::string unit;      ///< unit of its first row
    std::string
        first_selected_unit; ///< unit of its first selected row (when `series` is not empty)
    std::string origin;    ///< "source:line" of its first row
    PeriodKind kind = PeriodKind::year;
    std::vector<std::uint16_t> units_checked;
    std::string category, name_zh, name_en; ///< as its rows give them (agree_names())
    bool selected = false;
    bool computed = false;             ///< made by add_computed(), not by a row
    /// Its selected series, in order of appearance: each its number in m_series, or
    /// k_kept_only for one that has only what is kept of it (leave_untracked()). (A million
    /// series of one indicator: growing never copies them, and its pages are put in place
    /// ahead, as m_series'.)
    BlockVector<std::uint32_t> series;
    std::size_t all_series = 0;        ///< its series, selected or not
    std::size_t untracked_figures = 0; ///< figures of its untracked series (leave_untracked())
  };
  struct Series {
    std::uint32_t entity = 0;
    /// Its indicator's index while rows are added (finish() renumbers the indicators but not
    /// this: indicator_now() gives its index after).
    std::uint32_t indicator = 0;
    /// Month index of the window `seen` covers, 64 steps from here: the first period seen,
    /// later moved up as periods come past the window (mark_seen()).
    std::int32_t base = 0;
    /// Month index of its earliest period while `base` moved up: every step from here to
    /// `base` is seen but those in m_gaps.
    std::int32_t first = 0;
    /// Periods seen, one bit per step from `base`; 0 until its first row (a window that moves
    /// keeps the period that moved it).
    std::uint64_t seen = 0;
    /// Selected: index into m_all (Keep::all), or into its indicator's m_kept, where it is
    /// its place among the indicator's selected series (Indicator::series).
    std::uint32_t slot = 0;
    bool selected = false;
    bool far = false; ///< some of its periods are in m_far_periods
    /// Some of its periods are expected to repeat (expect_repeats()): it goes row by row, and
    /// the first figure of such a period is kept in m_first_figures.
    bool repeats = false;
  };
  // Half a cache line: the in-order pass writes a million of them, each into memory touched
  // for the first time, which costs more than the writing (bench/README.md, "Engine notes").
  // What a series needs less often lies beside it: the next series of its entity in
  // m_series_next, the count of its periods worked out (periods_of()), the row before in
  // m_prev.
  static_assert(sizeof(Series) == 32);

  /// Adds a whole run of facts of series `index` at once, from its summary; false (having
  /// changed nothing but checked the head) when the run needs to go fact by fact.
  bool add_run(const ParsedChunk& parsed, const RunSummary& run, std::size_t begin, std::size_t end,
               std::uint32_t index, std::size_t line_base, std::uint8_t input,
               const std::string& source);
  /// Adds a run of series (`entity`, `indicator`) untracked (leave_untracked()) when it may
  /// be: true when it was, false when it goes as any run; throws FactsLeftOut when its series
  /// was untracked before and cannot take it. A selected series keeps the run's picks in its
  /// Kept (the points of input `input`), as add_run() would.
  bool add_untracked(const ParsedChunk& parsed, const RunSummary& run, std::size_t begin,
                     std::uint32_t entity, std::uint32_t indicator, std::size_t line_base,
                     std::uint8_t input, const std::string& source);
  /// Adds one fact, of unit `unit` (what check_indicator() found); false when it repeats an
  /// earlier row and is left out.
  bool add_fact(const ParsedChunk& parsed, const RawFact& fact, std::uint16_t unit,
                std::uint32_t series_index, std::size_t line_base, std::uint8_t input,
                const std::string& source);
  /// Checks a fact against its indicator (one kind of quantity, one kind of period) as the
  /// full loader does; returns the id of its unit, and remembers it for the next fact, which
  /// has it too when it is marked RawFact::k_same_unit.
  std::uint16_t check_indicator(const ParsedChunk& parsed, const RawFact& fact, Indicator& info,
                                std::size_t line_base, const std::string& source);
  std::uint32_t indicator_of(std::string_view id, const RawFact& fact, std::size_t line,
                             const std::string& source);
  /// The index of indicator `id` among the first 32 indicators; UINT32_MAX when it is not one.
  std::uint32_t among_first_indicators(std::string_view id) const;
  /// Adds indicator `id`, first given with `unit` and a period of `kind` at `origin`
  /// ("source:line"); returns its index.
  std::uint32_t new_indicator(std::string_view id, std::string_view unit, std::string origin,
                              PeriodKind kind);
  /// Checks the names and category of fact `i`'s row (ParsedChunk::meta) against those its
  /// indicator's rows gave before, as the full loader does: an empty cell agrees with any, the
  /// first given is kept, another is an error at the cell.
  void agree_names(const ParsedChunk& parsed, std::size_t i, Indicator& info, std::size_t line_base,
                   const std::string& source);
  /// Remembers the reported rank of fact `i`'s row (of a selected series, added as point
  /// `point`), for the observations made of the points kept.
  void remember_rank(const ParsedChunk& parsed, std::size_t i, std::uint8_t input,
                     std::size_t line);
  /// The number of `entity`, made when new; `known_hash` is its entity_hash() (0: not known).
  std::uint32_t entity_of(std::string_view entity, std::uint64_t known_hash = 0);
  /// The number of `entity`; UINT32_MAX when it was not seen.
  std::uint32_t find_entity(std::string_view entity) const;
  /// The series of `entity` and `indicator`, made when new; `unit` is that of its first row
  /// (the row being added).
  std::uint32_t series_of(std::uint32_t entity, std::uint32_t indicator, std::string_view unit);
  std::uint16_t unit_of(std::string_view unit);
  /// Writes into `point` the point of a fact whose unit has id `unit`, field by field where it
  /// is kept (a point made aside and copied in is read back while its writes are still under
  /// way, which stalls: add_run() keeps two or three for every run); a value too wide for 64
  /// bits is appended to `wide` (the point's mantissa its index there).
  void fill_point(Point& point, const ParsedChunk& parsed, const RawFact& fact, std::uint16_t unit,
                  std::size_t line, std::uint8_t input, std::vector<Decimal>& wide) {
    point.period = fact.period;
    point.unit = unit;
    point.input = input;
    point.flags = fact.flags & RawFact::k_has_value;
    point.mantissa = fact.mantissa;
    point.line = static_cast<std::uint32_t>(std::min<std::size_t>(line, UINT32_MAX));
    point.scale = fact.scale;
    point.qualifiers = fact.qualifiers;
    if (fact.flags & RawFact::k_wide) hold_wide(parsed, fact, point, wide);
  }
  /// The point fill_point() writes, made aside.
  Point point_of(const ParsedChunk& parsed, const RawFact& fact, std::uint16_t unit,
                 std::size_t line, std::uint8_t input, std::vector<Decimal>& wide) {
    Point point;
    fill_point(point, parsed, fact, unit, line, input, wide);
    return point;
  }
  /// Marks `point` as one of a value too wide for 64 bits, the value appended to `wide`.
  static void hold_wide(const ParsedChunk& parsed, const RawFact& fact, Point& point,
                        std::vector<Decimal>& wide);
  /// The same, the value (if that wide) appended to m_wide: a point the store takes.
  Point point_of(const ParsedChunk& parsed, const RawFact& fact, std::uint16_t unit,
                 std::size_t line, std::uint8_t input) {
    return point_of(parsed, fact, unit, line, input, m_wide);
  }
  Number value_of(const Point& point) const;
  std::string describe_point(const Point& point) const;
  /// Goes through the selected series of `indicator` from `begin` to `end` (in its order):
  /// `point(entity, point)` for each point kept of it, then `done(entity, periods)`, `entity`
  /// its entity's number and `periods` its number of distinct periods (periods_of()).
  template <typename PointVisit, typename Done>
  void each_kept(std::uint32_t indicator, std::size_t begin, std::size_t end, PointVisit&& point,
                 Done&& done) const;
  /// Asks for the series each_kept() will read eight turns after series `k` of `all` (below
  /// `stop`).
  void ask_ahead(const BlockVector<std::uint32_t>& all, std::size_t k, std::size_t stop) const;
  /// each_kept() made into views: `visit(view)` for each series, `view` pointing into
  /// `figures` (their buffers kept from series to series).
  template <typename Visit>
  void views(std::uint32_t indicator, std::size_t begin, std::size_t end, stats::Series& view,
             std::vector<Observation>& figures, Visit&& visit) const;
  /// Sets `obs` to the observation of a kept point of a series of `indicator` (its strings keep
  /// their buffers).
  void fill_observation(Observation& obs, std::uint32_t indicator, std::uint32_t entity,
                        const Point& point) const;
  void keep(Series& series, const Point& point);
  struct Kept;
  /// keep() into what is kept of a series (Keep::ends or Keep::latest).
  void keep_in(Kept& held, const Point& point) const;
  /// The run's picks into `held`, as add_run() keeps them (Keep::ends or Keep::latest); each
  /// point's line is `line_base` plus its fact's.
  void keep_picks(Kept& held, const ParsedChunk& parsed, const RunSummary& run, std::uint16_t unit,
                  std::size_t line_base, std::uint8_t input);
  /// The figure of `period` the store holds of series `index` (the row before's, when it is of
  /// that series, or one kept); null when it holds none.
  const Point* known_point(std::uint32_t index, std::int32_t period) const;
  /// The last row added (its figure), and its series (UINT32_MAX: none yet): a row that repeats
  /// it comes right after it. (Kept once for the store, not once for each series: a series of a
  /// sorted file has its rows together, and an identical repeat elsewhere is found among the
  /// figures kept, or else by reading the files again, or is the error of standard input.)
  Point m_prev;
  std::uint32_t m_prev_series = UINT32_MAX;
  /// The distinct periods of series `index`: those its window holds, plus the steps from its
  /// first period to its window (those that are not gaps), plus its far periods.
  std::uint32_t periods_of(const Series& series, std::uint32_t index) const;
  /// For a series whose window moved or that has far periods: its far periods less its gaps
  /// (periods_of()).
  std::unordered_map<std::uint32_t, std::int64_t> m_period_adjust;
  /// The index of the indicator of `series` now (finish() may have moved it).
  std::uint32_t indicator_now(const Series& series) const {
    return m_moved_to.empty() ? series.indicator : m_moved_to[series.indicator];
  }
  /// Remembers the figures of a wide table's row (facts `begin` to `end`, of series `series`),
  /// which the next row may repeat; after a row of the same series, the figures remembered of
  /// it stay and only new periods are added.
  void remember_row(const ParsedChunk& parsed, std::size_t begin, std::size_t end,
                    std::uint32_t series, std::size_t line_base, std::uint8_t input);
  bool mark_seen(std::uint32_t index, Series& series, std::int32_t code, PeriodKind kind);

  Retention m_retention;
  AskedPeriods m_asked; ///< the retention's periods as codes
  std::vector<std::string> m_category_table; ///< order_categories()
  Filter m_filter;
  Layout m_layout;
  std::vector<Indicator> m_indicators;
  std::vector<std::string> m_indicator_ids;
  /// Where finish() moved each indicator (by index before it), when it moved them; empty
  /// otherwise (Series::indicator keeps the index before).
  std::vector<std::uint32_t> m_moved_to;
  std::optional<std::string> m_category; ///< select_category()
  std::vector<std::string> m_categories; ///< categories(), made by finish()
  /// finish()'s ordering of the indicators.
  void order_indicators(const std::vector<std::uint32_t>& rank);
  /// finish()'s selection by category: the series of other categories unselected.
  void keep_category(const std::string& category);
  std::unordered_map<std::string, std::uint32_t> m_indicator_index;
  std::deque<std::string> m_entities;
  /// entity_of()'s hash table: each slot entity_slot() of an entity (0: empty). Mapped on its
  /// own from 2 MiB on, as m_series_slots (on huge pages when asked for: rows in no order look
  /// it up anywhere).
  std::vector<std::uint64_t, BigPages<std::uint64_t>> m_entity_slots;
  /// A slot of m_entity_slots: the high half of the entity's hash, then its number + 1.
  static std::uint64_t entity_slot(std::uint64_t hash, std::uint32_t entity) {
    return (hash & ~std::uint64_t{0xFFFFFFFF}) | (std::uint64_t{entity} + 1);
  }
  /// True when `slot` holds an entity whose hash has the high half of `hash`.
  static bool same_hash_half(std::uint64_t slot, std::uint64_t hash) {
    return ((slot ^ hash) >> 32) == 0;
  }
  /// Each entity's hash. (This and the other tables an entity gets when it is new grow
  /// without copying, their pages put in place ahead: a hundred thousand entities would
  /// otherwise fault in each table's pages twice over as it doubles.)
  BlockVector<std::uint64_t> m_entity_hashes;
  std::vector<std::string> m_units;
  /// The units past the first k_units_scanned, by name (a file may give thousands).
  std::unordered_map<std::string, std::uint16_t> m_unit_index;
  static constexpr std::size_t k_units_scanned = 16;
  BlockVector<Series> m_series; ///< growing never copies a million series at once
  /// Each series' next series of the same entity (UINT32_MAX: none), by series.
  BlockVector<std::uint32_t> m_series_next;
  std::vector<std::uint32_t>
      m_entity_first; ///< each entity's first series (list via m_series_next)
  std::vector<std::uint32_t> m_entity_last;  ///< each entity's last series
  std::vector<std::uint64_t> m_entity_indicators; ///< bit i: the entity has indicator i (i < 64)
  bool m_lean = false;                            ///< leave_untracked()
  /// Selected series are left untracked too: describe keeps nothing of any (leave_untracked()).
  bool m_untrack_selected = false;
  /// Bit i: the entity has an untracked series of indicator i (leave_untracked()).
  BlockVector<std::uint64_t> m_entity_untracked;
  BlockVector<std::uint32_t> m_entity_untracked_figures; ///< figures of its untracked series
  /// The last untracked series a run went to, and its periods so far (as Series::base and
  /// Series::seen): the next piece's first run may go on with it.
  struct LastUntracked {
    std::uint32_t entity = UINT32_MAX, indicator = UINT32_MAX;
    std::int32_t base = 0;
    std::uint64_t seen = 0;
    /// Selected: its place in its indicator's m_kept (UINT32_MAX: not selected).
    std::uint32_t kept = UINT32_MAX;
  };
  LastUntracked m_last_untracked;
  /// A Kept was streamed into place since the last stream_fence() (add()).
  bool m_streamed = false;
  std::size_t m_untracked = 0; ///< series left untracked
  /// The series by (entity, indicator), once a row's series had to be looked for among its
  /// entity's (rows of a series apart: a file sorted by period, or in no order); a sorted file
  /// never needs it. Open addressing, probed linearly, at most three quarters full.
  struct SeriesSlot {
    std::uint64_t key = 0;   ///< entity << 32 | indicator
    std::uint32_t index = 0; ///< the series + 1; 0: empty
  };
  /// Mapped on its own from 2 MiB on, on huge pages when asked for: rows in no order look it up
  /// anywhere, and each 4 KiB page is a miss of the processor's address cache (the 10M panel
  /// shuffled, `rank`, on the machine of 2026-12-02: 0.86x the time on huge pages back to back,
  /// 0.95x with DuckDB run before each run).
  std::vector<SeriesSlot, BigPages<SeriesSlot>> m_series_slots;
  /// Where a series' probe starts: entity × m_series_stride + indicator when most entities have
  /// most indicators (then the rows of a file sorted by period, entity after entity, look up
  /// neighbouring slots, which the processor fetches ahead); a hash of both when the stride is 0.
  std::size_t m_series_stride = 0;
  /// The series of `entity` and `indicator` found along the entity's list (series_of(), before
  /// m_series_slots is built); UINT32_MAX when the list has none; k_not_walked when the rows
  /// have been in no order so far, or the list is longer than k_walk_steps: then look it up in
  /// m_series_slots.
  std::uint32_t walk_entity(std::uint32_t entity, std::uint32_t indicator);
  static constexpr std::uint32_t k_not_walked = UINT32_MAX - 1;
  static constexpr std::size_t k_walk_steps = 16; ///< series walked at most in a list
  static constexpr std::size_t k_walks_free = 64; ///< walks allowed whatever the guesses did
  std::size_t m_followed = 0; ///< rows whose series came right after the last run's (series_of())
  std::size_t m_walked = 0;   ///< walks of an entity's list (walk_entity())
  /// Enters series `index` into m_series_slots, growing it (and entering every series) first
  /// when it is full or empty.
  void index_series(std::uint32_t index);
  /// The series of (entity, indicator) in m_series_slots; UINT32_MAX when there is none.
  std::uint32_t indexed_series(std::uint32_t entity, std::uint32_t indicator) const;
  /// Where the probe for (entity, indicator) starts in m_series_slots.
  std::size_t series_slot(std::uint32_t entity, std::uint32_t indicator) const;
  /// (series << 32 | code) of periods seen that neither `seen` nor the steps from `first` to
  /// `base` hold (the window could not move that far).
  std::unordered_set<std::uint64_t> m_far_periods;
  /// (series << 32 | code) of the periods from a series' `first` to its `base` not seen.
  std::unordered_set<std::uint64_t> m_gaps;
  /// Moves the window of `series` (number `index`) up so that `month`, above it, is its last
  /// step, or makes `first` `month`, below it: the steps left between become gaps. False
  /// (having changed nothing) when that would make more than 64 gaps.
  bool move_window(std::uint32_t index, Series& series, std::int32_t month, PeriodKind kind);
  /// Moves the window of `series` down to start at `month`, below its first period, and marks
  /// `periods` (one bit per step from `month`) seen, when the window still holds every period
  /// seen and none of `periods` was (no gaps to note). False, having changed nothing, otherwise.
  static bool move_window_down(Series& series, std::int32_t month, PeriodKind kind,
                               std::uint64_t periods);
  std::vector<Decimal> m_wide;                     ///< values too wide for 64 bits
  std::vector<std::vector<Point>> m_all;           ///< Keep::all: every point of a series
  /// Keep::ends and latest: what is kept of a selected series, apart from the series (most
  /// series of a query are not selected). A series left untracked (leave_untracked()) has
  /// only this: its place in Indicator::series says k_kept_only.
  struct Kept {
    std::array<Point, 2> points; ///< the start or the latest, and the end
    std::uint32_t entity = 0;    ///< the series' entity
    /// Of a series that has no record (k_kept_only): its periods, as Series::base and
    /// Series::seen have them (an untracked series' periods all lie in its window), so that
    /// it can be given a record when it comes back (promote()).
    std::int32_t base = 0;
    std::uint64_t seen = 0;
    /// Bit k: points[k] is set (Point::kept, which keeps a Kept to one cache line).
    unsigned count() const { return points[0].kept | (points[1].kept << 1U); }
    /// Sets points[k] to `point`.
    void set(std::size_t k, const Point& point) {
      points[k] = point;
      points[k].kept = 1;
    }
  };
  static_assert(sizeof(Kept) == 64);
  /// Gives series (`entity`, `indicator`), left untracked with only its Kept, a record made of
  /// what its Kept holds, when it comes back after other series' rows: its periods, its
  /// points, its place among its indicator's series. False, having changed nothing, when it
  /// keeps nothing (its periods are gone), or when its Kept cannot be found without an index
  /// (its indicator's are not in order of entity: the inputs are read again).
  bool promote(std::uint32_t entity, std::uint32_t indicator);
  /// Appends `held` to indicator `indicator`'s Kept (series_of(), add_untracked()), noting
  /// whether they stay in order of entity; returns its place there. When `held` is
  /// m_pending_kept, its place is left unwritten until flush_pending_kept().
  std::uint32_t append_kept(std::uint32_t indicator, const Kept& held);
  /// A kept-only series' Kept, made whole here by add_untracked() and streamed into its place
  /// (m_pending_at) by flush_pending_kept() at the next add_untracked(), promote() or the end
  /// of add(): a million of them are cache lines no thread has read, and a store into one in
  /// place waited for it to be read first; streamed from a Kept just written, the loads
  /// waited for those writes instead.
  Kept m_pending_kept;
  Kept* m_pending_at = nullptr;
  void flush_pending_kept() {
    if (m_pending_at == nullptr) return;
    stream_into(m_pending_at, m_pending_kept);
    m_pending_at = nullptr;
    m_streamed = true;
  }
  /// True when the filter selects series (`entity`, `indicator`). (The entity's name is looked
  /// up only when entities are named: m_entities is a deque.)
  bool selects(std::uint32_t entity, std::uint32_t indicator) const {
    return m_indicators[indicator].selected &&
           (!m_filter.names_entities() || m_filter.selects_entity(m_entities[entity]));
  }
  /// True when what a selected series keeps is a Kept alone (its ends or its latest figure),
  /// which a series left untracked can hold with its periods (add_untracked(), promote()).
  bool keeps_only_ends() const {
    return !m_untrack_selected && (m_retention.keep == Retention::Keep::ends ||
                                   m_retention.keep == Retention::Keep::latest);
  }
  /// Sizes the entities' lists (m_entity_first, m_entity_last, m_entity_indicators) to hold
  /// `entity`.
  void hold_entity_lists(std::uint32_t entity);
  /// Makes the record of a new series (`entity`, `indicator`), last in its entity's list and
  /// entered in m_series_slots when that is built; returns its number. The rest of it is the
  /// caller's to set.
  std::uint32_t make_record(std::uint32_t entity, std::uint32_t indicator);
  /// By indicator: its Kept are in order of entity (each entity numbered after the one
  /// before), as in a file sorted by entity, so that promote() finds one by bisection; and
  /// where promote() found the last one (the next to be found lies after it in such a file).
  struct KeptOrder {
    bool by_entity = true;
    std::size_t last_found = 0;
    /// The entity of the last Kept appended (not read back from it: a streamed one is out of
    /// cache).
    std::uint32_t last_entity = 0;
  };
  std::vector<KeptOrder> m_kept_order;
  /// In Indicator::series: a selected series that has no record, only its Kept.
  static constexpr std::uint32_t k_kept_only = UINT32_MAX;
  /// By indicator, its selected series in order (Indicator::series): a pass over the series of
  /// one indicator reads them one after the other.
  std::vector<BlockVector<Kept>> m_kept;
  /// Reported ranks of rows of selected series, by (input << 32 | line): what a ranking shows
  /// of a kept figure (rows that have one are few; files without metadata have none).
  struct RankMeta {
    std::int32_t rank = 0;
    std::string scope;
  };
  std::unordered_map<std::uint64_t, RankMeta> m_ranks;
  std::size_t m_ranks_limit = 4096; ///< past this size, m_ranks keeps only the points kept
  /// The key of a point's row in m_ranks.
  static std::uint64_t rank_key(std::uint8_t input, std::uint32_t line) {
    return std::uint64_t{input} << 32 | line;
  }
  /// Lets go of the reported ranks of rows no longer kept (memory grows with the series, not
  /// the rows).
  void prune_ranks();
  bool m_defer_repeats = false;
  RepeatKeys m_repeats_found;    ///< as noted, in any order, maybe twice
  RepeatKeys m_repeats_expected; ///< sorted
  /// The first figure of each key of m_repeats_expected (same place), once seen.
  std::vector<std::optional<Point>> m_first_figures;
  /// Where the first figure of period `code` of series `index` goes; null when that key is not
  /// expected to repeat.
  std::optional<Point>* first_figure(std::uint32_t index, std::int32_t code);
  std::vector<std::string> m_sources;              ///< input names, by input index
  std::vector<std::uint32_t> m_skipped;
  std::vector<Point> m_row;        ///< a wide table's last row (remember_row()), its first figures
  std::vector<Decimal> m_row_wide; ///< its values too wide for 64 bits (Point::mantissa)
  std::uint32_t m_row_series = UINT32_MAX; ///< its series
  std::size_t m_row_after = 0; ///< the place in m_row after the figure add_fact() last found
  /// The place of period `period` in m_row, `guess` tried first (a wide row's figures come in
  /// the order of its columns: a table thousands of periods wide must not search from the
  /// first for each); SIZE_MAX when it has none.
  std::size_t row_figure(std::int32_t period, std::size_t guess) const;
  std::map<std::pair<std::uint32_t, std::int32_t>, stats::Aggregate> m_totals;
  // Sorted files repeat the same entity, indicator and series row after row: remember the last.
  std::uint32_t m_last_entity = UINT32_MAX;
  std::string_view m_last_entity_id; ///< its text (in m_entities, whose strings stay put)
  std::uint32_t m_last_indicator = UINT32_MAX;
  std::uint16_t m_last_unit = 0; ///< of the last fact check_indicator() checked
  /// What add()'s look-ahead found of a later run of the chunk, stage by stage (look_ahead()),
  /// reset at the start of each chunk. Each member is exact once set: the entity's name and
  /// the indicator's id are compared in full, the series found by (entity, indicator); when
  /// the run's turn comes, add() takes a series found so instead of looking it up again.
  struct Ahead {
    std::uint64_t hash = 0;               ///< its entity's hash (0: not known)
    std::uint32_t entity = UINT32_MAX;    ///< the entity its slot names, then checked
    std::uint32_t indicator = UINT32_MAX; ///< its indicator, when known already
    std::uint32_t series = UINT32_MAX;    ///< its series, when known already
  };
  std::array<Ahead, 32> m_ahead;       ///< by run number modulo 32
  std::uint32_t m_ahead_indicator = 0; ///< the indicator the look-ahead found last
  /// Rows of a series apart (a file sorted by period, or in no order) find their entity,
  /// series and kept ends anywhere in memory, each a wait of hundreds of nanoseconds when done
  /// in turn: at run `r` of a chunk, the look-ahead finds those of later runs step by step,
  /// each step asking for what the next one reads, so that when the run's turn comes they are
  /// in cache, and its series is known (Ahead). It changes nothing else.
  void look_ahead(const ParsedChunk& parsed, std::size_t r);
  /// The chunk before had most runs' series far from the run before's (add()): look ahead.
  bool m_look_ahead = true;
  /// The series of the last run add() added (series_of() guesses the one after).
  std::uint32_t m_last_series = 0;
};

} // namespace jjstat::engine
