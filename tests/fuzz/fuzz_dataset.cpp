// libFuzzer target: see fuzz_dataset in targets.hpp.
#include "entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return jjstat::fuzz::run_or_abort(jjstat::fuzz::fuzz_dataset, data, size);
}
