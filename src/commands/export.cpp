// jjstat export: every observation in the documented schema, CSV unless told otherwise.
#include "jjstat/commands.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>

namespace jjstat::commands {
namespace {

struct ExportOptions {
  Selection selection;
};

int run_export(const ExportOptions& options, Context& context, std::string& out) {
  Report schema;
  add_schema_columns(schema, Audience::all);
  format::WriteOptions write = context.write;
  // The schema is the point of export: csv even on a terminal, unless --format says otherwise.
  if (context.format_name.empty()) write.format = format::Format::csv;
  // Inputs too big to hold: streamed in csv, tsv, jsonl, json and md (derived figures left
  // out).
  if (write_streamed_observations(
          context, options.selection, false, schema.columns, write,
          [&](const Observation& obs, const IndicatorCells& indicator, format::RowWriter& row) {
            add_schema_cells(obs, indicator, context.precision, row);
          },
          out))
    return 0;
  // Row by row: csv, tsv, json, jsonl and md write each row at once (a million rows are not
  // kept as cells first); table keeps them for its column widths.
  format::Writer writer(std::move(schema.columns), -1, write, out);
  for (const Observation* obs : select(context, options.selection)) {
    // Derived figures are computed on every run from their definitions, not data to export.
    if (obs->computed) continue;
    format::RowWriter row(writer);
    add_schema_cells(context, *obs, row);
    row.end();
  }
  writer.finish({});
  return 0;
}

} // namespace

Runner setup_export(CLI::App& app) {
  auto options = std::make_shared<ExportOptions>();
  add_selection_options(app, options->selection);
  return [options](Context& context, std::string& out) {
    return run_export(*options, context, out);
  };
}

} // namespace jjstat::commands
