#pragma once
/// "Did you mean": the closest known word to a mistyped one.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace jjstat {

/// The candidate closest to `word` by edit distance, when close enough to be a typo (at most
/// 2 edits, and fewer than half the word's length); nullopt otherwise.
std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string> candidates);

/// " (did you mean 'x'?)" for the closest candidate, or "".
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);

} // namespace jjstat
