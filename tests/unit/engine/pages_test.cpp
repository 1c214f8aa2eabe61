// The parsers' big buffers (src/engine/pages.cpp): on huge-page boundaries from 2 MiB on, on huge
// pages only when asked for, and a vector on them keeps its elements as it grows from small to big.
// The helper thread that writes to pages ahead of their use (PagesAhead) writes where it should
// and nowhere else, and lets go of memory before its owner does.
#include "jjstat/engine/pages.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <new>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

using jjstat::engine::allocate_big;
using jjstat::engine::BigPages;
using jjstat::engine::free_big;
using jjstat::engine::k_huge_page;
using jjstat::engine::PagesAhead;

BOOST_AUTO_TEST_SUITE(pages)

BOOST_AUTO_TEST_CASE(a_big_buffer_starts_on_a_huge_page_and_is_whole) {
  for (const std::size_t bytes :
       {std::size_t{100}, k_huge_page - 1, k_huge_page, k_huge_page + 1, 3 * k_huge_page + 12345}) {
    auto* memory = static_cast<unsigned char*>(allocate_big(bytes));
    BOOST_TEST_REQUIRE(memory != nullptr);
    // (Under AddressSanitizer the memory is operator new's, whose bounds it checks.)
    if (jjstat::engine::k_big_pages_mapped && bytes >= k_huge_page)
      BOOST_TEST(reinterpret_cast<std::uintptr_t>(memory) % k_huge_page == 0);
    // Every byte asked for is there, and keeps what is written.
    std::memset(memory, 0xA5, bytes);
    BOOST_TEST(memory[0] == 0xA5);
    BOOST_TEST(memory[bytes - 1] == 0xA5);
    free_big(memory, bytes);
  }
}

namespace {

/// The VmFlags line of /proc/self/smaps for the mapping that holds `address`; empty when none.
std::string flags_of_mapping_at(const void* address) {
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    // A mapping's first line: "begin-end perms ..." in hexadecimal.
    if (const auto dash = line.find('-');
        dash != std::string::npos && dash < 17 && line.find(' ') > dash) {
      const std::uintptr_t begin = std::stoull(line.substr(0, dash), nullptr, 16);
      const std::uintptr_t end = std::stoull(line.substr(dash + 1), nullptr, 16);
      inside = begin <= at && at < end;
    } else if (inside && line.starts_with("VmFlags:")) {
      return line + " ";
    }
  }
  return "";
}

} // namespace

BOOST_AUTO_TEST_CASE(huge_pages_are_asked_for_only_when_wanted) {
  // (Under AddressSanitizer the memory is operator new's, and no mapping of its own.)
  if (!jjstat::engine::k_big_pages_mapped) return;
  // Whether this kernel takes the advice at all (built without transparent huge pages, it
  // refuses both), found on a mapping of the test's own; and whether it shows a mapping's flags.
  void* probe =
      ::mmap(nullptr, k_huge_page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  BOOST_TEST_REQUIRE(probe != MAP_FAILED);
  const bool advised = ::madvise(probe, k_huge_page, MADV_HUGEPAGE) == 0;
  const bool shown = !flags_of_mapping_at(probe).empty();
  ::munmap(probe, k_huge_page);
  if (!shown) {
    BOOST_TEST_MESSAGE("no VmFlags in /proc/self/smaps here: the advice cannot be seen");
    return;
  }
  for (const bool asked : {false, true, false}) {
    jjstat::engine::ask_for_huge_pages(asked);
    BOOST_TEST(jjstat::engine::huge_pages_asked() == asked);
    const std::size_t bytes = 2 * k_huge_page;
    void* memory = allocate_big(bytes);
    const std::string flags = flags_of_mapping_at(memory);
    // "hg": advised MADV_HUGEPAGE; "nh": advised MADV_NOHUGEPAGE (small pages whatever the
    // system's setting).
    BOOST_TEST((flags.find(" hg ") != std::string::npos) == (asked && advised),
               "asked " << asked << ": " << flags);
    BOOST_TEST((flags.find(" nh ") != std::string::npos) == (!asked && advised),
               "asked " << asked << ": " << flags);
    free_big(memory, bytes);
  }
  BOOST_TEST(!jjstat::engine::huge_pages_asked());
}

BOOST_AUTO_TEST_CASE(a_size_past_what_can_be_mapped_is_bad_alloc) {
  BOOST_CHECK_THROW(BigPages<std::uint64_t>().allocate(SIZE_MAX / 4), std::bad_alloc);
  if (jjstat::engine::k_big_pages_mapped)
    BOOST_CHECK_THROW(allocate_big(SIZE_MAX - 1), std::bad_alloc);
}

BOOST_AUTO_TEST_CASE(a_vector_on_big_pages_keeps_its_elements_as_it_grows) {
  // From one element to 8 MiB of them: small buffers, then big ones, moved each time.
  std::vector<std::uint64_t, BigPages<std::uint64_t>> values;
  constexpr std::uint64_t k_count = 1 << 20;
  for (std::uint64_t i = 0; i < k_count; ++i) values.push_back(i * 2654435761U);
  std::uint64_t wrong = 0;
  for (std::uint64_t i = 0; i < k_count; ++i) wrong += values[i] != i * 2654435761U;
  BOOST_TEST(wrong == 0U);
  values.clear();
  values.shrink_to_fit();
  BOOST_TEST(values.capacity() == 0U);
}

BOOST_AUTO_TEST_CASE(the_helper_writes_a_zero_to_each_page_asked_and_nothing_else) {
  // Five pages of 0xAB; asked: from byte 100 of the first to byte 99 of the fourth, four
  // pages in part or whole. The helper writes a zero at byte 100 of the first page and at the
  // first byte of the three others; nothing before, after or between changes.
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> buffer(6 * page);
  // The first of the five pages: the buffer's first whole page.
  const auto start = (reinterpret_cast<std::uintptr_t>(buffer.data()) + page - 1) & ~(page - 1);
  auto* const pages = reinterpret_cast<unsigned char*>(start);
  std::memset(pages, 0xAB, 5 * page);
  const std::size_t begin = 100;
  const std::size_t end = 3 * page + 100;
  std::vector<std::size_t> written;
  // The helper takes 16 pages at a time, and take() waits for those it took: it wrote all four
  // or none. It may not have started when take() comes: asked again, after a longer wait each
  // time, until it wrote.
  for (int wait = 1; written.empty() && wait < 4096; wait *= 2) {
    PagesAhead ahead;
    BOOST_TEST(!ahead.asked());
    ahead.ask(pages + begin, end - begin);
    BOOST_TEST(ahead.asked());
    BOOST_TEST(ahead.memory() == pages + begin);
    std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    ahead.take();
    BOOST_TEST(!ahead.asked());
    BOOST_TEST(ahead.memory() == nullptr);
    for (std::size_t i = 0; i < 5 * page; ++i)
      if (pages[i] != 0xAB) written.push_back(i);
  }
  const std::vector<std::size_t> expected = {begin, page, 2 * page, 3 * page};
  BOOST_TEST(written == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(memory_asked_for_is_taken_back_before_it_is_asked_again_or_let_go) {
  // Asking again takes back what was asked before; so do moving and destroying: each big buffer
  // is let go only after, and the helper never writes to a buffer freed (AddressSanitizer
  // would say so).
  const std::size_t bytes = 3 * k_huge_page;
  for (int round = 0; round < 8; ++round) {
    auto* first = static_cast<unsigned char*>(allocate_big(bytes));
    auto* second = static_cast<unsigned char*>(allocate_big(bytes));
    {
      PagesAhead ahead;
      ahead.ask(first, bytes);
      ahead.ask(second, bytes); // takes `first` back
      BOOST_TEST(ahead.memory() == second);
      std::memset(first, 1, bytes);
      free_big(first, bytes);
      PagesAhead moved = std::move(ahead);
      BOOST_TEST(!ahead.asked()); // NOLINT(bugprone-use-after-move): moved from, empty
      BOOST_TEST(moved.memory() == second);
      PagesAhead other;
      other = std::move(moved);
      BOOST_TEST(other.memory() == second);
      if (round % 2 == 0) other.take();
    } // the destructor takes `second` back
    std::memset(second, 2, bytes);
    BOOST_TEST(second[bytes - 1] == 2);
    free_big(second, bytes);
  }
  // Nothing to take: ask() of no bytes asks nothing.
  PagesAhead none;
  none.take();
  unsigned char byte = 7;
  none.ask(&byte, 0);
  BOOST_TEST(!none.asked());
  BOOST_TEST(byte == 7);
}

BOOST_AUTO_TEST_SUITE_END()
