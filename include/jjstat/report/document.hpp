#pragma once
/// A report as a document: headings, paragraphs, tables with footnote marks and charts, built
/// from a data set with the statistics jjstat computes elsewhere, and written as Markdown or
/// HTML by report/markdown and report/html.

#include "jjstat/chart/model.hpp"
#include "jjstat/dataset.hpp"

#include <string>
#include <variant>
#include <vector>

namespace jjstat::report {

/// Text followed by footnote marks (the ids of Document::footnotes).
struct Phrase {
  std::string text;
  std::vector<std::string> notes;
};

/// A table cell: phrases one after the other.
using Cell = std::vector<Phrase>;

/// A heading: level 1 is the title, 2 a part, 3 a section.
struct Heading {
  int level = 2;
  std::string text;
};

/// A paragraph of plain text.
struct Paragraph {
  std::string text;
};

/// A bulleted list of plain-text items.
struct Items {
  std::vector<std::string> items;
};

/// A table with a caption; number columns are right-aligned.
struct Table {
  std::string caption;
  std::vector<std::string> headers;
  std::vector<Align> align;
  std::vector<std::vector<Cell>> rows;
};

/// A chart (HTML only; the Markdown report has the same values in its tables).
struct Figure {
  std::variant<chart::BarChart, chart::LineChart> chart;
};

/// One block of the document.
using Block = std::variant<Heading, Paragraph, Items, Table, Figure>;

/// A footnote, marked where it is first needed.
struct Footnote {
  std::string id; ///< an ASCII id: "approximate"
  std::string text;
};

/// The whole report.
struct Document {
  std::string title;
  bool chinese = false;
  std::vector<Block> blocks;
  std::vector<Footnote> footnotes; ///< in the order of their first mark
};

/// What goes into a report.
struct DocumentOptions {
  bool chinese = false;
  int precision = 2;               ///< digits of computed values
  bool group_digits = false;       ///< thousands separators
  std::string category;            ///< only this category ("" for all)
  std::vector<std::string> inputs; ///< where the data came from, as the user named it
};

/// The report of `data`: an overview with the headline figures; per category the figures,
/// growth, rankings, derived figures and reported ranks; the claims checked; the methods; the
/// sources. Every number comes from the stats functions the commands use.
Document build_document(const Dataset& data, const DocumentOptions& options);

} // namespace jjstat::report
