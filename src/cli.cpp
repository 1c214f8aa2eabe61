#include "jjstat/cli.hpp"

#include "jjstat/commands.hpp"
#include "jjstat/completion.hpp"
#include "jjstat/diagnostic.hpp"
#include "jjstat/embedded.hpp"
#include "jjstat/engine/pages.hpp"
#include "jjstat/error.hpp"
#include "jjstat/sources.hpp"
#include "jjstat/suggest.hpp"
#include "jjstat/text.hpp"
#include "jjstat/whole_number.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdlib>
#include <new>
#include <sys/ioctl.h>
#include <unistd.h>

namespace jjstat::cli {
namespace {

using commands::Context;

std::string version_text() {
  return fmt::format("jjstat {} (embedded data sha256 {})", JJSTAT_VERSION, embedded::checksum());
}

/// The options every command takes, bound to the shared context.
void add_shared_options(CLI::App& app, const commands::CommandSpec& spec, Context& context) {
  app.add_option("--data", context.data_paths,
                 "Add the rows of a CSV file in the documented schema (repeatable; - reads stdin)")
      ->type_name("FILE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  app.add_flag("--no-embedded", context.no_embedded, "Leave the embedded data out");
  // A command with formats of its own (report: md or html) binds --format itself, and takes
  // none of the options of the table and csv/tsv writers.
  const bool own_formats = app.get_option_no_throw("--format") != nullptr;
  if (!own_formats) {
    app.add_option("--format", context.format_name,
                   !spec.format_help.empty()
                       ? std::string(spec.format_help)
                       : "Output format: table, csv, tsv, json, jsonl or md (default: table on a "
                         "terminal, else csv)")
        ->check(CLI::IsMember({"table", "csv", "tsv", "json", "jsonl", "md"}))
        ->type_name("FORMAT");
  }
  app.add_option("--lang", context.lang,
                 "Language of labels and names in table and md: en or zh (default: zh when "
                 "LC_ALL or LANG starts with zh, else en)")
      ->check(CLI::IsMember({"en", "zh"}))
      ->type_name("LANG");
  app.add_option("--precision", context.precision,
                 !spec.precision_help.empty()
                     ? std::string(spec.precision_help)
                     : "Digits after the point for computed values in table and md (default 2); "
                       "machine formats carry full precision")
      ->each([&context](const std::string&) { context.precision_given = true; })
      ->transform(whole_number(0, 12))
      ->type_name("N");
  app.add_flag("--group-digits", context.group_digits,
               "Thousands separators in table and md (1,311)");
  if (!own_formats) {
    app.add_flag("--no-header", context.no_header, "Leave out the header line of csv and tsv output");
    app.add_option("--color", context.color,
                   "Colour in table output: auto (on a terminal, unless NO_COLOR is set), always or "
                   "never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->type_name("WHEN");
    app.add_option("--columns", context.columns,
                   "Only these columns in csv, tsv, json and jsonl (their keys, as the csv header "
                   "names them, separated by commas; shown in the command's order)")
        ->check([](const std::string& text) {
          return text.empty() ? "no key given; expected keys separated by commas (entity,cagr)"
                              : std::string();
        })
        ->type_name("KEYS");
    app.add_flag("--keep-formulas", context.keep_formulas,
                 "Write csv/tsv text cells that start with = + - @ tab or CR as they are (by "
                 "default they get a leading ' so that spreadsheets do not run them as formulas)");
  }
  app.add_option("--max-field-bytes", context.load.csv.max_field_bytes,
                 "Longest input field accepted (default 1048576)")
      ->transform(whole_number(1, std::int64_t{1} << 30))
      ->type_name("N");
  app.add_option("--max-columns", context.load.csv.max_columns,
                 "Most fields an input record may have (default 10000)")
      ->transform(whole_number(1, std::int64_t{1} << 24))
      ->type_name("N");
  app.add_flag("--wide", context.wide,
               "--data files have one column per period (entity,indicator,unit,2016,2017,...), as "
               "yearbooks print them");
  app.add_option("--quotes", context.quotes,
                 "A quote inside an unquoted input field: strict (an error) or lenient (kept)")
      ->check(CLI::IsMember({"strict", "lenient"}))
      ->type_name("POLICY");
}

/// The keys of --columns `text` (none when it was not given); a UsageError for an empty or
/// repeated key (format::Writer rejects it in table and md).
std::vector<std::string> column_keys(const std::string& text) {
  std::vector<std::string> keys;
  if (text.empty()) return keys;
  for (std::size_t start = 0;;) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    std::string key = text.substr(start, comma - start);
    if (key.empty()) {
      throw UsageError(fmt::format(
          "--columns '{}': an empty key; expected keys separated by commas (entity,cagr)", text));
    }
    if (std::find(keys.begin(), keys.end(), key) != keys.end())
      throw UsageError(fmt::format("--columns '{}': '{}' is named twice", text, key));
    keys.push_back(std::move(key));
    if (comma == text.size()) break;
    start = comma + 1;
  }
  return keys;
}

/// Settles the language, output format and reading options (the data is loaded when a
/// command first asks for it).
void prepare(Context& context, const Environment& environment) {
  context.chinese = context.lang.empty() ? environment.locale.starts_with("zh") : context.lang == "zh";
  std::string name = context.format_name;
  if (name.empty()) name = environment.stdout_is_terminal ? "table" : "csv";
  context.write.format = *format::parse_format(name);
  context.write.header = !context.no_header;
  context.write.group_digits = context.group_digits;
  context.write.keep_formulas = context.keep_formulas;
  context.write.columns = column_keys(context.columns);
  context.load.csv.quotes = context.quotes == "lenient" ? csv::QuotePolicy::lenient : csv::QuotePolicy::strict;
  context.engine = environment.engine;
  if (!context.engine.empty() && context.engine != "simple" && context.engine != "stream") {
    throw UsageError(
        fmt::format("JJSTAT_ENGINE is '{}'; expected simple, stream or nothing", context.engine));
  }
  if (!environment.huge_pages.empty() && environment.huge_pages != "0" &&
      environment.huge_pages != "1") {
    throw UsageError(
        fmt::format("JJSTAT_HUGE_PAGES is '{}'; expected 0, 1 or nothing", environment.huge_pages));
  }
  engine::ask_for_huge_pages(environment.huge_pages == "1");
  if (!environment.map.empty() && environment.map != "0" && environment.map != "1")
    throw UsageError(fmt::format("JJSTAT_MAP is '{}'; expected 0, 1 or nothing", environment.map));
  sources::map_files(environment.map == "1");
  sources::map_files_by_cache(environment.map.empty()); // (choose_mapping(), file by file)
  bool table = context.write.format == format::Format::table;
  // Colour on a terminal unless NO_COLOR says otherwise; --color always/never decide alone.
  context.write.color = table && (context.color == "always" ||
                                  (context.color == "auto" && environment.stdout_is_terminal &&
                                   !environment.no_color));
  context.write.max_width = !table                       ? 0
                            : environment.columns > 0    ? environment.columns
                                                         : environment.terminal_width;
}

/// Rejects an unknown command before CLI11 does, to suggest the closest one.
void check_command_name(int argc, const char* const* argv) {
  std::vector<std::string> names;
  for (const commands::CommandSpec& spec : commands::all()) names.emplace_back(spec.name);
  if (argc < 2) {
    throw UsageError(fmt::format("no command given; commands: {} (see 'jjstat --help')",
                                 fmt::join(names, ", ")));
  }
  std::string_view word = argv[1];
  if (word.empty() || word[0] == '-') return;
  if (std::find(names.begin(), names.end(), word) != names.end()) return;
  throw UsageError(fmt::format("unknown command '{}'{}; commands: {}", word,
                               did_you_mean(word, names), fmt::join(names, ", ")));
}

/// The completion model of the command table: every command's long options (with their
/// choices, read from CLI11's "NAME:{a,b}" type names) and the embedded ids its arguments take.
std::vector<completion::Command> completion_model(CLI::App& app) {
  commands::Context context;
  const Dataset& data = context.data(); // the embedded data: ids every user has
  std::vector<std::string> indicators, claims;
  for (const IndicatorInfo* info : data.indicators()) indicators.push_back(info->id);
  for (const Claim& claim : data.claims()) claims.push_back(claim.id);
  std::vector<completion::Command> model;
  for (CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    completion::Command command;
    command.name = sub->get_name();
    command.summary = sub->get_description();
    for (const CLI::Option* option : sub->get_options()) {
      if (option->get_lnames().empty()) {
        if (option->get_name() == "INDICATOR") command.arguments = indicators;
        if (option->get_name() == "CLAIM") command.arguments = claims;
        continue;
      }
      completion::Option o;
      o.name = "--" + option->get_lnames().front();
      o.help = option->get_description();
      o.takes_value = option->get_items_expected_max() > 0;
      std::string type = option->get_type_name();
      o.file = type == "FILE";
      std::size_t open = type.find('{');
      std::size_t close = type.find('}');
      if (open != std::string::npos && close != std::string::npos) {
        std::string list = type.substr(open + 1, close - open - 1);
        for (std::size_t start = 0;;) {
          std::size_t comma = list.find(',', start);
          o.choices.push_back(list.substr(start, comma - start));
          if (comma == std::string::npos) break;
          start = comma + 1;
        }
      }
      command.options.push_back(std::move(o));
    }
    model.push_back(std::move(command));
  }
  return model;
}

/// True when the messages should carry a Chinese explanation: --lang zh, or no --lang and a
/// zh locale (read from argv, since parsing may be what failed).
bool wants_chinese(int argc, const char* const* argv, const Environment& environment) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--lang" && i + 1 < argc) return std::string_view(argv[i + 1]) == "zh";
    if (arg.starts_with("--lang=")) return arg.substr(7) == "zh";
  }
  return environment.locale.starts_with("zh");
}

/// The Chinese line added under an error of a given exit status (the English line above it
/// stays the same, so that scripts can match it in any language).
std::string_view chinese_explanation(int status) {
  switch (status) {
  case k_exit_usage: return "（用法错误：命令行有误，见上；用 jjstat COMMAND --help 查看用法。）";
  case k_exit_data: return "（数据错误：上面所示文件的该行该列不符合数据格式，见 man jjstat 的 DATA SCHEMA。）";
  case k_exit_io: return "（读写错误：无法读取输入文件、写出结果，或内存不足。）";
  default: return "（内部错误：请报告此问题。）";
  }
}

/// Long options of the command given on the line (of every command when none was), for "did
/// you mean".
std::vector<std::string> long_options(CLI::App& app) {
  std::vector<std::string> names;
  std::vector<CLI::App*> given = app.get_subcommands();
  if (given.empty()) given = app.get_subcommands([](const CLI::App*) { return true; });
  for (CLI::App* sub : given) {
    for (const CLI::Option* option : sub->get_options()) {
      for (const std::string& name : option->get_lnames()) {
        std::string full = "--" + name;
        if (std::find(names.begin(), names.end(), full) == names.end()) names.push_back(full);
      }
    }
  }
  return names;
}

int fail(std::ostream& err, int status, std::string_view message, bool chinese = false) {
  // (What the user typed or a file's name may hold controls or invisible spaces: shown escaped,
  // as data errors show cells.)
  err << "jjstat: error: " << text::escape_for_terminal(message) << '\n';
  if (chinese) err << chinese_explanation(status) << '\n';
  return status;
}

} // namespace

Environment process_environment() {
  Environment environment;
  environment.stdout_is_terminal = ::isatty(STDOUT_FILENO) == 1;
  const char* all = std::getenv("LC_ALL");
  const char* lang = std::getenv("LANG");
  if (all && *all) {
    environment.locale = all;
  } else if (lang) {
    environment.locale = lang;
  }
  if (const char* engine = std::getenv("JJSTAT_ENGINE")) environment.engine = engine;
  if (const char* huge = std::getenv("JJSTAT_HUGE_PAGES")) environment.huge_pages = huge;
  if (const char* map = std::getenv("JJSTAT_MAP")) environment.map = map;
  const char* no_color = std::getenv("NO_COLOR");
  environment.no_color = no_color && *no_color;
  if (const char* columns = std::getenv("COLUMNS")) {
    char* end = nullptr;
    unsigned long value = std::strtoul(columns, &end, 10);
    if (end != columns && *end == '\0' && value > 0 && value < 100000) environment.columns = value;
  }
  winsize size{};
  if (environment.stdout_is_terminal && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0) {
    environment.terminal_width = size.ws_col;
  }
  return environment;
}

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
        const Environment& environment) {
  CLI::App app{"jjstat: statistics on the digital-economy figures of Jiangjin district "
               "(Chongqing), and on your own files in the same schema",
               "jjstat"};
  app.set_version_flag("--version", version_text(), "Print the version and the checksum of the embedded data");
  app.require_subcommand(1);
  bool chinese = wants_chinese(argc, argv, environment);
  // A file shortened while it is mapped: an I/O error, not the system's SIGBUS.
  sources::exit_when_cut_short(k_exit_io, chinese ? chinese_explanation(k_exit_io) : "");
  app.failure_message([&app, chinese](const CLI::App*, const CLI::Error& e) {
    std::string message = e.what();
    // An unknown option: suggest the closest one.
    std::size_t at = message.find("--");
    if (dynamic_cast<const CLI::ExtrasError*>(&e) && at != std::string::npos) {
      std::string word = message.substr(at, message.find_first_of(" \n", at) - at);
      message += did_you_mean(word, long_options(app));
    }
    // (Arguments are shown as data errors show cells: controls and invisible spaces escaped.)
    std::string text = fmt::format(
        "jjstat: error: {}\nRun 'jjstat --help' or 'jjstat COMMAND --help' for usage.\n",
        text::escape_for_terminal(message));
    if (chinese) text += std::string(chinese_explanation(k_exit_usage)) + "\n";
    return text;
  });
  app.footer("Run 'jjstat COMMAND --help' for the options of a command; 'man jjstat' for the "
             "data schema, formulas and exit statuses.\n");
  Context context;
  std::vector<std::pair<CLI::App*, commands::Runner>> runners;
  // A command named first on the line: only its parser is built (scripts call jjstat in a
  // loop, and building the others costs as much as the rest of a small query).
  const std::string_view named = argc > 1 ? argv[1] : "";
  const bool one =
      std::any_of(commands::all().begin(), commands::all().end(),
                  [&](const commands::CommandSpec& spec) { return spec.name == named; });
  for (const commands::CommandSpec& spec : commands::all()) {
    if (one && spec.name != named) continue;
    CLI::App* sub = app.add_subcommand(std::string(spec.name), std::string(spec.summary));
    sub->footer(fmt::format("Example:\n  {}\n", spec.example));
    runners.emplace_back(sub, spec.setup(*sub));
    add_shared_options(*sub, spec, context);
  }
  std::string shell;
  app.add_option("--completion", shell,
                 "Print the completion script for a shell: bash, zsh or fish (see FILES in the "
                 "man page)")
      ->check(CLI::IsMember({"bash", "zsh", "fish"}))
      ->type_name("SHELL");
  try {
    std::string_view first = argc > 1 ? argv[1] : "";
    if (first == "--completion" || first.starts_with("--completion=")) {
      shell = first == "--completion" ? (argc > 2 ? argv[2] : "") : std::string(first.substr(13));
      auto text = completion::script(shell, completion_model(app));
      if (!text) throw UsageError(fmt::format("--completion takes bash, zsh or fish, not '{}'", shell));
      out << *text;
      out.flush();
      return out ? k_exit_ok : fail(err, k_exit_io, "cannot write the output");
    }
    check_command_name(argc, argv);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      int status = app.exit(e, out, err);
      return status == 0 ? k_exit_ok : k_exit_usage;
    }
    for (auto& [sub, runner] : runners) {
      if (!sub->parsed()) continue;
      prepare(context, environment);
      // Large results are written as they are made; small ones all at the end.
      context.write.spill = [&out](std::string& text) {
        out << text;
        text.clear();
        if (!out) throw IoError("cannot write the output");
      };
      std::string result;
      int status = runner(context, result);
      // Results are written only once complete, so a failed command leaves stdout empty.
      out << result;
      out.flush();
      if (!out) return fail(err, k_exit_io, "cannot write the output");
      return status;
    }
    return fail(err, k_exit_internal, "no command ran");
  } catch (const DataError& e) {
    err << render_data_error(e);
    if (chinese) err << chinese_explanation(k_exit_data) << '\n';
    return k_exit_data;
  } catch (const UsageError& e) {
    return fail(err, k_exit_usage, e.what(), chinese);
  } catch (const IoError& e) {
    return fail(err, k_exit_io, e.what(), chinese);
  } catch (const std::bad_alloc&) {
    // An input too large to hold whole, or one that never ends (the output of `yes`; a device
    // such as /dev/zero is read up to its first NUL byte, an error).
    return fail(err, k_exit_io, "out of memory: an input is too large to hold, or never ends",
                chinese);
  } catch (const std::exception& e) {
    return fail(err, k_exit_internal, fmt::format("internal error: {}", e.what()), chinese);
  }
}

} // namespace jjstat::cli
