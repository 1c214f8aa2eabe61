// jjstat report: the data set as one document for readers, in Markdown or self-contained HTML.
#include "jjstat/commands.hpp"
#include "jjstat/report/document.hpp"
#include "jjstat/report/html.hpp"
#include "jjstat/report/markdown.hpp"
#include "jjstat/report/output.hpp"

#include <CLI/CLI.hpp>

#include <memory>

namespace jjstat::commands {
namespace {

struct ReportOptions {
  std::string category;
  std::string format; ///< md or html; empty: html for an --output ending in .html or .htm, else md
  std::string output; ///< empty or "-": standard output
};

/// The format asked for, or the one the output file's name implies.
std::string format_of(const ReportOptions& options) {
  if (!options.format.empty()) return options.format;
  const std::string& out = options.output;
  return out.ends_with(".html") || out.ends_with(".htm") ? "html" : "md";
}

int run_report(const ReportOptions& options, Context& context, std::string& out) {
  Selection selection;
  selection.category = options.category;
  check_selection(context, selection);
  report::DocumentOptions document;
  document.chinese = context.chinese;
  document.precision = context.precision;
  document.group_digits = context.group_digits;
  document.category = options.category;
  if (!context.no_embedded)
    document.inputs.push_back(context.label("the embedded data", "内置数据"));
  for (const std::string& path : context.data_paths) {
    document.inputs.push_back(path == "-" ? context.label("standard input", "标准输入") : path);
  }
  report::Document built = report::build_document(context.data(), document);
  std::string text =
      format_of(options) == "html" ? report::to_html(built) : report::to_markdown(built);
  // (/dev/stdout is standard output as it is: opened again, a file the shell appends to would
  // be written from its start.)
  if (options.output.empty() || options.output == "-" || options.output == "/dev/stdout") {
    out += text;
  } else {
    report::write_file(options.output, text);
  }
  return 0;
}

} // namespace

Runner setup_report(CLI::App& app) {
  auto options = std::make_shared<ReportOptions>();
  app.add_option("--category", options->category, "Only this category")->type_name("ID");
  app.add_option("--output", options->output,
                 "Write the report to FILE (whole or not at all) instead of standard output")
      ->check([](const std::string& value) {
        return value.empty() ? std::string("needs a file name (or - for standard output)")
                             : std::string();
      })
      ->type_name("FILE");
  app.add_option("--format", options->format,
                 "md (GitHub-flavoured Markdown, the default) or html (one self-contained file; "
                 "the default when --output ends in .html)")
      ->check(CLI::IsMember({"md", "html"}))
      ->type_name("FORMAT");
  return
      [options](Context& context, std::string& out) { return run_report(*options, context, out); };
}

} // namespace jjstat::commands
