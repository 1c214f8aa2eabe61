// The number of rounds of a randomised unit test.
#pragma once

namespace jjstat::test {

/// `slow` in the sanitizer and coverage builds (JJSTAT_SLOW_BUILD), where each round is many
/// times slower, `fast` elsewhere: the Release build runs them all.
template <typename T> constexpr T rounds([[maybe_unused]] T slow, [[maybe_unused]] T fast) {
#ifdef JJSTAT_SLOW_BUILD
  return slow;
#else
  return fast;
#endif
}

} // namespace jjstat::test
