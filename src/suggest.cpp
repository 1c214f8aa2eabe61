#include "jjstat/suggest.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

namespace jjstat {
namespace {

/// Levenshtein distance over bytes (ids and option names are ASCII).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

} // namespace

std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string> candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 3;
  for (const std::string& candidate : candidates) {
    // A prefix of a long id ("rd_spend") is as good as a one-letter typo.
    bool prefix = word.size() >= 3 && candidate.starts_with(word);
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
