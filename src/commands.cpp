#include "jjstat/commands.hpp"

#include "jjstat/error.hpp"
#include "jjstat/sources.hpp"
#include "jjstat/stats/derive.hpp"
#include "jjstat/suggest.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <unordered_map>
#include <unordered_set>

#include <sys/stat.h>

namespace jjstat::commands {
namespace {

constexpr std::array<CommandSpec, 9> k_commands = {{
    {"summary",
     "Overview by category: headline figures, their growth, derived figures and reported ranks "
     "(the main job)",
     "jjstat summary --category finance", setup_summary},
    {"growth", "Change, percent change and CAGR between periods of each series",
     "jjstat growth rd_spending", setup_growth},
    {"rank", "Rank entities within an indicator, or figures of one dimension together",
     "jjstat rank funding_amount", setup_rank},
    {"verify",
     "Recompute the source's own derived claims and judge each",
     "jjstat verify --format md",
     setup_verify,
     {},
     "Digits after the point for computed values in table and md (default: four more than each "
     "stated value has); machine formats carry full precision"},
    {"report", "The data set as one document: Markdown, or self-contained HTML with charts",
     "jjstat report --format html --output report.html", setup_report},
    {"describe", "Count, sum, mean, min and max of each indicator in each period",
     "jjstat describe --data yearbook.csv --no-embedded", setup_describe},
    {"list", "The indicators: id, category, names, units and number of observations",
     "jjstat list --category rd", setup_list},
    {"show", "The observations with unit, period, qualifiers, reported rank and source",
     "jjstat show rd_spending --format md", setup_show},
    {"export", "The data set as one CSV in the documented schema (a start for your own file)",
     "jjstat export > my_district.csv", setup_export,
     // (export writes the schema: csv unless told otherwise, on a terminal too.)
     "Output format: table, csv, tsv, json, jsonl or md (default: csv)"},
}};

bool contains(const std::vector<std::string>& all, std::string_view value) {
  return std::find(all.begin(), all.end(), value) != all.end();
}

} // namespace

std::span<const CommandSpec> all() { return k_commands; }

const Dataset& Context::data() const {
  if (!m_loaded) {
    sources::Inputs inputs = sources::load(data_paths, !no_embedded, refused_start());
    for (const sources::Input& input : inputs.list()) {
      // The embedded files are long; --wide is about the user's files.
      LoadOptions options = load;
      options.wide = wide && !input.name.starts_with("embedded:");
      m_dataset.load(input.text, input.name, options);
    }
    stats::add_derived_figures(m_dataset, [&](std::string_view source) {
      for (const sources::Input& input : inputs.list()) {
        if (input.name == source) return std::string_view(input.text);
      }
      return std::string_view();
    });
    m_loaded = true;
  }
  return m_dataset;
}

namespace {

/// Loads the embedded data into `dataset`, its files long whatever --wide says.
void load_embedded(Dataset& dataset, LoadOptions options) {
  options.wide = false;
  sources::Inputs inputs = sources::load({}, true);
  for (const sources::Input& input : inputs.list()) dataset.load(input.text, input.name, options);
}

} // namespace

const Dataset& Context::embedded_data() const {
  if (!m_embedded_loaded) {
    load_embedded(m_embedded, load);
    stats::add_derived_figures(m_embedded);
    m_embedded_loaded = true;
  }
  return m_embedded;
}

std::string Context::entity_name(std::string_view id) const {
  if (m_loaded) return m_dataset.entity_name(id, chinese);
  if (m_embedded_loaded) return m_embedded.entity_name(id, chinese);
  return std::string(id);
}

std::string Context::indicator_name(std::string_view id) const {
  if (m_loaded) return m_dataset.indicator_name(id, chinese);
  const auto it = m_streamed_names.find(std::string(id));
  return it == m_streamed_names.end() ? std::string(id) : it->second;
}

void Context::load_texts(const std::vector<std::pair<std::string, std::string>>& texts) {
  if (!no_embedded) load_embedded(m_dataset, load);
  LoadOptions options = load;
  options.wide = wide;
  for (const auto& [name, text] : texts) m_dataset.load(text, name, options);
  stats::add_derived_figures(m_dataset, [&](std::string_view source) {
    for (const auto& [name, text] : texts) {
      if (name == source) return std::string_view(text);
    }
    return std::string_view();
  });
  m_loaded = true;
}

bool can_stream(const Context& context) {
  if (context.engine == "simple" || context.data_paths.empty()) return false;
  if (context.engine != "stream") {
    // Named files of a few rows: the full loader is done before the stream's threads and
    // buffers would be up (a 60-row file in 1.0 ms against 2.0; they break even near 100 KB).
    // Not gzip, which may hold far more than its size.
    std::uintmax_t bytes = 0;
    const bool small = std::all_of(
        context.data_paths.begin(), context.data_paths.end(), [&](const std::string& path) {
          struct stat info {};
          if (path == "-" || ::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
            return false;
          bytes += static_cast<std::uintmax_t>(info.st_size);
          return bytes < k_small_input_bytes && !sources::starts_as_gzip(path);
        });
    if (small) return false;
  }
  if (context.no_embedded) return true;
  // Beside the embedded data, the full loader may have to take over once the stream is over:
  // every input must be readable again (stream_or_load() copies standard input first).
  return std::all_of(context.data_paths.begin(), context.data_paths.end(), sources::rereadable);
}

namespace {

/// Adds the embedded data's derived figures to a store that took its observations first and
/// then the --data files (StreamRequest::complete), when they are the figures the full loader
/// would compute from all of it: the files add no figure to an entity of the embedded data (nor
/// to one the entities table names), and no definition could pair a file's row with another
/// figure. False otherwise (the full loader must take over).
bool add_embedded_derived(engine::SeriesStore& store, const Dataset& embedded) {
  // What the embedded data holds: figures by entity, series by indicator.
  std::unordered_map<std::string_view, std::size_t> figures;
  std::unordered_map<std::string_view, std::unordered_set<std::string_view>> series;
  for (const Observation& obs : embedded.observations()) {
    if (obs.computed) continue;
    ++figures[obs.entity];
    series[obs.indicator].insert(obs.entity);
  }
  for (const EntityInfo& entity : embedded.entities()) figures.try_emplace(entity.id, 0);
  for (const auto& [entity, count] : figures) {
    if (store.figures_of_entity(entity) != count) return false;
  }
  // Past that check, a file's rows are of entities the embedded data does not have.
  auto in_files = [&](const std::string& indicator) {
    const auto it = series.find(indicator);
    return store.series_of_indicator(indicator) > (it == series.end() ? 0 : it->second.size());
  };
  auto embedded_entity = [&](const std::string& entity) { return figures.contains(entity); };
  for (const DerivedDefinition& def : embedded.derived_definitions()) {
    const std::string& numerator_entity =
        def.numerator_entity.empty() ? def.entity : def.numerator_entity;
    const std::string& denominator_entity =
        def.denominator_entity.empty() ? def.entity : def.denominator_entity;
    // A file's numerator counts when the definition takes any entity's, or a file's entity's;
    // a file's denominator when the definition takes that of a file's entity.
    const bool numerator =
        in_files(def.numerator) && (numerator_entity.empty() || !embedded_entity(numerator_entity));
    const bool denominator = !denominator_entity.empty() && in_files(def.denominator) &&
                             !embedded_entity(denominator_entity);
    // With no entity named for the denominator, a file's numerator pairs with its own entity's,
    // which only the files can give.
    if (denominator || (numerator && (!denominator_entity.empty() || in_files(def.denominator))))
      return false;
  }
  for (const Observation& obs : embedded.observations()) {
    if (!obs.computed) continue;
    if (!store.add_computed(obs, *embedded.find_indicator(obs.indicator))) return false;
  }
  return true;
}

/// Checks a --category against the categories of the data (UsageError with a suggestion and
/// the list when it is not among them), loaded or streamed alike.
void check_category(const std::string& category, const std::vector<std::string>& categories) {
  if (contains(categories, category)) return;
  // (Indicators without a category make an empty one, which --category cannot name.)
  std::vector<std::string> named;
  std::copy_if(categories.begin(), categories.end(), std::back_inserter(named),
               [](const std::string& id) { return !id.empty(); });
  if (named.empty()) {
    throw UsageError(fmt::format("unknown category '{}'; the data gives its indicators none (a "
                                 "category column names them)",
                                 category));
  }
  throw UsageError(fmt::format("unknown category '{}'{}; categories: {}", category,
                               did_you_mean(category, named), fmt::join(named, ", ")));
}

/// Checks named indicators and entities against what a stream saw (UsageError with a
/// suggestion, as check_selection does for loaded data); `described` are the entities of an
/// entities table, known too.
void check_streamed_selection(const Selection& selection,
                              const std::vector<std::string>& indicators,
                              const std::vector<std::string>& categories,
                              const std::deque<std::string>& entities,
                              const std::vector<EntityInfo>& described) {
  for (const std::string& id : selection.indicators) {
    if (!contains(indicators, id)) {
      throw UsageError(fmt::format("unknown indicator '{}'{}; `jjstat list` shows them all", id,
                                   did_you_mean(id, indicators)));
    }
  }
  if (!selection.category.empty()) check_category(selection.category, categories);
  for (const std::string& entity : selection.entities) {
    if (std::find(entities.begin(), entities.end(), entity) == entities.end() &&
        std::none_of(described.begin(), described.end(),
                     [&](const EntityInfo& info) { return info.id == entity; })) {
      // (Copied only to name the nearest: a stream may have seen a million entities.)
      std::vector<std::string> known(entities.begin(), entities.end());
      for (const EntityInfo& info : described) {
        if (std::find(entities.begin(), entities.end(), info.id) == entities.end())
          known.push_back(info.id);
      }
      throw UsageError(fmt::format("unknown entity '{}'{}", entity, did_you_mean(entity, known)));
    }
  }
}

} // namespace

std::unique_ptr<engine::SeriesStore> stream_or_load(Context& context, const Selection& selection,
                                                    const engine::Retention& retention,
                                                    bool check_names) {
  // Standard input and named pipes beside the embedded data: copied to a temporary file (a
  // regular file on standard input at once, a pipe as it is read), which can be read again
  // (streamed, then read whole if the full loader must take over); when none can be made, the
  // input is read whole. A pipe named twice is the usage error before any copy.
  if (!context.no_embedded && context.engine != "simple") {
    sources::check_pipes_once(context.data_paths);
    for (const std::string& path : context.data_paths) {
      if (path == "-") sources::copy_stdin();
      sources::copy_named_pipe(path);
    }
  }
  if (!can_stream(context)) return nullptr;
  // Files mapped or read (JJSTAT_MAP, or unset: by how the first is cached), before the pieces'
  // size is chosen.
  sources::choose_mapping(context.data_paths);
  engine::StreamRequest request;
  request.paths = context.data_paths;
  request.csv = context.load.csv;
  request.wide = context.wide;
  request.filter = engine::Filter(selection.indicators, selection.entities);
  if (!selection.category.empty()) request.category = selection.category;
  request.retention = retention;
  request.refused = context.refused_start();
  request.chunk_bytes = engine::chunk_bytes_for(retention.describe);
  static const std::vector<EntityInfo> k_none;
  const std::vector<EntityInfo>* described = &k_none;
  sources::Inputs embedded_texts;
  if (!context.no_embedded) {
    const Dataset& embedded = context.embedded_data();
    embedded_texts = sources::load({}, true);
    for (const sources::Input& input : embedded_texts.list())
      request.texts.emplace_back(input.name, input.text);
    for (const CategoryInfo& category : embedded.category_table())
      request.category_table.push_back(category.id);
    request.complete = [&embedded](engine::SeriesStore& store) {
      return add_embedded_derived(store, embedded);
    };
    described = &embedded.entities();
  }
  // The store numbers its inputs in a byte: past that, the files are read whole.
  if (request.texts.size() + request.paths.size() > 255) {
    context.data();
    return nullptr;
  }
  engine::StreamResult result = engine::stream(request);
  if (result.declined) {
    context.data();
    return nullptr;
  }
  if (!result.store) {
    context.load_texts(result.texts);
    return nullptr;
  }
  if (check_names)
    check_streamed_selection(selection, result.store->indicators(), result.store->categories(),
                             result.store->entities(), *described);
  for (const std::string& id : result.store->indicators()) {
    std::string name = result.store->indicator_name(id, context.chinese);
    if (!name.empty()) context.m_streamed_names[id] = std::move(name);
  }
  return std::move(result.store);
}

void add_selection_options(CLI::App& app, Selection& selection) {
  app.add_option("INDICATOR", selection.indicators,
                 "Indicator ids (see `jjstat list`); none means every indicator")
      ->type_name("ID");
  app.add_option("--category", selection.category, "Only indicators of this category")
      ->type_name("ID");
  app.add_option("--entity", selection.entities, "Only this entity (repeatable)")
      ->type_name("ID")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
}

void check_selection(const Context& context, const Selection& selection) {
  const Dataset& data = context.data();
  std::vector<std::string> ids;
  for (const IndicatorInfo* info : data.indicators()) ids.push_back(info->id);
  for (const std::string& id : selection.indicators) {
    if (!data.find_indicator(id)) {
      throw UsageError(fmt::format("unknown indicator '{}'{}; `jjstat list` shows them all", id,
                                   did_you_mean(id, ids)));
    }
  }
  if (!selection.category.empty()) {
    std::vector<std::string> categories;
    for (const CategoryInfo& c : data.categories()) categories.push_back(c.id);
    check_category(selection.category, categories);
  }
  if (!selection.entities.empty()) {
    // Each entity once, in order of first appearance, found by a set (not by looking through
    // those seen for every row: a file of a million rows may name a hundred thousand).
    std::vector<std::string> entities;
    std::unordered_set<std::string_view> known;
    auto note = [&](const std::string& id) {
      if (known.insert(id).second) entities.push_back(id);
    };
    for (const Observation& obs : data.observations()) note(obs.entity);
    for (const EntityInfo& entity : data.entities()) note(entity.id);
    for (const std::string& entity : selection.entities) {
      if (!known.contains(entity)) {
        throw UsageError(fmt::format("unknown entity '{}'{}", entity,
                                     did_you_mean(entity, entities)));
      }
    }
  }
}

std::vector<const Observation*> select(const Context& context, const Selection& selection) {
  check_selection(context, selection);
  const Dataset& data = context.data();
  // Canonical order: category, then indicator (as `list` shows them), then the data's order.
  const auto by_indicator = observations_by_indicator(data);
  // The names given, looked up as the stream looks them up (thousands may be named, and a file
  // have millions of rows).
  const engine::Filter filter(selection.indicators, selection.entities);
  std::vector<const Observation*> out;
  for (const IndicatorInfo* info : data.indicators()) {
    if (!filter.selects_indicator(info->id)) continue;
    if (!selection.category.empty() && info->category != selection.category) continue;
    const auto found = by_indicator.find(info->id);
    if (found == by_indicator.end()) continue;
    for (const Observation* obs : found->second) {
      if (filter.selects_entity(obs->entity)) out.push_back(obs);
    }
  }
  return out;
}

std::optional<Period> parse_period_option(const std::string& text, std::string_view option) {
  if (text.empty()) return std::nullopt;
  auto period = Period::parse(text);
  if (!period) {
    throw UsageError(fmt::format("{} '{}' is not a period; expected a year (2020), a quarter "
                                 "(2020Q3) or a month (2020-09)",
                                 option, text));
  }
  return period;
}

void check_period_order(const std::optional<Period>& from, const std::optional<Period>& to) {
  if (from && to && from->kind() == to->kind() && !(*from < *to)) {
    throw UsageError(fmt::format("--to {} is {} --from {}; a growth needs an end period after "
                                 "its start",
                                 to->label(), *from == *to ? "the same period as" : "before",
                                 from->label()));
  }
}

std::string reported_rank_text(const Context& context, const Observation& observation) {
  if (!observation.reported_rank) return {};
  if (observation.rank_scope.empty()) return fmt::format("{}", *observation.reported_rank);
  std::string scope = context.entity_name(observation.rank_scope);
  return context.chinese ? fmt::format("{}第{}位", scope, *observation.reported_rank)
                         : fmt::format("{} in {}", *observation.reported_rank, scope);
}

void add_schema_columns(Report& report, Audience audience) {
  for (std::string_view key : {"entity", "indicator", "period", "value", "unit", "qualifiers",
                               "reported_rank", "rank_scope", "category", "name_zh", "name_en",
                               "source", "source_line"}) {
    Align align = key == "value" || key == "reported_rank" || key == "source_line"
                      ? Align::right
                      : Align::left;
    report.add_column(std::string(key), std::string(key), align, audience);
  }
}

void add_schema_cells(const Observation& obs, const IndicatorCells& indicator, int precision,
                      format::RowWriter& out) {
  out.text(obs.entity);
  out.text(obs.indicator);
  out.text(obs.period.label());
  if (obs.value) {
    out.number(*obs.value, precision);
  } else {
    out.missing();
  }
  out.text(obs.unit);
  out.text(obs.qualifiers.ids());
  out.cell(obs.reported_rank ? Cell::integer(*obs.reported_rank) : Cell::missing());
  out.text(obs.rank_scope);
  out.text(indicator.category);
  out.text(indicator.name_zh);
  out.text(indicator.name_en);
  out.text(obs.source);
  out.cell(obs.source_line ? Cell::integer(*obs.source_line) : Cell::missing());
}

void add_schema_cells(const Context& context, const Observation& obs, format::RowWriter& out) {
  const IndicatorInfo* info = context.data().find_indicator(obs.indicator);
  add_schema_cells(obs, {info->category, info->name_zh, info->name_en}, context.precision, out);
}

} // namespace jjstat::commands
