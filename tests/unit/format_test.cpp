#include "jjstat/format.hpp"

#include "jjstat/text.hpp"

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

#include <string>
#include <utility>
#include <variant>
#include <vector>

using namespace jjstat;
using jjstat::format::Format;
using jjstat::format::WriteOptions;

namespace {

/// A report with every kind of cell: two sections, a human-only and a machine-only column,
/// notes.
Report sample() {
  Report report;
  report.section_column = static_cast<int>(report.add_column("category", "Category"));
  report.add_column("entity", "Entity");
  report.add_column("note", "Note");
  report.add_column("count", "Count", Align::right);
  report.add_column("value", "Value", Align::right);
  report.add_column("growth", "Growth %", Align::right);
  report.add_column("shown", "Shown", Align::left, Audience::human);
  report.add_column("id", "id", Align::left, Audience::machine);
  report.rows.push_back({Cell::text("rd", "研发投入"), Cell::text("江津区"),
                         Cell::text("a, \"b\"\nc"), Cell::integer(1311),
                         Cell::decimal(Decimal(1142, 2)), Cell::real(76.23497997329774, 2),
                         Cell::text("甲"), Cell::text("jiangjin")});
  report.rows.push_back({Cell::text("rd", "研发投入"), Cell::text("Jiangjin"), Cell::text("=1+2"),
                         Cell::integer(-5), Cell::missing(), Cell::missing(), Cell::text("|x|"),
                         Cell::text("j2")});
  report.rows.push_back({Cell::text("finance", "金融支持"), Cell::text("重庆"), Cell::text("ok"),
                         Cell::integer(1234567), Cell::decimal(Decimal(12345, 1)),
                         Cell::real(1234567.891, 2), Cell::text(""), Cell::text("cq")});
  report.notes = {"Growth is (b - a) / a.", "注：单位 | 亿元"};
  return report;
}

std::string render(const Report& report, Format format, WriteOptions options = {}) {
  options.format = format;
  std::string out;
  jjstat::format::write(report, options, out);
  return out;
}

/// The report of one text column holding `cells`.
Report one_text_column(std::initializer_list<std::string> cells) {
  Report report;
  report.add_column("text", "Text");
  for (const std::string& cell : cells)
    report.rows.push_back({Cell::text(cell)});
  return report;
}

} // namespace

BOOST_AUTO_TEST_SUITE(format)

BOOST_AUTO_TEST_CASE(rendered_rows_reach_the_spill_only_once_the_output_is_large) {
  // Blocks rendered elsewhere stay in the output while it is small (a failed command then
  // leaves stdout empty); once it passes the spill size they go to the spill as they come,
  // after what came before, in order.
  std::vector<Column> columns = {{"a", "a", Align::left, Audience::all}};
  std::vector<std::string> spilled;
  WriteOptions options;
  options.format = Format::csv;
  options.spill = [&](std::string& text) {
    spilled.push_back(text);
    text.clear();
  };
  std::string out;
  jjstat::format::Writer writer(columns, -1, options, out);
  std::string small = "x\n";
  writer.append_rendered(small);
  BOOST_TEST(spilled.empty());
  BOOST_TEST(out == "a\nx\n");
  std::string large(std::size_t{5} << 20, 'y');
  writer.append_rendered(large);
  BOOST_TEST_REQUIRE(spilled.size() == 2U);
  BOOST_TEST(spilled[0] == "a\nx\n");
  BOOST_TEST(spilled[1].size() == (std::size_t{5} << 20));
  BOOST_TEST(large.empty());
  std::string after = "z\n";
  writer.append_rendered(after);
  BOOST_TEST_REQUIRE(spilled.size() == 3U);
  BOOST_TEST(spilled[2] == "z\n");
  BOOST_TEST(out.empty());
  // A block of a sixteenth of the spill size or more goes to the spill at once, after the
  // output so far, however small that is: it is not copied into the output first (4 MiB by
  // default: 256 KiB and more).
  std::vector<std::string> early;
  WriteOptions by_block = options;
  by_block.spill = [&](std::string& text) {
    early.push_back(text);
    text.clear();
  };
  std::string first;
  jjstat::format::Writer blocks(columns, -1, by_block, first);
  std::string under((std::size_t{1} << 18) - 1, 'u');
  blocks.append_rendered(under);
  BOOST_TEST(early.empty());
  BOOST_TEST(first.size() == 2 + (std::size_t{1} << 18) - 1);
  std::string block(std::size_t{1} << 18, 'b');
  blocks.append_rendered(block);
  BOOST_TEST_REQUIRE(early.size() == 2U);
  BOOST_TEST(early[0].size() == 2 + (std::size_t{1} << 18) - 1);
  BOOST_TEST(early[0].starts_with("a\nuu"));
  BOOST_TEST(early[1] == std::string(std::size_t{1} << 18, 'b'));
  BOOST_TEST(block.empty());
  BOOST_TEST(first.empty());
  // Without a spill everything stays in the output.
  std::string whole;
  WriteOptions kept;
  kept.format = Format::csv;
  jjstat::format::Writer keeper(columns, -1, kept, whole);
  std::string rows = "x\n";
  keeper.append_rendered(rows);
  BOOST_TEST(whole == "a\nx\n");
}

BOOST_AUTO_TEST_CASE(table_colours_follow_tone_then_sign) {
  // A tone wins; otherwise a negative number is red (not one that rounds to zero), a missing
  // value dim, the rest plain; the header is bold and the section heading too.
  Report report;
  report.section_column = static_cast<int>(report.add_column("s", "S"));
  report.add_column("a", "A", Align::right);
  report.add_column("b", "B", Align::right);
  report.rows.push_back({Cell::text("one"), Cell::integer(-3), Cell::decimal(Decimal(-5, 1))});
  report.rows.push_back({Cell::text("one"), Cell::real(-0.001, 2), Cell::real(-0.01, 2)});
  report.rows.push_back({Cell::text("two"), Cell::missing(), Cell::integer(7)});
  report.rows.push_back({Cell::text("two"), Cell::integer(-1).with_tone(Cell::Tone::good),
                         Cell::text("x").with_tone(Cell::Tone::note)});
  report.rows.push_back(
      {Cell::text("two"), Cell::integer(1).with_tone(Cell::Tone::bad), Cell::text("")});
  WriteOptions options;
  options.color = true;
  const std::string b = "\x1b[1m", r = "\x1b[31m", g = "\x1b[32m", y = "\x1b[33m", d = "\x1b[2m",
                    z = "\x1b[0m";
  // (Widths are those of every section: A 4, B 5.)
  BOOST_TEST(render(report, Format::table, options) ==
             b + "one" + z + "\n" +                                    //
                 "   " + b + "A" + z + "      " + b + "B" + z + "\n" + //
                 "----  -----\n" +                                     //
                 "  " + r + "-3" + z + "   " + r + "-0.5" + z + "\n" + //
                 "0.00  " + r + "-0.01" + z + "\n" +                   //
                 "\n" +                                                //
                 b + "two" + z + "\n" +                                //
                 "   " + b + "A" + z + "      " + b + "B" + z + "\n" + //
                 "----  -----\n" +                                     //
                 " " + d + "n/a" + z + "      7\n" +                   //
                 "  " + g + "-1" + z + "      " + y + "x" + z + "\n" + //
                 "   " + r + "1" + z + "\n");
}

BOOST_AUTO_TEST_CASE(a_large_table_reaches_the_spill_in_pieces) {
  // table and md keep their rows for the widths, then hand the output to the spill as it
  // grows: the pieces joined are what the whole output would be.
  const std::vector<Column> columns = {{"s", "S", Align::left, Audience::all},
                                       {"name", "Name", Align::left, Audience::all},
                                       {"n", "N", Align::right, Audience::all}};
  auto write_all = [&](Format format, WriteOptions options) {
    options.format = format;
    std::string out;
    jjstat::format::Writer writer(columns, 0, options, out);
    std::vector<Cell> cells(3);
    for (std::int64_t i = 0; i < 40000; ++i) {
      cells[0].set_text(i < 20000 ? "first" : "second");
      cells[1].set_text(fmt::format("名称{}", i % 977));
      cells[2] = Cell::integer(i * 7919 % 100003);
      writer.write_row(cells);
    }
    writer.finish({"a note"});
    return out;
  };
  for (Format format : {Format::table, Format::md}) {
    const std::string whole = write_all(format, {});
    // (A spill size of 64 KiB instead of 4 MiB: the same pieces of a table a 64th the size, which
    // the sanitizer build writes in seconds rather than minutes.)
    WriteOptions options;
    options.spill_bytes = std::size_t{64} << 10;
    BOOST_TEST(whole.size() > 8 * options.spill_bytes);
    std::vector<std::string> pieces;
    options.spill = [&](std::string& text) {
      BOOST_TEST(text.size() >= options.spill_bytes);
      pieces.push_back(text);
      text.clear();
    };
    const std::string rest = write_all(format, options);
    BOOST_TEST(pieces.size() >= 8U);
    std::string joined;
    for (const std::string& piece : pieces) joined += piece;
    BOOST_TEST((joined + rest == whole));
  }
}

BOOST_AUTO_TEST_CASE(format_names) {
  BOOST_TEST((jjstat::format::parse_format("table") == Format::table));
  BOOST_TEST((jjstat::format::parse_format("csv") == Format::csv));
  BOOST_TEST((jjstat::format::parse_format("tsv") == Format::tsv));
  BOOST_TEST((jjstat::format::parse_format("json") == Format::json));
  BOOST_TEST((jjstat::format::parse_format("jsonl") == Format::jsonl));
  BOOST_TEST((jjstat::format::parse_format("md") == Format::md));
  BOOST_TEST(!jjstat::format::parse_format("CSV").has_value());
  BOOST_TEST(!jjstat::format::parse_format("").has_value());
  BOOST_TEST(jjstat::format::is_human(Format::table));
  BOOST_TEST(jjstat::format::is_human(Format::md));
  BOOST_TEST(!jjstat::format::is_human(Format::csv));
  BOOST_TEST(!jjstat::format::is_human(Format::json));
}

BOOST_AUTO_TEST_CASE(table_pads_by_display_width) {
  const std::string expected = "研发投入\n"
                               "Entity    Note         Count   Value    Growth %  Shown\n"
                               "--------  ---------  -------  ------  ----------  -----\n"
                               "江津区    a, \"b\"\\nc     1311   11.42       76.23  甲\n"
                               "Jiangjin  =1+2            -5     n/a         n/a  |x|\n"
                               "\n"
                               "金融支持\n"
                               "Entity    Note         Count   Value    Growth %  Shown\n"
                               "--------  ---------  -------  ------  ----------  -----\n"
                               "重庆      ok         1234567  1234.5  1234567.89\n"
                               "\n"
                               "Growth is (b - a) / a.\n"
                               "注：单位 | 亿元\n";
  BOOST_TEST(render(sample(), Format::table) == expected);
}

BOOST_AUTO_TEST_CASE(table_without_sections_or_rows) {
  Report report = sample();
  report.section_column = -1;
  report.notes.clear();
  report.rows.resize(1);
  // Without a section column the category is an ordinary column.
  const std::string expected = "Category  Entity  Note       Count  Value  Growth %  Shown\n"
                               "--------  ------  ---------  -----  -----  --------  -----\n"
                               "研发投入  江津区  a, \"b\"\\nc   1311  11.42     76.23  甲\n";
  BOOST_TEST(render(report, Format::table) == expected);

  report.rows.clear();
  BOOST_TEST(render(report, Format::table) ==
             "Category  Entity  Note  Count  Value  Growth %  Shown\n"
             "--------  ------  ----  -----  -----  --------  -----\n");
}

BOOST_AUTO_TEST_CASE(markdown_escapes_pipes) {
  const std::string expected = "### 研发投入\n"
                               "\n"
                               "| Entity | Note | Count | Value | Growth % | Shown |\n"
                               "| --- | --- | ---: | ---: | ---: | --- |\n"
                               "| 江津区 | a, \"b\"\\nc | 1311 | 11.42 | 76.23 | 甲 |\n"
                               "| Jiangjin | =1+2 | -5 | n/a | n/a | \\|x\\| |\n"
                               "\n"
                               "### 金融支持\n"
                               "\n"
                               "| Entity | Note | Count | Value | Growth % | Shown |\n"
                               "| --- | --- | ---: | ---: | ---: | --- |\n"
                               "| 重庆 | ok | 1234567 | 1234.5 | 1234567.89 |  |\n"
                               "\n"
                               "Growth is (b - a) / a.\n"
                               "\n"
                               "注：单位 \\| 亿元\n";
  BOOST_TEST(render(sample(), Format::md) == expected);
}

BOOST_AUTO_TEST_CASE(csv_follows_rfc_4180) {
  const std::string expected =
      "category,entity,note,count,value,growth,id\n"
      "rd,江津区,\"a, \"\"b\"\"\nc\",1311,11.42,76.23497997329774,jiangjin\n"
      "rd,Jiangjin,'=1+2,-5,,,j2\n"
      "finance,重庆,ok,1234567,1234.5,1234567.891,cq\n";
  BOOST_TEST(render(sample(), Format::csv) == expected);

  WriteOptions no_header;
  no_header.header = false;
  BOOST_TEST(render(sample(), Format::csv, no_header) == expected.substr(expected.find('\n') + 1));
}

BOOST_AUTO_TEST_CASE(tsv_escapes_tabs_newlines_and_backslashes) {
  const std::string expected =
      "category\tentity\tnote\tcount\tvalue\tgrowth\tid\n"
      "rd\t江津区\ta, \"b\"\\nc\t1311\t11.42\t76.23497997329774\tjiangjin\n"
      "rd\tJiangjin\t'=1+2\t-5\t\t\tj2\n"
      "finance\t重庆\tok\t1234567\t1234.5\t1234567.891\tcq\n";
  BOOST_TEST(render(sample(), Format::tsv) == expected);

  WriteOptions no_header;
  no_header.header = false;
  BOOST_TEST(render(sample(), Format::tsv, no_header) == expected.substr(expected.find('\n') + 1));

  BOOST_TEST(render(one_text_column({"a\tb", "c\\d", "e\r\nf"}), Format::tsv) ==
             "text\na\\tb\nc\\\\d\ne\\r\\nf\n");
}

BOOST_AUTO_TEST_CASE(json_is_valid_with_null_and_full_precision) {
  const std::string expected =
      "[\n"
      "  {\"category\": \"rd\", \"entity\": \"江津区\", \"note\": \"a, \\\"b\\\"\\nc\", "
      "\"count\": 1311, \"value\": 11.42, \"growth\": 76.23497997329774, \"id\": \"jiangjin\"},\n"
      "  {\"category\": \"rd\", \"entity\": \"Jiangjin\", \"note\": \"=1+2\", \"count\": -5, "
      "\"value\": null, \"growth\": null, \"id\": \"j2\"},\n"
      "  {\"category\": \"finance\", \"entity\": \"重庆\", \"note\": \"ok\", \"count\": 1234567, "
      "\"value\": 1234.5, \"growth\": 1234567.891, \"id\": \"cq\"}\n"
      "]\n";
  BOOST_TEST(render(sample(), Format::json) == expected);

  Report empty = sample();
  empty.rows.clear();
  BOOST_TEST(render(empty, Format::json) == "[]\n");
  BOOST_TEST(render(empty, Format::jsonl) == "");
}

BOOST_AUTO_TEST_CASE(jsonl_is_one_object_a_line) {
  const std::string expected =
      "{\"category\": \"rd\", \"entity\": \"江津区\", \"note\": \"a, \\\"b\\\"\\nc\", "
      "\"count\": 1311, \"value\": 11.42, \"growth\": 76.23497997329774, \"id\": \"jiangjin\"}\n"
      "{\"category\": \"rd\", \"entity\": \"Jiangjin\", \"note\": \"=1+2\", \"count\": -5, "
      "\"value\": null, \"growth\": null, \"id\": \"j2\"}\n"
      "{\"category\": \"finance\", \"entity\": \"重庆\", \"note\": \"ok\", \"count\": 1234567, "
      "\"value\": 1234.5, \"growth\": 1234567.891, \"id\": \"cq\"}\n";
  BOOST_TEST(render(sample(), Format::jsonl) == expected);
}

BOOST_AUTO_TEST_CASE(json_strings) {
  BOOST_TEST(jjstat::format::json_string("") == "\"\"");
  BOOST_TEST(jjstat::format::json_string("江津") == "\"江津\"");
  BOOST_TEST(jjstat::format::json_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
  BOOST_TEST(jjstat::format::json_string("\t\n\r\b\f") == "\"\\t\\n\\r\\b\\f\"");
  BOOST_TEST(jjstat::format::json_string(std::string("\x01\x1f\x00", 3)) ==
             "\"\\u0001\\u001f\\u0000\"");
  BOOST_TEST(jjstat::format::json_string("x\xffy") == "\"x\\ufffdy\"");
  BOOST_TEST(jjstat::format::json_string("\xe6\xb1") == "\"\\ufffd\\ufffd\""); // cut in the middle
  BOOST_TEST(jjstat::format::json_string("😀") == "\"😀\"");
}

// A CSV field starting with a byte order mark is quoted (at a file's start a reader would drop
// those bytes); another character starting with byte 0xEF (the full-width comma U+FF0C), or a
// BOM later in the field, is written as it is, and TSV writes a BOM as it is.
BOOST_AUTO_TEST_CASE(only_a_leading_byte_order_mark_is_quoted) {
  Report report = one_text_column({"\xEF\xBB\xBFx", "\xEF\xBC\x8C逗号", "a\xEF\xBB\xBF", "a\\b"});
  BOOST_TEST(render(report, Format::csv) ==
             "text\n\"\xEF\xBB\xBFx\"\n\xEF\xBC\x8C逗号\na\xEF\xBB\xBF\na\\b\n");
  BOOST_TEST(render(report, Format::tsv) ==
             "text\n\xEF\xBB\xBFx\n\xEF\xBC\x8C逗号\na\xEF\xBB\xBF\na\\\\b\n");
}

BOOST_AUTO_TEST_CASE(formulas_are_neutralised_in_csv_and_tsv_only) {
  Report report = one_text_column({"=1+2", "+1", "-1", "@SUM(A1)", "\tx", "a=b", ""});
  // The empty cell is the row's only field: "" in CSV, as an empty line would be no record.
  BOOST_TEST(render(report, Format::csv) == "text\n'=1+2\n'+1\n'-1\n'@SUM(A1)\n'\tx\na=b\n\"\"\n");
  BOOST_TEST(render(report, Format::tsv) == "text\n'=1+2\n'+1\n'-1\n'@SUM(A1)\n'\\tx\na=b\n\n");
  // A carriage return at the start also gets the apostrophe, inside the quotes.
  BOOST_TEST(render(one_text_column({"\rx"}), Format::csv) == "text\n\"'\rx\"\n");

  WriteOptions keep;
  keep.keep_formulas = true;
  BOOST_TEST(render(report, Format::csv, keep) == "text\n=1+2\n+1\n-1\n@SUM(A1)\n\tx\na=b\n\"\"\n");
  BOOST_TEST(render(report, Format::tsv, keep) == "text\n=1+2\n+1\n-1\n@SUM(A1)\n\\tx\na=b\n\n");

  // Numbers are never text: a negative number keeps its sign as it is.
  Report numbers;
  numbers.add_column("n", "n", Align::right);
  numbers.rows.push_back({Cell::integer(-5)});
  numbers.rows.push_back({Cell::decimal(Decimal(-105, 1))});
  numbers.rows.push_back({Cell::real(-0.5, 2)});
  BOOST_TEST(render(numbers, Format::csv) == "n\n-5\n-10.5\n-0.5\n");
  // Human and JSON formats show the text as it is.
  BOOST_TEST(render(one_text_column({"=1+2"}), Format::json) == "[\n  {\"text\": \"=1+2\"}\n]\n");
  BOOST_TEST(render(one_text_column({"=1+2"}), Format::table) == "Text\n----\n=1+2\n");
}

BOOST_AUTO_TEST_CASE(digit_grouping_is_for_people) {
  WriteOptions grouped;
  grouped.group_digits = true;
  Report report = sample();
  report.rows.erase(report.rows.begin(), report.rows.begin() + 2);
  report.notes.clear();
  BOOST_TEST(render(report, Format::md, grouped) ==
             "### 金融支持\n"
             "\n"
             "| Entity | Note | Count | Value | Growth % | Shown |\n"
             "| --- | --- | ---: | ---: | ---: | --- |\n"
             "| 重庆 | ok | 1,234,567 | 1,234.5 | 1,234,567.89 |  |\n");
  BOOST_TEST(render(report, Format::table, grouped) ==
             "金融支持\n"
             "Entity  Note      Count    Value      Growth %  Shown\n"
             "------  ----  ---------  -------  ------------  -----\n"
             "重庆    ok    1,234,567  1,234.5  1,234,567.89\n");
  // Machine formats carry plain numbers.
  BOOST_TEST(render(report, Format::csv, grouped) ==
             "category,entity,note,count,value,growth,id\n"
             "finance,重庆,ok,1234567,1234.5,1234567.891,cq\n");
  BOOST_TEST(render(report, Format::jsonl, grouped) ==
             "{\"category\": \"finance\", \"entity\": \"重庆\", \"note\": \"ok\", \"count\": "
             "1234567, \"value\": 1234.5, \"growth\": 1234567.891, \"id\": \"cq\"}\n");
}

BOOST_AUTO_TEST_CASE(show_sign_marks_positive_values_for_people) {
  Report report;
  report.add_column("change", "Change", Align::right);
  report.rows.push_back({Cell::decimal(Decimal(1142, 2), true)});
  report.rows.push_back({Cell::real(76.23497997329774, 2, true)});
  report.rows.push_back({Cell::decimal(Decimal(-5, 0), true)});
  report.rows.push_back({Cell::decimal(Decimal(0, 2), true)});
  report.rows.push_back({Cell::real(0.001, 2, true)});  // rounds to zero: no sign
  report.rows.push_back({Cell::real(-0.001, 2, true)}); // rounds to zero: no sign either
  report.rows.push_back({Cell::decimal(Decimal(1142, 2))});
  report.rows.push_back({Cell::number(Number(2.5), 1, true)});
  BOOST_TEST(render(report, Format::table) == "Change\n"
                                              "------\n"
                                              "+11.42\n"
                                              "+76.23\n"
                                              "    -5\n"
                                              "  0.00\n"
                                              "  0.00\n"
                                              "  0.00\n"
                                              " 11.42\n"
                                              "  +2.5\n");
  BOOST_TEST(render(report, Format::csv) ==
             "change\n11.42\n76.23497997329774\n-5\n0.00\n0.001\n-0.001\n11.42\n2.5\n");
}

BOOST_AUTO_TEST_CASE(reals_round_half_away_from_zero_for_people) {
  Report report;
  report.add_column("x", "x", Align::right);
  report.rows.push_back({Cell::real(2.675, 2)});
  report.rows.push_back({Cell::real(-2.675, 2)});
  report.rows.push_back({Cell::real(0.5, 0)});
  report.rows.push_back({Cell::real(1e20, 1)});
  BOOST_TEST(render(report, Format::md) == "| x |\n| ---: |\n| 2.68 |\n| -2.68 |\n| 1 |\n"
                                           "| 100000000000000000000.0 |\n");
  BOOST_TEST(render(report, Format::jsonl) ==
             "{\"x\": 2.675}\n{\"x\": -2.675}\n{\"x\": 0.5}\n{\"x\": 100000000000000000000}\n");
}

BOOST_AUTO_TEST_CASE(terminal_controls_are_escaped_in_human_output) {
  Report report;
  report.section_column = static_cast<int>(report.add_column("s", "Sec"));
  report.add_column("text", "Te\x1bxt");
  report.rows.push_back({Cell::text("\x1b[2Jsection"), Cell::text("red\x1b[31m!")});
  report.rows.push_back({Cell::text("\x1b[2Jsection"), Cell::text("rtl\u202eevil")});
  report.rows.push_back({Cell::text("\x1b[2Jsection"), Cell::text("bad\xff\x7f")});
  report.notes = {"note\x07"};
  BOOST_TEST(render(report, Format::table) == "\\x1b[2Jsection\n"
                                              "Te\\x1bxt\n"
                                              "---------------\n"
                                              "red\\x1b[31m!\n"
                                              "rtl\\u{202e}evil\n"
                                              "bad\\xff\\x7f\n"
                                              "\n"
                                              "note\\x07\n");
  BOOST_TEST(render(report, Format::md) == "### \\x1b[2Jsection\n"
                                           "\n"
                                           "| Te\\x1bxt |\n"
                                           "| --- |\n"
                                           "| red\\x1b[31m! |\n"
                                           "| rtl\\u{202e}evil |\n"
                                           "| bad\\xff\\x7f |\n"
                                           "\n"
                                           "note\\x07\n");
}

BOOST_AUTO_TEST_CASE(wide_and_zero_width_text_lines_up) {
  Report report;
  report.add_column("name", "Name");
  report.add_column("n", "N", Align::right);
  report.rows.push_back({Cell::text("한국어"), Cell::integer(1)});
  report.rows.push_back({Cell::text("ＡＢ"), Cell::integer(22)});
  report.rows.push_back({Cell::text("e\u0301te\u0301"), Cell::integer(333)});
  report.rows.push_back({Cell::text("😀"), Cell::integer(4)});
  BOOST_TEST(render(report, Format::table) == "Name      N\n"
                                              "------  ---\n"
                                              "한국어    1\n"
                                              "ＡＢ     22\n"
                                              "e\u0301te\u0301     333\n"
                                              "😀        4\n");
}

BOOST_AUTO_TEST_CASE(row_writer_writes_what_write_row_writes) {
  // Each row given value by value (RowWriter) against the same row as cells (write_row, whose
  // output the tests above fix), in every format: hidden columns, quoting, formulas, escapes,
  // long rows past the writer's buffer, numbers the quick way and the long way, rows that stop
  // short (the rest missing) or go on past the last column (ignored).
  struct Value {
    enum class Kind { text, number, real, missing } kind;
    std::string machine;
    std::string human;
    Number number = Decimal();
    Cell::Tone tone = Cell::Tone::plain;
    Cell cell() const {
      switch (kind) {
      case Kind::text: return Cell::text(machine, human).with_tone(tone);
      case Kind::number: return Cell::number(number, 3, true);
      case Kind::real: return Cell::real(std::get<double>(number), 2);
      case Kind::missing: break;
      }
      return Cell::missing();
    }
  };
  auto text = [](std::string machine, std::string human = {}, Cell::Tone tone = Cell::Tone::plain) {
    return Value{Value::Kind::text, std::move(machine), std::move(human), Decimal(), tone};
  };
  auto number = [](Number n) { return Value{Value::Kind::number, {}, {}, n}; };
  auto real = [](double r) { return Value{Value::Kind::real, {}, {}, r}; };
  const Value missing{Value::Kind::missing, {}, {}};
  const std::vector<std::vector<Value>> rows = {
      {text("rd", "研发投入"), text("江津区"), text("a, \"b\"\nc"), number(Decimal(1142, 2)),
       real(76.23497997329774), text("甲", "", Cell::Tone::note), text("jiangjin")},
      {text("=1+2"),
       text("\xEF\xBB\xBF"
            "bom"),
       text("tab\there\\"), number(-0.5), real(0.0), missing, text("x")},
      {text(std::string(250, 'a')), text(std::string(300, 'b')), text("\r"), real(-0.0),
       real(1e-30), real(1e40), text("-1")},
      {text(std::string(200, 'c')), number(Decimal(-5, 0)), real(-1.2345678901234567e-16)},
      {text("one"), text("two"), text("three"), number(Decimal(1, 0)), real(2), text("six"),
       text("seven"), text("past the last column")},
      {},
  };
  auto columns = [] {
    Report report;
    report.add_column("category", "Category");
    report.add_column("entity", "Entity");
    report.add_column("note", "Note");
    report.add_column("value", "Value", Align::right);
    report.add_column("growth", "Growth %", Align::right);
    report.add_column("shown", "Shown", Align::left, Audience::human);
    report.add_column("id", "id", Align::left, Audience::machine);
    return report.columns;
  }();
  for (Format format :
       {Format::table, Format::csv, Format::tsv, Format::json, Format::jsonl, Format::md}) {
    BOOST_TEST_CONTEXT("format " << static_cast<int>(format)) {
      WriteOptions options;
      options.format = format;
      std::string by_cells;
      std::string by_values;
      jjstat::format::Writer cells_writer(columns, -1, options, by_cells);
      jjstat::format::Writer values_writer(columns, -1, options, by_values);
      for (const std::vector<Value>& row : rows) {
        std::vector<Cell> cells;
        for (const Value& value : row) cells.push_back(value.cell());
        // write_row wants a cell for every column.
        while (cells.size() < columns.size()) cells.push_back(Cell::missing());
        cells_writer.write_row(cells);
        jjstat::format::RowWriter out(values_writer);
        for (const Value& value : row) {
          switch (value.kind) {
          case Value::Kind::text: out.text(value.machine, value.human, value.tone); break;
          case Value::Kind::number: out.number(value.number, 3, true); break;
          case Value::Kind::real: out.real(std::get<double>(value.number), 2); break;
          case Value::Kind::missing: out.missing(); break;
          }
        }
        out.end();
      }
      cells_writer.finish({"a note"});
      values_writer.finish({"a note"});
      BOOST_TEST(by_values == by_cells);
      BOOST_TEST(by_values.size() > 500);
    }
  }

  // Rows past the writer's buffer, written out in full in each machine format (the comparison
  // above goes through one encoder on both sides for these formats: this pins it).
  {
    const std::string a(250, 'a');
    const std::string b(300, 'b');
    const std::string c(200, 'c');
    auto long_rows = [&](Format format) {
      WriteOptions options;
      options.format = format;
      options.header = false;
      std::string out;
      jjstat::format::Writer writer(columns, -1, options, out);
      jjstat::format::RowWriter first(writer);
      first.text(a);
      first.text(b);
      first.text("\"q\"\t");
      first.real(1e-30, 2);
      first.real(1e40, 2);
      first.text("hidden in machine formats");
      first.text("-1");
      first.end();
      jjstat::format::RowWriter second(writer);
      second.text(c);
      second.number(Decimal(-5, 0), 2);
      second.real(-1.2345678901234567e-16, 2);
      second.end();
      return out;
    };
    const std::string tiny_real = "0." + std::string(29, '0') + "1";
    const std::string huge_real = "1" + std::string(40, '0');
    // The double nearest -1.2345678901234567e-16 reads back shortest as ...68.
    const std::string small_real = "-0." + std::string(15, '0') + "12345678901234568";
    BOOST_TEST(long_rows(Format::csv) == a + "," + b + ",\"\"\"q\"\"\t\"," + tiny_real + "," +
                                             huge_real + ",'-1\n" + c + ",-5," + small_real +
                                             ",,,\n");
    BOOST_TEST(long_rows(Format::tsv) == a + "\t" + b + "\t\"q\"\\t\t" + tiny_real + "\t" +
                                             huge_real + "\t'-1\n" + c + "\t-5\t" + small_real +
                                             "\t\t\t\n");
    const std::string keys_first = "{\"category\": \"" + a + "\", \"entity\": \"" + b +
                                   "\", \"note\": \"\\\"q\\\"\\t\", \"value\": " + tiny_real +
                                   ", \"growth\": " + huge_real + ", \"id\": \"-1\"}";
    const std::string keys_second = "{\"category\": \"" + c +
                                    "\", \"entity\": -5, \"note\": " + small_real +
                                    ", \"value\": null, \"growth\": null, \"id\": null}";
    BOOST_TEST(long_rows(Format::jsonl) == keys_first + "\n" + keys_second + "\n");
    BOOST_TEST(long_rows(Format::json) == "[\n  " + keys_first + ",\n  " + keys_second);
  }

  // And one row written out in full.
  WriteOptions csv;
  csv.format = Format::csv;
  csv.header = false;
  std::string out;
  jjstat::format::Writer writer(columns, -1, csv, out);
  jjstat::format::RowWriter row(writer);
  row.text("=x");
  row.text("a,b");
  row.number(Decimal(-1050, 2), 2);
  row.real(1.0 / 3.0, 2);
  row.real(1e-30, 2);
  row.text("hidden");
  row.end();
  BOOST_TEST(out == "'=x,\"a,b\",-10.50,0.3333333333333333,0." + std::string(29, '0') + "1,\n");

  // A one-column CSV row with nothing in it is "".
  std::vector<Column> one = {Column{"text", "Text"}};
  std::string single;
  jjstat::format::Writer single_writer(one, -1, csv, single);
  jjstat::format::RowWriter empty(single_writer);
  empty.text("");
  empty.end();
  jjstat::format::RowWriter none(single_writer);
  none.end();
  BOOST_TEST(single == "\"\"\n\"\"\n");
}

BOOST_AUTO_TEST_CASE(segments_write_what_their_columns_write) {
  // Rows whose middle columns repeat, written through RowWriter::segment() and without, in every
  // format: the same bytes, whether the segment's bytes are kept, replayed, written anew for a
  // new key, or (past the writer's buffer, or at another column) not kept or not replayed.
  auto columns = [] {
    Report report;
    report.add_column("entity", "Entity");
    report.add_column("indicator", "Indicator");
    report.add_column("shown", "Shown", Align::left, Audience::human);
    report.add_column("unit", "Unit");
    report.add_column("value", "Value", Align::right);
    return report.columns;
  }();
  struct Row {
    std::string entity, indicator, unit;
    double value;
  };
  const std::string long_unit(300, 'u');
  const std::vector<Row> rows = {
      {"a", "rd", "亿元", 1.5},  {"b", "rd", "亿元", 2.5},  {"c,d", "rd", "亿元", -3},
      {"e", "gdp", "=x", 4},     {"f", "gdp", "=x", 0.1},   {"g", "rd", "亿元", 6},
      {"h", "rd", long_unit, 7}, {"i", "rd", long_unit, 8}, {"j", "a \"q\"", "%", 9}};
  for (Format format :
       {Format::table, Format::csv, Format::tsv, Format::json, Format::jsonl, Format::md}) {
    BOOST_TEST_CONTEXT("format " << static_cast<int>(format)) {
      WriteOptions options;
      options.format = format;
      std::string plain, kept;
      jjstat::format::Writer plain_writer(columns, -1, options, plain);
      jjstat::format::Writer kept_writer(columns, -1, options, kept);
      jjstat::format::Segment middle;
      std::size_t replayed_rows = 0;
      for (const Row& row : rows) {
        auto cells = [&](jjstat::format::RowWriter& out) {
          out.text(row.indicator);
          out.text("only in tables");
          out.text(row.unit);
        };
        jjstat::format::RowWriter a(plain_writer);
        a.text(row.entity);
        cells(a);
        a.real(row.value, 2);
        a.end();
        jjstat::format::RowWriter b(kept_writer);
        b.text(row.entity);
        if (middle.kept && middle.key == std::vector<std::string>{row.indicator, row.unit})
          ++replayed_rows;
        b.segment(middle, {row.indicator, row.unit}, cells);
        b.real(row.value, 2);
        b.end();
      }
      // A segment kept at one column is not replayed at another, after fields or not.
      for (int start : {2, 0}) {
        for (jjstat::format::Writer* writer : {&plain_writer, &kept_writer}) {
          jjstat::format::RowWriter out(*writer);
          for (int c = 0; c < start; ++c) out.text("before");
          auto write = [](jjstat::format::RowWriter& to) {
            to.text("first column");
            to.text("second");
          };
          if (writer == &kept_writer) {
            out.segment(middle, {"a \"q\"", "%"}, write);
          } else {
            write(out);
          }
          out.end();
        }
        // (Kept anew at column 2: the next start is another again.)
      }
      plain_writer.finish({});
      kept_writer.finish({});
      BOOST_TEST(kept == plain);
      if (format == Format::table || format == Format::md) {
        BOOST_TEST(!middle.kept); // human formats keep cells, not bytes
      } else {
        // Kept: rows b, c (after a), f (after e), then g anew; the long unit never is.
        BOOST_TEST(replayed_rows == 3U);
        BOOST_TEST(plain.find("first column") != std::string::npos);
      }
    }
  }
  // What a segment keeps in csv: its separators, a hidden column skipped, formulas neutralised.
  WriteOptions csv;
  csv.format = Format::csv;
  csv.header = false;
  std::string out;
  jjstat::format::Writer writer(columns, -1, csv, out);
  jjstat::format::Segment middle;
  jjstat::format::RowWriter row(writer);
  row.text("e");
  row.segment(middle, {"gdp", "=x"}, [](jjstat::format::RowWriter& to) {
    to.text("gdp");
    to.text("hidden");
    to.text("=x");
  });
  row.end();
  BOOST_TEST(middle.kept);
  BOOST_TEST(middle.bytes == ",gdp,'=x");
  BOOST_TEST(middle.column == 1U);
  BOOST_TEST(middle.columns == 3U);
  BOOST_TEST(middle.fields == 2U);
  BOOST_TEST(out == "e,gdp,'=x,\n");
  // Replayed for the same key (the bytes kept, whatever the cells), written anew for another.
  middle.bytes = ",kept";
  auto write = [](jjstat::format::RowWriter& to) {
    to.text("rd");
    to.text("hidden");
    to.text("%");
  };
  jjstat::format::RowWriter same(writer);
  same.text("f");
  same.segment(middle, {"gdp", "=x"}, write);
  same.real(1, 0);
  same.end();
  jjstat::format::RowWriter other(writer);
  other.text("g");
  other.segment(middle, {"rd", "%"}, write);
  other.real(2, 0);
  other.end();
  BOOST_TEST(out == "e,gdp,'=x,\nf,kept,1\ng,rd,%,2\n");
  BOOST_TEST(middle.bytes == ",rd,%");
}

BOOST_AUTO_TEST_SUITE_END()
