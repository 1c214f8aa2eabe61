#pragma once
/// Writers: one per output format, each rendering a Report into text.

#include "jjstat/report.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jjstat::format {

/// An output format.
enum class Format { table, csv, tsv, json, jsonl, md };

/// The format named `name` ("table", "csv", ...), or nullopt.
std::optional<Format> parse_format(std::string_view name);

/// True for table and md, which are read by people; false for the machine formats.
bool is_human(Format format);

/// How to write a report.
struct WriteOptions {
  Format format = Format::table;
  bool group_digits = false; ///< thousands separators in human formats
  bool header = true;        ///< the header line of csv and tsv
  /// Rows rendered apart, to be appended to another writer's (block_options()): no header in
  /// any format, md's included (which --no-header leaves alone).
  bool rows_only = false;
  bool keep_formulas = false; ///< csv/tsv text cells starting = + - @ tab CR are not neutralised
  bool color = false;         ///< ANSI colours in table output (never in other formats)
  std::size_t max_width = 0;  ///< table lines fit this many columns (0: no limit)
  /// --columns: the keys of the columns csv, tsv, json and jsonl show, in the writer's order
  /// (empty: all of them); a key the output does not have is a UsageError when a Writer is made.
  std::vector<std::string> columns;
  /// Called with the output so far whenever it grows past `spill_bytes`, to write it out and
  /// clear it (so that large results stream); unset: everything stays in the string.
  std::function<void(std::string&)> spill;
  std::size_t spill_bytes = std::size_t{4} << 20; ///< (smaller in tests, to spill small tables)
};

/// `options` for rows rendered apart and appended to a writer with `options`
/// (Writer::append_rendered()): no header, nothing spilled.
inline WriteOptions block_options(WriteOptions options) {
  options.header = false;
  options.rows_only = true;
  options.spill = nullptr;
  return options;
}

class RowWriter;

/// The rows table keeps until the end (for the widths of its columns), as it shows
/// them: of each row, the text of each column shown (rounded, escaped) and then, when the table
/// has sections, the section column's text, one after the other.
struct HumanRows {
  std::vector<std::size_t> columns;  ///< the columns shown, in order
  std::size_t per_row = 0;           ///< texts kept a row: the columns, and the section's
  std::string text;                  ///< every text kept
  std::vector<std::size_t> ends;     ///< where each text kept ends in `text`
  std::vector<std::uint8_t> colours; ///< the colour of each column shown of each row
  std::size_t rows = 0;
};

/// Writes a report row by row: machine formats and md render each row at once (and spill as
/// they go); table keeps the rows until finish() because column widths need all of them.
class Writer {
public:
  /// A writer of rows with `columns` into `out`; writes the header of csv, tsv and json now.
  Writer(std::vector<Column> columns, int section_column, const WriteOptions& options,
         std::string& out);
  /// Adds one row (one cell per column).
  void row(std::vector<Cell> cells);
  /// Adds one row the caller keeps: written at once by the machine formats, copied by the
  /// human ones (which keep their rows until finish()).
  void write_row(const std::vector<Cell>& cells);
  /// Writes what is kept and the notes (human formats only), and ends json.
  void finish(const std::vector<std::string>& notes);
  /// Appends rows rendered by another writer of the same csv, tsv or jsonl format without a
  /// header (so that rows can be rendered in parallel), or json rows rendered as jsonl rows
  /// each after the separator this writer would put before it (mark_rendered_rows()). Once the
  /// output has grown past the spill size, or with rows of a sixteenth of it or more (a block
  /// of a large result: copied into the output, the first megabytes would take fresh pages),
  /// the output so far and then `rows` themselves are handed to the spill (no copy made;
  /// `rows` is left empty); a small result stays whole until the end.
  void append_rendered(std::string& rows);
  /// Counts the rows given to append_rendered() as rows of this writer's: json then ends as
  /// an array that has rows (finish()).
  void mark_rendered_rows() {
    if (m_rows == 0) m_rows = 1;
  }
  /// True when rows render on their own (csv, tsv, jsonl, and md without sections), so that
  /// append_rendered applies.
  bool rows_stand_alone() const;
  /// True when a machine format shows `column` (a column --columns leaves out is hidden).
  bool shows(std::size_t column) const {
    return column < m_machine_shown.size() && m_machine_shown[column] != 0;
  }
  /// csv and tsv: the byte between two fields; 0 in the other formats.
  char delimiter() const { return m_delimited ? m_separator[0] : '\0'; }
  /// csv and tsv: true when a text cell `text` is written as it is (nothing in it to quote,
  /// escape or neutralise); false in the other formats.
  bool plain_delimited(std::string_view text) const {
    if (!m_delimited) return false;
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    unsigned found = text.empty() ? 0U : m_not_plain[bytes[0]] & 2U;
    for (std::size_t i = 0; i < text.size(); ++i) found |= m_not_plain[bytes[i]] & 1U;
    return found == 0;
  }

private:
  friend class RowWriter;

  /// Keeps a row of table; writes one of md (write_markdown_row()).
  void keep_human(const std::vector<Cell>& cells);
  /// Writes a row of md at once, after its section's heading and header when it starts one.
  void write_markdown_row(const std::vector<Cell>& cells);

  Report m_report;   ///< the columns and the notes
  HumanRows m_human; ///< table and md: the rows kept
  WriteOptions m_options;
  std::string& m_out;
  std::vector<std::size_t> m_visible; ///< machine columns shown
  std::vector<char> m_machine_shown;  ///< per column: shown by the machine formats
  std::vector<std::string> m_json_keys; ///< per column: its key as JSON, then ": "
  std::string_view m_separator;         ///< between fields of the machine formats
  std::string m_scratch;                ///< a text field being quoted or escaped
  /// csv and tsv: per byte value, bit 0 when a text field holding the byte is not written as
  /// it is (it is quoted or escaped), bit 1 when a field starting with it may not be (a
  /// formula to neutralise, or a byte order mark); all 0 in the other formats.
  std::array<std::uint8_t, 256> m_not_plain{};
  bool m_delimited = false;             ///< csv or tsv
  std::vector<Cell> m_cells;            ///< the row a RowWriter makes for the human formats
  std::size_t m_rows = 0;
  bool m_spilled_rendered = false;  ///< append_rendered() has handed output to the spill
  std::string m_md_section;         ///< md with sections: the section of the last row
};

/// Columns of a row as a machine format wrote them, kept to be written again in later rows of
/// the same writer whose cells in those columns are the same (RowWriter::segment()).
struct Segment {
  std::vector<std::string> key; ///< what the cells were made of (the caller's choice)
  std::string bytes;            ///< what the columns wrote, separators and keys included
  std::size_t column = 0;       ///< the first of them
  std::size_t columns = 0;      ///< how many
  std::size_t fields = 0;       ///< how many of them the format shows
  bool kept = false;            ///< bytes hold them

  /// True when `bytes` hold the columns from `at` as written for `for_key`.
  bool holds(std::size_t at, std::initializer_list<std::string_view> for_key) const {
    return kept && column == at && key.size() == for_key.size() &&
           std::equal(for_key.begin(), for_key.end(), key.begin());
  }
};

/// One row of a Writer given value by value, in column order (every column, shown or not, as
/// the cells of write_row): the machine formats write each value at once, exactly as
/// write_row writes the cell it would be, without making the cell; table and md make the
/// cells, and md writes the row from them while table keeps it. A million-row result is written
/// this way.
class RowWriter {
public:
  /// Starts a row of `writer`.
  explicit RowWriter(Writer& writer);
  /// Not copied: its end points into its own buffer.
  RowWriter(const RowWriter&) = delete;
  RowWriter& operator=(const RowWriter&) = delete;
  /// The next cell is Cell::text(machine, human) with `tone`.
  void text(std::string_view machine, std::string_view human = {},
            Cell::Tone tone = Cell::Tone::plain);
  /// The next cell is Cell::number(value, precision, show_sign).
  void number(const Number& value, int precision, bool show_sign = false);
  /// The next cell is Cell::real(value, precision, show_sign).
  void real(double value, int precision, bool show_sign = false);
  /// The next cell is Cell::missing().
  void missing();
  /// The next cell is `cell`.
  void cell(const Cell& cell);
  /// The next columns, written by `write` (given this writer), or, in a machine format, by
  /// the bytes `segment` kept when they were written before at this column for the same
  /// `key`. The caller makes sure that the key determines those cells.
  /// A million-row result repeats most of its cells row after row (indicator, unit, periods).
  template <class Write>
  void segment(Segment& segment, std::initializer_list<std::string_view> key, Write&& write) {
    if (m_human) {
      write(*this);
      return;
    }
    if (replay(segment, key)) return;
    const std::size_t column = m_column, fields = m_fields;
    const std::size_t start = begin_segment();
    write(*this);
    end_segment(segment, key, start, column, fields);
  }
  /// Ends the row (columns not given are missing) and hands it to the writer.
  void end();

private:
  /// Moves on to the next column: true when a machine format shows it (its separator and, in
  /// JSON, its key written), false when it is hidden or past the last column.
  bool next_shown();
  /// The next column's cell of a human format, or null (past the last).
  Cell* next_cell();
  /// Makes room for `size` characters in the buffer (handing what it holds to the output).
  void room(std::size_t size);
  /// Adds `text` to the row.
  void put(std::string_view text);
  /// Hands the buffer to the output.
  void flush();
  /// Writes the bytes `segment` kept when they were kept for `key` at this column: true;
  /// false, having written nothing, otherwise.
  bool replay(const Segment& segment, std::initializer_list<std::string_view> key);
  /// Starts a segment: the buffer handed to the output, the output's size returned.
  std::size_t begin_segment();
  /// Keeps in `segment`, for `key`, what the columns since begin_segment() (which returned
  /// `start`; the row was then at `column`, after `fields` fields) wrote, unless part of it
  /// went to the output already.
  void end_segment(Segment& segment, std::initializer_list<std::string_view> key, std::size_t start,
                   std::size_t column, std::size_t fields);

  Writer& m_writer;
  std::string& m_out;
  const bool m_human;
  std::size_t m_column = 0; ///< columns given so far
  std::size_t m_fields = 0; ///< machine fields written so far
  std::size_t m_start = 0;  ///< where the row starts in the output
  /// The row so far (added to the output at once: one append instead of one per field).
  std::array<char, 256> m_buffer;
  char* m_end = m_buffer.data(); ///< the end of the row in m_buffer
};

/// Appends `report` rendered in `options.format` to `out`.
void write(const Report& report, const WriteOptions& options, std::string& out);

/// `text` as a JSON string literal, quotes included (invalid UTF-8 becomes U+FFFD).
std::string json_string(std::string_view text);

/// Appends json_string(text) to `out`.
void append_json_string(std::string& out, std::string_view text);

} // namespace jjstat::format
