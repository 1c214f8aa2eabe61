#pragma once
/// A typed table of results and its notes: what commands compute, before any formatting.

#include "jjstat/decimal.hpp"
#include "jjstat/unit.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jjstat {

/// How a column lines up in human formats.
enum class Align { left, right };

/// Which formats show a column.
enum class Audience {
  all,     ///< every format
  human,   ///< table and md only
  machine, ///< csv, tsv, json and jsonl only
};

/// A column: a stable snake_case key for machine formats, a label for human ones.
struct Column {
  std::string key;
  std::string label;
  Align align = Align::left;
  Audience audience = Audience::all;
};

/// One value of a report, typed so that each format can render it its own way.
class Cell {
public:
  /// What a cell holds.
  enum class Kind { text, integer, decimal, real, missing };
  /// How a coloured table shows a cell (negative numbers are shown as bad by themselves).
  enum class Tone { plain, good, bad, note };

  /// An empty text cell.
  Cell() = default;
  /// Text; `human` (when not empty) is shown instead in table and md.
  static Cell text(std::string machine, std::string human = {});
  /// A whole number.
  static Cell integer(std::int64_t value);
  /// An exact decimal, printed with its own digits; `show_sign` puts '+' before positives in
  /// human formats.
  static Cell decimal(const Decimal& value, bool show_sign = false);
  /// A computed real: full precision in machine formats, rounded to `precision` digits (half
  /// away from zero) in human ones.
  static Cell real(double value, int precision, bool show_sign = false);
  /// A Number: decimal() or real().
  static Cell number(const Number& value, int precision, bool show_sign = false);
  /// A missing or undefined value: "n/a" in human formats, empty in csv/tsv, null in JSON.
  static Cell missing();

  /// Makes this cell text(machine, human) in place, its buffers reused (a table of a million
  /// rows fills one row of cells again and again).
  void set_text(std::string_view machine, std::string_view human = {});
  /// Makes this cell number(value, precision, show_sign) in place.
  void set_number(const Number& value, int precision, bool show_sign = false);
  /// Makes this cell real(value, precision, show_sign) in place.
  void set_real(double value, int precision, bool show_sign = false);
  /// Makes this cell missing() in place.
  void set_missing();

  /// The kind of value.
  Kind kind() const { return m_kind; }
  /// Text of a text cell as machine formats show it.
  const std::string& machine_text() const { return m_text; }
  /// Text of a text cell as human formats show it.
  const std::string& human_text() const { return m_human.empty() ? m_text : m_human; }
  /// Value of an integer cell.
  std::int64_t integer_value() const { return m_integer; }
  /// Value of a decimal cell.
  const Decimal& decimal_value() const { return m_decimal; }
  /// Value of a real cell.
  double real_value() const { return m_real; }
  /// Digits after the point of a real cell in human formats.
  int precision() const { return m_precision; }
  /// True when human formats put '+' before a positive value.
  bool show_sign() const { return m_show_sign; }
  /// The cell with a tone for coloured tables.
  Cell with_tone(Tone tone) && {
    m_tone = tone;
    return std::move(*this);
  }
  /// Sets the tone in place.
  void set_tone(Tone tone) { m_tone = tone; }
  /// Its tone.
  Tone tone() const { return m_tone; }

private:
  /// Sets every member as a new cell of `kind` has it, keeping the strings' buffers.
  void reset(Kind kind);

  Kind m_kind = Kind::text;
  std::string m_text;
  std::string m_human;
  std::int64_t m_integer = 0;
  Decimal m_decimal;
  double m_real = 0.0;
  int m_precision = 2;
  bool m_show_sign = false;
  Tone m_tone = Tone::plain;
};

/// A result table with optional sections and notes.
struct Report {
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
  /// Column whose changes start a new section in human formats (its value is the heading and
  /// the column is not repeated in the table); -1 for none.
  int section_column = -1;
  /// Lines printed after the table in human formats: methods, footnotes, omissions.
  std::vector<std::string> notes;

  /// Adds a column and returns its index.
  std::size_t add_column(std::string key, std::string label, Align align = Align::left,
                         Audience audience = Audience::all);
};

} // namespace jjstat
