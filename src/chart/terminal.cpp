#include "jjstat/chart/terminal.hpp"

#include "jjstat/chart/scale.hpp"
#include "jjstat/text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace jjstat::chart {
namespace {

constexpr std::array<std::string_view, 8> k_eighths = {"▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"};
constexpr std::array<std::string_view, 8> k_levels = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
constexpr std::array<std::string_view, 4> k_ascii_levels = {"_", "-", "=", "#"};
// Label columns are not cut below this many columns to make room for the bars.
constexpr std::size_t k_min_label_width = 6;

// Punctuation that never starts a line (a Chinese line is broken before the character ahead).
constexpr std::array<std::string_view, 12> k_no_line_start = {"，", "。", "；", "：", "、", "）",
                                                              "》", "」", "』", "！", "？", "%"};

/// `text` cut into lines of at most `width` columns: at a space, or after a wide (CJK) character
/// unless punctuation follows it; in the middle of a word only when nothing else fits.
std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::string rest = text;
  auto no_line_start = [&](std::size_t at) {
    return std::any_of(k_no_line_start.begin(), k_no_line_start.end(), [&](std::string_view p) {
      return std::string_view(rest).substr(at).starts_with(p);
    });
  };
  while (text::display_width(rest) > width) {
    std::size_t used = 0;
    std::size_t at = 0;
    std::size_t cut = 0;
    while (at < rest.size()) {
      std::size_t length =
          std::max<std::size_t>(1, text::utf8_char_length(std::string_view(rest).substr(at)));
      std::size_t columns = text::display_width(std::string_view(rest).substr(at, length));
      if (rest[at] == ' ') cut = at;
      if (used + columns > width) break;
      used += columns;
      at += length;
      if (columns == 2 && at < rest.size() && !no_line_start(at)) cut = at;
    }
    if (cut == 0) cut = at;
    if (cut == 0) break;
    lines.push_back(rest.substr(0, cut));
    rest = rest.substr(cut);
    while (!rest.empty() && rest[0] == ' ')
      rest.erase(0, 1);
  }
  lines.push_back(rest);
  return lines;
}

void append_wrapped(std::string& out, const std::string& text, std::size_t width) {
  for (const std::string& line : wrap(text::escape_for_terminal(text), width))
    out += line + "\n";
}

/// The bar of `value` in an area of `width` columns, as wide as the area.
std::string draw_bar(const Scale& scale, std::optional<double> value, std::size_t width,
                     bool ascii) {
  bool axis = scale.kind() == ScaleKind::linear && scale.low() < 0;
  std::string_view axis_mark = ascii ? "|" : "│";
  if (!axis) {
    std::string bar =
        value && *value > 0
            ? bar_cells(scale.position(*value) * static_cast<double>(width), false, ascii)
            : "";
    return text::pad_right(bar, width);
  }
  // Columns left of the axis hold negative bars, those right of it positive ones.
  double span = static_cast<double>(width - 1);
  auto left = static_cast<std::size_t>(std::lround(scale.origin() * span));
  double per_column = (scale.high() - scale.low()) / span;
  std::string out;
  if (value && *value < 0) {
    std::string bar =
        bar_cells(std::min(-*value / per_column, static_cast<double>(left)), true, ascii);
    out = text::pad_left(bar, left);
    out += axis_mark;
  } else {
    out = std::string(left, ' ');
    out += axis_mark;
    if (value && *value > 0) {
      out +=
          bar_cells(std::min(*value / per_column, span - static_cast<double>(left)), false, ascii);
    }
  }
  return text::pad_right(out, width);
}

void render_chart(const BarChart& chart, const TerminalStyle& style, std::string& out) {
  std::vector<std::optional<double>> values;
  for (const Bar& bar : chart.bars)
    values.push_back(bar.value);
  Scale scale = Scale::fit(values);
  append_wrapped(out, chart.title, style.width);
  if (std::string note = scale_note(scale, style.chinese); !note.empty()) {
    append_wrapped(out, "(" + note + ")", style.width);
  }
  std::size_t columns = 0;
  for (const Bar& bar : chart.bars)
    columns = std::max(columns, bar.labels.size());
  std::vector<std::vector<std::string>> labels;
  std::vector<std::size_t> label_width(columns, 0);
  std::vector<std::string> trends;
  std::vector<std::string> texts;
  std::size_t trend_width = 0;
  std::size_t value_width = 0;
  for (const Bar& bar : chart.bars) {
    labels.emplace_back();
    for (std::size_t c = 0; c < columns; ++c) {
      labels.back().push_back(c < bar.labels.size() ? text::escape_for_terminal(bar.labels[c])
                                                    : "");
      label_width[c] = std::max(label_width[c], text::display_width(labels.back()[c]));
    }
    trends.push_back(sparkline(bar.trend, style.ascii));
    trend_width = std::max(trend_width, text::display_width(trends.back()));
    texts.push_back(text::escape_for_terminal(bar.value_text));
    // A missing value is written across the bar area instead, with the reason.
    if (bar.value) value_width = std::max(value_width, text::display_width(texts.back()));
  }
  auto fixed = [&] {
    // Two spaces after each label column and the sparkline, and before the value.
    std::size_t sum = 2 * columns + 2 + value_width + (trend_width > 0 ? trend_width + 2 : 0);
    for (std::size_t w : label_width)
      sum += w;
    return sum;
  };
  // Cut the widest label column, a column at a time, until the bars have room.
  while (fixed() + k_min_bar_width > style.width) {
    auto widest = std::max_element(label_width.begin(), label_width.end());
    if (widest == label_width.end() || *widest <= k_min_label_width) break;
    --*widest;
  }
  std::size_t bar_width =
      std::max(k_min_bar_width, style.width > fixed() ? style.width - fixed() : 0);
  for (std::size_t b = 0; b < chart.bars.size(); ++b) {
    std::string line;
    for (std::size_t c = 0; c < columns; ++c) {
      std::string label = text::truncate_to_width(labels[b][c], label_width[c]);
      bool right = c < chart.label_align.size() && chart.label_align[c] == Align::right;
      line +=
          right ? text::pad_left(label, label_width[c]) : text::pad_right(label, label_width[c]);
      line += "  ";
    }
    if (trend_width > 0) line += text::pad_right(trends[b], trend_width) + "  ";
    const Bar& bar = chart.bars[b];
    if (bar.value) {
      line += draw_bar(scale, bar.value, bar_width, style.ascii);
      line += "  " + text::pad_left(texts[b], value_width);
    } else {
      std::string missing = texts[b];
      if (!bar.note.empty()) missing += " (" + text::escape_for_terminal(bar.note) + ")";
      line += text::truncate_to_width(missing, bar_width + 2 + value_width);
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    out += line + "\n";
  }
}

} // namespace

std::string bar_cells(double length, bool leftwards, bool ascii) {
  if (!(length > 0)) return {};
  // Eighths of a cell rightwards; halves leftwards and in ASCII.
  int steps = leftwards || ascii ? 2 : 8;
  auto parts = std::max(1L, std::lround(length * steps));
  std::string whole = ascii ? "#" : "█";
  std::string out;
  for (long i = 0; i < parts / steps; ++i)
    out += whole;
  long rest = parts % steps;
  if (rest == 0) return out;
  if (ascii) return leftwards ? "=" + out : out + "=";
  if (leftwards) return "▐" + out;
  return out + std::string(k_eighths[static_cast<std::size_t>(rest - 1)]);
}

std::string sparkline(const std::vector<std::optional<double>>& values, bool ascii) {
  if (values.size() < 3) return {};
  std::optional<double> low;
  std::optional<double> high;
  for (const std::optional<double>& v : values) {
    if (!v) continue;
    low = low ? std::min(*low, *v) : *v;
    high = high ? std::max(*high, *v) : *v;
  }
  std::size_t levels = ascii ? k_ascii_levels.size() : k_levels.size();
  std::string out;
  for (const std::optional<double>& v : values) {
    if (!v) {
      out += ' ';
      continue;
    }
    // A flat series sits in the middle.
    double fraction = *high > *low ? (*v - *low) / (*high - *low) : 0.5;
    auto level = static_cast<std::size_t>(std::lround(fraction * static_cast<double>(levels - 1)));
    out += ascii ? k_ascii_levels[level] : k_levels[level];
  }
  return out;
}

std::string render(const std::vector<BarChart>& charts, const std::vector<std::string>& notes,
                   const TerminalStyle& style) {
  std::string out;
  for (const BarChart& chart : charts) {
    if (!out.empty()) out += '\n';
    render_chart(chart, style, out);
  }
  if (!notes.empty()) {
    out += '\n';
    for (const std::string& note : notes)
      append_wrapped(out, note, style.width);
  }
  return out;
}

} // namespace jjstat::chart
