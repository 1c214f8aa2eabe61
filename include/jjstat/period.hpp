#pragma once
/// Periods of observations: years (2020), quarters (2020Q3) and months (2020-09).

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jjstat {

/// The calendar grain of a period.
enum class PeriodKind { year, quarter, month };

/// A year, quarter or month; ordered within one kind.
class Period {
public:
  /// The year 2000 (a placeholder; real periods come from parse).
  Period() = default;
  /// Parses "2020", "2020Q3" or "2020-09" (years 1000..9999); nullopt for anything else.
  static std::optional<Period> parse(std::string_view text);
  /// A year.
  static Period year(int year) { return Period(PeriodKind::year, year, 1); }

  /// Year, quarter or month.
  PeriodKind kind() const { return m_kind; }
  /// The calendar year.
  int year() const { return m_year; }
  /// The label as written canonically: "2020", "2020Q3", "2020-09".
  std::string label() const;
  /// The same period a year earlier (2019Q3 for 2020Q3).
  Period year_earlier() const { return Period(m_kind, m_year - 1, m_sub); }
  /// Months from the start of year 0 to the start of this period; gaps are differences of it.
  int month_index() const {
    // Inline: orderings and codes of millions of periods call it.
    switch (m_kind) {
    case PeriodKind::quarter: return m_year * 12 + (m_sub - 1) * 3;
    case PeriodKind::month: return m_year * 12 + (m_sub - 1);
    case PeriodKind::year: break;
    }
    return m_year * 12;
  }
  /// The period packed in one integer (month index × 4 + kind), for compact storage.
  std::int32_t code() const { return code_of(month_index(), m_kind); }
  /// The code() of the period of `kind` that starts at month index `month` (code >> 2).
  static constexpr std::int32_t code_of(std::int32_t month, PeriodKind kind) {
    return month * 4 + static_cast<std::int32_t>(kind);
  }
  /// The period of a code().
  static Period from_code(std::int32_t code);
  /// The gap from `from` to `to` in years (2016 to 2020 is 4; 2020-01 to 2020-07 is 0.5).
  static double years_between(const Period& from, const Period& to);

  /// Equal kind and position.
  friend bool operator==(const Period&, const Period&) = default;
  /// Orders by kind, then time. (Inline: sorting millions of figures by period calls it.)
  friend std::strong_ordering operator<=>(const Period& a, const Period& b) {
    if (a.m_kind != b.m_kind) return a.m_kind <=> b.m_kind;
    return a.month_index() <=> b.month_index();
  }

private:
  Period(PeriodKind kind, int year, int sub) : m_kind(kind), m_year(year), m_sub(sub) {}
  PeriodKind m_kind = PeriodKind::year;
  int m_year = 2000;
  int m_sub = 1; ///< quarter 1..4 or month 1..12; 1 for years
};

/// "year", "quarter" or "month".
std::string_view to_string(PeriodKind kind);

} // namespace jjstat
