#include "jjstat/report/html.hpp"

#include "jjstat/chart/svg.hpp"
#include "jjstat/text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace jjstat::report {
namespace {

constexpr std::string_view k_style = R"(@page { size: A4; margin: 16mm 14mm; }
html { color: #1b1b1b; background: #fff; }
body { margin: 0; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans", "Helvetica Neue",
  Arial, sans-serif; font-size: 10.5pt; line-height: 1.5; }
main { max-width: 182mm; margin: 0 auto; padding: 10mm 6mm; }
h1 { font-size: 18pt; line-height: 1.25; margin: 0 0 3mm; }
h2 { font-size: 14pt; margin: 8mm 0 2mm; padding-bottom: 1mm; border-bottom: 1px solid #888;
  break-after: avoid; }
h3 { font-size: 11.5pt; margin: 5mm 0 1mm; break-after: avoid; }
p, ul { margin: 1.5mm 0 3mm; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 4mm; font-size: 8.5pt; }
caption { caption-side: top; text-align: left; font-style: italic; color: #444;
  padding-bottom: 1mm; }
th, td { padding: 0.6mm 1.6mm; text-align: left; vertical-align: top;
  border-bottom: 1px solid #ddd; }
th { border-bottom: 1.5px solid #555; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.short, th.short { white-space: nowrap; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
figure { margin: 1mm 0 5mm; break-inside: avoid; }
figcaption { font-size: 9pt; font-style: italic; color: #444; margin-bottom: 1mm; }
svg.chart { display: block; max-width: 100%; height: auto; font-size: 12px; }
svg.chart text { fill: #222; }
svg.chart .tick-label { fill: #555; font-size: 10px; }
svg.chart .axis-label { fill: #333; font-size: 11px; }
svg.chart .note, svg.chart .missing { fill: #666; font-style: italic; }
svg.chart .bar { fill: #3b6ea5; }
svg.chart .bar.negative { fill: #b5473a; }
svg.chart line.tick { stroke: #e2e2e2; }
svg.chart line.zero, svg.chart line.axis { stroke: #555; }
svg.chart .line { fill: none; stroke: #3b6ea5; stroke-width: 2; }
svg.chart .point { fill: #3b6ea5; }
sup.fn { line-height: 0; }
sup.fn a { color: #3b6ea5; text-decoration: none; }
section.footnotes { margin-top: 8mm; font-size: 9pt; border-top: 1px solid #888; }
@media print { main { max-width: none; padding: 0; } a { color: inherit; } }
)";

// Columns no wider than this many display columns in every cell are kept on one line.
constexpr std::size_t k_short_columns = 10;

std::string escape(std::string_view text) { return chart::xml_escape(text); }

std::string phrases(const Cell& cell, const std::vector<Footnote>& notes) {
  std::string out;
  for (const Phrase& phrase : cell) {
    out += escape(phrase.text);
    for (const std::string& id : phrase.notes) {
      auto it =
          std::find_if(notes.begin(), notes.end(), [&](const Footnote& f) { return f.id == id; });
      auto number = static_cast<std::size_t>(it - notes.begin()) + 1;
      out += fmt::format("<sup class=\"fn\"><a href=\"#fn-{}\">{}</a></sup>", escape(id), number);
    }
  }
  return out;
}

/// True when every cell of column `c`, and its header, is short: such a column (a unit, a period)
/// is never wrapped.
bool short_column(const Table& table, std::size_t c) {
  auto width = [](const Cell& cell) {
    std::size_t sum = 0;
    for (const Phrase& phrase : cell)
      sum += text::display_width(phrase.text);
    return sum;
  };
  if (text::display_width(table.headers[c]) > k_short_columns) return false;
  return std::all_of(table.rows.begin(), table.rows.end(), [&](const std::vector<Cell>& row) {
    return c >= row.size() || width(row[c]) <= k_short_columns;
  });
}

void write_table(const Table& table, const std::vector<Footnote>& notes, std::string& out) {
  std::vector<std::string> classes;
  for (std::size_t c = 0; c < table.headers.size(); ++c) {
    bool number = c < table.align.size() && table.align[c] == Align::right;
    classes.push_back(number ? " class=\"num\"" : short_column(table, c) ? " class=\"short\"" : "");
  }
  auto cls = [&](std::size_t c) { return c < classes.size() ? classes[c] : std::string(); };
  out += "<table>\n";
  if (!table.caption.empty()) out += "<caption>" + escape(table.caption) + "</caption>\n";
  out += "<thead><tr>";
  for (std::size_t c = 0; c < table.headers.size(); ++c) {
    out += fmt::format("<th{}>{}</th>", cls(c), escape(table.headers[c]));
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const std::vector<Cell>& row : table.rows) {
    out += "<tr>";
    for (std::size_t c = 0; c < row.size(); ++c) {
      out += fmt::format("<td{}>{}</td>", cls(c), phrases(row[c], notes));
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

void write_figure(const Figure& figure, bool chinese, std::string& out) {
  std::string title;
  std::string svg;
  if (const auto* bars = std::get_if<chart::BarChart>(&figure.chart)) {
    title = bars->title;
    svg = chart::bar_chart_svg(*bars, chinese);
  } else {
    const auto& line = std::get<chart::LineChart>(figure.chart);
    title = line.title;
    svg = chart::line_chart_svg(line, chinese);
  }
  out += "<figure>\n<figcaption>" + escape(title) + "</figcaption>\n" + svg + "</figure>\n";
}

} // namespace

std::string to_html(const Document& document) {
  std::string out = "<!DOCTYPE html>\n";
  out += fmt::format("<html lang=\"{}\">\n<head>\n", document.chinese ? "zh-CN" : "en");
  out += "<meta charset=\"utf-8\"/>\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
  // Nothing may be fetched: the file is the whole report.
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
         "'unsafe-inline'\"/>\n";
  out += "<title>" + escape(document.title) + "</title>\n";
  out += "<style>\n" + std::string(k_style) + "</style>\n</head>\n<body>\n<main>\n";
  for (const Block& block : document.blocks) {
    if (const auto* heading = std::get_if<Heading>(&block)) {
      out += fmt::format("<h{0}>{1}</h{0}>\n", heading->level, escape(heading->text));
    } else if (const auto* paragraph = std::get_if<Paragraph>(&block)) {
      out += "<p>" + escape(paragraph->text) + "</p>\n";
    } else if (const auto* items = std::get_if<Items>(&block)) {
      out += "<ul>\n";
      for (const std::string& item : items->items)
        out += "<li>" + escape(item) + "</li>\n";
      out += "</ul>\n";
    } else if (const auto* table = std::get_if<Table>(&block)) {
      write_table(*table, document.footnotes, out);
    } else {
      write_figure(std::get<Figure>(block), document.chinese, out);
    }
  }
  if (!document.footnotes.empty()) {
    out += fmt::format("<section class=\"footnotes\">\n<h2>{}</h2>\n<ol>\n",
                       document.chinese ? "注释" : "Notes");
    for (const Footnote& note : document.footnotes) {
      out += fmt::format("<li id=\"fn-{}\">{}</li>\n", escape(note.id), escape(note.text));
    }
    out += "</ol>\n</section>\n";
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

} // namespace jjstat::report
