#pragma once
/// The typed data set: observations with units, qualifiers and provenance, plus the tables that
/// describe them (indicators, entities, categories, sources, derived-figure definitions, claims).

#include "jjstat/csv.hpp"
#include "jjstat/decimal.hpp"
#include "jjstat/period.hpp"
#include "jjstat/qualifier.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace jjstat {

/// One figure: an indicator of an entity in a period, with its unit as printed.
struct Observation {
  std::string entity;
  std::string indicator;
  Period period;
  std::optional<Decimal> value; ///< nullopt: the cell was empty (a missing value)
  std::string unit;
  Qualifiers qualifiers;
  std::optional<int> reported_rank; ///< a rank the source reports, not one jjstat computed
  std::string rank_scope;           ///< where that rank holds (an entity id such as chongqing)
  std::string source;               ///< source id (see SourceInfo)
  std::optional<int> source_line;   ///< line of the source document that prints the figure
  std::string origin;               ///< "file:line" of the CSV row, for messages
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

/// Reading settings shared by every input.
struct LoadOptions {
  csv::Options csv;
};

/// Every table jjstat knows, loaded from CSV texts (embedded and the user's).
class Dataset {
public:
  /// Adds the rows of one CSV text; the header tells which table it holds. Throws DataError.
  void load(std::string_view text, const std::string& source, const LoadOptions& options = {});

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
  /// The category `id`, or nullptr.
  const CategoryInfo* find_category(std::string_view id) const;
  /// Every source document.
  const std::vector<SourceInfo>& sources() const { return m_sources; }
  /// Every described entity, in file order.
  const std::vector<EntityInfo>& entities() const { return m_entities; }

  /// The display name of an entity: its Chinese or English name, else its id.
  std::string entity_name(std::string_view id, bool chinese) const;
  /// The display name of an indicator: its Chinese or English name, else its id.
  std::string indicator_name(std::string_view id, bool chinese) const;
  /// The display name of a category: its Chinese or English name, else its id.
  std::string category_name(std::string_view id, bool chinese) const;

private:
  void load_observations(csv::Reader& reader, const csv::Record& header);
  void load_entities(csv::Reader& reader, const csv::Record& header);
  void load_categories(csv::Reader& reader, const csv::Record& header);
  void load_sources(csv::Reader& reader, const csv::Record& header);
  void add_observation(Observation observation, const IndicatorInfo& names, const csv::Reader& reader,
                       const csv::Record& record, const std::vector<int>& column);

  std::vector<Observation> m_observations;
  std::unordered_map<std::string, std::size_t> m_observation_index; ///< key -> index
  std::vector<IndicatorInfo> m_indicators;
  std::unordered_map<std::string, std::size_t> m_indicator_index;
  std::vector<EntityInfo> m_entities;
  std::vector<CategoryInfo> m_categories;
  std::vector<SourceInfo> m_sources;
};

/// True when `id` is an ASCII snake_case id: a lower-case letter, then letters, digits or '_'.
bool is_snake_case_id(std::string_view id);

} // namespace jjstat
