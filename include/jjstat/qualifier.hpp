#pragma once
/// Qualifiers of a figure: how the article hedges it (约, 预计, 力争, 以上, 规划, 累计) or how
/// jjstat obtained it (derived).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jjstat {

/// One qualifier; the order of the enumerators is the order of display.
enum class Qualifier : std::uint8_t {
  approximate, ///< 约, 近: about
  projected,   ///< 预计: an estimate of a period not yet closed
  target,      ///< 力争: a goal, not a result
  at_least,    ///< 以上, 超过: the true value is this or more
  planned,     ///< 规划: a plan, not what exists
  cumulative,  ///< 累计, 已: accumulated up to the period
  derived,     ///< computed by jjstat from other figures
};

/// Number of Qualifier values.
inline constexpr int k_qualifier_count = 7;

/// A set of qualifiers.
class Qualifiers {
public:
  /// The empty set.
  Qualifiers() = default;
  /// Parses ids separated by ';' ("approximate;planned"); nullopt on an unknown id, and the
  /// unknown id in `bad` when given.
  static std::optional<Qualifiers> parse(std::string_view text, std::string* bad = nullptr);
  /// True when `q` is in the set.
  bool has(Qualifier q) const { return (m_bits >> static_cast<int>(q)) & 1U; }
  /// Adds `q`.
  void add(Qualifier q) { m_bits |= static_cast<std::uint8_t>(1U << static_cast<int>(q)); }
  /// The union with `other`.
  Qualifiers merged(Qualifiers other) const {
    Qualifiers result;
    result.m_bits = m_bits | other.m_bits;
    return result;
  }
  /// True when empty.
  bool empty() const { return m_bits == 0; }
  /// Ids joined by ';' in display order: the machine form.
  std::string ids() const;
  /// Words joined by ", " ("approximate, at least") or "、" in Chinese (约、以上): the human form.
  std::string words(bool chinese) const;

  /// Same members.
  friend bool operator==(Qualifiers, Qualifiers) = default;

private:
  std::uint8_t m_bits = 0;
};

/// The id of a qualifier ("at_least").
std::string_view qualifier_id(Qualifier q);

} // namespace jjstat
