#pragma once
/// Where a value falls along a bar or an axis: linear, or logarithmic when the values span
/// orders of magnitude that a linear scale would squash into invisible bars.

#include <optional>
#include <string>
#include <vector>

namespace jjstat::chart {

/// How values map to positions.
enum class ScaleKind { linear, log };

/// The orders of magnitude from which positive values are drawn on a log scale (1000 times).
inline constexpr int k_log_from_orders = 3;

/// A scale fitted to the values of one chart; positions run from 0 (the low end) to 1.
class Scale {
public:
  /// The scale of `values` (missing ones are left out). Log when every present value is above 0
  /// and the largest is at least 10^k_log_from_orders times the smallest; else linear over
  /// [min(0, lowest), max(0, highest)], or over [lowest, highest] when `from_zero` is false
  /// (line charts); [0, 1] when there is nothing to scale.
  static Scale fit(const std::vector<std::optional<double>>& values, bool from_zero = true);

  /// Linear or log.
  ScaleKind kind() const { return m_kind; }
  /// The value at position 0.
  double low() const { return m_low; }
  /// The value at position 1.
  double high() const { return m_high; }
  /// Whole orders of magnitude between the largest and the smallest non-zero magnitude (0 when
  /// fewer than two values are non-zero).
  int orders() const { return m_orders; }
  /// The position of `value`, clamped to [0, 1]; a value at or below 0 is at 0 on a log scale.
  double position(double value) const;
  /// The position bars start from: that of 0 on a linear scale, 0 on a log scale.
  double origin() const;
  /// The same scale stretched to round tick values (at most about `count` ticks) where linear;
  /// a log scale already ends on powers of ten.
  Scale rounded(int count) const;
  /// Tick values from low to high: round steps of 1, 2 or 5 times a power of ten (about `count`
  /// of them) where linear, the powers of ten where log.
  std::vector<double> ticks(int count) const;
  /// A tick value as text with as many decimals as the step needs ("0.5", "1000", "0.01").
  std::string tick_text(double tick, int count) const;

private:
  ScaleKind m_kind = ScaleKind::linear;
  double m_low = 0;
  double m_high = 1;
  int m_orders = 0;
};

/// What a reader must know of a scale, or "" when nothing: "log scale: values span 6 orders of
/// magnitude", or, for a linear scale over values that span 3 or more (zero or negative values
/// rule out a log scale), that the shortest bars are drawn at the least visible length.
std::string scale_note(const Scale& scale, bool chinese);

} // namespace jjstat::chart
