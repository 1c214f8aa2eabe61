// Replays the committed fuzz inputs (tests/fuzz/corpus/<target>/ and the inputs of past
// findings, tests/fuzz/regressions/<target>/) through the same target functions libFuzzer runs,
// so that every build of the unit tests, the sanitizer build included, checks them again.

// The targets are compiled into this test rather than listed in tests/CMakeLists.txt, so that
// the unit_tests glob picks them up as they are.
#include "../fuzz/targets.cpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path k_fuzz_dir = fs::path(JJSTAT_SOURCE_DIR) / "tests" / "fuzz";

/// The files of `dir` (none when it does not exist), sorted so failures come in a stable order.
std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Runs target `name` on every file of its corpus and regressions; returns how many ran.
std::size_t replay(const std::string& name) {
  const jjstat::fuzz::Target target = jjstat::fuzz::find_target(name);
  BOOST_REQUIRE(target != nullptr);
  std::size_t count = 0;
  for (const char* kind : {"corpus", "regressions"}) {
    for (const fs::path& path : files_in(k_fuzz_dir / kind / name)) {
      const std::string bytes = read_bytes(path);
      BOOST_TEST_CONTEXT("fuzz input " << kind << "/" << name << "/" << path.filename().string()) {
        try {
          target(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        } catch (const jjstat::fuzz::Violation& violation) {
          BOOST_ERROR("invariant broken: " << violation.what());
        } catch (const std::exception& error) {
          BOOST_ERROR("uncaught exception: " << error.what());
        }
      }
      ++count;
    }
  }
  return count;
}

} // namespace

BOOST_AUTO_TEST_SUITE(fuzz_replay)

BOOST_AUTO_TEST_CASE(csv_inputs) { BOOST_TEST(replay("csv") > 0U); }

BOOST_AUTO_TEST_CASE(decimal_inputs) { BOOST_TEST(replay("decimal") > 0U); }

BOOST_AUTO_TEST_CASE(dataset_inputs) { BOOST_TEST(replay("dataset") > 0U); }

BOOST_AUTO_TEST_CASE(cli_inputs) { BOOST_TEST(replay("cli") > 0U); }

BOOST_AUTO_TEST_CASE(unknown_target_is_null) {
  BOOST_TEST(jjstat::fuzz::find_target("nope") == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
