#pragma once
/// The checks of the cells every observation has, shared by the loaders so that a bad cell gets
/// the same message whichever way the file is read.

#include "jjstat/csv.hpp"
#include "jjstat/decimal.hpp"
#include "jjstat/period.hpp"
#include "jjstat/qualifier.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace jjstat::schema {

/// The core columns of an observation, in the order they are checked.
enum CoreColumn { c_entity, c_indicator, c_period, c_value, c_unit, c_qualifiers, k_core_columns };

/// The core cells of one row, checked and parsed.
struct CoreCells {
  std::string_view entity;
  std::string_view indicator;
  Period period;
  std::optional<Decimal> value; ///< nullopt: an empty cell, a missing value
  std::string_view unit;
  Qualifiers qualifiers;
};

/// A bad cell: which core column, the byte offset in the cell, and what was wrong.
struct CellError {
  int column = 0;
  std::size_t offset = 0;
  std::string message;
  /// `offset` is into the cell's value (after its opening quote, its doubled quotes single),
  /// not at the cell's first byte.
  bool in_value = false;
};

/// True when `text` starts or ends with a space or a tab, or starts with a byte-order mark (an
/// entity or unit cell that is then an error, as parse_core() reports it).
bool has_edge_space(std::string_view text);
/// The error for such a cell: "entity ' a' has white space at its start; expected 'a'" (`what`
/// names the cell).
std::string edge_space_message(std::string_view what, std::string_view text);

/// Parses the core cells (an absent optional column is an empty cell); false with `error` set
/// at the first bad cell. Allocates nothing when the row is good. `checked_indicator`, when
/// given, holds an indicator already found good (rows repeat theirs) and is updated.
bool parse_core(const std::array<std::string_view, k_core_columns>& cells, CoreCells& out,
                CellError& error, std::string_view* checked_indicator = nullptr);

/// Checks a record of an observations table: its width against the header's, then the core
/// cells, found at `columns` (-1: the column is absent); throws DataError where the problem is.
/// `period`, when not empty, is the period cell's text (a wide table's period comes from its
/// header); the period column is then the value's.
void read_core(const csv::Reader& reader, const csv::Record& record, std::size_t width,
               const std::array<int, k_core_columns>& columns, CoreCells& out,
               std::string_view period = {});

/// Rejects a record whose field count differs from the header's (DataError at the place).
void check_width(const csv::Reader& reader, const csv::Record& record, std::size_t width);

/// The optional columns of an observation that are not core ones, in the loader's order.
enum MetaColumn {
  m_reported_rank,
  m_rank_scope,
  m_category,
  m_name_zh,
  m_name_en,
  m_source,
  m_source_line,
  k_meta_columns
};

/// The header names of the MetaColumns, in their order.
constexpr std::array<std::string_view, k_meta_columns> k_meta_names = {
    "reported_rank", "rank_scope", "category", "name_zh", "name_en", "source", "source_line"};

/// The metadata cells of one row (an absent column is an empty cell), the numbers checked.
struct MetaCells {
  std::optional<int> reported_rank;
  std::string_view rank_scope, category, name_zh, name_en, source;
  std::optional<int> source_line;
};

/// A positive whole number of at most 9 digits without a leading zero (a rank or a line
/// number); nullopt otherwise.
std::optional<int> parse_positive(std::string_view text);

/// Reads the metadata cells of a record whose core cells read_core() checked, found at
/// `columns` (-1: absent); throws DataError at a reported_rank or source_line that is not a
/// positive whole number.
void read_meta(const csv::Reader& reader, const csv::Record& record,
               const std::array<int, k_meta_columns>& columns, MetaCells& out);

/// The message for a value cell that parse_decimal rejected.
std::string value_message(std::string_view text, const DecimalParse& parsed);

} // namespace jjstat::schema
