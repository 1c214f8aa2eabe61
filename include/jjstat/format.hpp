#pragma once
/// Writers: one per output format, each rendering a Report into text.

#include "jjstat/report.hpp"

#include <functional>
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
  bool keep_formulas = false; ///< csv/tsv text cells starting = + - @ tab CR are not neutralised
  bool color = false;         ///< ANSI colours in table output (never in other formats)
  std::size_t max_width = 0;  ///< table lines fit this many columns (0: no limit)
  /// Called with the output so far whenever it grows past a few MiB, to write it out and clear
  /// it (so that large results stream); unset: everything stays in the string.
  std::function<void(std::string&)> spill;
};

/// Writes a report row by row: machine formats render each row at once (and spill as they go),
/// human formats keep the rows until finish() because column widths need all of them.
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
  /// header (so that rows can be rendered in parallel).
  void append_rendered(std::string_view rows);
  /// True when rows render on their own (csv, tsv, jsonl), so that append_rendered applies.
  bool rows_stand_alone() const;

private:
  Report m_report; ///< the columns, and the rows human formats keep
  WriteOptions m_options;
  std::string& m_out;
  std::vector<std::size_t> m_visible; ///< machine columns shown
  std::size_t m_rows = 0;
};

/// Appends `report` rendered in `options.format` to `out`.
void write(const Report& report, const WriteOptions& options, std::string& out);

/// `text` as a JSON string literal, quotes included (invalid UTF-8 becomes U+FFFD).
std::string json_string(std::string_view text);

} // namespace jjstat::format
