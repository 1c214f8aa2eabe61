#include "jjstat/chart/scale.hpp"

#include "jjstat/decimal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace jjstat::chart {
namespace {

// Tolerance of the floor and ceil of quotients that should be whole (0.3 / 0.1).
constexpr double k_slack = 1e-9;

/// A round step (1, 2 or 5 times a power of ten) that cuts `range` into about `count` parts.
double round_step(double range, int count) {
  double raw = range / std::max(count, 1);
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double fraction = raw / magnitude;
  double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * magnitude;
}

/// Decimals that show a multiple of `step` exactly (step 0.5: 1, step 20: 0).
int decimals_of(double step) {
  return std::max(0, static_cast<int>(-std::floor(std::log10(step) + k_slack)));
}

} // namespace

Scale Scale::fit(const std::vector<std::optional<double>>& values, bool from_zero) {
  std::vector<double> present;
  for (const std::optional<double>& v : values) {
    if (v && std::isfinite(*v)) present.push_back(*v);
  }
  Scale scale;
  if (present.empty()) return scale;
  auto [lowest, highest] = std::minmax_element(present.begin(), present.end());
  double smallest_magnitude = 0;
  double largest_magnitude = 0;
  for (double v : present) {
    double m = std::fabs(v);
    if (m == 0) continue;
    smallest_magnitude = smallest_magnitude == 0 ? m : std::min(smallest_magnitude, m);
    largest_magnitude = std::max(largest_magnitude, m);
  }
  if (smallest_magnitude > 0) {
    scale.m_orders =
        static_cast<int>(std::floor(std::log10(largest_magnitude / smallest_magnitude) + k_slack));
  }
  if (*lowest > 0 && scale.m_orders >= k_log_from_orders) {
    // One decade below the smallest value, so that its bar is never empty.
    scale.m_kind = ScaleKind::log;
    scale.m_low = std::pow(10.0, std::ceil(std::log10(*lowest) - k_slack) - 1);
    scale.m_high = std::pow(10.0, std::ceil(std::log10(*highest) - k_slack));
    return scale;
  }
  double low = from_zero ? std::min(0.0, *lowest) : *lowest;
  double high = from_zero ? std::max(0.0, *highest) : *highest;
  if (high == low) {
    double pad = low == 0 ? 1 : std::fabs(low) / 10;
    if (from_zero) {
      high = low == 0 ? 1 : high;
    } else {
      low -= pad;
      high += pad;
    }
  }
  scale.m_low = low;
  scale.m_high = high;
  return scale;
}

double Scale::position(double value) const {
  double p = 0;
  if (m_kind == ScaleKind::log) {
    if (value <= 0) return 0;
    p = (std::log10(value) - std::log10(m_low)) / (std::log10(m_high) - std::log10(m_low));
  } else {
    p = (value - m_low) / (m_high - m_low);
  }
  return std::clamp(p, 0.0, 1.0);
}

double Scale::origin() const { return m_kind == ScaleKind::log ? 0 : position(0); }

Scale Scale::rounded(int count) const {
  if (m_kind == ScaleKind::log) return *this;
  double step = round_step(m_high - m_low, count);
  Scale out = *this;
  out.m_low = std::floor(m_low / step + k_slack) * step;
  out.m_high = std::ceil(m_high / step - k_slack) * step;
  return out;
}

std::vector<double> Scale::ticks(int count) const {
  std::vector<double> out;
  if (m_kind == ScaleKind::log) {
    auto first = static_cast<int>(std::lround(std::log10(m_low)));
    auto last = static_cast<int>(std::lround(std::log10(m_high)));
    for (int k = first; k <= last; ++k)
      out.push_back(std::pow(10.0, k));
    return out;
  }
  double step = round_step(m_high - m_low, count);
  // Whole multiples of the step, so that 0.1 + 0.2 never shows as 0.30000000000000004.
  auto first = static_cast<long long>(std::ceil(m_low / step - k_slack));
  auto last = static_cast<long long>(std::floor(m_high / step + k_slack));
  for (long long k = first; k <= last; ++k)
    out.push_back(static_cast<double>(k) * step);
  return out;
}

std::string Scale::tick_text(double tick, int count) const {
  int decimals =
      m_kind == ScaleKind::log ? decimals_of(tick) : decimals_of(round_step(m_high - m_low, count));
  return format_fixed(tick, decimals);
}

std::string scale_note(const Scale& scale, bool chinese) {
  if (scale.kind() == ScaleKind::log) {
    return chinese ? fmt::format("对数刻度：数值跨越{}个数量级", scale.orders())
                   : fmt::format("log scale: values span {} orders of magnitude", scale.orders());
  }
  if (scale.orders() >= k_log_from_orders) {
    return chinese
               ? fmt::format(
                     "数值跨越{}个数量级，含零或负值，故用线性刻度；过短的条形按最小可见长度绘制，"
                     "请以标注的数值为准",
                     scale.orders())
               : fmt::format("values span {} orders of magnitude, with zero or negative ones, "
                             "so the scale is linear; the shortest bars are drawn at the least "
                             "visible length: read their values",
                             scale.orders());
  }
  return {};
}

} // namespace jjstat::chart
