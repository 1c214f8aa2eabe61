#include "jjstat/report/output.hpp"

#include "jjstat/error.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using jjstat::report::write_file;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A fresh folder under the system's temporary folder, removed at the end of the test.
struct Folder {
  fs::path path = fs::temp_directory_path() / ("jjstat_output_test_" + std::to_string(::getpid()));
  Folder() { fs::create_directories(path); }
  ~Folder() { fs::remove_all(path); }
};

} // namespace

BOOST_AUTO_TEST_SUITE(report_output)

BOOST_AUTO_TEST_CASE(writes_and_replaces_whole) {
  Folder folder;
  fs::path file = folder.path / "r.md";
  write_file(file.string(), "first\n");
  BOOST_TEST(read(file) == "first\n");
  write_file(file.string(), "second, 江津\n");
  BOOST_TEST(read(file) == "second, 江津\n");
  // Nothing else is left in the folder.
  BOOST_TEST(std::distance(fs::directory_iterator(folder.path), fs::directory_iterator()) == 1);
}

BOOST_AUTO_TEST_CASE(an_unwritable_path_is_an_io_error_and_leaves_nothing) {
  Folder folder;
  fs::path missing = folder.path / "no" / "such" / "r.md";
  try {
    write_file(missing.string(), "x");
    BOOST_FAIL("no error");
  } catch (const jjstat::IoError& e) {
    BOOST_TEST(std::string(e.what()) ==
               "cannot write '" + missing.string() + "': No such file or directory");
  }
  // A folder in the way: the new file is written, the rename fails, the new file goes.
  fs::create_directories(folder.path / "taken");
  fs::create_directories(folder.path / "taken" / "inside");
  BOOST_CHECK_THROW(write_file((folder.path / "taken").string(), "x"), jjstat::IoError);
  BOOST_TEST(std::distance(fs::directory_iterator(folder.path), fs::directory_iterator()) == 1);
}

BOOST_AUTO_TEST_SUITE_END()
