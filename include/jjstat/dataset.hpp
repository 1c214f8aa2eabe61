#pragma once
/// The typed data set: observations with units, qualifiers and provenance, plus the tables that
/// describe them (indicators, entities, categories, sources, derived-figure definitions, claims).

#include "jjstat/csv.hpp"
#include "jjstat/decimal.hpp"
#include "jjstat/period.hpp"
#include "jjstat/qualifier.hpp"
#include "jjstat/unit.hpp"

#include <cstddef>
#include <cstdlib>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace jjstat {

/// Where an observation comes from, for messages: a CSV row (the name of its file and its
/// physical line), or the row of the derived-figure definition that computed it. The name is a
/// view of a name kept by the Dataset that read the row or added the figure (it moves with the
/// Dataset, which is not copied). No heap string per row: a file of ten million rows read whole
/// would make ten million.
struct Origin {
  std::string_view source;
  std::size_t line = 0;
  /// "source:line"; empty when there is no source (a figure the streaming store made).
  std::string text() const;
};

/// One figure: an indicator of an entity in a period, with its unit as printed.
struct Observation {
  std::string entity;
  std::string indicator;
  Period period;
  /// Exact as printed (a Decimal) or computed (a double, for derived figures); nullopt: the
  /// cell was empty (a missing value).
  std::optional<Number> value;
  std::string unit;
  Qualifiers qualifiers;
  std::optional<int> reported_rank; ///< a rank the source reports, not one jjstat computed
  std::string rank_scope;           ///< where that rank holds (an entity id such as chongqing)
  std::string source;               ///< source id (see SourceInfo)
  std::optional<int> source_line;   ///< line of the source document that prints the figure
  Origin origin;                    ///< the CSV row, for messages
  bool computed = false;            ///< computed by jjstat from a derived-figure definition
};

/// What is known of an indicator: its names, category and observation count.
struct IndicatorInfo {
  std::string id;
  std::string category;
  std::string name_zh;
  std::string name_en;
  std::string unit;            ///< the unit of its first observation
  PeriodKind period_kind = PeriodKind::year; ///< the kind of all its periods
  std::size_t observations = 0;
  std::string origin;          ///< where it first appeared
  /// The byte offset of the indicator's cell in that row, in its input's text: located (line,
  /// column, the line's text) only for an error, from that text.
  std::size_t origin_offset = 0;
};

/// An entity: a district, a park, a zone, a programme, an event.
struct EntityInfo {
  std::string id;
  std::string name_zh;
  std::string name_en;
  std::string kind;
};

/// A category of indicators.
struct CategoryInfo {
  std::string id;
  std::string name_zh;
  std::string name_en;
};

/// A source document the figures come from.
struct SourceInfo {
  std::string id;
  std::string title_zh;
  std::string title_en;
  std::string year;
  std::string covers;
  std::string file;
};

/// How a derived figure is computed from its numerator n and denominator d.
enum class DerivedKind {
  share,   ///< n / d × 100, in %; n converted to d's unit first
  ratio,   ///< n / d, in the definition's unit ("万元/家": n converted to 万元 first)
  implied, ///< n / (d / 100): the whole that d (a %) is n's share of ("亿元": n in 亿元)
};

/// A derived figure defined as data: numerator and denominator indicators and how to combine them.
struct DerivedDefinition {
  std::string id; ///< the indicator id of the results
  DerivedKind kind = DerivedKind::ratio;
  std::string numerator;
  std::string denominator;
  std::string entity;             ///< result entity; empty: every entity that has both inputs
  std::string numerator_entity;   ///< empty: `entity`
  std::string denominator_entity; ///< empty: `entity`
  std::string unit;
  std::string category;
  std::string name_zh;
  std::string name_en;
  Location where; ///< the definition row, for errors found when computing
  Location numerator_where;   ///< its numerator's cell
  Location denominator_where; ///< its denominator's cell
};

/// What a claim of the source asserts, and so how to recompute it.
enum class ClaimKind {
  pct_change,   ///< percent change of `subject` from `from` to `to`
  ratio,        ///< terms[0] / terms[1] (× 100 when the unit is %)
  sum,          ///< the sum of the terms, in the claim's unit
  count,        ///< the number of items the source lists (the terms)
  unverifiable, ///< cannot be recomputed from figures of this kind; `needs` says what would
};

/// A derived statement of a source, to be checked against its own raw figures.
struct Claim {
  std::string id;
  ClaimKind kind = ClaimKind::unverifiable;
  std::string subject;            ///< "entity/indicator" for pct_change
  std::optional<Period> from;
  std::optional<Period> to;
  std::vector<std::string> terms; ///< "entity/indicator" items, or listed names for count
  std::string stated;             ///< the value as the source states it: "76.23", "1/6"
  std::optional<Number> stated_value; ///< a Decimal, or a double for a fraction
  int stated_digits = 0;          ///< digits after the point; -1 for a fraction
  std::string unit;
  Qualifiers qualifiers;
  std::string needs;              ///< for unverifiable claims: the data that would settle it
  std::string needs_zh;           ///< the same in Chinese
  std::string source;
  std::optional<int> source_line;
  std::string statement_zh;
  std::string statement_en;
  Location where;
};

/// Reading settings shared by every input.
struct LoadOptions {
  csv::Options csv;
  bool wide = false; ///< observation files have one column per period (statistical yearbooks)
};

/// Every table jjstat knows, loaded from CSV texts (embedded and the user's).
class Dataset {
public:
  Dataset() = default;
  /// Not copied: its observations' origins point into the names it keeps.
  Dataset(const Dataset&) = delete;
  Dataset& operator=(const Dataset&) = delete;
  Dataset(Dataset&&) = default;
  Dataset& operator=(Dataset&&) = default;

  /// Adds the rows of one CSV text; the header tells which table it holds. Throws DataError.
  void load(std::string_view text, const std::string& source, const LoadOptions& options = {});
  /// Whether load() would refuse the first record of a text starting with `start` as a header
  /// it does not know (the first error of that text, whatever follows, so that the rest need
  /// not be read: `yes |` never ends): nullopt while `start` may not hold that record whole;
  /// false when it does and load() takes it as a header, or finds another error in it (which
  /// load() reports from the whole text).
  static std::optional<bool> refuses_header(std::string_view start, const LoadOptions& options);

  /// Every observation, in load order.
  const std::vector<Observation>& observations() const { return m_observations; }
  /// Every indicator, by category order then first appearance.
  std::vector<const IndicatorInfo*> indicators() const;
  /// The indicator `id`, or nullptr.
  const IndicatorInfo* find_indicator(std::string_view id) const;
  /// The entity `id`, or nullptr (entities of user files need no entry).
  const EntityInfo* find_entity(std::string_view id) const;
  /// Every category: the described ones in file order, then any other used by an indicator.
  std::vector<CategoryInfo> categories() const;
  /// The described categories only (those of categories tables), in file order.
  const std::vector<CategoryInfo>& category_table() const { return m_categories; }
  /// The category `id`, or nullptr.
  const CategoryInfo* find_category(std::string_view id) const;
  /// Every source document.
  const std::vector<SourceInfo>& sources() const { return m_sources; }
  /// Every described entity, in file order.
  const std::vector<EntityInfo>& entities() const { return m_entities; }
  /// Every derived-figure definition, in load order.
  const std::vector<DerivedDefinition>& derived_definitions() const { return m_derived; }
  /// Every claim, in load order.
  const std::vector<Claim>& claims() const { return m_claims; }

  /// Makes room for `more` computed observations (add_derived()) at once; a hint.
  void expect_derived(std::size_t more);
  /// Adds a computed observation of the derived indicator `definition.id`, its origin the
  /// definition's row.
  void add_derived(const DerivedDefinition& definition, Observation observation);

  /// The display name of an entity: its Chinese or English name, else its id.
  std::string entity_name(std::string_view id, bool chinese) const;
  /// The display name of an indicator: its Chinese or English name, else its id.
  std::string indicator_name(std::string_view id, bool chinese) const;
  /// The display name of a category: its Chinese or English name, else its id.
  std::string category_name(std::string_view id, bool chinese) const;

private:
  void load_observations(csv::Reader& reader, const csv::Record& header);
  /// `lines`: the lines of the text (an upper bound on its rows).
  void load_wide(csv::Reader& reader, const csv::Record& header, std::size_t lines);
  void load_entities(csv::Reader& reader, const csv::Record& header);
  void load_categories(csv::Reader& reader, const csv::Record& header);
  void load_sources(csv::Reader& reader, const csv::Record& header);
  void load_derived(csv::Reader& reader, const csv::Record& header);
  void load_claims(csv::Reader& reader, const csv::Record& header);
  /// The names and category a row gives its indicator (empty: not given).
  struct IndicatorNames {
    std::string_view category, name_zh, name_en;
  };
  /// The hash of the key (entity, indicator, period) of a row about to be added
  /// (observation_key_hash()), its slot in the key table asked for at once.
  std::uint64_t ask_for_key(std::string_view entity, std::string_view indicator,
                            const Period& period) const;
  /// Adds an observation read, whose key has the hash `key_hash`.
  void add_observation(Observation observation, std::uint64_t key_hash, const IndicatorNames& names,
                       const csv::Reader& reader, const csv::Record& record,
                       const std::vector<int>& column);
  /// The observation read before with the key (entity, indicator, period) of `observation`;
  /// null when there is none, `observation` then indexed as the one appended next.
  const Observation* find_or_index(const Observation& observation, std::uint64_t key_hash);
  /// Makes room at once for `more` observations read and their keys, and for `derived` more
  /// observations, when `more` is more than twice the observations held; a hint: nothing
  /// happens when the memory cannot be had.
  void expect_observations(std::size_t more, std::size_t derived);
  /// Re-places the keys in a table of `size` slots (a power of two).
  void place_keys(std::size_t size);
  /// Makes room for `wanted` observations in all, at least doubling; false (nothing changed)
  /// when the memory cannot be had.
  bool reserve_observations(std::size_t wanted);

  std::vector<Observation> m_observations;
  /// The name of each text loaded (Origin::source points into these: a deque's strings stay
  /// where they are as it grows, and when it moves).
  std::deque<std::string> m_source_names;
  std::string_view m_source; ///< the name of the text being loaded (in m_source_names)
  /// Slots of memory from calloc (freed with free()).
  struct KeySlots {
    struct Free {
      void operator()(std::uint64_t* slots) const { std::free(slots); }
    };
    std::unique_ptr<std::uint64_t[], Free> at;
    std::size_t size = 0; ///< a power of two, or 0
  };
  /// The observations read (not derived) by their key (entity, indicator, period), open
  /// addressing: a slot holds the upper half of the key's hash and, in its lower half, index + 1
  /// into m_observations; 0 is an empty slot; at most half full.
  KeySlots m_slots;
  std::size_t m_observation_keys = 0;
  std::size_t m_last_indicator = SIZE_MAX; ///< the indicator of the row before
  std::vector<IndicatorInfo> m_indicators;
  std::unordered_map<std::string, std::size_t> m_indicator_index;
  std::vector<EntityInfo> m_entities;
  std::vector<CategoryInfo> m_categories;
  std::vector<SourceInfo> m_sources;
  std::vector<DerivedDefinition> m_derived;
  std::vector<Claim> m_claims;
};

/// Every observation of `data` by indicator id, each indicator's in load order (one pass).
std::unordered_map<std::string_view, std::vector<const Observation*>>
observations_by_indicator(const Dataset& data);

/// The hash by which the loader finds an earlier row of the same key (entity, indicator,
/// period): its upper 32 bits are what the loader's table compares first.
std::uint64_t observation_key_hash(std::string_view entity, std::string_view indicator,
                                   const Period& period);

/// True when `id` is an ASCII snake_case id: a lower-case letter, then letters, digits or '_'.
bool is_snake_case_id(std::string_view id);

} // namespace jjstat
