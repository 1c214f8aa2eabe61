#include "jjstat/engine/pages.hpp"

#include <atomic>
#include <cstdint>

#include <sys/mman.h>
#include <unistd.h>

namespace jjstat::engine {

namespace {
std::atomic<bool> g_huge_pages{false}; ///< ask_for_huge_pages()
} // namespace

void ask_for_huge_pages(bool yes) { g_huge_pages.store(yes, std::memory_order_relaxed); }

bool huge_pages_asked() { return g_huge_pages.load(std::memory_order_relaxed); }

#if defined(JJSTAT_ADDRESS_SANITIZER)
void populate(void*, std::size_t) {}
void* allocate_big(std::size_t bytes) { return ::operator new(bytes); }
void free_big(void* memory, std::size_t) { ::operator delete(memory); }
#else
void populate(void* memory, std::size_t bytes) {
#if defined(MADV_POPULATE_WRITE)
  // Whole pages only: those the memory begins and ends in may hold something else.
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto begin = (reinterpret_cast<std::uintptr_t>(memory) + page - 1) & ~(page - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(memory) + bytes) & ~(page - 1);
  // (Only a hint: the memory is there either way.)
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#else
  (void)memory;
  (void)bytes;
#endif
}

namespace {

/// `bytes` rounded up to whole huge pages; throws std::bad_alloc past what can be mapped.
std::size_t whole_huge_pages(std::size_t bytes) {
  if (bytes > SIZE_MAX / 2) throw std::bad_alloc();
  return (bytes + k_huge_page - 1) / k_huge_page * k_huge_page;
}

} // namespace

void* allocate_big(std::size_t bytes) {
  if (bytes < k_huge_page) return ::operator new(bytes);
  const std::size_t size = whole_huge_pages(bytes);
  // A private anonymous mapping a huge page longer, the ends outside its aligned part let go.
  void* raw = ::mmap(nullptr, size + k_huge_page, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + k_huge_page - 1) & ~(k_huge_page - 1);
  if (aligned > start) ::munmap(raw, aligned - start);
  if (const std::uintptr_t after = start + k_huge_page - aligned; after > 0)
    ::munmap(reinterpret_cast<void*>(aligned + size), after);
  void* memory = reinterpret_cast<void*>(aligned);
#if defined(MADV_HUGEPAGE) && defined(MADV_NOHUGEPAGE)
  // Small pages unless huge ones are asked for, whatever the system's transparent huge pages
  // setting (`always` would give these aligned mappings huge pages unasked). (A hint: where the
  // kernel gives no huge pages, the memory is there on small ones.)
  ::madvise(memory, size, huge_pages_asked() ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
#endif
  return memory;
}

void free_big(void* memory, std::size_t bytes) {
  if (bytes < k_huge_page) {
    ::operator delete(memory);
  } else {
    ::munmap(memory, whole_huge_pages(bytes));
  }
}
#endif

} // namespace jjstat::engine
