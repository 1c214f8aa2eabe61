// Property test of the delimited writers: random tables of text (UTF-8 with CJK, Hangul, emoji
// and combining marks; commas, quotes, tabs, backslashes, CR and LF; empty cells; leading = + -
// @) written by format::write as CSV read back by csv::parse as the same cells, and as TSV read
// back the same after undoing its four escapes; without --keep-formulas exactly the cells a
// spreadsheet would run get a leading ', and numbers are never touched.

#include "jjstat/csv.hpp"
#include "jjstat/format.hpp"
#include "jjstat/report.hpp"
#include "jjstat/text.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using namespace jjstat;
using jjstat::format::Format;
using jjstat::format::WriteOptions;

namespace {

using Table = std::vector<std::vector<std::string>>;

// Pieces a cell is made of: the bytes the writers must escape, and text of every width class.
constexpr std::array<std::string_view, 30> k_pieces = {
    "a",  "Z",  "7",  " ",  ",",  "\"", "\"\"", "\r", "\n", "\r\n", "\t", "\\", "'", ";", "|",
    "=",  "+",  "-",  "@",  "亿元", "江津区", "한국", "ｆｕｌｌ", "😀", "e\u0301", "\u200d",
    "\u202e", "\ufeff", "x=1", "=SUM(A1:A9)",
};
constexpr std::string_view k_risky_starts = "=+-@\t\r";

std::string random_cell(std::mt19937& rng) {
  std::uniform_int_distribution<int> length(0, 6);
  std::uniform_int_distribution<std::size_t> piece(0, k_pieces.size() - 1);
  std::string cell;
  const int pieces = length(rng);
  for (int i = 0; i < pieces; ++i) cell += k_pieces[piece(rng)];
  // A risky first character a quarter of the time, so that every kind is seen often.
  if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) {
    cell.insert(cell.begin(), k_risky_starts[std::uniform_int_distribution<std::size_t>(
                                  0, k_risky_starts.size() - 1)(rng)]);
  }
  return cell;
}

Table random_table(unsigned seed) {
  std::mt19937 rng(seed);
  const auto columns = std::uniform_int_distribution<std::size_t>(1, 5)(rng);
  const auto rows = std::uniform_int_distribution<std::size_t>(0, 12)(rng);
  Table table(rows, std::vector<std::string>(columns));
  for (auto& row : table) {
    for (auto& cell : row) cell = random_cell(rng);
  }
  return table;
}

Report report_of(const Table& table, std::size_t columns) {
  Report report;
  for (std::size_t c = 0; c < columns; ++c) report.add_column("c" + std::to_string(c), "C");
  for (const auto& row : table) {
    std::vector<Cell> cells;
    for (const auto& text : row) cells.push_back(Cell::text(text));
    report.rows.push_back(std::move(cells));
  }
  return report;
}

std::string write(const Report& report, Format format, bool keep_formulas) {
  WriteOptions options;
  options.format = format;
  options.keep_formulas = keep_formulas;
  std::string out;
  format::write(report, options, out);
  return out;
}

/// The rows of TSV text, its escapes undone.
Table read_tsv(std::string_view text) {
  Table rows;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    BOOST_REQUIRE(end != std::string_view::npos);
    std::vector<std::string> row(1);
    for (std::size_t i = start; i < end; ++i) {
      if (text[i] == '\t') {
        row.emplace_back();
      } else if (text[i] == '\\') {
        BOOST_REQUIRE(i + 1 < end);
        const char escaped = text[++i];
        BOOST_REQUIRE(escaped == 't' || escaped == 'n' || escaped == 'r' || escaped == '\\');
        row.back() += escaped == 't' ? '\t' : escaped == 'n' ? '\n' : escaped == 'r' ? '\r' : '\\';
      } else {
        row.back() += text[i];
      }
    }
    rows.push_back(std::move(row));
    start = end + 1;
  }
  return rows;
}

/// `table` with a header of keys c0.. on top, as the writers put it.
Table with_header(const Table& table, std::size_t columns) {
  Table expected(1);
  for (std::size_t c = 0; c < columns; ++c) expected[0].push_back("c" + std::to_string(c));
  expected.insert(expected.end(), table.begin(), table.end());
  return expected;
}

bool is_risky(std::string_view cell) {
  return !cell.empty() && k_risky_starts.find(cell[0]) != std::string_view::npos;
}

std::string shown(const Table& table) {
  std::string out;
  for (const auto& row : table) {
    for (std::size_t i = 0; i < row.size(); ++i) out += (i ? " | " : "") + text::escape_for_terminal(row[i]);
    out += "\n";
  }
  return out;
}

constexpr unsigned k_tables = 400;

} // namespace

BOOST_AUTO_TEST_SUITE(csv_roundtrip)

BOOST_AUTO_TEST_CASE(csv_writer_reads_back_identical) {
  for (unsigned seed = 1; seed <= k_tables; ++seed) {
    const Table table = random_table(seed);
    const std::size_t columns = table.empty() ? 1 : table[0].size();
    if (table.empty()) continue;
    const std::string written = write(report_of(table, columns), Format::csv, true);
    const Table expected = with_header(table, columns);
    const auto read = csv::parse(written, "written.csv");
    BOOST_TEST_CONTEXT("seed " << seed << ", written:\n" << text::escape_for_terminal(written)) {
      BOOST_TEST(read == expected, "read back:\n" << shown(read) << "expected:\n" << shown(expected));
    }
  }
}

BOOST_AUTO_TEST_CASE(tsv_writer_reads_back_identical) {
  for (unsigned seed = 1; seed <= k_tables; ++seed) {
    const Table table = random_table(seed);
    if (table.empty()) continue;
    const std::size_t columns = table[0].size();
    const std::string written = write(report_of(table, columns), Format::tsv, true);
    const Table expected = with_header(table, columns);
    const Table read = read_tsv(written);
    BOOST_TEST_CONTEXT("seed " << seed << ", written:\n" << text::escape_for_terminal(written)) {
      BOOST_TEST(read == expected, "read back:\n" << shown(read) << "expected:\n" << shown(expected));
    }
  }
}

BOOST_AUTO_TEST_CASE(only_risky_cells_are_neutralised) {
  for (unsigned seed = 1; seed <= k_tables; ++seed) {
    const Table table = random_table(seed);
    if (table.empty()) continue;
    const std::size_t columns = table[0].size();
    const Report report = report_of(table, columns);
    const auto csv_rows = csv::parse(write(report, Format::csv, false), "written.csv");
    const Table tsv_rows = read_tsv(write(report, Format::tsv, false));
    BOOST_REQUIRE_EQUAL(csv_rows.size(), table.size() + 1);
    BOOST_REQUIRE_EQUAL(tsv_rows.size(), table.size() + 1);
    for (std::size_t r = 0; r < table.size(); ++r) {
      for (std::size_t c = 0; c < columns; ++c) {
        const std::string& cell = table[r][c];
        const std::string expected = is_risky(cell) ? "'" + cell : cell;
        BOOST_TEST_CONTEXT("seed " << seed << ", row " << r << ", column " << c << ": "
                                   << text::escape_for_terminal(cell)) {
          BOOST_TEST(csv_rows[r + 1][c] == expected);
          BOOST_TEST(tsv_rows[r + 1][c] == expected);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(numbers_are_never_neutralised) {
  Report report;
  report.add_column("text", "Text");
  report.add_column("integer", "Integer");
  report.add_column("decimal", "Decimal");
  report.add_column("real", "Real");
  report.rows.push_back({Cell::text("-neg"), Cell::integer(-5), Cell::decimal(Decimal(-1142, 2)),
                         Cell::real(-76.25, 2)});
  BOOST_TEST(write(report, Format::csv, false) == "text,integer,decimal,real\n'-neg,-5,-11.42,-76.25\n");
  BOOST_TEST(write(report, Format::tsv, false) == "text\tinteger\tdecimal\treal\n'-neg\t-5\t-11.42\t-76.25\n");
}

// Regression: a CSV row of one empty field was written as an empty line, which every reader
// skips, so the row was lost.
BOOST_AUTO_TEST_CASE(one_empty_field_is_written_as_empty_quotes) {
  Report report;
  report.add_column("only", "Only");
  report.rows.push_back({Cell::text("")});
  report.rows.push_back({Cell::missing()});
  report.rows.push_back({Cell::text("x")});
  const std::string written = write(report, Format::csv, true);
  BOOST_TEST(written == "only\n\"\"\n\"\"\nx\n");
  const auto read = csv::parse(written, "written.csv");
  BOOST_TEST(read == (std::vector<std::vector<std::string>>{{"only"}, {""}, {""}, {"x"}}));
}

// Regression (fuzz_csv): a field starting with U+FEFF at the start of a file was written bare,
// and read back without it, the reader taking it for a byte order mark.
BOOST_AUTO_TEST_CASE(field_starting_with_byte_order_mark_is_quoted) {
  std::string out;
  csv::append_field(out, "\xEF\xBB\xBFx");
  BOOST_TEST(out == "\"\xEF\xBB\xBFx\"");
  const auto read = csv::parse(out + "\n", "written.csv");
  BOOST_TEST(read == (std::vector<std::vector<std::string>>{{"\xEF\xBB\xBFx"}}));
  out.clear();
  csv::append_field(out, "x\xEF\xBB\xBF");
  BOOST_TEST(out == "x\xEF\xBB\xBF");
}

BOOST_AUTO_TEST_SUITE_END()
