#include "jjstat/chart/svg.hpp"

#include "jjstat/chart/scale.hpp"
#include "jjstat/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace jjstat::chart {
namespace {

// Pixels of one display column at the charts' 12 px font (a CJK character takes two).
constexpr double k_column_px = 6.5;
// Labels longer than this many columns are cut (the whole label is in the bar's tooltip).
constexpr std::size_t k_max_label_columns = 28;
constexpr double k_min_plot_px = 240;
constexpr double k_row_px = 24;
constexpr double k_bar_px = 16;
// Bars of non-zero values are never drawn thinner than this, so that none disappears.
constexpr double k_min_bar_px = 2;
constexpr int k_tick_count = 5;
// Points are all labelled up to this many periods; beyond it only the first and the last.
constexpr std::size_t k_max_point_labels = 12;

std::string px(double value) { return fmt::format("{:.1f}", value); }

double text_px(std::string_view text) {
  return static_cast<double>(text::display_width(text::escape_for_terminal(text))) * k_column_px;
}

std::string open_svg(double width, double height, const std::string& title, std::string_view kind) {
  return fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {}\" "
                     "viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" "
                     "aria-label=\"{}\">\n<title>{}</title>\n",
                     kind, px(width), px(height), px(width), px(height), xml_escape(title),
                     xml_escape(title));
}

std::string text_element(double x, double y, std::string_view anchor, std::string_view css_class,
                         std::string_view content) {
  return fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" class=\"{}\">{}</text>\n", px(x),
                     px(y), anchor, css_class, xml_escape(content));
}

std::string join_labels(const Bar& bar) {
  std::string out;
  for (const std::string& label : bar.labels) {
    if (label.empty()) continue;
    if (!out.empty()) out += "  ";
    out += label;
  }
  return out;
}

std::string axis_label(std::string_view unit, bool chinese) {
  std::string word = chinese ? "数值" : "value";
  if (unit.empty()) return word;
  return chinese ? fmt::format("{}（{}）", word, unit) : fmt::format("{} ({})", word, unit);
}

} // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  for (char c : text::escape_for_terminal(text)) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string bar_chart_svg(const BarChart& chart, bool chinese) {
  std::vector<std::optional<double>> values;
  double label_px = 0;
  double value_px = 0;
  for (const Bar& bar : chart.bars) {
    values.push_back(bar.value);
    label_px =
        std::max(label_px, text_px(text::truncate_to_width(join_labels(bar), k_max_label_columns)));
    if (bar.value) value_px = std::max(value_px, text_px(bar.value_text));
  }
  Scale scale = Scale::fit(values).rounded(k_tick_count);
  std::string note = scale_note(scale, chinese);
  double left = label_px + 12;
  double right_room = value_px + 12;
  double width = std::max(640.0, left + k_min_plot_px + right_room);
  double x0 = left;
  double x1 = width - right_room;
  double top = 8;
  double axis_y = top + static_cast<double>(chart.bars.size()) * k_row_px + 4;
  double height = axis_y + (note.empty() ? 40 : 58);
  auto x_of = [&](double v) { return x0 + scale.position(v) * (x1 - x0); };
  double origin = x0 + scale.origin() * (x1 - x0);

  std::string out = open_svg(width, height, chart.title, "bars");
  std::string desc;
  for (const Bar& bar : chart.bars) {
    if (!desc.empty()) desc += "; ";
    desc += join_labels(bar) + ": " + bar.value_text;
    if (!bar.value && !bar.note.empty()) desc += " (" + bar.note + ")";
  }
  out += "<desc>" + xml_escape(desc) + "</desc>\n";
  out += "<g class=\"grid\">\n";
  for (double tick : scale.ticks(k_tick_count)) {
    double x = x_of(tick);
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"{}\"/>\n", px(x),
                       px(top), px(x), px(axis_y), tick == 0 ? "zero" : "tick");
    out +=
        text_element(x, axis_y + 14, "middle", "tick-label", scale.tick_text(tick, k_tick_count));
  }
  out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"axis\"/>\n", px(x0),
                     px(axis_y), px(x1), px(axis_y));
  out += "</g>\n";
  for (std::size_t i = 0; i < chart.bars.size(); ++i) {
    const Bar& bar = chart.bars[i];
    double y = top + static_cast<double>(i) * k_row_px;
    double text_y = y + k_row_px / 2 + 4;
    std::string label = text::truncate_to_width(join_labels(bar), k_max_label_columns);
    out += text_element(x0 - 8, text_y, "end", "label", label);
    if (!bar.value) {
      std::string missing = bar.value_text;
      if (!bar.note.empty()) missing += " (" + bar.note + ")";
      // Cut to the room right of the axis; the whole text is in the description.
      auto room = static_cast<std::size_t>(std::max(0.0, (width - origin - 8) / k_column_px));
      out += text_element(origin + 4, text_y, "start", "value missing",
                          text::truncate_to_width(text::escape_for_terminal(missing), room));
      continue;
    }
    double end = x_of(*bar.value);
    double from = std::min(origin, end);
    double length = std::fabs(end - origin);
    if (*bar.value != 0 && length < k_min_bar_px) {
      length = k_min_bar_px;
      if (*bar.value < 0) from = origin - length;
    }
    bool negative = *bar.value < 0;
    out +=
        fmt::format("<rect class=\"bar{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\">"
                    "<title>{}</title></rect>\n",
                    negative ? " negative" : "", px(from), px(y + (k_row_px - k_bar_px) / 2),
                    px(length), px(k_bar_px), xml_escape(join_labels(bar) + ": " + bar.value_text));
    double text_x = negative ? origin + 4 : from + length + 4;
    out += text_element(text_x, text_y, "start", "value", bar.value_text);
  }
  out += text_element((x0 + x1) / 2, axis_y + 32, "middle", "axis-label",
                      axis_label(chart.unit, chinese));
  if (!note.empty()) out += text_element((x0 + x1) / 2, axis_y + 50, "middle", "note", note);
  out += "</svg>\n";
  return out;
}

std::string line_chart_svg(const LineChart& chart, bool chinese) {
  Scale scale = Scale::fit(chart.values, false).rounded(k_tick_count);
  std::vector<double> ticks = scale.ticks(k_tick_count);
  double tick_px = 0;
  for (double tick : ticks)
    tick_px = std::max(tick_px, text_px(scale.tick_text(tick, k_tick_count)));
  std::string note = scale_note(scale, chinese);
  double width = 640;
  double x0 = std::max(48.0, tick_px + 16);
  double x1 = width - 32;
  double y0 = 40;
  double y1 = y0 + 150;
  double height = y1 + (note.empty() ? 44 : 62);
  std::size_t n = chart.periods.size();
  auto x_of = [&](std::size_t i) {
    double inner = 16;
    return n <= 1 ? (x0 + x1) / 2
                  : x0 + inner +
                        static_cast<double>(i) * (x1 - x0 - 2 * inner) / static_cast<double>(n - 1);
  };
  auto y_of = [&](double v) { return y1 - scale.position(v) * (y1 - y0); };

  std::string out = open_svg(width, height, chart.title, "line");
  std::string desc;
  for (std::size_t i = 0; i < n; ++i) {
    if (!desc.empty()) desc += "; ";
    desc += chart.periods[i] + ": " + (i < chart.value_texts.size() ? chart.value_texts[i] : "n/a");
  }
  out += "<desc>" + xml_escape(desc) + "</desc>\n";
  out += "<g class=\"grid\">\n";
  for (double tick : ticks) {
    double y = y_of(tick);
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"{}\"/>\n", px(x0),
                       px(y), px(x1), px(y), tick == 0 ? "zero" : "tick");
    out += text_element(x0 - 6, y + 4, "end", "tick-label", scale.tick_text(tick, k_tick_count));
  }
  out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"axis\"/>\n", px(x0),
                     px(y1), px(x1), px(y1));
  out += "</g>\n";
  // Lines join neighbouring present values; a missing value breaks the line.
  std::string points;
  std::size_t run = 0;
  auto flush = [&] {
    if (run >= 2) out += fmt::format("<polyline class=\"line\" points=\"{}\"/>\n", points);
    points.clear();
    run = 0;
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (i >= chart.values.size() || !chart.values[i]) {
      flush();
      continue;
    }
    if (!points.empty()) points += ' ';
    points += px(x_of(i)) + "," + px(y_of(*chart.values[i]));
    ++run;
  }
  flush();
  std::size_t step =
      n <= k_max_point_labels ? 1 : (n + k_max_point_labels - 1) / k_max_point_labels;
  for (std::size_t i = 0; i < n; ++i) {
    double x = x_of(i);
    bool labelled = i % step == 0 || i + 1 == n;
    if (labelled) out += text_element(x, y1 + 16, "middle", "tick-label", chart.periods[i]);
    std::string text = i < chart.value_texts.size() ? chart.value_texts[i] : "n/a";
    if (i >= chart.values.size() || !chart.values[i]) {
      out += text_element(x, y1 - 6, "middle", "value missing", text);
      continue;
    }
    double y = y_of(*chart.values[i]);
    out += fmt::format(
        "<circle class=\"point\" cx=\"{}\" cy=\"{}\" r=\"3.5\"><title>{}</title></circle>\n", px(x),
        px(y), xml_escape(chart.periods[i] + ": " + text));
    if (labelled) out += text_element(x, y - 8, "middle", "value", text);
  }
  out += text_element(4, 14, "start", "axis-label", axis_label(chart.unit, chinese));
  out += text_element((x0 + x1) / 2, y1 + 34, "middle", "axis-label", chinese ? "时期" : "period");
  if (!note.empty()) out += text_element((x0 + x1) / 2, y1 + 52, "middle", "note", note);
  out += "</svg>\n";
  return out;
}

} // namespace jjstat::chart
