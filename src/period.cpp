#include "jjstat/period.hpp"

#include <fmt/format.h>

namespace jjstat {
namespace {

bool all_digits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

int to_int(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

} // namespace

std::optional<Period> Period::parse(std::string_view text) {
  if (text.size() < 4 || !all_digits(text.substr(0, 4)) || text[0] == '0') return std::nullopt;
  int year = to_int(text.substr(0, 4));
  std::string_view rest = text.substr(4);
  if (rest.empty()) return Period(PeriodKind::year, year, 1);
  if (rest.size() == 2 && rest[0] == 'Q' && rest[1] >= '1' && rest[1] <= '4') {
    return Period(PeriodKind::quarter, year, rest[1] - '0');
  }
  if (rest.size() == 3 && rest[0] == '-' && all_digits(rest.substr(1))) {
    int month = to_int(rest.substr(1));
    if (month >= 1 && month <= 12) return Period(PeriodKind::month, year, month);
  }
  return std::nullopt;
}

Period Period::from_code(std::int32_t code) {
  auto kind = static_cast<PeriodKind>(code & 3);
  int months = code >> 2;
  int year = months / 12;
  int month = months % 12;
  switch (kind) {
  case PeriodKind::year: return Period(kind, year, 1);
  case PeriodKind::quarter: return Period(kind, year, month / 3 + 1);
  case PeriodKind::month: return Period(kind, year, month + 1);
  }
  return Period();
}

std::string Period::label() const {
  // Written by hand: a million rows ask for two labels each. Years have four digits (parse
  // takes 1000..9999); anything else goes through fmt.
  if (m_year < 1000 || m_year > 9999) {
    switch (m_kind) {
    case PeriodKind::year: return fmt::format("{}", m_year);
    case PeriodKind::quarter: return fmt::format("{}Q{}", m_year, m_sub);
    case PeriodKind::month: return fmt::format("{}-{:02}", m_year, m_sub);
    }
    return {};
  }
  char text[7] = {static_cast<char>('0' + m_year / 1000), static_cast<char>('0' + m_year / 100 % 10),
                  static_cast<char>('0' + m_year / 10 % 10), static_cast<char>('0' + m_year % 10)};
  switch (m_kind) {
  case PeriodKind::year: return std::string(text, 4);
  case PeriodKind::quarter:
    text[4] = 'Q';
    text[5] = static_cast<char>('0' + m_sub);
    return std::string(text, 6);
  case PeriodKind::month:
    text[4] = '-';
    text[5] = static_cast<char>('0' + m_sub / 10);
    text[6] = static_cast<char>('0' + m_sub % 10);
    return std::string(text, 7);
  }
  return {};
}

double Period::years_between(const Period& from, const Period& to) {
  return (to.month_index() - from.month_index()) / 12.0;
}

std::string_view to_string(PeriodKind kind) {
  switch (kind) {
  case PeriodKind::year: return "year";
  case PeriodKind::quarter: return "quarter";
  case PeriodKind::month: return "month";
  }
  return {};
}

} // namespace jjstat
