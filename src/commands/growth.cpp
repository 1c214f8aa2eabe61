// jjstat growth: change, percent change and CAGR of each series between two periods.
#include "jjstat/stats/growth.hpp"
#include "jjstat/chart/flags.hpp"
#include "jjstat/chart/views.hpp"
#include "jjstat/commands.hpp"
#include "jjstat/decimal.hpp"
#include "jjstat/text.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>

namespace jjstat::commands {
namespace {

struct GrowthOptions {
  Selection selection;
  std::string from;
  std::string to;
  bool yoy = false;
  chart::Flags chart;
};

/// A number, or missing.
void put_maybe(format::RowWriter& out, const std::optional<Number>& value, int precision,
               bool sign = false) {
  if (value) {
    out.number(*value, precision, sign);
  } else {
    out.missing();
  }
}

void put_maybe(format::RowWriter& out, const std::optional<double>& value, int precision,
               bool sign = false) {
  if (value) {
    out.real(*value, precision, sign);
  } else {
    out.missing();
  }
}

/// A period, by `label` when it is given (else its own), or missing.
void put_period(format::RowWriter& out, const std::optional<Period>& period,
                std::string_view label = {}) {
  if (!period) {
    out.missing();
  } else if (!label.empty()) {
    out.text(label);
  } else {
    out.text(period->label());
  }
}

std::vector<Column> growth_columns(const Context& context) {
  Report report;
  report.add_column("entity_name", context.label("entity", "主体"), Align::left, Audience::human);
  report.add_column("entity", "entity", Align::left, Audience::machine);
  report.add_column("indicator", context.label("indicator", "指标"));
  report.add_column("unit", context.label("unit", "单位"), Align::left, Audience::machine);
  report.add_column("from", context.label("from", "起"));
  report.add_column("to", context.label("to", "止"));
  report.add_column("years", context.label("years", "年数"), Align::right);
  report.add_column("from_value", context.label("from value", "起值"), Align::right);
  report.add_column("to_value", context.label("to value", "止值"), Align::right);
  report.add_column("unit_shown", context.label("unit", "单位"), Align::left, Audience::human);
  report.add_column("change", context.label("change", "变化"), Align::right);
  report.add_column("change_unit", context.label("change unit", "变化单位"));
  report.add_column("pct_change", context.label("change %", "增幅%"), Align::right);
  report.add_column("cagr", context.label("CAGR %/yr", "年均增长%"), Align::right);
  report.add_column("qualifiers", context.label("qualifiers", "限定"));
  report.add_column("note", context.label("note", "说明"));
  return report.columns;
}

/// What a growth row shows: a stats::GrowthRow's fields, or those of a series' kept ends
/// (views into either, which outlive it).
struct GrowthCells {
  std::string_view entity, indicator, unit;
  std::optional<Period> from, to;
  double years = 0;
  std::optional<Number> from_value, to_value, change;
  std::optional<double> pct_change, cagr;
  Qualifiers qualifiers;
  stats::GrowthGap gap = stats::GrowthGap::none;
  std::string_view gap_period;
  std::string_view from_label, to_label; ///< the periods' labels, when made already
};

GrowthCells cells_of(const stats::GrowthRow& row) {
  return {row.entity, row.indicator,  row.unit,     row.from,       row.to,
          row.years,  row.from_value, row.to_value, row.change,     row.pct_change,
          row.cagr,   row.qualifiers, row.gap,      row.gap_period, {},
          {}};
}

/// The columns of growth rows that most rows of a block write alike, kept from row to row
/// (format::RowWriter::segment()): indicator to years, change_unit, and qualifiers and note.
struct GrowthSegments {
  format::Segment head, change_unit, tail;
};

/// Gives `out` the cells of a growth row, one per column; without `human`, what only tables
/// and Markdown show (the entity's name, the unit beside the values, the words for qualifiers
/// and gaps) is left out. With `segments`, the columns the row shares with the rows before
/// are written as those rows wrote them, when the row has both periods' labels and a change
/// (then the labels, the indicator and the unit make those columns).
void put_row(const GrowthCells& row, const Context& context, bool human, format::RowWriter& out,
             GrowthSegments* segments = nullptr) {
  const int p = context.precision;
  out.text(human ? context.entity_name(row.entity) : std::string());
  out.text(row.entity);
  auto head = [&](format::RowWriter& to) {
    to.text(row.indicator);
    to.text(row.unit);
    put_period(to, row.from, row.from_label);
    put_period(to, row.to, row.to_label);
    if (row.change) {
      double whole = 0;
      to.real(row.years, std::modf(row.years, &whole) == 0.0 ? 0 : 2);
    } else {
      to.missing();
    }
  };
  auto change_unit = [&](format::RowWriter& to) {
    to.text(row.change ? (row.unit == "%" ? "pp" : row.unit) : std::string_view());
  };
  auto tail = [&](format::RowWriter& to) {
    to.text(row.qualifiers.ids(), human ? row.qualifiers.words(context.chinese) : std::string(),
            Cell::Tone::note);
    const std::string period(row.gap_period);
    to.text(stats::gap_text(row.gap, false, period),
            human ? stats::gap_text(row.gap, context.chinese, period) : std::string());
  };
  const bool keyed =
      segments != nullptr && row.change && !row.from_label.empty() && !row.to_label.empty();
  if (keyed) {
    out.segment(segments->head, {row.indicator, row.unit, row.from_label, row.to_label}, head);
  } else {
    head(out);
  }
  put_maybe(out, row.from_value, p);
  put_maybe(out, row.to_value, p);
  out.text(human ? row.unit : std::string_view());
  put_maybe(out, row.change, p, true);
  if (keyed) {
    out.segment(segments->change_unit, {row.unit}, change_unit);
  } else {
    change_unit(out);
  }
  put_maybe(out, row.pct_change, p, true);
  put_maybe(out, row.cagr, p, true);
  // (No qualifiers and no gap: the same two cells, whatever the row.)
  if (segments != nullptr && row.qualifiers.empty() && row.gap == stats::GrowthGap::none) {
    out.segment(segments->tail, {}, tail);
  } else {
    tail(out);
  }
  out.end();
}

/// The periods of the last quick row, made again only when a row's differ (most rows share
/// them).
struct QuickPeriods {
  std::int32_t from = INT32_MIN, to = INT32_MIN; ///< codes
  Period from_period, to_period;
  double years = 0;
  std::string from_label, to_label;
};

/// True when the series given by its kept ends is quick and ends at the periods asked for
/// (engine::QuickEnds::ends_at()); then `periods` holds its periods (made again only when they
/// differ from the last quick row's).
bool quick_periods(const engine::QuickEnds& ends, const std::optional<Period>& from,
                   const std::optional<Period>& to, QuickPeriods& periods) {
  if (!ends.ends_at(from, to)) return false;
  if (ends.from != periods.from || ends.to != periods.to) {
    periods.from = ends.from;
    periods.to = ends.to;
    periods.from_period = Period::from_code(ends.from);
    periods.to_period = Period::from_code(ends.to);
    periods.years = Period::years_between(periods.from_period, periods.to_period);
    periods.from_label = periods.from_period.label();
    periods.to_label = periods.to_period.label();
  }
  return true;
}

/// The figures of a quick row: the change (exact), its percent and the CAGR, by the functions
/// stats::growth_between() uses.
struct QuickFigures {
  Decimal change;
  double pct_change = 0, cagr = 0;
};

/// The figures of the quick series `ends` over `years`; nullopt when its row has a gap (it then
/// goes the long way, which says which).
std::optional<QuickFigures> quick_figures(const engine::QuickEnds& ends, double years) {
  // (Values of at most 18 digits: their difference always fits.)
  const std::optional<Decimal> change = ends.to_value.minus(ends.from_value);
  if (!change) return std::nullopt;
  const stats::ValueGrowth growth = ends.growth(years, *change);
  if (growth.gap != stats::GrowthGap::none) return std::nullopt;
  return QuickFigures{*change, stats::percent_change(*change, ends.from_value), growth.cagr};
}

/// The growth row of a series given by its kept ends, whose periods quick_periods() found,
/// when stats::growth() would make it without a gap: its two points are the periods asked for
/// (or, unasked, its first and last) and stats::value_growth() finds no gap between its
/// values. The figures are those of stats::growth_between(), by the same functions, written
/// into `row` (the caller's, from row to row: a row made anew, zeroed, returned and copied cost
/// more than the rest of it); false, `row` half written, for any other series, which goes the
/// long way.
bool quick_cells(const engine::QuickEnds& ends, const QuickPeriods& periods, GrowthCells& row) {
  row.from = periods.from_period;
  row.to = periods.to_period;
  row.from_label = periods.from_label;
  row.to_label = periods.to_label;
  row.years = periods.years;
  const std::optional<QuickFigures> figures = quick_figures(ends, row.years);
  if (!figures) return false;
  row.entity = ends.entity;
  row.indicator = ends.indicator;
  row.unit = ends.unit;
  row.from_value = ends.from_value;
  row.to_value = ends.to_value;
  row.change = figures->change;
  row.pct_change = figures->pct_change;
  row.cagr = figures->cagr;
  row.qualifiers = Qualifiers();
  row.gap = stats::GrowthGap::none;
  row.gap_period = {};
  return true;
}

/// The columns of a growth row that put_quick_delimited() writes itself, by whether the
/// writer shows them (--columns may leave any out).
struct QuickColumns {
  bool entity, from_value, to_value, change, pct_change, cagr;

  explicit QuickColumns(const format::Writer& writer)
      : entity(writer.shows(1)), from_value(writer.shows(7)), to_value(writer.shows(8)),
        change(writer.shows(10)), pct_change(writer.shows(12)), cagr(writer.shows(13)) {}
};

/// csv and tsv: writes the growth row of a series given by its kept ends, whose periods
/// quick_periods() found, straight at the end of `out`: its quick_figures() (as quick_cells()),
/// and the bytes of the fixed columns as put_row() last wrote them
/// through a RowWriter (`segments`). That is what put_row() would write, without the cells made
/// and copied and without RowWriter's column by column bookkeeping, which took half a quick
/// row's time (bench/README.md, 2026-12-05); of the other columns, those `shown`. False,
/// nothing written, when the segments were kept for another indicator, unit or periods, when
/// the row has a gap, or when a cell would not be written as it is (an entity to quote, a
/// number with no short plain form): then put_row() writes that row, and keeps its segments
/// for the next.
bool put_quick_delimited(const engine::QuickEnds& ends, const QuickPeriods& periods,
                         const GrowthSegments& segments, const format::Writer& writer,
                         const QuickColumns& shown, std::string& out) {
  // The columns put_row() gives segment(): indicator to years from column 2 (after the name
  // and the entity), change_unit at 11, qualifiers and note from 14; with the same keys.
  const format::Segment& head = segments.head;
  const format::Segment& unit = segments.change_unit;
  const format::Segment& tail = segments.tail;
  if (!head.holds(2, {ends.indicator, ends.unit, periods.from_label, periods.to_label}) ||
      !unit.holds(11, {ends.unit}) || !tail.holds(14, {}) ||
      (shown.entity && !writer.plain_delimited(ends.entity))) {
    return false;
  }
  const std::optional<QuickFigures> figures = quick_figures(ends, periods.years);
  if (!figures) return false;
  const char delimiter = writer.delimiter();
  std::array<char, 512> buffer;
  const std::size_t fixed = ends.entity.size() + head.bytes.size() + unit.bytes.size() +
                            tail.bytes.size() + 3 * Decimal::k_max_text +
                            2 * k_quick_shortest_room + 6;
  if (fixed > buffer.size()) return false;
  char* p = buffer.data();
  // A field after another gets the delimiter first; a segment's bytes hold their own.
  bool fields = false;
  auto field = [&](bool show) {
    if (show && fields) *p++ = delimiter;
    fields |= show;
    return show;
  };
  auto put_segment = [&](const format::Segment& segment) {
    p = text::copy_short(p, segment.bytes);
    fields |= segment.fields > 0;
  };
  if (field(shown.entity)) p = text::copy_short(p, ends.entity);
  put_segment(head);
  if (field(shown.from_value)) p = ends.from_value.write_to(p);
  if (field(shown.to_value)) p = ends.to_value.write_to(p);
  if (field(shown.change)) p = figures->change.write_to(p);
  put_segment(unit);
  if (field(shown.pct_change)) p = write_shortest_quick(p, figures->pct_change);
  if (p == nullptr) return false;
  if (field(shown.cagr)) p = write_shortest_quick(p, figures->cagr);
  if (p == nullptr) return false;
  put_segment(tail);
  // (An empty row, one empty column shown: put_row() writes it as the format wants it.)
  if (p == buffer.data()) return false;
  *p++ = '\n';
  out.append(buffer.data(), p);
  return true;
}

int run_growth(const GrowthOptions& options, Context& context, std::string& out) {
  auto from = parse_period_option(options.from, "--from");
  auto to = parse_period_option(options.to, "--to");
  if (!options.yoy) check_period_order(from, to); // (--yoy has no use for them)
  bool named = !options.selection.indicators.empty();
  auto chart_style =
      chart::prepare(options.chart, context.format_name, context.write, context.chinese);
  chart::GrowthCharts charts(context);
  std::unique_ptr<format::Writer> writer;
  std::atomic<std::size_t> omitted = 0;
  const bool human = format::is_human(context.write.format);
  // `rows` is the caller's, its capacity kept from series to series.
  auto emit_to = [&](format::Writer& out_rows, const stats::Series& series,
                     std::vector<stats::GrowthRow>& rows) {
    // Without named indicators, a series of one period has no growth worth a row.
    if (!named && series.period_count < 2) {
      ++omitted;
      return;
    }
    rows.clear();
    if (options.yoy) {
      rows = stats::year_over_year(series);
      if (rows.empty()) rows.push_back(stats::growth(series, std::nullopt, std::nullopt));
    } else {
      rows.push_back(stats::growth(series, from, to));
    }
    if (chart_style) {
      charts.add(series, rows);
      return;
    }
    for (const stats::GrowthRow& row : rows) {
      format::RowWriter out(out_rows);
      put_row(cells_of(row), context, human, out);
    }
  };
  std::vector<stats::GrowthRow> rows;
  auto emit = [&](const stats::Series& series) { emit_to(*writer, series, rows); };
  engine::Retention retention;
  // Year-over-year rows and the sparklines of charts need every period.
  bool every = options.yoy || chart_style;
  retention.keep = every ? engine::Retention::Keep::all : engine::Retention::Keep::ends;
  // --from and --to of two kinds of period: every row is a kind mismatch, whose unit is the
  // earliest figure's, so the store keeps the earliest rather than the start asked for.
  const bool two_kinds = from && to && from->kind() != to->kind();
  retention.from = two_kinds ? std::nullopt : from;
  retention.to = to;
  if (auto store = stream_or_load(context, options.selection, retention)) {
    writer = std::make_unique<format::Writer>(growth_columns(context), -1, context.write, out);
    if (writer->rows_stand_alone()) {
      // A million series make a million rows: render blocks of them on every core, append
      // them in order.
      const format::WriteOptions block_options = format::block_options(context.write);
      std::vector<Column> columns = growth_columns(context);
      // Growth from end to end (no --yoy, no chart): most series' rows are written from their
      // kept ends, without Observations made of them; the others go the long way.
      const bool ends = !every;
      engine::render_in_parallel(
          *store,
          [&](std::string& text, std::span<const engine::RenderBlock> ranges) {
            format::Writer block(columns, -1, block_options, text);
            std::vector<stats::GrowthRow> block_rows;
            if (!ends) {
              for (const engine::RenderBlock& range : ranges) {
                store->for_each_series_of(
                    range.indicator,
                    [&](const stats::Series& series) { emit_to(block, series, block_rows); },
                    range.begin, range.end);
              }
              return;
            }
            // The ends of a block's series, a megabyte for a full block: kept by the rendering
            // thread from block to block (made anew for each, it came from fresh pages each
            // time, faulted in as quick_ends() wrote them; bench/README.md, 2026-12-04, late
            // morning).
            static thread_local std::vector<engine::QuickEnds> quick;
            const bool delimited = block.delimiter() != '\0';
            const QuickColumns shown(block);
            stats::Series view;
            std::vector<Observation> figures;
            QuickPeriods periods;
            GrowthCells cells;
            GrowthSegments segments;
            for (const engine::RenderBlock& range : ranges) {
              // 256 series at a time: their ends (32 KiB) are still in the first-level cache
              // when the rows read them.
              constexpr std::size_t k_step = 256;
              for (std::size_t first = range.begin; first < range.end; first += k_step) {
                store->quick_ends(range.indicator, first, std::min(range.end, first + k_step),
                                  quick);
                for (std::size_t i = 0; i < quick.size(); ++i) {
                  // The entity's text lies in the store's table, out of cache by now: asked
                  // for a few rows ahead of its turn.
                  if (i + 8 < quick.size()) __builtin_prefetch(quick[i + 8].entity.data());
                  // (A quick series has two periods or more: none is left out as single.)
                  if (quick_periods(quick[i], from, to, periods)) {
                    if (delimited &&
                        put_quick_delimited(quick[i], periods, segments, block, shown, text))
                      continue;
                    if (quick_cells(quick[i], periods, cells)) {
                      format::RowWriter out(block);
                      put_row(cells, context, human, out, &segments);
                      continue;
                    }
                  }
                  store->view_series(range.indicator, first + i, view, figures);
                  emit_to(block, view, block_rows);
                }
              }
            }
          },
          [&](std::string& rows) { writer->append_rendered(rows); });
    } else {
      store->for_each_series(emit);
    }
  } else {
    std::vector<const Observation*> selected = select(context, options.selection);
    writer = std::make_unique<format::Writer>(growth_columns(context), -1, context.write, out);
    for (const stats::Series& series : stats::group_series(selected)) emit(series);
  }
  std::vector<std::string> notes;
  notes.push_back(context.label(
      fmt::format("change = to − from, exact; change % = (to / from − 1) × 100; CAGR = ((to / "
                  "from)^(1 / years) − 1) × 100, years being the real gap between the periods; "
                  "percentages rounded half away from zero to {} decimals; a change of a % "
                  "figure is in percentage points (pp).",
                  context.precision),
      fmt::format("变化 = 止值 − 起值（精确）；增幅% = (止值 / 起值 − 1) × 100；年均增长% = "
                  "((止值 / 起值)^(1 / 年数) − 1) × 100，年数为两时期的实际间隔；百分数四舍五入"
                  "（远离零）保留{}位小数；百分比指标的变化以百分点（pp）计。",
                  context.precision)));
  if (omitted > 0) {
    notes.push_back(context.label(
        fmt::format("{} series with a single period left out; name an indicator to see them.",
                    omitted.load()),
        fmt::format("另有{}个仅含一个时期的序列未列出；指定指标可查看。", omitted.load())));
  }
  if (chart_style) {
    out += chart::render(charts.charts(), notes, *chart_style);
  } else {
    writer->finish(notes);
  }
  return 0;
}

} // namespace

Runner setup_growth(CLI::App& app) {
  auto options = std::make_shared<GrowthOptions>();
  add_selection_options(app, options->selection);
  app.add_option("--from", options->from, "Start period (default: the first of each series)")
      ->type_name("PERIOD");
  app.add_option("--to", options->to, "End period (default: the last of each series)")
      ->type_name("PERIOD");
  app.add_flag("--yoy", options->yoy,
               "Every period against the same period a year earlier, instead of first to last (the "
               "periods of a series' first twelve months have no row)");
  chart::add_flags(app, options->chart);
  return [options](Context& context, std::string& out) {
    return run_growth(*options, context, out);
  };
}

} // namespace jjstat::commands
