#include "jjstat/stats/verify.hpp"

#include "jjstat/stats/growth.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <variant>

namespace jjstat::stats {
namespace {

/// Relative tolerance of claims the source qualifies as approximate (约, 近).
constexpr double k_approximate_tolerance = 0.05;

/// Splits "entity/indicator" at its last slash.
std::pair<std::string, std::string> split_term(const std::string& term) {
  std::size_t slash = term.rfind('/');
  return {term.substr(0, slash), term.substr(slash + 1)};
}

/// The observation of a term at `period`, or at its latest period when none is given.
const Observation* find_term(std::span<const Observation> observations, const std::string& term,
                             const std::optional<Period>& period) {
  auto [entity, indicator] = split_term(term);
  const Observation* found = nullptr;
  for (const Observation& obs : observations) {
    if (obs.entity != entity || obs.indicator != indicator) continue;
    if (period ? obs.period == *period : (!found || found->period < obs.period)) found = &obs;
  }
  return found;
}

/// The observation of `term` with a value, or the reason there is none.
std::variant<const Observation*, std::string> term_value(std::span<const Observation> observations,
                                                         const std::string& term,
                                                         const std::optional<Period>& period) {
  const Observation* obs = find_term(observations, term, period);
  if (!obs) {
    return period ? fmt::format("no value of {} for {}", term, period->label())
                  : fmt::format("no value of {}", term);
  }
  if (!obs->value) return fmt::format("the value of {} for {} is missing", term, obs->period.label());
  return obs;
}

} // namespace

std::string_view verdict_id(Verdict verdict) {
  switch (verdict) {
  case Verdict::holds: return "holds";
  case Verdict::fails: return "fails";
  case Verdict::uncheckable: return "cannot_check";
  }
  return {};
}

Number tolerance_of(const Claim& claim) {
  double stated = claim.stated_value ? to_double(*claim.stated_value) : 0.0;
  if (claim.qualifiers.has(Qualifier::approximate)) return k_approximate_tolerance * std::fabs(stated);
  if (claim.stated_digits < 0) return Decimal();
  return Decimal(5, claim.stated_digits + 1); // half a unit of the last printed digit
}

namespace {

/// The claim's value recomputed from the data, or why it cannot be.
std::variant<Number, std::string> recompute(std::span<const Observation> observations,
                                            const Claim& claim) {
  switch (claim.kind) {
  case ClaimKind::unverifiable: return claim.needs;
  case ClaimKind::count: return Decimal::from_integer(static_cast<std::int64_t>(claim.terms.size()));
  case ClaimKind::pct_change: {
    auto [entity, indicator] = split_term(claim.subject);
    std::vector<const Observation*> points;
    for (const Observation& obs : observations) {
      if (obs.entity == entity && obs.indicator == indicator) points.push_back(&obs);
    }
    if (points.empty()) return fmt::format("no value of {}", claim.subject);
    GrowthRow row = growth(group_series(points).front(), claim.from, claim.to);
    if (!row.pct_change) return gap_text(row.gap, false, row.gap_period);
    return Number(*row.pct_change);
  }
  case ClaimKind::ratio: {
    auto n = term_value(observations, claim.terms[0], claim.to);
    auto d = term_value(observations, claim.terms[1], claim.to);
    if (auto* why = std::get_if<std::string>(&n)) return *why;
    if (auto* why = std::get_if<std::string>(&d)) return *why;
    const Observation* num = std::get<const Observation*>(n);
    const Observation* den = std::get<const Observation*>(d);
    if (!same_dimension(num->unit, den->unit)) {
      return fmt::format("{} is in {} but {} in {}", claim.terms[0], num->unit, claim.terms[1],
                         den->unit);
    }
    if (to_double(*den->value) == 0) return fmt::format("{} is 0", claim.terms[1]);
    Number top = *num->value;
    if (const auto* exact = std::get_if<Decimal>(&top); exact && num->unit != den->unit) {
      top = convert(*exact, num->unit, den->unit);
    }
    if (claim.unit == "%") top = times_hundred(top);
    return Number(ratio(top, *den->value));
  }
  case ClaimKind::sum: {
    Number total = Decimal();
    for (const std::string& term : claim.terms) {
      auto t = term_value(observations, term, claim.to);
      if (auto* why = std::get_if<std::string>(&t)) return *why;
      const Observation* obs = std::get<const Observation*>(t);
      if (!same_dimension(obs->unit, claim.unit)) {
        return fmt::format("{} is in {}, not in a unit of {}", term, obs->unit, claim.unit);
      }
      Number part = *obs->value;
      if (const auto* exact = std::get_if<Decimal>(&part)) {
        part = convert(*exact, obs->unit, claim.unit);
      }
      const auto* a = std::get_if<Decimal>(&total);
      const auto* b = std::get_if<Decimal>(&part);
      std::optional<Decimal> exact_sum = a && b ? a->plus(*b) : std::nullopt;
      total = exact_sum ? Number(*exact_sum) : Number(to_double(total) + to_double(part));
    }
    return total;
  }
  }
  return std::string("unknown claim kind");
}

} // namespace

std::vector<std::pair<std::string, std::string>> claim_series(const Claim& claim) {
  std::vector<std::pair<std::string, std::string>> series;
  switch (claim.kind) {
  case ClaimKind::unverifiable:
  case ClaimKind::count: break;
  case ClaimKind::pct_change: series.push_back(split_term(claim.subject)); break;
  case ClaimKind::ratio:
  case ClaimKind::sum:
    for (const std::string& term : claim.terms) series.push_back(split_term(term));
    break;
  }
  return series;
}

ClaimCheck check_claim(const Dataset& dataset, const Claim& claim) {
  return check_claim(std::span<const Observation>(dataset.observations()), claim);
}

ClaimCheck check_claim(std::span<const Observation> observations, const Claim& claim) {
  ClaimCheck check;
  check.claim = &claim;
  check.unverifiable = claim.kind == ClaimKind::unverifiable;
  auto value = recompute(observations, claim);
  if (auto* why = std::get_if<std::string>(&value)) {
    check.reason = *why;
    return check;
  }
  Number recomputed = std::get<Number>(value);
  const Number& stated = *claim.stated_value;
  Number tolerance = tolerance_of(claim);
  const auto* exact_recomputed = std::get_if<Decimal>(&recomputed);
  const auto* exact_stated = std::get_if<Decimal>(&stated);
  std::optional<Decimal> exact_difference =
      exact_recomputed && exact_stated ? exact_recomputed->minus(*exact_stated) : std::nullopt;
  Number difference = exact_difference ? Number(*exact_difference)
                                       : Number(to_double(recomputed) - to_double(stated));
  // A hair of slack for binary rounding, far below any printed digit.
  double slack = 1e-9 * std::max(1.0, std::fabs(to_double(stated)));
  bool holds = claim.qualifiers.has(Qualifier::at_least)
                   ? to_double(recomputed) >= to_double(stated) - to_double(tolerance) - slack
                   : std::fabs(to_double(difference)) <= to_double(tolerance) + slack;
  check.recomputed = recomputed;
  check.difference = difference;
  check.tolerance = tolerance;
  check.verdict = holds ? Verdict::holds : Verdict::fails;
  return check;
}

} // namespace jjstat::stats
