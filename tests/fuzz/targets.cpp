#include "targets.hpp"

#include "json_check.hpp"

#include "jjstat/cli.hpp"
#include "jjstat/csv.hpp"
#include "jjstat/dataset.hpp"
#include "jjstat/decimal.hpp"
#include "jjstat/diagnostic.hpp"
#include "jjstat/embedded.hpp"
#include "jjstat/error.hpp"
#include "jjstat/period.hpp"
#include "jjstat/schema.hpp"
#include "jjstat/stats/derive.hpp"
#include "jjstat/stats/describe.hpp"
#include "jjstat/stats/growth.hpp"
#include "jjstat/stats/rank.hpp"
#include "jjstat/stats/verify.hpp"
#include "jjstat/text.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <system_error>
#include <vector>

namespace jjstat::fuzz {
namespace {

using Records = std::vector<std::vector<std::string>>;

std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return size == 0 ? std::string_view() : std::string_view(reinterpret_cast<const char*>(data), size);
}

/// Text safe to put in a failure message: escaped and cut.
std::string shown(std::string_view text) {
  std::string escaped = text::escape_for_terminal(text.substr(0, 300));
  if (text.size() > 300) escaped += "...";
  return escaped;
}

void require(bool condition, const std::string& what) {
  if (!condition) throw Violation(what);
}

/// The physical lines of `text` as Reader::locate cuts them: split at LF, a CR right before the
/// LF belongs to the line end, and a UTF-8 byte order mark at the start is not part of line 1.
std::vector<std::string_view> physical_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  for (;;) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      return lines;
    }
    std::size_t line_end = end;
    if (line_end > start && text[line_end - 1] == '\r') --line_end;
    lines.push_back(text.substr(start, line_end - start));
    start = end + 1;
  }
}

/// The error of a text that starts with a UTF-16 or UTF-32 byte order mark.
bool is_byte_order_mark_error(const DataError& error, std::string_view text) {
  const bool foreign_mark = text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF") ||
                            text.starts_with(std::string_view("\0\0\xFE\xFF", 4));
  return foreign_mark && std::string_view(error.what()).starts_with("file starts with a ");
}

/// A DataError must point into the text it names: a real line, a column on it (one past its
/// end at most), and a diagnostic that renders.
void check_location(const DataError& error, const std::map<std::string, std::string_view>& texts) {
  const Location& where = error.where();
  const std::string context = "error '" + shown(error.what()) + "' at " + shown(where.source) + ":" +
                              std::to_string(where.line) + ":" + std::to_string(where.column);
  const auto found = texts.find(where.source);
  require(found != texts.end(), context + ": the source is none of the inputs");
  require(where.line >= 1, context + ": line below 1");
  require(where.column >= 1, context + ": column below 1");
  require(!std::string_view(error.what()).empty(), context + ": empty message");
  const std::vector<std::string_view> lines = physical_lines(found->second);
  require(where.line <= lines.size(), context + ": line past the end of the text");
  const std::string_view line = lines[where.line - 1];
  if (is_byte_order_mark_error(error, found->second)) {
    // The one documented error without line text: the line is not UTF-8.
    require(where.line == 1 && where.column == 1 && where.line_text.empty(),
            context + ": byte order mark error not at 1:1");
  } else {
    require(where.line_text == line, context + ": line text '" + shown(where.line_text) +
                                         "' is not line " + std::to_string(where.line) + " '" +
                                         shown(line) + "'");
    require(where.column <= text::codepoint_count(line) + 1, context + ": column past the line end");
  }
  const std::string rendered = render_data_error(error);
  require(!rendered.empty() && rendered.back() == '\n', context + ": diagnostic without a line end");
}

// ---- csv -------------------------------------------------------------------------------------

Records read_all(std::string_view text, const csv::Options& options, const std::string& name) {
  csv::Reader reader(text, name, options);
  csv::Record record;
  Records records;
  std::size_t previous_line = 0;
  while (reader.next(record)) {
    require(!record.fields.empty(), "a record without fields");
    require(record.fields.size() <= options.max_columns, "a record over the column limit");
    require(record.fields.size() == record.offsets.size(), "fields and offsets differ in number");
    require(record.line > previous_line, "record lines do not increase");
    previous_line = record.line;
    // The record's line is the physical line of its first byte.
    const std::size_t first = record.offsets.front();
    require(first <= text.size(), "field offset past the text");
    const auto newlines = static_cast<std::size_t>(
        std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(first), '\n'));
    require(record.line == newlines + 1, "record line " + std::to_string(record.line) +
                                             " is not the line of its first byte " +
                                             std::to_string(newlines + 1));
    for (std::size_t i = 0; i < record.fields.size(); ++i) {
      require(record.fields[i].size() <= options.max_field_bytes, "a field over the byte limit");
      require(text::is_valid_utf8(record.fields[i]), "a field of invalid UTF-8 was accepted");
      require(record.fields[i].find('\0') == std::string_view::npos, "a field with NUL accepted");
      require(i == 0 || record.offsets[i] > record.offsets[i - 1], "field offsets do not increase");
    }
    records.emplace_back(record.fields.begin(), record.fields.end());
  }
  return records;
}

/// The records written back as CSV: fields by csv::append_field, a record of one empty field as
/// "" (an empty line would be skipped), LF line ends.
std::string write_all(const Records& records, char delimiter) {
  std::string out;
  for (const auto& record : records) {
    if (record.size() == 1 && record[0].empty()) {
      out += "\"\"";
    }
    for (std::size_t i = 0; i < record.size(); ++i) {
      if (i > 0) out += delimiter;
      csv::append_field(out, record[i], delimiter);
    }
    out += '\n';
  }
  return out;
}

void fuzz_csv_with(std::string_view text, const csv::Options& options) {
  const std::string name = "fuzz.csv";
  Records records;
  try {
    records = read_all(text, options, name);
  } catch (const DataError& error) {
    check_location(error, {{name, text}});
    return;
  }
  const std::string written = write_all(records, options.delimiter);
  Records again;
  try {
    again = read_all(written, options, name);
  } catch (const DataError& error) {
    throw Violation("records written back fail to read: " + shown(error.what()) + " in '" +
                    shown(written) + "'");
  }
  require(again == records, "records written back read differently: '" + shown(written) + "'");
}

// ---- decimal ---------------------------------------------------------------------------------

/// The documented grammar, checked independently of parse_decimal: optional sign, digits with
/// an optional point (at least one digit), optional exponent with optional sign and digits.
bool follows_number_grammar(std::string_view text) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i - start;
  };
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  std::size_t mantissa_digits = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    mantissa_digits += digits();
  }
  if (mantissa_digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == text.size();
}

double read_double(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  require(error == std::errc() && end == text.data() + text.size(),
          "from_chars cannot read '" + shown(text) + "'");
  return value;
}

void check_doubles(double value, int precision) {
  if (!std::isfinite(value)) return;
  const std::string shortest = format_shortest(value);
  require(read_double(shortest) == value, "format_shortest(" + shortest + ") does not read back");
  require(shortest.find_first_of("eE") == std::string::npos, "format_shortest used an exponent");
  const std::string fixed = format_fixed(value, precision);
  const std::size_t point = fixed.find('.');
  require(precision == 0 ? point == std::string::npos
                         : point != std::string::npos &&
                               fixed.size() - point - 1 == static_cast<std::size_t>(precision),
          "format_fixed(" + shortest + ", " + std::to_string(precision) + ") = " + fixed +
              " has the wrong number of digits");
  require(!(fixed[0] == '-' && fixed.find_first_not_of("-0.") == std::string::npos),
          "format_fixed printed a negative zero: " + fixed);
  // Rounded half away from zero from the shortest digits: within half a unit of the last digit.
  const double unit = std::pow(10.0, -precision);
  const double error = std::fabs(read_double(fixed) - value);
  require(error <= unit / 2 * (1 + 1e-9) + std::fabs(value) * 1e-15,
          "format_fixed(" + shortest + ", " + std::to_string(precision) + ") = " + fixed +
              " is off by more than half a unit");
}

void check_one_decimal(std::string_view text, int precision) {
  const DecimalParse parsed = parse_decimal(text);
  const bool grammar = follows_number_grammar(text);
  if (parsed.error != NumberError::none) {
    require(parsed.error_offset <= text.size(), "error offset past the text");
    require(!grammar || parsed.error == NumberError::overflow ||
                parsed.error == NumberError::too_precise,
            "'" + shown(text) + "' follows the grammar but was rejected as " +
                std::to_string(static_cast<int>(parsed.error)));
    if (parsed.error != NumberError::empty) {
      require(!schema::value_message(text, parsed).empty(), "empty value message");
    }
    return;
  }
  require(grammar, "'" + shown(text) + "' was accepted but is not a plain decimal number");
  const Decimal& value = parsed.value;
  const std::string printed = value.to_string();
  const DecimalParse again = parse_decimal(printed);
  require(again.error == NumberError::none, "to_string '" + printed + "' does not parse");
  require(again.value == value && again.value.scale() == value.scale(),
          "to_string '" + printed + "' reads back as another value");
  require(again.value.to_string() == printed, "to_string is not stable: " + printed);
  const double as_double = value.to_double();
  require(std::isfinite(as_double), "to_double of " + printed + " is not finite");
  require(as_double == read_double(text), "to_double of '" + shown(text) +
                                              "' differs from the correctly rounded double");
  check_doubles(as_double, precision);
  check_doubles(as_double, value.scale());
}

void check_decimal_pair(std::string_view left, std::string_view right) {
  const DecimalParse a = parse_decimal(left);
  const DecimalParse b = parse_decimal(right);
  if (a.error != NumberError::none || b.error != NumberError::none) return;
  const Decimal& x = a.value;
  const Decimal& y = b.value;
  const std::string context = x.to_string() + " and " + y.to_string();
  const auto order = x <=> y;
  const auto reverse = y <=> x;
  require((order < 0) == (reverse > 0) && (order == 0) == (reverse == 0),
          "ordering of " + context + " is not antisymmetric");
  require((order == 0) == (x == y), "== and <=> disagree on " + context);
  if (x.to_double() < y.to_double()) require(order < 0, "ordering disagrees with doubles: " + context);
  if (x.to_double() > y.to_double()) require(order > 0, "ordering disagrees with doubles: " + context);
  if (const auto difference = x.minus(y)) {
    require((difference->is_zero() && order == 0) || (difference->is_negative() && order < 0) ||
                (!difference->is_zero() && !difference->is_negative() && order > 0),
            "the sign of the difference disagrees with the ordering: " + context);
    const auto back = difference->plus(y);
    require(back && *back == x, "(x - y) + y is not x: " + context);
  }
  if (const auto sum = x.plus(y)) {
    const auto back = sum->minus(y);
    require(back && *back == x, "(x + y) - y is not x: " + context);
    require(sum->scale() == std::max(x.scale(), y.scale()), "sum scale: " + context);
  }
}

void check_period(std::string_view text) {
  const auto period = Period::parse(text);
  if (!period) return;
  const std::string label = period->label();
  const auto again = Period::parse(label);
  require(again && *again == *period, "period label '" + label + "' reads back differently");
  require(Period::from_code(period->code()) == *period, "period code does not round-trip: " + label);
  require(period->year() >= 1000 && period->year() <= 9999, "period year out of range: " + label);
}

// ---- dataset ---------------------------------------------------------------------------------

struct DatasetInput {
  LoadOptions options;
  bool embedded = false;
  std::vector<std::pair<std::string, std::string_view>> texts;
};

/// The options from the first byte; the texts are the rest, split at 0xFF bytes (never in
/// UTF-8 text), at most four.
DatasetInput split_dataset_input(std::string_view bytes) {
  DatasetInput input;
  if (bytes.empty()) return input;
  const auto flags = static_cast<unsigned char>(bytes[0]);
  bytes.remove_prefix(1);
  input.options.wide = (flags & 1) != 0;
  input.options.csv.quotes = (flags & 2) != 0 ? csv::QuotePolicy::lenient : csv::QuotePolicy::strict;
  if ((flags & 4) != 0) {
    input.options.csv.max_field_bytes = 1 + (flags >> 5);
    input.options.csv.max_columns = 1 + ((flags >> 3) & 3) * 4;
  }
  input.embedded = (flags & 0xF8) == 0xF8;
  for (int i = 1;; ++i) {
    const std::size_t cut = i < 4 ? bytes.find('\xFF') : std::string_view::npos;
    input.texts.emplace_back("in" + std::to_string(i) + ".csv", bytes.substr(0, cut));
    if (cut == std::string_view::npos) break;
    bytes.remove_prefix(cut + 1);
  }
  return input;
}

void exercise_statistics(const Dataset& dataset) {
  std::vector<const Observation*> observations;
  for (const Observation& observation : dataset.observations()) observations.push_back(&observation);
  for (const stats::Series& series : stats::group_series(observations)) {
    stats::growth(series, std::nullopt, std::nullopt);
    stats::year_over_year(series);
  }
  stats::describe(observations);
  for (const stats::TieMethod ties : {stats::TieMethod::min, stats::TieMethod::average}) {
    stats::RankRequest request;
    request.ties = ties;
    stats::rank_figures(observations, request);
    request.by = stats::RankBy::cagr;
    stats::rank_figures(observations, request);
  }
  try {
    stats::RankRequest pooled;
    pooled.pool = true;
    stats::rank_figures(observations, pooled);
  } catch (const UsageError&) {
    // A pooled ranking of several dimensions is a usage error, as documented.
  }
  for (const Claim& claim : dataset.claims()) stats::check_claim(dataset, claim);
  for (const IndicatorInfo* info : dataset.indicators()) {
    dataset.indicator_name(info->id, true);
  }
  dataset.categories();
}

// ---- cli -------------------------------------------------------------------------------------

constexpr std::array<const char*, 5> k_commands = {"show", "growth", "rank", "describe", "summary"};
constexpr std::array<const char*, 4> k_formats = {"csv", "json", "jsonl", "table"};
constexpr int k_variants = 13;

/// A file for the --data input of this process, removed when the process ends.
class ScratchFile {
public:
  ScratchFile() {
    m_path = (std::filesystem::temp_directory_path() /
              ("jjstat-fuzz-" + std::to_string(::getpid()) + ".csv"))
                 .string();
  }
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove(m_path, ignored);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  const std::string& write(std::string_view bytes) {
    std::ofstream out(m_path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw std::runtime_error("cannot write " + m_path);
    return m_path;
  }

private:
  std::string m_path;
};

struct RunResult {
  int status = 0;
  std::string out;
  std::string err;
};

RunResult run_cli(const std::vector<std::string>& args, const cli::Environment& environment) {
  std::vector<const char*> argv;
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  argv.push_back(nullptr);
  std::ostringstream out;
  std::ostringstream err;
  RunResult result;
  result.status = cli::run(static_cast<int>(args.size()), argv.data(), out, err, environment);
  result.out = out.str();
  result.err = err.str();
  return result;
}

/// The command-line options of a variant (0 .. k_variants - 1) for `command`.
std::vector<std::string> variant_options(int variant, std::string_view command,
                                         cli::Environment& environment) {
  const bool growth = command == "growth";
  const bool rank = command == "rank";
  switch (variant) {
  case 1: return {"--quotes", "lenient"};
  case 2: return {"--wide"};
  case 3: return {"--lang", "zh"};
  case 4: return {"--group-digits"};
  case 5: return {"--no-header"};
  case 6: return {"--max-field-bytes", "16", "--max-columns", "8"};
  case 7:
    if (growth) return {"--yoy"};
    if (rank) return {"--by", "change"};
    return {"--precision", "0"};
  case 8:
    if (growth) return {"--from", "2019", "--to", "2020"};
    if (rank) return {"--ties", "average", "--top", "2"};
    return {"--precision", "12"};
  case 9:
    if (rank) return {"--by", "cagr", "--ascending"};
    if (growth) return {"--from", "2020Q1"};
    return {"--keep-formulas"};
  case 10: return {"--wide", "--quotes", "lenient"};
  case 11: environment.columns = 40; return {};
  case 12:
    if (rank) return {"--pool"};
    return {"--entity", "district_a"};
  default: return {};
  }
}

/// Table output shows data, never runs it: no control character but LF (colour is off), no
/// C1 control, no bidirectional control, and valid UTF-8 (invalid bytes are shown escaped).
void check_terminal_safe(std::string_view out, const std::string& line) {
  require(text::is_valid_utf8(out), "jjstat" + line + " wrote invalid UTF-8 to a table");
  std::size_t pos = 0;
  while (pos < out.size()) {
    const auto byte = static_cast<unsigned char>(out[pos]);
    const std::size_t length = byte < 0x80 ? 1 : text::utf8_char_length(out.substr(pos));
    const std::string_view character = out.substr(pos, length);
    const bool control = (byte < 0x20 && byte != '\n') || byte == 0x7F;
    // C1 controls U+0080..009F are C2 80..9F; the bidirectional controls are U+061C, U+200E,
    // U+200F, U+202A..202E and U+2066..2069.
    const bool c1 = length == 2 && byte == 0xC2 && static_cast<unsigned char>(out[pos + 1]) < 0xA0;
    const bool bidi = character == "\u061C" || character == "\u200E" || character == "\u200F" ||
                      (character >= "\u202A" && character <= "\u202E" && length == 3) ||
                      (character >= "\u2066" && character <= "\u2069" && length == 3);
    require(!control && !c1 && !bidi, "jjstat" + line + " passed a control character to a table: '" +
                                          shown(out.substr(pos > 40 ? pos - 40 : 0, 80)) + "'");
    pos += length;
  }
}

/// CSV output reads back as a table (strict reader) with one width, and, unless formulas are
/// kept, no field starts as a spreadsheet formula: a field starting with '-' is a number.
void check_csv_output(std::string_view out, bool guarded, const std::string& line) {
  std::vector<std::vector<std::string>> rows;
  try {
    rows = csv::parse(out, "stdout");
  } catch (const DataError& error) {
    throw Violation("jjstat" + line + " wrote CSV that does not read back: " + error.what());
  }
  for (const auto& row : rows) {
    require(row.size() == rows.front().size(), "jjstat" + line + " wrote CSV rows of several widths");
    if (!guarded) continue;
    for (const std::string& field : row) {
      if (field.empty()) continue;
      const bool formula = field[0] == '=' || field[0] == '+' || field[0] == '@' || field[0] == '\t' ||
                           field[0] == '\r' ||
                           (field[0] == '-' && parse_decimal(field).error != NumberError::none);
      require(!formula, "jjstat" + line + " wrote a formula to CSV: '" + shown(field) + "'");
    }
  }
}

} // namespace

int fuzz_csv(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto flags = data[0];
  const std::string_view text = as_text(data + 1, size - 1);
  csv::Options options;
  constexpr std::array<char, 4> k_delimiters = {',', '\t', ';', '|'};
  options.delimiter = k_delimiters[flags & 3];
  // Small limits half of the time, so that the limit checks are reached by small inputs.
  if ((flags & 4) != 0) {
    options.max_field_bytes = 1 + ((flags >> 3) & 7) * 3;
    options.max_columns = 1 + (flags >> 6) * 3;
  }
  for (const auto quotes : {csv::QuotePolicy::strict, csv::QuotePolicy::lenient}) {
    options.quotes = quotes;
    fuzz_csv_with(text, options);
  }
  return 0;
}

int fuzz_decimal(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = as_text(data, size);
  const int precision = size == 0 ? 2 : data[0] % 31;
  check_one_decimal(text, precision);
  check_period(text);
  if (const std::size_t bar = text.find('|'); bar != std::string_view::npos) {
    check_decimal_pair(text.substr(0, bar), text.substr(bar + 1));
    check_one_decimal(text.substr(bar + 1), precision);
  }
  // Any bit pattern as a double: the formatters take every finite value.
  if (size >= 8) {
    double value = 0;
    std::memcpy(&value, data, sizeof value);
    check_doubles(value, precision);
  }
  return 0;
}

int fuzz_dataset(const std::uint8_t* data, std::size_t size) {
  const DatasetInput input = split_dataset_input(as_text(data, size));
  std::map<std::string, std::string_view> names;
  Dataset dataset;
  try {
    if (input.embedded) {
      LoadOptions embedded_options;
      for (const embedded::File& file : embedded::files()) {
        const std::string name = "embedded:" + std::string(file.path);
        names[name] = file.text;
        dataset.load(file.text, name, embedded_options);
      }
    }
    for (const auto& [name, text] : input.texts) {
      names[name] = text;
      dataset.load(text, name, input.options);
    }
    stats::add_derived_figures(dataset, [&](std::string_view source) {
      const auto it = names.find(std::string(source));
      return it == names.end() ? std::string_view() : it->second;
    });
  } catch (const DataError& error) {
    check_location(error, names);
    return 0;
  }
  for (const Observation& observation : dataset.observations()) {
    require(!observation.entity.empty() && is_snake_case_id(observation.indicator) &&
                !observation.unit.empty(),
            "an observation without entity, indicator or unit was accepted");
  }
  exercise_statistics(dataset);
  return 0;
}

int fuzz_cli(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static ScratchFile scratch;
  const int selector = data[0];
  const std::string command = k_commands[static_cast<std::size_t>(selector % 5)];
  const std::string format = k_formats[static_cast<std::size_t>((selector / 5) % 4)];
  const int variant = (selector / 20) % k_variants;
  const std::string& path = scratch.write(as_text(data + 1, size - 1));

  cli::Environment environment;
  environment.engine = "stream"; // (small files are read whole otherwise: compared below)
  std::vector<std::string> args = {"jjstat", command, "--data", path, "--no-embedded", "--format", format};
  for (std::string& option : variant_options(variant, command, environment)) args.push_back(std::move(option));
  std::string line;
  for (const std::string& arg : args) line += " " + arg;

  const RunResult result = run_cli(args, environment);
  require(result.status >= 0 && result.status <= 4,
          "jjstat" + line + " exited " + std::to_string(result.status) + ": " + shown(result.err));
  require(result.status != 1, "jjstat" + line + " exited 1, which only verify may");
  require(result.status == 0 || result.out.empty(),
          "jjstat" + line + " failed with status " + std::to_string(result.status) +
              " but wrote to stdout");
  require(result.status != 0 || result.err.empty(),
          "jjstat" + line + " succeeded but wrote to stderr: " + shown(result.err));
  require(result.status == 0 || !result.err.empty(), "jjstat" + line + " failed silently");
  if (result.status == 0 && (format == "json" || format == "jsonl")) {
    const json_check::Verdict verdict =
        format == "json" ? json_check::check(result.out) : json_check::check_lines(result.out);
    require(verdict.ok, "jjstat" + line + " wrote invalid JSON (" + verdict.message + " at byte " +
                            std::to_string(verdict.offset) + "): " +
                            shown(std::string_view(result.out).substr(
                                verdict.offset > 40 ? verdict.offset - 40 : 0, 120)));
  }
  if (result.status == 0 && format == "table") check_terminal_safe(result.out, line);
  if (result.status == 0 && format == "csv") {
    const bool guarded = std::find(args.begin(), args.end(), "--keep-formulas") == args.end();
    check_csv_output(result.out, guarded, line);
  }
  if (command == "growth" || command == "rank" || command == "describe") {
    environment.engine = "simple";
    const RunResult simple = run_cli(args, environment);
    // Files are read again when a row repeats a figure the streamed store let go of: every
    // output, errors included, is the loader's.
    require(simple.status == result.status,
            "jjstat" + line + ": streamed status " + std::to_string(result.status) +
                ", loaded status " + std::to_string(simple.status) +
                "; streamed: " + shown(result.err) + "; loaded: " + shown(simple.err));
    require(simple.out == result.out, "jjstat" + line + ": streamed and loaded stdout differ");
    require(simple.err == result.err, "jjstat" + line + ": streamed and loaded stderr differ: " +
                                          shown(result.err) + " versus " + shown(simple.err));
  }
  return 0;
}

Target find_target(std::string_view name) {
  if (name == "csv") return fuzz_csv;
  if (name == "decimal") return fuzz_decimal;
  if (name == "dataset") return fuzz_dataset;
  if (name == "cli") return fuzz_cli;
  return nullptr;
}

} // namespace jjstat::fuzz
