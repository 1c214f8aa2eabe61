#pragma once
/// Claims of a source recomputed from its raw figures, with a tolerance and a verdict.

#include "jjstat/dataset.hpp"

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace jjstat::stats {

/// The outcome of checking one claim.
enum class Verdict {
  holds,     ///< the recomputed value is within the tolerance of the stated one
  fails,     ///< it is not
  uncheckable, ///< the data cannot settle it (the reason says what would)
};

/// The id of a verdict: "holds", "fails", "cannot_check".
std::string_view verdict_id(Verdict verdict);

/// One claim checked.
struct ClaimCheck {
  const Claim* claim = nullptr;
  std::optional<Number> recomputed; ///< in the claim's unit; exact for counts and sums
  std::optional<Number> difference; ///< recomputed − stated; exact when both are decimals
  std::optional<Number> tolerance;  ///< exact half units; a double for approximate claims
  Verdict verdict = Verdict::uncheckable;
  bool unverifiable = false; ///< the claim is of a kind no figure can settle (see `needs`)
  std::string reason; ///< for uncheckable claims: what is missing (English)
};

/// The tolerance of a claim: 5 % of the stated value when it is approximate (约, 近), else half
/// a unit of its last printed digit (0.005 for 76.23); 0 for an exact fraction.
Number tolerance_of(const Claim& claim);

/// Recomputes `claim` from `dataset` and judges it.
ClaimCheck check_claim(const Dataset& dataset, const Claim& claim);
/// The same from `observations`, which hold at least every figure of claim_series(claim), at
/// most one for each key (entity, indicator, period), in any order (as a Dataset holds them, or
/// a stream keeps them).
ClaimCheck check_claim(std::span<const Observation> observations, const Claim& claim);

/// The series (entity, indicator) whose figures check_claim() reads for `claim`: the subject of
/// a percent change, the terms of a ratio or a sum; none for a count or an unverifiable claim.
std::vector<std::pair<std::string, std::string>> claim_series(const Claim& claim);

} // namespace jjstat::stats
