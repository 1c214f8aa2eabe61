// jjstat rank: entities ranked within an indicator, or figures of one dimension pooled.
#include "jjstat/stats/rank.hpp"
#include "jjstat/chart/flags.hpp"
#include "jjstat/chart/views.hpp"
#include "jjstat/commands.hpp"
#include "jjstat/error.hpp"
#include "jjstat/whole_number.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>

namespace jjstat::commands {
namespace {

struct RankOptions {
  Selection selection;
  std::string by = "value";
  std::string period;
  std::string from;
  std::string to;
  std::string ties = "min";
  std::optional<std::int64_t> top;
  bool ascending = false;
  bool pool = false;
  chart::Flags chart;
};

std::string method_text(const stats::RankRequest& request, bool chinese) {
  std::string_view name = stats::tie_method_name(request.ties);
  if (chinese) {
    return fmt::format("{}为第1；并列方法 {}", request.ascending ? "最小" : "最大", name);
  }
  return fmt::format("{} = 1; ties: {}", request.ascending ? "smallest" : "largest", name);
}

std::vector<Column> rank_columns(const Context& context, const std::string& by) {
  Report report;
  report.add_column("ranking", context.label("ranking", "排名"));
  report.add_column("rank", context.label("rank", "名次"), Align::right);
  report.add_column("entity_name", context.label("entity", "主体"), Align::left, Audience::human);
  report.add_column("entity", "entity", Align::left, Audience::machine);
  report.add_column("indicator", context.label("indicator", "指标"));
  report.add_column("period", context.label("period", "时期"));
  const char* by_zh = by == "value"        ? "数值"
                      : by == "change"     ? "变化"
                      : by == "pct_change" ? "增幅%"
                                           : "年均增长%";
  report.add_column("value", context.label(by, by_zh), Align::right);
  report.add_column("unit", context.label("unit", "单位"));
  report.add_column("value_as_printed", context.label("as printed", "原值"), Align::right);
  report.add_column("unit_as_printed", context.label("unit", "单位"));
  report.add_column("qualifiers", context.label("qualifiers", "限定"));
  report.add_column("reported_rank_shown", context.label("reported rank", "报道排名"), Align::left,
                    Audience::human);
  report.add_column("reported_rank", "reported_rank", Align::right, Audience::machine);
  report.add_column("rank_scope", "rank_scope", Align::left, Audience::machine);
  report.add_column("note", context.label("note", "说明"));
  report.add_column("method", "method", Align::left, Audience::machine);
  return report.columns;
}

/// What the rows of a ranking share: its name as shown and the method's words, made once
/// rather than for every row (a ranking may have a million rows).
struct RankingTexts {
  std::string ranking; ///< the id they are made for
  std::string name;    ///< its name as shown
  std::string method;  ///< "min descending"
};

/// Gives `out` the cells of a ranking's row, one per column, and ends it; without `human`,
/// what only tables and Markdown show (the entity's name, the reported rank in words, the
/// qualifiers' words) is left out.
void put_rank_row(const stats::RankedRow& row, RankingTexts& texts, const Context& context,
                  bool human, format::RowWriter& out) {
  const Observation* obs = row.observation;
  if (texts.name.empty() || texts.ranking != row.ranking) {
    texts.ranking = row.ranking;
    texts.name = row.ranking == "pooled" ? context.label("pooled", "合并排名")
                                         : context.indicator_name(row.ranking);
  }
  out.text(row.ranking, texts.name);
  double whole = 0;
  if (std::modf(row.rank, &whole) == 0.0) {
    out.cell(Cell::integer(static_cast<std::int64_t>(row.rank)));
  } else {
    out.real(row.rank, 1);
  }
  out.text(human ? context.entity_name(row.entity) : std::string());
  out.text(row.entity);
  out.text(row.indicator);
  out.text(row.period);
  if (row.measure) {
    out.number(*row.measure, context.precision);
  } else {
    out.missing();
  }
  out.text(row.unit);
  if (obs && obs->value) {
    out.number(*obs->value, context.precision);
  } else {
    out.missing();
  }
  out.text(obs ? std::string_view(obs->unit) : std::string_view());
  out.text(row.qualifiers.ids(), human ? row.qualifiers.words(context.chinese) : std::string(),
           Cell::Tone::note);
  out.text(human && obs ? reported_rank_text(context, *obs) : std::string());
  if (obs && obs->reported_rank) {
    out.cell(Cell::integer(*obs->reported_rank));
  } else {
    out.missing();
  }
  out.text(obs ? std::string_view(obs->rank_scope) : std::string_view());
  // (Machine formats in English, as growth's notes; tables and md in the language of --lang.)
  out.text(stats::note_text(row, false),
           human ? stats::note_text(row, context.chinese) : std::string());
  out.text(texts.method);
  out.end();
}

/// Writes a ranking's row to `writer` (put_rank_row()).
void write_rank_row(const stats::RankedRow& row, RankingTexts& texts, const Context& context,
                    format::Writer& writer) {
  format::RowWriter out(writer);
  put_rank_row(row, texts, context, format::is_human(context.write.format), out);
}

/// The series of one indicator of a store, one at a time, for stats::RankingPlan.
class StoreSeries : public stats::SeriesSource {
public:
  StoreSeries(const engine::SeriesStore& store, std::uint32_t indicator, std::size_t count,
              std::deque<Observation>& shown)
      : m_store(store), m_indicator(indicator), m_count(count), m_shown(shown) {}
  std::size_t size() const override { return m_count; }
  const stats::Series& at(std::size_t i) override {
    // (Series asked for in order, as when they are measured: those after this one are fetched
    // meanwhile. Rows made in ranked order ask for theirs by ask_for().)
    if (!m_out_of_order) m_store.ask_ahead_of(m_indicator, i);
    m_store.view_series(m_indicator, i, m_view, m_figures);
    return m_view;
  }
  const Observation* keep(const Observation* figure) override {
    return &m_shown.emplace_back(*figure);
  }
  void ask_for(std::size_t i, int step) override {
    m_out_of_order = true;
    m_store.ask_for(m_indicator, i, step);
  }
  bool latest(std::optional<Period>& latest) override {
    latest = m_store.latest_of(m_indicator);
    return true;
  }
  std::unique_ptr<stats::SeriesSource> twin() override {
    return std::make_unique<StoreSeries>(m_store, m_indicator, m_count, m_shown);
  }
  /// A ranking by value from the kept figure, and by CAGR from the kept ends when growth would
  /// take the quick way (growth.cpp's quick_cells), without the series' figures made.
  bool quick_measure(std::size_t i, const stats::RankRequest& request,
                     const std::optional<Period>& latest, std::optional<Number>& measure,
                     std::string& raw_unit) override {
    if (request.by == stats::RankBy::value) {
      return latest && m_store.kept_value(m_indicator, i, latest->code(), measure, raw_unit);
    }
    if (request.by != stats::RankBy::cagr) return false;
    m_store.quick_ends(m_indicator, i, i + 1, m_ends);
    const engine::QuickEnds& ends = m_ends.front();
    if (!ends.ends_at(request.from, request.to)) return false;
    const stats::ValueGrowth growth = ends.growth(
        Period::years_between(Period::from_code(ends.from), Period::from_code(ends.to)));
    if (growth.gap != stats::GrowthGap::none) return false;
    measure = Number(growth.cagr);
    raw_unit.clear();
    return true;
  }

private:
  const engine::SeriesStore& m_store;
  std::uint32_t m_indicator;
  std::size_t m_count;
  std::deque<Observation>& m_shown;
  stats::Series m_view;
  std::vector<Observation> m_figures;
  std::vector<engine::QuickEnds> m_ends;
  bool m_out_of_order = false; ///< ask_for() was called: at() asks for nothing ahead
};

/// Rows per block of a ranking rendered on every core.
constexpr std::size_t k_rows_per_block = engine::k_render_block;

/// Writes the rows of `plan` (CSV, TSV or JSON Lines: rows that stand alone) to `writer`,
/// rendered in blocks on every core, each block from a twin of `source`, appended in order.
void write_in_parallel(const stats::RankingPlan& plan, StoreSeries& source,
                       const std::vector<Column>& columns, const RankingTexts& texts,
                       const Context& context, format::Writer& writer) {
  const format::WriteOptions block_options = format::block_options(context.write);
  const std::size_t blocks = (plan.size() + k_rows_per_block - 1) / k_rows_per_block;
  engine::render_blocks_in_order(
      blocks,
      [&](std::string& text, std::size_t b) {
        const std::unique_ptr<stats::SeriesSource> twin = source.twin();
        RankingTexts block_texts = texts; // (put_rank_row() keeps the ranking's name in it)
        format::Writer block(columns, 0, block_options, text);
        plan.each_row(
            *twin, b * k_rows_per_block, std::min(plan.size(), (b + 1) * k_rows_per_block),
            [&](const stats::RankedRow& row) { write_rank_row(row, block_texts, context, block); });
      },
      [&](std::string& rows) { writer.append_rendered(rows); },
      std::min(plan.size(), k_rows_per_block) * engine::k_first_row_room);
}

int run_rank(const RankOptions& options, Context& context, std::string& out) {
  stats::RankRequest request;
  request.by = *stats::parse_rank_by(options.by);
  request.period = parse_period_option(options.period, "--period");
  request.from = parse_period_option(options.from, "--from");
  request.to = parse_period_option(options.to, "--to");
  // (Ranking by value has no use for them.)
  if (request.by != stats::RankBy::value) check_period_order(request.from, request.to);
  request.ties = *stats::parse_tie_method(options.ties);
  request.ascending = options.ascending;
  if (options.top) request.top = static_cast<double>(*options.top);
  request.pool = options.pool;
  auto chart_style =
      chart::prepare(options.chart, context.format_name, context.write, context.chinese);
  std::vector<stats::RankedRow> charted; // with --chart, drawn once every ranking is made
  std::deque<Observation> shown; // the figures of streamed charted rows, which point into it
  const std::vector<Column> columns = rank_columns(context, options.by);
  format::Writer writer(columns, 0, context.write, out);
  RankingTexts texts;
  texts.method = fmt::format("{} {}", stats::tie_method_name(request.ties),
                             request.ascending ? "ascending" : "descending");
  auto write = [&](const std::vector<const Observation*>& observations,
                   const std::string* first_pooled_unit) {
    for (stats::RankedRow& row : stats::rank_figures(observations, request, first_pooled_unit)) {
      if (chart_style) {
        charted.push_back(std::move(row));
      } else {
        write_rank_row(row, texts, context, writer);
      }
    }
  };
  engine::Retention retention;
  bool by_value = request.by == stats::RankBy::value;
  retention.keep = by_value ? engine::Retention::Keep::latest : engine::Retention::Keep::ends;
  retention.at = request.period;
  retention.from = request.from;
  retention.to = request.to;
  retention.reported_ranks = true;
  if (auto store = stream_or_load(context, options.selection, retention)) {
    request.grouped = true; // the store gives each series' figures together, in period order
    if (request.pool) {
      // Take the figures out, then let the store go: rankings need only the selected figures.
      std::vector<std::vector<Observation>> by_indicator;
      for (const std::string& indicator : store->indicators()) {
        by_indicator.push_back(store->observations_of(indicator));
      }
      // (The store keeps only some figures: the first of all is known apart.)
      const std::string first_unit = store->first_selected_unit();
      store.reset();
      std::vector<const Observation*> figures;
      for (const std::vector<Observation>& held : by_indicator) {
        for (const Observation& obs : held) figures.push_back(&obs);
      }
      if (!figures.empty()) write(figures, &first_unit);
    } else {
      // Each indicator ranked from the store series by series, without making all its
      // figures at once: each row is written as it is made, and only the figures of charted
      // rows are copied out (into `shown`).
      const std::vector<std::size_t> counts = store->series_counts();
      for (std::uint32_t i = 0; i < counts.size(); ++i) {
        StoreSeries source(*store, i, counts[i], shown);
        const stats::RankingPlan plan(store->indicators()[i], source, store->first_selected_unit(i),
                                      request);
        if (!chart_style && writer.rows_stand_alone() && plan.size() > k_rows_per_block) {
          write_in_parallel(plan, source, columns, texts, context, writer);
          continue;
        }
        plan.each_row(source, 0, plan.size(), [&](stats::RankedRow& row) {
          if (chart_style) {
            if (row.observation) row.observation = source.keep(row.observation);
            charted.push_back(std::move(row));
          } else {
            write_rank_row(row, texts, context, writer);
          }
        });
      }
    }
  } else {
    write(select(context, options.selection), nullptr);
  }
  std::string note = context.label(
      fmt::format("Computed ranks: {}. Values of one dimension are compared in one unit (1 亿元 = "
                  "10 000 万元, 1 平方公里 = 1 500 亩); figures without a value rank last. Reported "
                  "ranks are the source's, not computed.",
                  method_text(request, false)),
      fmt::format("计算排名：{}。同一量纲的数值换算为同一单位后比较（1亿元 = 10000万元，1平方公里 = "
                  "1500亩）；无数值者排在最后。报道排名为原文所载，非计算所得。",
                  method_text(request, true)));
  if (chart_style) {
    out += chart::render(chart::ranking_charts(charted, context), {note}, *chart_style);
  } else {
    writer.finish({note});
  }
  return 0;
}

} // namespace

Runner setup_rank(CLI::App& app) {
  auto options = std::make_shared<RankOptions>();
  add_selection_options(app, options->selection);
  app.add_option("--by", options->by, "What to rank by: value, change, pct_change or cagr (default value)")
      ->check(CLI::IsMember({"value", "change", "pct_change", "cagr"}))
      ->type_name("MEASURE");
  app.add_option("--period", options->period, "Period of the values (default: the latest of each ranking)")
      ->type_name("PERIOD");
  app.add_option("--from", options->from, "Start period of growth measures (default: first)")
      ->type_name("PERIOD");
  app.add_option("--to", options->to, "End period of growth measures (default: last)")
      ->type_name("PERIOD");
  app.add_option("--top", options->top,
                 "Keep the figures whose min rank is N or better: every figure tied with one "
                 "inside the cut stays, so ordinal, average and max ranks may go past N")
      ->transform(cli::whole_number(1, 999999999))
      ->type_name("N");
  app.add_option("--ties", options->ties, "Tie method: min (1,2,2,4; default), dense, average, ordinal or max")
      ->check(CLI::IsMember({"min", "dense", "average", "ordinal", "max"}))
      ->type_name("METHOD");
  app.add_flag("--ascending", options->ascending, "Smallest = 1 (default: largest = 1)");
  app.add_flag("--pool", options->pool,
               "Rank all selected figures in one list (one dimension only) instead of within each "
               "indicator");
  chart::add_flags(app, options->chart);
  return [options](Context& context, std::string& out) { return run_rank(*options, context, out); };
}

} // namespace jjstat::commands
