#pragma once
/// The streaming engine's big memory: the store's blocks with their pages put in place before
/// they are written, and the parsers' buffers, mapped on 2 MiB boundaries. They lie on 4 KiB
/// pages (advised MADV_NOHUGEPAGE, whatever the system's setting) unless huge pages are asked
/// for (ask_for_huge_pages(), JJSTAT_HUGE_PAGES=1): then on 2 MiB pages (transparent huge
/// pages, where the kernel gives them on request), a fault and a zeroing for each 2 MiB instead
/// of each 4 KiB. Which is cheaper depends on the machine
/// (bench/README.md, "Huge pages or small"): on the virtual machines measured, a fresh huge page
/// cost from a fifth to five times what its 512 small pages cost.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

namespace jjstat::engine {

/// The size of a huge page, and the alignment of buffers of that size or more.
constexpr std::size_t k_huge_page = std::size_t{1} << 21;

// Under AddressSanitizer (g++ says so with __SANITIZE_ADDRESS__, clang with __has_feature) all
// of it comes from operator new, whose bounds it checks (it does not watch mappings); the
// mappings are what the Release build measures and tests.
#if defined(__SANITIZE_ADDRESS__)
#define JJSTAT_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JJSTAT_ADDRESS_SANITIZER 1
#endif
#endif
#if defined(JJSTAT_ADDRESS_SANITIZER)
constexpr bool k_big_pages_mapped = false;
#else
/// True when allocate_big() maps buffers of k_huge_page or more on huge-page boundaries.
constexpr bool k_big_pages_mapped = true;
#endif

/// Whether allocate_big() asks for huge pages from now on (JJSTAT_HUGE_PAGES=1); not by
/// default. Set before the threads that allocate start.
void ask_for_huge_pages(bool yes);
/// True when huge pages are asked for.
bool huge_pages_asked();

/// The alignment of the store's blocks (BlockVector).
constexpr std::size_t k_block_alignment = 64;
/// Puts in place at once the pages of `bytes` of memory from `memory` on (allocated but not yet
/// written), instead of a page fault for every 4 KiB written; a hint, which may do nothing.
void populate(void* memory, std::size_t bytes);

/// Memory whose pages a helper thread puts in place while the caller does something else: the
/// first write to a fresh page costs the thread that makes it some microseconds (on the virtual
/// machine of 2026-12-06, about 11 µs, or 6 µs after populate(), which alone puts the page in the
/// guest's tables, not the host's), and about 0.03 µs once another thread of the process wrote
/// to it (bench/README.md, "On 2026-12-06", "Pages put in place by a helper"). ask() queues memory
/// for the helper, one thread for the process, started at the first ask(); take() makes it the
/// caller's again: it waits for the few pages the helper is at, if any, and populate()s those the
/// helper has not reached, which the caller then writes as it would have. Between ask() and
/// take() the caller must neither read nor write the memory, nor free it.
class PagesAhead {
public:
  PagesAhead() = default;
  PagesAhead(PagesAhead&&) noexcept = default;
  PagesAhead& operator=(PagesAhead&& other) noexcept {
    if (this != &other) {
      take();
      m_job = std::move(other.m_job);
    }
    return *this;
  }
  PagesAhead(const PagesAhead&) = delete;
  PagesAhead& operator=(const PagesAhead&) = delete;
  ~PagesAhead() { take(); }

  /// Asks for the pages of `bytes` of memory from `memory` on (after take() of what was asked
  /// before). The helper writes a zero byte to each page, within the memory given. Asks nothing
  /// when the helper cannot be had (no memory or no thread for it, or the process ending).
  void ask(void* memory, std::size_t bytes) noexcept;
  /// Makes the memory asked for the caller's again (nothing when none is asked).
  void take() noexcept;
  /// True when memory is asked for and not taken.
  bool asked() const { return m_job != nullptr; }
  /// The memory asked for (null when none is).
  void* memory() const;

  struct Job;

private:
  std::shared_ptr<Job> m_job;
};

/// `bytes` of memory, mapped on its own (aligned to k_huge_page, rounded up to a multiple of it,
/// on huge pages when they are asked for) when `bytes` is k_huge_page or more (and
/// k_big_pages_mapped), from operator new otherwise; throws std::bad_alloc.
void* allocate_big(std::size_t bytes);
/// Gives back what allocate_big(bytes) gave.
void free_big(void* memory, std::size_t bytes);

/// A std::vector allocator that takes allocate_big(): a buffer of megabytes is mapped on its
/// own, and given back to the system when freed.
template <typename T> struct BigPages {
  using value_type = T;
  BigPages() = default;
  template <typename U> BigPages(const BigPages<U>&) noexcept {}
  T* allocate(std::size_t n) {
    static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);
    if (n > SIZE_MAX / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(allocate_big(n * sizeof(T)));
  }
  void deallocate(T* memory, std::size_t n) noexcept { free_big(memory, n * sizeof(T)); }
  template <typename U> bool operator==(const BigPages<U>&) const noexcept { return true; }
};

} // namespace jjstat::engine
