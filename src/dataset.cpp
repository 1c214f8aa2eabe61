#include "jjstat/dataset.hpp"

#include "jjstat/error.hpp"
#include "jjstat/schema.hpp"
#include "jjstat/text.hpp"
#include "jjstat/unit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <functional>
#include <new>
#include <span>
#include <stdexcept>

namespace jjstat {
namespace {

/// A column a table may have.
struct ColumnSpec {
  std::string_view name;
  bool required;
  /// It names an entity: white space or a byte-order mark at its ends is an error, as in the
  /// data's rows (a padded id names another entity than the one meant).
  bool names_entity = false;
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
// The metadata columns are schema's, in its order (the streaming loader reads them too).
static_assert([] {
  for (int m = 0; m < schema::k_meta_columns; ++m) {
    if (k_observation_columns[static_cast<std::size_t>(c_reported_rank + m)].name !=
        schema::k_meta_names[static_cast<std::size_t>(m)])
      return false;
  }
  return static_cast<int>(c_reported_rank) + static_cast<int>(schema::k_meta_columns) ==
         static_cast<int>(k_observation_columns.size());
}());

constexpr std::array<ColumnSpec, 4> k_entity_columns = {
    {{"entity", true, true}, {"name_zh", false}, {"name_en", false}, {"kind", false}}};
constexpr std::array<ColumnSpec, 3> k_category_columns = {
    {{"category", true}, {"name_zh", false}, {"name_en", false}}};
constexpr std::array<ColumnSpec, 6> k_source_columns = {{{"source", true},
                                                        {"title_zh", false},
                                                        {"title_en", false},
                                                        {"year", false},
                                                        {"covers", false},
                                                        {"file", false}}};

constexpr std::array<ColumnSpec, 11> k_derived_columns = {{{"derived", true},
                                                           {"kind", true},
                                                           {"numerator", true},
                                                           {"denominator", true},
                                                           {"entity", false, true},
                                                           {"numerator_entity", false, true},
                                                           {"denominator_entity", false, true},
                                                           {"unit", false},
                                                           {"category", false},
                                                           {"name_zh", false},
                                                           {"name_en", false}}};
enum DerivedColumn {
  d_id, d_kind, d_numerator, d_denominator, d_entity, d_numerator_entity, d_denominator_entity,
  d_unit, d_category, d_name_zh, d_name_en,
};

constexpr std::array<ColumnSpec, 15> k_claim_columns = {{{"claim", true},
                                                       {"kind", true},
                                                       {"subject", false},
                                                       {"from", false},
                                                       {"to", false},
                                                       {"terms", false},
                                                       {"stated", false},
                                                       {"unit", false},
                                                       {"qualifiers", false},
                                                       {"needs", false},
                                                       {"needs_zh", false},
                                                       {"source", false},
                                                       {"source_line", false},
                                                       {"statement_zh", false},
                                                       {"statement_en", false}}};
enum ClaimColumn {
  k_id, k_kind, k_subject, k_from, k_to, k_terms, k_stated, k_unit, k_qualifiers, k_needs,
  k_needs_zh, k_source, k_source_line, k_statement_zh, k_statement_en,
};

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

/// True when `header` names a column `name`.
bool has_column(const csv::Record& header, std::string_view name) {
  return std::find(header.fields.begin(), header.fields.end(), name) != header.fields.end();
}

/// True when load() knows `header` as the header of one of its tables: observations (long or
/// wide), entities, categories, sources, derived figures or claims.
bool known_header(const csv::Record& header) {
  const std::string_view first = header.fields[0];
  return has_column(header, "indicator") || has_column(header, "value") || first == "entity" ||
         first == "category" || first == "source" || first == "derived" || first == "claim";
}

} // namespace

bool is_snake_case_id(std::string_view id) {
  if (id.empty() || id[0] < 'a' || id[0] > 'z') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string Origin::text() const {
  return source.empty() ? std::string() : fmt::format("{}:{}", source, line);
}

void Dataset::load(std::string_view text, const std::string& source, const LoadOptions& options) {
  m_source = m_source_names.emplace_back(source);
  csv::Reader reader(text, source, options.csv);
  csv::Record header;
  if (!reader.next(header)) return; // an empty file adds nothing
  auto has = [&](std::string_view name) { return has_column(header, name); };
  std::string_view first = header.fields[0];
  if (!known_header(header)) {
    throw DataError(reader.locate(header.offsets[0]),
                    fmt::format("unrecognised header starting with '{}'; expected an observations "
                                "table (entity, indicator, period, value, unit, ...) or a table "
                                "of entities, categories, sources, derived figures or claims",
                                first));
  }
  if (options.wide && has("indicator")) {
    load_wide(reader, header, text::count_byte(text, '\n'));
  } else if (has("indicator") || has("value")) {
    // A row a line at most: room for them all made at once, and an eighth more for the derived
    // figures, instead of the observations moved and the key table re-placed at every doubling
    // (see expect_observations()).
    const std::size_t lines = text::count_byte(text, '\n');
    expect_observations(lines, lines / 8 + 1024);
    load_observations(reader, header);
  } else if (first == "entity") {
    load_entities(reader, header);
  } else if (first == "category") {
    load_categories(reader, header);
  } else if (first == "source") {
    load_sources(reader, header);
  } else if (first == "derived") {
    load_derived(reader, header);
  } else {
    load_claims(reader, header); // (known_header(): a claims table)
  }
}

std::optional<bool> Dataset::refuses_header(std::string_view start, const LoadOptions& options) {
  // The first record ends at the first line end with an even number of quotes before it: one
  // inside a quoted field has an odd number. (A stray quote kept by --quotes lenient may put
  // that line end after the record's own, which the reader below reads all the same; before
  // it, only inside a quoted field, which the reader then finds cut short.)
  std::size_t quotes = 0;
  std::size_t end = std::string_view::npos;
  for (std::size_t i = 0; i < start.size(); ++i) {
    if (start[i] == '"') {
      ++quotes;
    } else if (start[i] == '\n' && quotes % 2 == 0) {
      end = i + 1;
      break;
    }
  }
  if (end == std::string_view::npos) return std::nullopt;
  try {
    csv::Reader reader(start.substr(0, end), "", options.csv);
    csv::Record header;
    return reader.next(header) && !known_header(header);
  } catch (const std::runtime_error&) {
    // (An error in the first record, or a quoted field cut short by the line end chosen.)
    return false;
  }
}

void Dataset::load_observations(csv::Reader& reader, const csv::Record& header) {
  std::vector<int> column = map_columns(reader, header, k_observation_columns, "an observations table");
  std::array<int, schema::k_meta_columns> meta_columns;
  for (int m = 0; m < schema::k_meta_columns; ++m) meta_columns[m] = column[c_reported_rank + m];
  csv::Record record;
  while (reader.next(record)) {
    Observation obs;
    std::array<int, schema::k_core_columns> core_columns;
    for (int c = 0; c < schema::k_core_columns; ++c) core_columns[c] = column[c];
    schema::CoreCells core;
    schema::read_core(reader, record, header.fields.size(), core_columns, core);
    const std::uint64_t key_hash = ask_for_key(core.entity, core.indicator, core.period);
    obs.entity = core.entity;
    obs.indicator = core.indicator;
    obs.period = core.period;
    if (core.value) obs.value = *core.value;
    obs.unit = core.unit;
    obs.qualifiers = core.qualifiers;
    schema::MetaCells meta;
    schema::read_meta(reader, record, meta_columns, meta);
    obs.reported_rank = meta.reported_rank;
    obs.rank_scope = meta.rank_scope;
    obs.source = meta.source;
    obs.source_line = meta.source_line;
    obs.origin = {m_source, record.line};
    add_observation(std::move(obs), key_hash, {meta.category, meta.name_zh, meta.name_en}, reader,
                    record, column);
  }
}

void Dataset::load_wide(csv::Reader& reader, const csv::Record& header, std::size_t lines) {
  // Columns by name; every header that reads as a period is one period's values.
  std::vector<int> column(k_observation_columns.size(), -1);
  std::vector<std::pair<int, Period>> periods;
  std::unordered_map<std::int32_t, int> period_columns; // each period's column, by Period::code()
  constexpr std::array<std::string_view, 8> allowed = {"entity",   "indicator", "unit",    "qualifiers",
                                                       "category", "name_zh",   "name_en", "source"};
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    std::string_view name = header.fields[i];
    if (auto period = Period::parse(name)) {
      if (!periods.empty() && periods.front().second.kind() != period->kind()) {
        throw DataError(reader.locate(header.offsets[i]),
                        fmt::format("period column '{}' is a {}, but '{}' is a {}; one wide table "
                                    "holds one kind of period",
                                    name, to_string(period->kind()), periods.front().second.label(),
                                    to_string(periods.front().second.kind())));
      }
      if (const auto [known, added] =
              period_columns.try_emplace(period->code(), static_cast<int>(i));
          !added) {
        throw DataError(reader.locate(header.offsets[i]),
                        fmt::format("period column '{}' appears twice (first as column {})", name,
                                    known->second + 1));
      }
      periods.emplace_back(static_cast<int>(i), *period);
      continue;
    }
    auto spec = std::find_if(k_observation_columns.begin(), k_observation_columns.end(),
                             [&](const ColumnSpec& s) { return s.name == name; });
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end() ||
        spec == k_observation_columns.end()) {
      throw DataError(reader.locate(header.offsets[i]),
                      fmt::format("unknown column '{}' in a wide table; expected entity, "
                                  "indicator, unit, optionally qualifiers, category, name_zh, "
                                  "name_en and source, and one column per period (2016, 2020Q3, "
                                  "2020-09)",
                                  name));
    }
    int& slot = column[static_cast<std::size_t>(spec - k_observation_columns.begin())];
    if (slot >= 0) {
      throw DataError(reader.locate(header.offsets[i]),
                      fmt::format("column '{}' appears twice (first as column {})", name, slot + 1));
    }
    slot = static_cast<int>(i);
  }
  for (int required : {c_entity, c_indicator, c_unit}) {
    if (column[static_cast<std::size_t>(required)] < 0) {
      throw DataError(reader.locate(header.offsets[0]),
                      fmt::format("missing column '{}' in a wide table; required columns: "
                                  "entity, indicator, unit and one column per period",
                                  k_observation_columns[static_cast<std::size_t>(required)].name));
    }
  }
  if (periods.empty()) {
    throw DataError(reader.locate(header.offsets[0]),
                    "a wide table needs at least one period column (2016, 2020Q3, 2020-09)");
  }
  // A row a line at most, an observation a period (as load() does for a long table).
  if (lines <= SIZE_MAX / 2 / periods.size()) {
    const std::size_t observations = lines * periods.size();
    expect_observations(observations, observations / 8 + 1024);
  }
  csv::Record record;
  while (reader.next(record)) {
    for (const auto& [at, period] : periods) {
      // Each period's cell is the value of one long row; the period comes from the header.
      std::vector<int> cells = column;
      cells[c_value] = at;
      std::array<int, schema::k_core_columns> core_columns;
      for (int c = 0; c < schema::k_core_columns; ++c) core_columns[c] = cells[c];
      core_columns[schema::c_period] = at;
      const std::string label = period.label();
      schema::CoreCells core;
      schema::read_core(reader, record, header.fields.size(), core_columns, core, label);
      const std::uint64_t key_hash = ask_for_key(core.entity, core.indicator, period);
      Observation obs;
      obs.entity = core.entity;
      obs.indicator = core.indicator;
      obs.period = period;
      if (core.value) obs.value = *core.value;
      obs.unit = core.unit;
      obs.qualifiers = core.qualifiers;
      obs.source = field(record, cells, c_source);
      obs.origin = {m_source, record.line};
      cells[c_period] = at;
      add_observation(std::move(obs), key_hash,
                      {field(record, cells, c_category), field(record, cells, c_name_zh),
                       field(record, cells, c_name_en)},
                      reader, record, cells);
    }
  }
}

std::uint64_t Dataset::ask_for_key(std::string_view entity, std::string_view indicator,
                                   const Period& period) const {
  const std::uint64_t hash = observation_key_hash(entity, indicator, period);
  // The slot is a cache miss (the table is megabytes, its slots far apart): asked for now, it
  // arrives while the row is made into an observation and its indicator checked.
  if (m_slots.size != 0) __builtin_prefetch(&m_slots.at[(hash >> 32) & (m_slots.size - 1)]);
  return hash;
}

void Dataset::add_observation(Observation obs, std::uint64_t key_hash, const IndicatorNames& names,
                              const csv::Reader& reader, const csv::Record& record,
                              const std::vector<int>& column) {
  // Rows come indicator by indicator: the one before is tried first.
  std::size_t index = m_last_indicator;
  bool added = false;
  if (index >= m_indicators.size() || m_indicators[index].id != obs.indicator) {
    auto [it, fresh] = m_indicator_index.try_emplace(obs.indicator, m_indicators.size());
    index = it->second;
    added = fresh;
    if (added) {
      // (The cell's offset, not its Location: locating counts the lines from the text's start,
      // and a file may bring hundreds of thousands of indicators.)
      m_indicators.push_back({obs.indicator, std::string(names.category),
                              std::string(names.name_zh), std::string(names.name_en), obs.unit,
                              obs.period.kind(), 0, obs.origin.text(),
                              record.offsets[static_cast<std::size_t>(column[c_indicator])]});
    }
    m_last_indicator = index;
  }
  IndicatorInfo& info = m_indicators[index];
  if (!added) {
    auto agree = [&](std::string& known, std::string_view given, int which, std::string_view what) {
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
                      fmt::format("unit '{}' of indicator '{}' measures {}, but its unit at {} is "
                                  "'{}', which measures {}; one indicator holds one kind of quantity",
                                  obs.unit, obs.indicator, dimension_of(obs.unit), info.origin,
                                  info.unit, dimension_of(info.unit)));
    }
    // Periods of one indicator are of one kind, so that growth compares like with like.
    if (info.period_kind != obs.period.kind()) {
      throw DataError(locate_in(reader, record, column, c_period),
                      fmt::format("period {} is a {}, but indicator '{}' has {} periods (see {}); "
                                  "one indicator holds one kind of period",
                                  obs.period.label(), to_string(obs.period.kind()), obs.indicator,
                                  to_string(info.period_kind), info.origin));
    }
  }
  if (const Observation* first = find_or_index(obs, key_hash)) {
    // The same figure twice (a user's file that starts from `jjstat export`) is one figure.
    if (first->value == obs.value && first->unit == obs.unit &&
        first->qualifiers == obs.qualifiers) {
      return;
    }
    auto show = [](const Observation& o) {
      std::string text = o.value ? fmt::format("{} {}", to_string(*o.value), o.unit)
                                 : fmt::format("missing ({})", o.unit);
      if (!o.qualifiers.empty()) text += fmt::format(" [{}]", o.qualifiers.ids());
      return text;
    };
    throw DataError(locate_in(reader, record, column, c_value),
                    fmt::format("duplicate row for entity '{}', indicator '{}', period {}: {} "
                                "here, {} at {}",
                                obs.entity, obs.indicator, obs.period.label(), show(obs),
                                show(*first), first->origin.text()));
  }
  ++info.observations;
  m_observations.push_back(std::move(obs));
}

std::unordered_map<std::string_view, std::vector<const Observation*>>
observations_by_indicator(const Dataset& data) {
  std::unordered_map<std::string_view, std::vector<const Observation*>> out;
  std::vector<const Observation*>* list = nullptr;
  for (const Observation& obs : data.observations()) {
    // (Rows come indicator by indicator: the list of the row before is tried first.)
    if (!list || list->back()->indicator != obs.indicator) list = &out[obs.indicator];
    list->push_back(&obs);
  }
  return out;
}

std::uint64_t observation_key_hash(std::string_view entity, std::string_view indicator,
                                   const Period& period) {
  // Each part multiplied in after the one before (an entity equal to its indicator, or the two
  // swapped, must not cancel out), then every bit mixed into every other (MurmurHash3's final
  // mix): the periods of one series, consecutive codes, get hashes as scattered as any.
  std::uint64_t h = std::hash<std::string_view>{}(entity)*0x9e3779b97f4a7c15ULL;
  h = (h ^ std::hash<std::string_view>{}(indicator)) * 0xff51afd7ed558ccdULL;
  h ^= static_cast<std::uint32_t>(period.code());
  h = (h ^ (h >> 33)) * 0xff51afd7ed558ccdULL;
  h = (h ^ (h >> 33)) * 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}

void Dataset::expect_observations(std::size_t more, std::size_t derived) {
  // Only for a text of more than twice as many lines as the figures read before it (the usual
  // case: the embedded data's hundred rows, then the user's file). One not that long may repeat
  // those (the same file given twice) and need no room at all: it grows the figures by
  // doubling, as it comes. Room reserved and never written takes no memory (the system maps a page
  // when it is first written), and neither do slots of the key table never used (KeySlots); a text
  // of many lines and few rows (a quoted field of a million line breaks) costs address space only.
  if (more / 2 <= m_observations.size() || more > (SIZE_MAX >> 8) || derived > (SIZE_MAX >> 8))
    return;
  if (!reserve_observations(m_observations.size() + more + derived)) return;
  try {
    std::size_t slots = std::max<std::size_t>(64, m_slots.size);
    while (slots < 2 * (m_observation_keys + more)) slots *= 2;
    if (slots > m_slots.size) place_keys(slots);
  } catch (const std::bad_alloc&) {
    // Only a hint: find_or_index() grows the table as it goes.
  }
}

bool Dataset::reserve_observations(std::size_t wanted) {
  try {
    // (Never less than doubling: files given one after another still cost a move each at most
    // as often as appending would.)
    if (wanted > m_observations.capacity())
      m_observations.reserve(std::max(wanted, 2 * m_observations.capacity()));
    return true;
  } catch (const std::bad_alloc&) {
    // Only a hint: appending grows them as it goes.
  } catch (const std::length_error&) {
  }
  return false;
}

void Dataset::place_keys(std::size_t size) {
  // Zeroed by calloc: a large table comes straight from the system, its pages mapped only as
  // slots are written.
  KeySlots slots;
  slots.at.reset(static_cast<std::uint64_t*>(std::calloc(size, sizeof(std::uint64_t))));
  if (!slots.at) throw std::bad_alloc();
  slots.size = size;
  // A slot holds the upper half of its key's hash: re-placing the keys reads no observation.
  const std::size_t mask = size - 1;
  for (std::size_t i = 0; i < m_slots.size; ++i) {
    const std::uint64_t slot = m_slots.at[i];
    if (slot == 0) continue;
    std::size_t at = (slot >> 32) & mask;
    while (slots.at[at] != 0) at = (at + 1) & mask;
    slots.at[at] = slot;
  }
  m_slots = std::move(slots);
}

const Observation* Dataset::find_or_index(const Observation& obs, std::uint64_t key_hash) {
  // A slot holds the key's hash (its upper half) beside the index: a search reads an
  // observation only when the hashes agree.
  const std::uint64_t tag = key_hash & 0xffffffff00000000ULL;
  if (2 * (m_observation_keys + 1) > m_slots.size)
    place_keys(std::max<std::size_t>(64, 2 * m_slots.size));
  const std::size_t mask = m_slots.size - 1;
  for (std::size_t at = (tag >> 32) & mask;; at = (at + 1) & mask) {
    const std::uint64_t slot = m_slots.at[at];
    if (slot == 0) {
      // (The observation is appended next.)
      const std::uint64_t index = m_observations.size() + 1;
      if (index > 0xffffffffULL) {
        throw UsageError("more than 4294967295 observations cannot be read whole; growth, rank "
                         "and describe stream files of any size without the embedded data "
                         "(--no-embedded)");
      }
      m_slots.at[at] = tag | index;
      ++m_observation_keys;
      return nullptr;
    }
    if ((slot & 0xffffffff00000000ULL) != tag) continue;
    const Observation& known = m_observations[(slot & 0xffffffffULL) - 1];
    if (known.period == obs.period && known.entity == obs.entity &&
        known.indicator == obs.indicator)
      return &known;
  }
}

namespace {

/// Where a cell of a described-table row is: the location of column k of the row.
using CellLocator = std::function<Location(std::size_t column)>;

/// Reads every row of a described table (entities, categories, sources, derived figures,
/// claims) as strings in spec order and hands each to `row_done`; the first column is a key
/// that must be present and unique.
void read_table(csv::Reader& reader, const csv::Record& header, std::span<const ColumnSpec> specs,
                std::string_view table,
                const std::function<void(std::vector<std::string>&, const CellLocator&)>& row_done) {
  std::vector<int> column = map_columns(reader, header, specs, table);
  std::unordered_map<std::string, std::string> seen;
  csv::Record record;
  while (reader.next(record)) {
    schema::check_width(reader, record, header.fields.size());
    std::vector<std::string> row;
    for (std::size_t k = 0; k < specs.size(); ++k) {
      row.emplace_back(field(record, column, static_cast<int>(k)));
    }
    CellLocator locate = [&](std::size_t k) {
      // An absent optional column has no place of its own: point at the row.
      return column[k] < 0 ? reader.locate(record.offsets[0])
                           : locate_in(reader, record, column, static_cast<int>(k));
    };
    for (std::size_t k = 0; k < specs.size(); ++k) {
      if (specs[k].required && row[k].empty()) {
        throw DataError(locate(k), fmt::format("empty {}; every row of {} needs one",
                                               specs[k].name, table));
      }
      if (specs[k].names_entity && schema::has_edge_space(row[k]))
        throw DataError(locate(k), schema::edge_space_message(specs[k].name, row[k]));
    }
    std::string origin = fmt::format("{}:{}", reader.source(), record.line);
    auto [it, fresh] = seen.try_emplace(row[0], origin);
    if (!fresh) {
      throw DataError(locate(0), fmt::format("{} '{}' is described twice; first at {}",
                                             specs[0].name, row[0], it->second));
    }
    row_done(row, locate);
  }
}

template <typename Info> const Info* find_by_id(const std::vector<Info>& all, std::string_view id) {
  auto it = std::find_if(all.begin(), all.end(), [&](const Info& info) { return info.id == id; });
  return it == all.end() ? nullptr : &*it;
}

} // namespace

void Dataset::load_entities(csv::Reader& reader, const csv::Record& header) {
  read_table(reader, header, k_entity_columns, "an entities table",
             [&](std::vector<std::string>& row, const CellLocator&) {
               if (!find_entity(row[0])) m_entities.push_back({row[0], row[1], row[2], row[3]});
             });
}

void Dataset::load_categories(csv::Reader& reader, const csv::Record& header) {
  read_table(reader, header, k_category_columns, "a categories table",
             [&](std::vector<std::string>& row, const CellLocator&) {
               if (!find_category(row[0])) m_categories.push_back({row[0], row[1], row[2]});
             });
}

void Dataset::load_sources(csv::Reader& reader, const csv::Record& header) {
  read_table(reader, header, k_source_columns, "a sources table",
             [&](std::vector<std::string>& row, const CellLocator&) {
               if (!find_by_id(m_sources, row[0])) {
                 m_sources.push_back({row[0], row[1], row[2], row[3], row[4], row[5]});
               }
             });
}

namespace {

/// Splits "a;b;c" into its non-empty parts.
std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    std::size_t end = text.find(';');
    if (std::string_view part = text.substr(0, end); !part.empty()) parts.emplace_back(part);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  }
  return parts;
}

/// True when `term` is "entity/indicator" with a snake_case indicator.
bool is_term(std::string_view term) {
  std::size_t slash = term.rfind('/');
  return slash != std::string_view::npos && slash > 0 &&
         is_snake_case_id(term.substr(slash + 1));
}

/// The period in a cell, or nullopt when it is empty; an error located by `locate` (only then:
/// locating a cell counts lines from the text's start) when it is no period.
std::optional<Period> parse_period_cell(const std::string& text, const CellLocator& locate,
                                        std::size_t column) {
  if (text.empty()) return std::nullopt;
  auto period = Period::parse(text);
  if (!period) {
    throw DataError(locate(column),
                    fmt::format("period '{}' is not a year, quarter or month; expected "
                                "2020, 2020Q3 or 2020-09",
                                text));
  }
  return period;
}

} // namespace

void Dataset::load_derived(csv::Reader& reader, const csv::Record& header) {
  read_table(reader, header, k_derived_columns, "a derived-figures table",
             [&](std::vector<std::string>& row, const CellLocator& locate) {
               DerivedDefinition d;
               d.id = row[d_id];
               if (!is_snake_case_id(d.id)) {
                 throw DataError(locate(d_id), fmt::format("derived id '{}' is not an ASCII "
                                                           "snake_case id",
                                                           d.id));
               }
               const std::string& kind = row[d_kind];
               if (kind == "share") {
                 d.kind = DerivedKind::share;
               } else if (kind == "ratio") {
                 d.kind = DerivedKind::ratio;
               } else if (kind == "implied") {
                 d.kind = DerivedKind::implied;
               } else {
                 throw DataError(locate(d_kind), fmt::format("unknown derived kind '{}'; expected "
                                                             "share, ratio or implied",
                                                             kind));
               }
               for (int c : {d_numerator, d_denominator}) {
                 if (!is_snake_case_id(row[static_cast<std::size_t>(c)])) {
                   throw DataError(locate(static_cast<std::size_t>(c)),
                                   fmt::format("'{}' is not an indicator id (ASCII snake_case)",
                                               row[static_cast<std::size_t>(c)]));
                 }
               }
               d.numerator = row[d_numerator];
               d.denominator = row[d_denominator];
               d.entity = row[d_entity];
               d.numerator_entity = row[d_numerator_entity];
               d.denominator_entity = row[d_denominator_entity];
               d.unit = row[d_unit];
               if (d.kind == DerivedKind::share && d.unit.empty()) d.unit = "%";
               if (d.kind == DerivedKind::share && d.unit != "%") {
                 throw DataError(locate(d_unit), fmt::format("a share is in %, not '{}'", d.unit));
               }
               if (d.unit.empty()) {
                 throw DataError(locate(d_unit), fmt::format("derived '{}' needs a unit: the "
                                                             "unit of its results",
                                                             d.id));
               }
               d.category = row[d_category];
               d.name_zh = row[d_name_zh];
               d.name_en = row[d_name_en];
               d.where = locate(d_id);
               d.numerator_where = locate(d_numerator);
               d.denominator_where = locate(d_denominator);
               m_derived.push_back(std::move(d));
             });
}

void Dataset::load_claims(csv::Reader& reader, const csv::Record& header) {
  read_table(
      reader, header, k_claim_columns, "a claims table",
      [&](std::vector<std::string>& row, const CellLocator& locate) {
        Claim c;
        c.id = row[k_id];
        const std::string& kind = row[k_kind];
        if (kind == "pct_change") {
          c.kind = ClaimKind::pct_change;
        } else if (kind == "ratio") {
          c.kind = ClaimKind::ratio;
        } else if (kind == "sum") {
          c.kind = ClaimKind::sum;
        } else if (kind == "count") {
          c.kind = ClaimKind::count;
        } else if (kind == "unverifiable") {
          c.kind = ClaimKind::unverifiable;
        } else {
          throw DataError(locate(k_kind), fmt::format("unknown claim kind '{}'; expected "
                                                      "pct_change, ratio, sum, count or "
                                                      "unverifiable",
                                                      kind));
        }
        c.subject = row[k_subject];
        c.from = parse_period_cell(row[k_from], locate, k_from);
        c.to = parse_period_cell(row[k_to], locate, k_to);
        c.terms = split_list(row[k_terms]);
        c.stated = row[k_stated];
        c.unit = row[k_unit];
        std::string bad;
        auto qualifiers = Qualifiers::parse(row[k_qualifiers], &bad);
        if (!qualifiers) {
          throw DataError(locate(k_qualifiers), fmt::format("unknown qualifier '{}'", bad));
        }
        c.qualifiers = *qualifiers;
        c.needs = row[k_needs];
        c.needs_zh = row[k_needs_zh];
        c.source = row[k_source];
        if (!row[k_source_line].empty()) {
          c.source_line = schema::parse_positive(row[k_source_line]);
          if (!c.source_line) {
            throw DataError(locate(k_source_line),
                            fmt::format("source_line '{}' is not a positive whole number",
                                        row[k_source_line]));
          }
        }
        c.statement_zh = row[k_statement_zh];
        c.statement_en = row[k_statement_en];
        c.where = locate(k_id);
        for (const Claim& earlier : m_claims) {
          if (earlier.id == c.id) {
            throw DataError(c.where, fmt::format("claim '{}' is described twice; first at {}:{}",
                                                 c.id, earlier.where.source, earlier.where.line));
          }
        }
        // What each kind needs, checked now so that verify never meets a half-made claim.
        auto need = [&](bool ok, std::size_t column, std::string_view what) {
          if (!ok) {
            throw DataError(locate(column), fmt::format("{} {} claim needs {}",
                                                        kind[0] == 'u' ? "an" : "a", kind, what));
          }
        };
        if (c.kind == ClaimKind::unverifiable) {
          need(!c.needs.empty(), k_needs, "'needs': the data that would settle it");
          m_claims.push_back(std::move(c));
          return;
        }
        need(!c.stated.empty(), k_stated, "the stated value");
        std::size_t slash = c.stated.find('/');
        if (slash != std::string::npos) {
          DecimalParse a = parse_decimal(std::string_view(c.stated).substr(0, slash));
          DecimalParse b = parse_decimal(std::string_view(c.stated).substr(slash + 1));
          need(a.error == NumberError::none && b.error == NumberError::none &&
                   a.value.scale() == 0 && b.value.scale() == 0 && !b.value.is_zero(),
               k_stated, "a stated value that is a decimal number or a fraction such as 1/6");
          c.stated_value = a.value.to_double() / b.value.to_double();
          c.stated_digits = -1;
        } else {
          DecimalParse value = parse_decimal(c.stated);
          need(value.error == NumberError::none, k_stated,
               "a stated value that is a decimal number or a fraction such as 1/6");
          c.stated_value = value.value;
          c.stated_digits = value.value.scale();
        }
        switch (c.kind) {
        case ClaimKind::pct_change:
          need(is_term(c.subject), k_subject, "a subject 'entity/indicator'");
          need(c.from && c.to, c.from ? k_to : k_from, "the periods 'from' and 'to'");
          break;
        case ClaimKind::ratio:
          need(c.terms.size() == 2 && is_term(c.terms[0]) && is_term(c.terms[1]), k_terms,
               "two terms 'entity/indicator;entity/indicator' (numerator;denominator)");
          break;
        case ClaimKind::sum:
          need(!c.terms.empty() && std::all_of(c.terms.begin(), c.terms.end(), is_term), k_terms,
               "terms 'entity/indicator;...'");
          need(!c.unit.empty(), k_unit, "the unit of the sum");
          break;
        case ClaimKind::count: need(!c.terms.empty(), k_terms, "the listed items as terms"); break;
        case ClaimKind::unverifiable: break;
        }
        m_claims.push_back(std::move(c));
      });
}

void Dataset::expect_derived(std::size_t more) {
  reserve_observations(m_observations.size() + more);
}

void Dataset::add_derived(const DerivedDefinition& definition, Observation observation) {
  auto [it, added] = m_indicator_index.try_emplace(definition.id, m_indicators.size());
  if (added) {
    m_indicators.push_back({definition.id, definition.category, definition.name_zh,
                            definition.name_en, definition.unit, observation.period.kind(), 0,
                            fmt::format("{}:{}", definition.where.source, definition.where.line)});
  }
  ++m_indicators[it->second].observations;
  // Its origin is the definition's row, the name kept here (not a view of the definition's own,
  // in a vector another load could grow): one name for the figures of a definition, which come
  // one after the other.
  if (m_source_names.empty() || m_source_names.back() != definition.where.source)
    m_source_names.emplace_back(definition.where.source);
  observation.origin = {m_source_names.back(), definition.where.line};
  m_observations.push_back(std::move(observation));
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
  // (Indicators of a file without a category column: a heading of their own, not an empty one,
  // the one the report gives them.)
  if (id.empty()) return chinese ? "其他指标" : "Other figures";
  const CategoryInfo* info = find_category(id);
  if (!info) return std::string(id);
  const std::string& name = chinese ? info->name_zh : info->name_en;
  return name.empty() ? std::string(id) : name;
}

} // namespace jjstat
