#pragma once
/// The libFuzzer entry point around a target: an exception that escapes it (a broken invariant
/// or an error jjstat should have caught) is printed and turned into a crash.

#include "targets.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <typeinfo>

namespace jjstat::fuzz {

/// Runs `target` on the input; aborts, so that libFuzzer keeps the input, when it throws.
inline int run_or_abort(Target target, const std::uint8_t* data, std::size_t size) {
  try {
    return target(data, size);
  } catch (const Violation& violation) {
    std::fprintf(stderr, "jjstat fuzz: invariant broken: %s\n", violation.what());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "jjstat fuzz: uncaught %s: %s\n", typeid(error).name(), error.what());
  } catch (...) {
    std::fprintf(stderr, "jjstat fuzz: uncaught exception of unknown type\n");
  }
  std::abort();
}

} // namespace jjstat::fuzz
