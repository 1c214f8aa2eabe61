#pragma once
/// The subcommands: one table of them, the context they share and the helpers they reuse.

#include "jjstat/dataset.hpp"
#include "jjstat/engine/stream.hpp"
#include "jjstat/format.hpp"
#include "jjstat/sources.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace CLI {
class App;
}

namespace jjstat::commands {

/// What every command gets: the shared options, the loaded data and the output settings.
struct Context {
  // Shared options, bound by cli::run.
  std::vector<std::string> data_paths;
  bool no_embedded = false;
  std::string format_name;
  std::string lang;
  int precision = 2;
  bool precision_given = false; ///< --precision was given (verify has a default of its own)
  bool group_digits = false;
  bool no_header = false;
  bool keep_formulas = false;
  std::string columns; ///< --columns as given: keys separated by commas
  bool wide = false;
  std::string color = "auto";
  std::string quotes = "strict";

  // Resolved by cli::run before the command runs.
  bool chinese = false;
  format::WriteOptions write;
  LoadOptions load;
  std::string engine; ///< "simple" or "stream" forces a loader (tests); empty: the best one

  /// The data set: the embedded data and the --data files with their derived figures, loaded
  /// on first use (streaming commands may never need it). Throws DataError or IoError.
  const Dataset& data() const;
  /// The embedded data alone with its derived figures, loaded on first use (what a stream of
  /// the --data files takes with them).
  const Dataset& embedded_data() const;
  /// What the loader makes of an input's start with these options (Dataset::refuses_header()):
  /// the whole-file reading and the copy of standard input stop at a first record it refuses.
  sources::RefusedStart refused_start() const {
    return [options = load](std::string_view start) {
      return Dataset::refuses_header(start, options);
    };
  }
  /// The name of an entity in the chosen language (when the data was streamed, as the
  /// embedded data names it: streamed files have no names); its id when it has none.
  std::string entity_name(std::string_view id) const;
  /// The name of an indicator in the chosen language, or its id when it has none; when the
  /// data was streamed, the name its rows gave (name_zh, name_en columns).
  std::string indicator_name(std::string_view id) const;
  /// Loads texts already read (by a streaming attempt that found a file it cannot stream)
  /// instead of reading the --data files again, after the embedded data unless --no-embedded.
  void load_texts(const std::vector<std::pair<std::string, std::string>>& texts);

  mutable Dataset m_dataset;
  mutable bool m_loaded = false;
  mutable Dataset m_embedded;
  mutable bool m_embedded_loaded = false;
  /// The names streamed rows gave their indicators, in the chosen language (id -> name).
  std::unordered_map<std::string, std::string> m_streamed_names;

  /// `english` or `chinese` by the chosen language.
  std::string label(std::string_view english, std::string_view chinese_text) const {
    return std::string(this->chinese ? chinese_text : english);
  }
};

/// Runs a command whose options are bound; appends its output to `out`; returns the exit status.
using Runner = std::function<int(Context& context, std::string& out)>;

/// One subcommand: its name, one-line summary, an example, and how to set it up.
struct CommandSpec {
  std::string_view name;
  std::string_view summary;
  std::string_view example;
  Runner (*setup)(CLI::App& app);
  /// Help of the shared --format and --precision where the command's defaults differ (empty:
  /// the usual text).
  std::string_view format_help = {};
  std::string_view precision_help = {};
};

/// Every subcommand, in help order.
std::span<const CommandSpec> all();

/// Sets up `jjstat list`.
Runner setup_list(CLI::App& app);
/// Sets up `jjstat show`.
Runner setup_show(CLI::App& app);
/// Sets up `jjstat export`.
Runner setup_export(CLI::App& app);
/// Sets up `jjstat summary`.
Runner setup_summary(CLI::App& app);
/// Sets up `jjstat growth`.
Runner setup_growth(CLI::App& app);
/// Sets up `jjstat rank`.
Runner setup_rank(CLI::App& app);
/// Sets up `jjstat verify`.
Runner setup_verify(CLI::App& app);
/// Sets up `jjstat report`.
Runner setup_report(CLI::App& app);
/// Sets up `jjstat describe`.
Runner setup_describe(CLI::App& app);

/// Which observations a command works on.
struct Selection {
  std::vector<std::string> indicators; ///< none: every indicator
  std::string category;                ///< empty: every category
  std::vector<std::string> entities;   ///< none: every entity
};

/// Checks that every named indicator, category and entity exists (UsageError with a
/// suggestion otherwise).
void check_selection(const Context& context, const Selection& selection);

/// The observations in `selection`: by category and indicator (the order of `jjstat list`),
/// then in load order.
std::vector<const Observation*> select(const Context& context, const Selection& selection);

/// Adds `--category` and `--entity` options bound to `selection`, and the positional
/// INDICATOR list.
void add_selection_options(CLI::App& app, Selection& selection);

/// Parses a period given on the command line (`--from 2016`); UsageError when it is not one.
std::optional<Period> parse_period_option(const std::string& text, std::string_view option);

/// UsageError when `--from` and `--to` are both periods of one kind and `to` is not later than
/// `from`: no series could have a growth between them.
void check_period_order(const std::optional<Period>& from, const std::optional<Period>& to);

/// Named regular files smaller than this in all are read whole, unless the stream is forced:
/// that is faster for them.
constexpr std::uintmax_t k_small_input_bytes = std::uintmax_t{64} << 10;

/// True when a command may stream its input instead of loading it: --data files, no engine
/// forced otherwise, not only regular files under k_small_input_bytes in
/// all (unless the engine "stream" is forced), and, unless --no-embedded, every file one that
/// can be read again (not standard input or a pipe: the embedded data may turn out to need
/// the full loader after all, see stream_or_load).
bool can_stream(const Context& context);

/// Streams the --data files keeping what `retention` says, when the command may (can_stream)
/// and every file is plain, and returns the store (named indicators and entities checked);
/// otherwise loads the data (context.data()) and returns null. With the embedded data, its
/// observations are streamed first and its derived figures added last, as the full loader
/// has them; when a file's rows add to an entity of the embedded data, or could change a
/// derived figure, the files are read again by the full loader instead. `check_names`: the
/// selection's indicators and entities must be in the data (UsageError otherwise), as the
/// commands' own arguments must; verify selects the series its claims name, which may be
/// missing (the claim then says so).
std::unique_ptr<engine::SeriesStore> stream_or_load(Context& context, const Selection& selection,
                                                    const engine::Retention& retention,
                                                    bool check_names = true);

/// A reported rank as people read it: "2 (Chongqing Municipality)", or "" when none.
std::string reported_rank_text(const Context& context, const Observation& observation);

/// Adds the columns of the documented observation schema (machine formats) to `report`.
void add_schema_columns(Report& report, Audience audience);

/// What a row of the observation schema shows of its indicator: the category and names its
/// rows (and the embedded data) give it.
struct IndicatorCells {
  std::string_view category, name_zh, name_en;
};

/// Gives `out` the cells of `observation` for add_schema_columns, its indicator's given.
void add_schema_cells(const Observation& observation, const IndicatorCells& indicator,
                      int precision, format::RowWriter& out);
/// The same, its indicator's from the loaded data.
void add_schema_cells(const Context& context, const Observation& observation,
                      format::RowWriter& out);

/// Gives `out` the cells of one observation's row of show or export, its indicator's given.
using ObservationCells =
    std::function<void(const Observation&, const IndicatorCells&, format::RowWriter&)>;

/// show and export of inputs too big to hold: writes the observations of `selection` (with
/// the computed ones when `computed`) as select() orders them, a row of `columns` each made by
/// `cells`, in `write`'s format, into `out`, and returns true; memory holds what the stream
/// keeps of each series and the rows of `limits`, not every row. Two passes: the stream
/// checks every row as the full loader does (nothing is written on an error), and learns the
/// order of the indicators; then the files are read again piece by piece, each piece loaded by
/// the full loader, and its rows set aside by indicator, to be written in that order. Returns
/// false, having written nothing, when the observations must be loaded whole instead
/// (context.data() is then loaded): a format other than csv, tsv and jsonl, inputs that
/// stream_or_load() does not stream or that cannot be read twice, or a row that repeats the
/// key of a row in another piece (the full loader counts such a figure once). The pieces are
/// of a megabyte, and 32 MiB of rows are held in memory, the rest in a temporary file; with
/// the stream forced (JJSTAT_ENGINE=stream, for tests), 4 KiB and 16 KiB, so that small files
/// make many pieces and set rows aside.
bool write_streamed_observations(Context& context, const Selection& selection, bool computed,
                                 std::vector<Column> columns, const format::WriteOptions& write,
                                 const ObservationCells& cells, std::string& out);

} // namespace jjstat::commands
