#include "jjstat/schema.hpp"

#include "jjstat/dataset.hpp"
#include "jjstat/error.hpp"
#include "jjstat/text.hpp"
#include "jjstat/unit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace jjstat::schema {
namespace {

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

/// The offset just past the last field of `record` in the text, its closing quote included. The
/// field's value is no guide to its length in the text when quotes were doubled, and an empty
/// last field may start at the very end of the text.
std::size_t end_of_last_field(const csv::Reader& reader, const csv::Record& record) {
  std::string_view text = reader.text();
  std::size_t pos = record.offsets.back();
  if (pos >= text.size() || text[pos] != '"') return pos + record.fields.back().size();
  for (++pos; pos < text.size(); ++pos) {
    if (text[pos] != '"') continue;
    if (pos + 1 < text.size() && text[pos + 1] == '"') {
      ++pos;
      continue;
    }
    return pos + 1;
  }
  return text.size();
}

/// A space or a tab.
bool is_blank(char c) { return c == ' ' || c == '\t'; }

/// Bytes of blank (spaces, tabs, byte-order marks) at the start of `text`.
std::size_t leading_blank(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    if (is_blank(text[at])) {
      ++at;
    } else if (text.substr(at).starts_with(text::k_byte_order_mark)) {
      at += text::k_byte_order_mark.size();
    } else {
      break;
    }
  }
  return at;
}

/// How the commas of a number split its digits: digit grouping, one decimal comma, or neither.
struct DigitGroups {
  bool grouped = false;       ///< 1,234 or -12,345,678.5: groups of three after the first
  /// 1,5, -0,25 or 0,500: one comma, not grouping (another number of digits after it, or a
  /// first group with a leading zero)
  bool decimal_comma = false;
};
DigitGroups digit_groups(std::string_view text) {
  std::size_t at = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  auto digits = [&] {
    const std::size_t begin = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    return at - begin;
  };
  const bool leading_zero = at < text.size() && text[at] == '0';
  const std::size_t first = digits();
  if (first == 0 || at == text.size() || text[at] != ',') return {};
  std::vector<std::size_t> groups;
  while (at < text.size() && text[at] == ',') {
    ++at;
    groups.push_back(digits());
  }
  const bool point_after = at < text.size() && text[at] == '.';
  if (point_after) {
    ++at;
    digits();
  }
  if (at != text.size()) return {};
  DigitGroups out;
  // (A first group of 0, or with a leading zero, groups nothing: 0,500 is a half.)
  out.grouped =
      first <= 3 && !leading_zero &&
      std::all_of(groups.begin(), groups.end(), [](std::size_t size) { return size == 3; });
  out.decimal_comma = !out.grouped && !point_after && groups.size() == 1 && groups[0] > 0;
  return out;
}

} // namespace

std::string value_message(std::string_view text, const DecimalParse& parsed) {
  constexpr std::string_view expected = "expected a plain decimal number such as -12.5 or 3e4";
  switch (parsed.error) {
  case NumberError::none:
  case NumberError::empty: break;
  case NumberError::space:
    return fmt::format("value '{}' has white space around the number; {}", text, expected);
  case NumberError::grouping: {
    // Digit grouping is groups of three digits after a first one of one to three (1,234 or
    // 12,345.6); one comma with another number of digits after it is a decimal comma (1,5), and
    // the value is 1.5, not 15.
    const DigitGroups groups = digit_groups(text);
    if (groups.grouped) {
      std::string plain(text);
      std::erase(plain, ',');
      return fmt::format("value '{}' has digit grouping; {}: write {}", text, expected, plain);
    }
    if (groups.decimal_comma) {
      std::string point(text);
      point[point.find(',')] = '.';
      return fmt::format("value '{}' has a decimal comma; {}: write {}", text, expected, point);
    }
    return fmt::format("value '{}' has a comma in the number; {}", text, expected);
  }
  case NumberError::fullwidth:
    return fmt::format("value '{}' has fullwidth characters; {}: write {}", text, expected,
                       ascii_digits(text));
  case NumberError::unit_suffix: {
    std::string number(text.substr(0, parsed.error_offset));
    while (!number.empty() && number.back() == ' ') number.pop_back();
    std::string_view after = text.substr(parsed.error_offset);
    std::string suffix(after.substr(leading_blank(after)));
    // What follows may be no unit but more of a malformed number: a hexadecimal 0x10, 12-5,
    // 1,5.2; or nothing visible (a byte-order mark).
    const bool hex = (number == "0" || number == "-0") && !after.empty() &&
                     (after.front() == 'x' || after.front() == 'X');
    // A product (9x9, 2×3, 9 x -3) is no number and x9 no unit: no hint to move it.
    const bool product = [&] {
      std::string_view rest = suffix;
      if (rest.starts_with("×")) {
        rest.remove_prefix(std::string_view("×").size());
      } else if (rest.starts_with('x') || rest.starts_with('X')) {
        rest.remove_prefix(1);
      } else {
        return false;
      }
      rest.remove_prefix(leading_blank(rest));
      // (A factor: a digit, after a sign or a point: 9, -3, .5, +.5.)
      if (rest.starts_with('-') || rest.starts_with('+')) rest.remove_prefix(1);
      if (rest.starts_with('.')) rest.remove_prefix(1);
      return !rest.empty() && rest.front() >= '0' && rest.front() <= '9';
    }();
    if (hex || product || suffix.empty() ||
        std::string_view("0123456789.,+-").find(suffix.front()) != std::string_view::npos)
      break;
    // 亿 and 万 are multipliers, not units: suggest the unit they start (亿元).
    std::string unit = find_unit(suffix) || !find_unit(suffix + "元") ? suffix : suffix + "元";
    return fmt::format("value '{}' has text after the number; {}: write {} and put the unit "
                       "(such as {}) in the unit column",
                       text, expected, number, unit);
  }
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

std::string edge_space_message(std::string_view what, std::string_view text) {
  std::string_view trimmed = text.substr(leading_blank(text));
  const bool leading = trimmed.size() != text.size();
  // (A byte-order mark is named: it shows as nothing, not as a space.)
  const bool bom = text.substr(0, text.size() - trimmed.size()).find(text::k_byte_order_mark) !=
                   std::string_view::npos;
  while (!trimmed.empty() && is_blank(trimmed.back())) trimmed.remove_suffix(1);
  if (trimmed.empty()) {
    return fmt::format("{} '{}' is only {}; expected text", what, text,
                       bom ? "invisible characters (a byte-order mark, U+FEFF)" : "white space");
  }
  return fmt::format("{} '{}' has {} at its {}; expected '{}'", what, text,
                     bom ? "a byte-order mark (U+FEFF)" : "white space", leading ? "start" : "end",
                     trimmed);
}

bool has_edge_space(std::string_view text) {
  return !text.empty() && (is_blank(text.front()) || is_blank(text.back()) ||
                           text.starts_with(text::k_byte_order_mark));
}

bool parse_core(const std::array<std::string_view, k_core_columns>& cells, CoreCells& out,
                CellError& error, std::string_view* checked_indicator) {
  auto fail = [&](int column, std::size_t offset, std::string message) {
    error.column = column;
    error.offset = offset;
    error.message = std::move(message);
    error.in_value = false;
    return false;
  };
  auto empty = [&](int column, std::string_view what, std::string_view hint) {
    return fail(column, 0, fmt::format("empty {}; every row needs {}", what, hint));
  };
  // A space or tab at either end, or a byte-order mark at the start, makes another entity or
  // unit than the one meant (" 亿元" is not 亿元), as it makes a value no number.
  auto padded = [&](int column, std::string_view what, std::string_view text) {
    const bool leading = leading_blank(text) != 0;
    fail(column, leading ? 0 : text.size() - 1, edge_space_message(what, text));
    error.in_value = true;
    return false;
  };
  out.entity = cells[c_entity];
  if (out.entity.empty()) return empty(c_entity, "entity", "an entity");
  if (has_edge_space(out.entity)) return padded(c_entity, "entity", out.entity);
  out.indicator = cells[c_indicator];
  if (out.indicator.empty()) return empty(c_indicator, "indicator", "an indicator id");
  bool known = checked_indicator && *checked_indicator == out.indicator;
  if (!known && !is_snake_case_id(out.indicator)) {
    return fail(c_indicator, 0,
                fmt::format("indicator '{}' is not an ASCII snake_case id; expected a lower-case "
                            "letter, then lower-case letters, digits or '_'",
                            out.indicator));
  }
  std::string_view period_text = cells[c_period];
  if (period_text.empty()) return empty(c_period, "period", "a period");
  auto period = Period::parse(period_text);
  if (!period) {
    return fail(c_period, 0,
                fmt::format("period '{}' is not a year, quarter or month; expected 2020, 2020Q3 "
                            "or 2020-09",
                            period_text));
  }
  out.period = *period;
  if (checked_indicator) *checked_indicator = out.indicator;
  out.value.reset();
  if (std::string_view value_text = cells[c_value]; !value_text.empty()) {
    DecimalParse parsed = parse_decimal(value_text);
    if (parsed.error != NumberError::none) {
      return fail(c_value, parsed.error_offset, value_message(value_text, parsed));
    }
    out.value = parsed.value;
  }
  out.unit = cells[c_unit];
  if (out.unit.empty()) return empty(c_unit, "unit", "a unit as printed (亿元, 个, %)");
  if (has_edge_space(out.unit)) return padded(c_unit, "unit", out.unit);
  std::string_view qualifier_text = cells[c_qualifiers];
  out.qualifiers = Qualifiers();
  if (!qualifier_text.empty()) {
    std::string bad;
    auto qualifiers = Qualifiers::parse(qualifier_text, &bad);
    if (!qualifiers) {
      // Point at the unknown id itself: the start of the first item equal to it.
      std::size_t at = 0;
      while (qualifier_text.substr(at, qualifier_text.find(';', at) - at) != bad) {
        at = qualifier_text.find(';', at) + 1;
      }
      return fail(c_qualifiers, at,
                  fmt::format("unknown qualifier '{}'; expected approximate, projected, target, "
                              "at_least, planned, cumulative or derived, separated by ';'",
                              bad));
    }
    out.qualifiers = *qualifiers;
  }
  return true;
}

void check_width(const csv::Reader& reader, const csv::Record& record, std::size_t width) {
  if (record.fields.size() == width) return;
  // Too many: the first extra field; too few: just after the last field.
  std::size_t at = record.fields.size() > width ? record.offsets[width] : end_of_last_field(reader, record);
  throw DataError(reader.locate(at),
                  fmt::format("row has {} field{} but the header has {}", record.fields.size(),
                              record.fields.size() == 1 ? "" : "s", width));
}

void read_core(const csv::Reader& reader, const csv::Record& record, std::size_t width,
               const std::array<int, k_core_columns>& columns, CoreCells& out,
               std::string_view period) {
  check_width(reader, record, width);
  std::array<std::string_view, k_core_columns> cells;
  for (int c = 0; c < k_core_columns; ++c) {
    cells[c] = columns[c] < 0 ? std::string_view{} : record.fields[static_cast<std::size_t>(columns[c])];
  }
  if (!period.empty()) cells[c_period] = period;
  CellError bad;
  if (parse_core(cells, out, bad)) return;
  // Errors inside a value or qualifier cell (or at a blank of an entity or unit) point into the
  // text: past an opening quote, each quote before them doubled there.
  std::size_t at = record.offsets[static_cast<std::size_t>(columns[bad.column])];
  bool inside = bad.in_value || bad.column == c_value || bad.column == c_qualifiers;
  std::size_t quote = 0;
  if (inside && reader.text()[at] == '"') {
    const std::string_view value = cells[static_cast<std::size_t>(bad.column)];
    const auto before = static_cast<std::ptrdiff_t>(std::min(bad.offset, value.size()));
    quote = 1 + static_cast<std::size_t>(std::count(value.begin(), value.begin() + before, '"'));
  }
  throw DataError(reader.locate(at + quote + bad.offset), bad.message);
}

std::optional<int> parse_positive(std::string_view text) {
  if (text.empty() || text.size() > 9 || text[0] == '0') return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

void read_meta(const csv::Reader& reader, const csv::Record& record,
               const std::array<int, k_meta_columns>& columns, MetaCells& out) {
  auto cell = [&](int column) {
    const int at = columns[static_cast<std::size_t>(column)];
    return at < 0 ? std::string_view{}
                  : std::string_view(record.fields[static_cast<std::size_t>(at)]);
  };
  // (Each message points at the cell's first byte, its opening quote if it has one.)
  auto number = [&](int column, std::string_view name) -> std::optional<int> {
    const std::string_view text = cell(column);
    if (text.empty()) return std::nullopt;
    std::optional<int> value = parse_positive(text);
    if (!value) {
      const auto at = static_cast<std::size_t>(columns[static_cast<std::size_t>(column)]);
      throw DataError(reader.locate(record.offsets[at]),
                      fmt::format("{} '{}' is not a positive whole number", name, text));
    }
    return value;
  };
  out.reported_rank = number(m_reported_rank, "reported_rank");
  out.rank_scope = cell(m_rank_scope);
  out.category = cell(m_category);
  out.name_zh = cell(m_name_zh);
  out.name_en = cell(m_name_en);
  out.source = cell(m_source);
  out.source_line = number(m_source_line, "source_line");
}

} // namespace jjstat::schema
