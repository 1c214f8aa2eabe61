#include "jjstat/suggest.hpp"

#include <algorithm>
#include <vector>

namespace jjstat {
namespace {

/// Edit distance over bytes (ids and option names are ASCII), counting a swap of two
/// neighbours as one edit ("shwo" is one edit from "show").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

} // namespace

std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string> candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 3;
  for (const std::string& candidate : candidates) {
    // A prefix of a long id ("rd_spend") is as good as a one-letter typo.
    bool prefix = word.size() >= 3 && candidate.starts_with(word);
    // Lengths that differ by the best distance so far or more are at least that far apart: no
    // table worked out for them (a stream may name a million entities, a word may be long).
    const std::size_t apart =
        std::max(word.size(), candidate.size()) - std::min(word.size(), candidate.size());
    if (!prefix && apart >= best_distance) continue;
    std::size_t distance = prefix ? 1 : edit_distance(word, candidate);
    if (distance < best_distance && distance * 2 < std::max(word.size(), std::size_t{2})) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, std::span<const std::string> candidates) {
  auto match = closest_match(word, candidates);
  return match ? " (did you mean '" + *match + "'?)" : "";
}

} // namespace jjstat
