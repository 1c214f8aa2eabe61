#pragma once
/// Writers: one per output format, each rendering a Report into text.

#include "jjstat/report.hpp"

#include <optional>
#include <string>
#include <string_view>

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
};

/// Appends `report` rendered in `options.format` to `out`.
void write(const Report& report, const WriteOptions& options, std::string& out);

/// `text` as a JSON string literal, quotes included (invalid UTF-8 becomes U+FFFD).
std::string json_string(std::string_view text);

} // namespace jjstat::format
