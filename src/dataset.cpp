#include "jjstat/dataset.hpp"

#include "jjstat/error.hpp"
#include "jjstat/text.hpp"
#include "jjstat/unit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <span>

namespace jjstat {
namespace {

/// A column a table may have.
struct ColumnSpec {
  std::string_view name;
  bool required;
};

constexpr std::array<ColumnSpec, 13> k_observation_columns = {{
    {"entity", true},
    {"indicator", true},
    {"period", true},
    {"value", true},
    {"unit", true},
    {"qualifiers", false},
    {"reported_rank", false},
    {"rank_scope", false},
    {"category", false},
    {"name_zh", false},
    {"name_en", false},
    {"source", false},
    {"source_line", false},
}};
enum ObservationColumn {
  c_entity, c_indicator, c_period, c_value, c_unit, c_qualifiers, c_reported_rank,
  c_rank_scope, c_category, c_name_zh, c_name_en, c_source, c_source_line,
};

constexpr std::array<ColumnSpec, 4> k_entity_columns = {
    {{"entity", true}, {"name_zh", false}, {"name_en", false}, {"kind", false}}};
constexpr std::array<ColumnSpec, 3> k_category_columns = {
    {{"category", true}, {"name_zh", false}, {"name_en", false}}};
constexpr std::array<ColumnSpec, 6> k_source_columns = {{{"source", true},
                                                        {"title_zh", false},
                                                        {"title_en", false},
                                                        {"year", false},
                                                        {"covers", false},
                                                        {"file", false}}};

std::string join_names(std::span<const ColumnSpec> specs, bool required_only) {
  std::string out;
  for (const ColumnSpec& spec : specs) {
    if (required_only && !spec.required) continue;
    if (!out.empty()) out += ", ";
    out += spec.name;
  }
  return out;
}

/// Maps each spec to its column in the header (-1 when absent); rejects unknown, repeated and
/// missing columns.
std::vector<int> map_columns(const csv::Reader& reader, const csv::Record& header,
                             std::span<const ColumnSpec> specs, std::string_view table) {
  std::vector<int> column(specs.size(), -1);
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    std::string_view name = header.fields[i];
    auto spec = std::find_if(specs.begin(), specs.end(),
                             [&](const ColumnSpec& s) { return s.name == name; });
    if (spec == specs.end()) {
      throw DataError(reader.locate(header.offsets[i]),
                      fmt::format("unknown column '{}' in {}; expected columns: {}", name, table,
                                  join_names(specs, false)));
    }
    int& slot = column[static_cast<std::size_t>(spec - specs.begin())];
    if (slot >= 0) {
      throw DataError(reader.locate(header.offsets[i]),
                      fmt::format("column '{}' appears twice (first as column {})", name, slot + 1));
    }
    slot = static_cast<int>(i);
  }
  for (std::size_t k = 0; k < specs.size(); ++k) {
    if (specs[k].required && column[k] < 0) {
      throw DataError(reader.locate(header.offsets[0]),
                      fmt::format("missing column '{}' in {}; required columns: {}", specs[k].name,
                                  table, join_names(specs, true)));
    }
  }
  return column;
}

/// Rejects a record whose field count differs from the header's.
void check_width(const csv::Reader& reader, const csv::Record& record, std::size_t width) {
  if (record.fields.size() == width) return;
  std::size_t at = record.fields.size() > width ? record.offsets[width] : record.offsets[0];
  throw DataError(reader.locate(at), fmt::format("row has {} fields but the header has {}",
                                                 record.fields.size(), width));
}

std::string_view field(const csv::Record& record, const std::vector<int>& column, int which) {
  int at = column[static_cast<std::size_t>(which)];
  return at < 0 ? std::string_view{} : record.fields[static_cast<std::size_t>(at)];
}

/// Location of byte `extra` inside field `which` of a record (after an opening quote).
Location locate_in(const csv::Reader& reader, const csv::Record& record,
                   const std::vector<int>& column, int which, std::size_t extra = 0) {
  std::size_t at = static_cast<std::size_t>(column[static_cast<std::size_t>(which)]);
  return reader.locate(record.offsets[at] + extra);
}

/// Fullwidth digits, point and minus turned into ASCII, for the hint of an error message.
std::string ascii_digits(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto b = static_cast<unsigned char>(text[i]);
    // U+FF10..U+FF19 are EF BC 90..99; U+FF0E is EF BC 8E; U+FF0D is EF BC 8D.
    if (b == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBC) {
      auto c = static_cast<unsigned char>(text[i + 2]);
      if (c >= 0x90 && c <= 0x99) {
        out += static_cast<char>('0' + (c - 0x90));
        i += 2;
        continue;
      }
      if (c == 0x8E || c == 0x8D) {
        out += c == 0x8E ? '.' : '-';
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

/// The message for a value cell that is not a plain decimal number.
std::string value_message(std::string_view text, const DecimalParse& parsed) {
  constexpr std::string_view expected = "expected a plain decimal number such as -12.5 or 3e4";
  switch (parsed.error) {
  case NumberError::none:
  case NumberError::empty: break;
  case NumberError::space:
    return fmt::format("value '{}' has white space around the number; {}", text, expected);
  case NumberError::grouping: {
    std::string plain(text);
    std::erase(plain, ',');
    return fmt::format("value '{}' has digit grouping; {}: write {}", text, expected, plain);
  }
  case NumberError::fullwidth:
    return fmt::format("value '{}' has fullwidth characters; {}: write {}", text, expected,
                       ascii_digits(text));
  case NumberError::unit_suffix:
    return fmt::format("value '{}' has text after the number; {}: write {} and put the unit "
                       "'{}' in the unit column",
                       text, expected, text.substr(0, parsed.error_offset),
                       text.substr(parsed.error_offset));
  case NumberError::percent:
    return fmt::format("value '{}' has a percent sign; {}: write {} and put % in the unit column",
                       text, expected, text.substr(0, parsed.error_offset));
  case NumberError::not_finite:
    return fmt::format("value '{}' is not a finite number; {} (leave the cell empty for a "
                       "missing value)",
                       text, expected);
  case NumberError::overflow:
    return fmt::format("value '{}' is out of range; at most {} digits before the point", text,
                       Decimal::k_max_integer_digits);
  case NumberError::too_precise:
    return fmt::format("value '{}' has more than {} digits after the point", text,
                       Decimal::k_max_scale);
  case NumberError::malformed: break;
  }
  return fmt::format("value '{}' is not a number; {}", text, expected);
}

/// Parses a positive whole number (a rank or a line number); nullopt otherwise.
std::optional<int> parse_positive(std::string_view text) {
  if (text.empty() || text.size() > 9 || text[0] == '0') return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::string observation_key(std::string_view entity, std::string_view indicator,
                            const Period& period) {
  std::string key;
  key.reserve(entity.size() + indicator.size() + 12);
  key.append(entity).append(1, '\x1f').append(indicator).append(1, '\x1f').append(period.label());
  return key;
}

} // namespace

bool is_snake_case_id(std::string_view id) {
  if (id.empty() || id[0] < 'a' || id[0] > 'z') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

void Dataset::load(std::string_view text, const std::string& source, const LoadOptions& options) {
  csv::Reader reader(text, source, options.csv);
  csv::Record header;
  if (!reader.next(header)) return; // an empty file adds nothing
  auto has = [&](std::string_view name) {
    return std::find(header.fields.begin(), header.fields.end(), name) != header.fields.end();
  };
  std::string_view first = header.fields[0];
  if (has("indicator") || has("value")) {
    load_observations(reader, header);
  } else if (first == "entity") {
    load_entities(reader, header);
  } else if (first == "category") {
    load_categories(reader, header);
  } else if (first == "source") {
    load_sources(reader, header);
  } else {
    throw DataError(reader.locate(header.offsets[0]),
                    fmt::format("unrecognised header starting with '{}'; expected an observations "
                                "table (entity, indicator, period, value, unit, ...) or a table "
                                "of entities, categories or sources",
                                first));
  }
}

void Dataset::load_observations(csv::Reader& reader, const csv::Record& header) {
  std::vector<int> column = map_columns(reader, header, k_observation_columns, "an observations table");
  csv::Record record;
  while (reader.next(record)) {
    check_width(reader, record, header.fields.size());
    Observation obs;
    auto require = [&](int which, std::string_view what, std::string_view hint) {
      std::string_view value = field(record, column, which);
      if (value.empty()) {
        throw DataError(locate_in(reader, record, column, which),
                        fmt::format("empty {}; every row needs {}", what, hint));
      }
      return value;
    };
    obs.entity = require(c_entity, "entity", "an entity");
    obs.indicator = require(c_indicator, "indicator", "an indicator id");
    if (!is_snake_case_id(obs.indicator)) {
      throw DataError(locate_in(reader, record, column, c_indicator),
                      fmt::format("indicator '{}' is not an ASCII snake_case id; expected a "
                                  "lower-case letter, then lower-case letters, digits or '_'",
                                  obs.indicator));
    }
    std::string_view period_text = require(c_period, "period", "a period");
    auto period = Period::parse(period_text);
    if (!period) {
      throw DataError(locate_in(reader, record, column, c_period),
                      fmt::format("period '{}' is not a year, quarter or month; expected 2020, "
                                  "2020Q3 or 2020-09",
                                  period_text));
    }
    obs.period = *period;
    std::string_view value_text = field(record, column, c_value);
    if (!value_text.empty()) {
      DecimalParse parsed = parse_decimal(value_text);
      if (parsed.error != NumberError::none) {
        std::size_t at = record.offsets[static_cast<std::size_t>(column[c_value])];
        std::size_t quote = reader.text()[at] == '"' ? 1 : 0;
        throw DataError(locate_in(reader, record, column, c_value, quote + parsed.error_offset),
                        value_message(value_text, parsed));
      }
      obs.value = parsed.value;
    }
    obs.unit = require(c_unit, "unit", "a unit as printed (亿元, 个, %)");
    std::string bad;
    auto qualifiers = Qualifiers::parse(field(record, column, c_qualifiers), &bad);
    if (!qualifiers) {
      throw DataError(locate_in(reader, record, column, c_qualifiers),
                      fmt::format("unknown qualifier '{}'; expected approximate, projected, "
                                  "target, at_least, planned, cumulative or derived, separated "
                                  "by ';'",
                                  bad));
    }
    obs.qualifiers = *qualifiers;
    if (std::string_view rank = field(record, column, c_reported_rank); !rank.empty()) {
      obs.reported_rank = parse_positive(rank);
      if (!obs.reported_rank) {
        throw DataError(locate_in(reader, record, column, c_reported_rank),
                        fmt::format("reported_rank '{}' is not a positive whole number", rank));
      }
    }
    obs.rank_scope = field(record, column, c_rank_scope);
    obs.source = field(record, column, c_source);
    if (std::string_view line = field(record, column, c_source_line); !line.empty()) {
      obs.source_line = parse_positive(line);
      if (!obs.source_line) {
        throw DataError(locate_in(reader, record, column, c_source_line),
                        fmt::format("source_line '{}' is not a positive whole number", line));
      }
    }
    obs.origin = fmt::format("{}:{}", reader.source(), record.line);
    IndicatorInfo names{std::string(obs.indicator), std::string(field(record, column, c_category)),
                        std::string(field(record, column, c_name_zh)),
                        std::string(field(record, column, c_name_en)), obs.unit, obs.period.kind(), 0,
                        obs.origin};
    add_observation(std::move(obs), names, reader, record, column);
  }
}

void Dataset::add_observation(Observation obs, const IndicatorInfo& names,
                              const csv::Reader& reader, const csv::Record& record,
                              const std::vector<int>& column) {
  auto [it, added] = m_indicator_index.try_emplace(obs.indicator, m_indicators.size());
  if (added) {
    m_indicators.push_back(names);
  } else {
    IndicatorInfo& info = m_indicators[it->second];
    auto agree = [&](std::string& known, const std::string& given, int which,
                     std::string_view what) {
      if (given.empty() || given == known) return;
      if (known.empty()) {
        known = given;
        return;
      }
      throw DataError(locate_in(reader, record, column, which),
                      fmt::format("{} '{}' of indicator '{}' differs from '{}' given at {}", what,
                                  given, obs.indicator, known, info.origin));
    };
    agree(info.category, names.category, c_category, "category");
    agree(info.name_zh, names.name_zh, c_name_zh, "name_zh");
    agree(info.name_en, names.name_en, c_name_en, "name_en");
    if (!same_dimension(info.unit, obs.unit)) {
      throw DataError(locate_in(reader, record, column, c_unit),
                      fmt::format("unit '{}' of indicator '{}' is a {}, but its unit at {} is "
                                  "'{}', a {}; one indicator holds one kind of quantity",
                                  obs.unit, obs.indicator, dimension_of(obs.unit), info.origin,
                                  info.unit, dimension_of(info.unit)));
    }
  }
  // Periods of one indicator are of one kind, so that growth compares like with like.
  const IndicatorInfo& info = m_indicators[m_indicator_index[obs.indicator]];
  if (!added && info.period_kind != obs.period.kind()) {
    throw DataError(locate_in(reader, record, column, c_period),
                    fmt::format("period {} is a {}, but indicator '{}' has {} periods (see {}); "
                                "one indicator holds one kind of period",
                                obs.period.label(), to_string(obs.period.kind()), obs.indicator,
                                to_string(info.period_kind), info.origin));
  }
  std::string key = observation_key(obs.entity, obs.indicator, obs.period);
  auto [at, fresh] = m_observation_index.try_emplace(std::move(key), m_observations.size());
  if (!fresh) {
    const Observation& first = m_observations[at->second];
    // The same figure twice (a user's file that starts from `jjstat export`) is one figure.
    if (first.value == obs.value && first.unit == obs.unit) return;
    auto show = [](const Observation& o) {
      return o.value ? fmt::format("{} {}", o.value->to_string(), o.unit)
                     : fmt::format("missing ({})", o.unit);
    };
    throw DataError(locate_in(reader, record, column, c_value),
                    fmt::format("duplicate row for entity '{}', indicator '{}', period {}: {} "
                                "here, {} at {}",
                                obs.entity, obs.indicator, obs.period.label(), show(obs),
                                show(first), first.origin));
  }
  ++m_indicators[m_indicator_index[obs.indicator]].observations;
  m_observations.push_back(std::move(obs));
}

namespace {

/// Reads every row of a described table (entities, categories, sources) as strings in spec
/// order; the first column is a key that must be present and unique.
std::vector<std::vector<std::string>> read_table(csv::Reader& reader, const csv::Record& header,
                                                 std::span<const ColumnSpec> specs,
                                                 std::string_view table) {
  std::vector<int> column = map_columns(reader, header, specs, table);
  std::vector<std::vector<std::string>> rows;
  std::unordered_map<std::string, std::string> seen;
  csv::Record record;
  while (reader.next(record)) {
    check_width(reader, record, header.fields.size());
    std::vector<std::string> row;
    for (std::size_t k = 0; k < specs.size(); ++k) {
      row.emplace_back(field(record, column, static_cast<int>(k)));
    }
    if (row[0].empty()) {
      throw DataError(locate_in(reader, record, column, 0),
                      fmt::format("empty {}; every row of {} needs one", specs[0].name, table));
    }
    std::string origin = fmt::format("{}:{}", reader.source(), record.line);
    auto [it, fresh] = seen.try_emplace(row[0], origin);
    if (!fresh) {
      throw DataError(locate_in(reader, record, column, 0),
                      fmt::format("{} '{}' is described twice; first at {}", specs[0].name,
                                  row[0], it->second));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

template <typename Info> const Info* find_by_id(const std::vector<Info>& all, std::string_view id) {
  auto it = std::find_if(all.begin(), all.end(), [&](const Info& info) { return info.id == id; });
  return it == all.end() ? nullptr : &*it;
}

} // namespace

void Dataset::load_entities(csv::Reader& reader, const csv::Record& header) {
  for (auto& row : read_table(reader, header, k_entity_columns, "an entities table")) {
    if (!find_entity(row[0])) m_entities.push_back({row[0], row[1], row[2], row[3]});
  }
}

void Dataset::load_categories(csv::Reader& reader, const csv::Record& header) {
  for (auto& row : read_table(reader, header, k_category_columns, "a categories table")) {
    if (!find_category(row[0])) m_categories.push_back({row[0], row[1], row[2]});
  }
}

void Dataset::load_sources(csv::Reader& reader, const csv::Record& header) {
  for (auto& row : read_table(reader, header, k_source_columns, "a sources table")) {
    if (!find_by_id(m_sources, row[0])) {
      m_sources.push_back({row[0], row[1], row[2], row[3], row[4], row[5]});
    }
  }
}

std::vector<CategoryInfo> Dataset::categories() const {
  std::vector<CategoryInfo> all = m_categories;
  for (const IndicatorInfo& indicator : m_indicators) {
    if (!find_by_id(all, indicator.category)) all.push_back({indicator.category, "", ""});
  }
  return all;
}

std::vector<const IndicatorInfo*> Dataset::indicators() const {
  std::vector<CategoryInfo> order = categories();
  auto rank = [&](const IndicatorInfo* info) {
    auto it = std::find_if(order.begin(), order.end(),
                           [&](const CategoryInfo& c) { return c.id == info->category; });
    return it - order.begin();
  };
  std::vector<const IndicatorInfo*> all;
  for (const IndicatorInfo& info : m_indicators) all.push_back(&info);
  std::stable_sort(all.begin(), all.end(),
                   [&](const IndicatorInfo* a, const IndicatorInfo* b) { return rank(a) < rank(b); });
  return all;
}

const IndicatorInfo* Dataset::find_indicator(std::string_view id) const {
  auto it = m_indicator_index.find(std::string(id));
  return it == m_indicator_index.end() ? nullptr : &m_indicators[it->second];
}

const EntityInfo* Dataset::find_entity(std::string_view id) const {
  return find_by_id(m_entities, id);
}

const CategoryInfo* Dataset::find_category(std::string_view id) const {
  return find_by_id(m_categories, id);
}

std::string Dataset::entity_name(std::string_view id, bool chinese) const {
  const EntityInfo* info = find_entity(id);
  if (!info) return std::string(id);
  const std::string& name = chinese ? info->name_zh : info->name_en;
  return name.empty() ? std::string(id) : name;
}

std::string Dataset::indicator_name(std::string_view id, bool chinese) const {
  const IndicatorInfo* info = find_indicator(id);
  if (!info) return std::string(id);
  const std::string& name = chinese ? info->name_zh : info->name_en;
  return name.empty() ? std::string(id) : name;
}

std::string Dataset::category_name(std::string_view id, bool chinese) const {
  const CategoryInfo* info = find_category(id);
  if (!info) return std::string(id);
  const std::string& name = chinese ? info->name_zh : info->name_en;
  return name.empty() ? std::string(id) : name;
}

} // namespace jjstat
