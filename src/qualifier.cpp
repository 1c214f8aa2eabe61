#include "jjstat/qualifier.hpp"

#include <array>

namespace jjstat {
namespace {

struct QualifierName {
  std::string_view id;
  std::string_view english;
  std::string_view chinese;
};

constexpr std::array<QualifierName, k_qualifier_count> k_names = {{
    {"approximate", "approximate", "约"},
    {"projected", "projected", "预计"},
    {"target", "target", "力争"},
    {"at_least", "at least", "以上"},
    {"planned", "planned", "规划"},
    {"cumulative", "cumulative", "累计"},
    {"derived", "derived", "推算"},
}};

} // namespace

std::optional<Qualifiers> Qualifiers::parse(std::string_view text, std::string* bad) {
  Qualifiers result;
  while (!text.empty()) {
    std::size_t end = text.find(';');
    std::string_view id = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    bool found = false;
    for (int i = 0; i < k_qualifier_count; ++i) {
      if (k_names[i].id == id) {
        result.add(static_cast<Qualifier>(i));
        found = true;
      }
    }
    if (!found) {
      if (bad) *bad = std::string(id);
      return std::nullopt;
    }
  }
  return result;
}

std::string Qualifiers::ids() const {
  std::string out;
  for (int i = 0; i < k_qualifier_count; ++i) {
    if (!has(static_cast<Qualifier>(i))) continue;
    if (!out.empty()) out += ';';
    out += k_names[i].id;
  }
  return out;
}

std::string Qualifiers::words(bool chinese) const {
  std::string out;
  for (int i = 0; i < k_qualifier_count; ++i) {
    if (!has(static_cast<Qualifier>(i))) continue;
    if (!out.empty()) out += chinese ? "、" : ", ";
    out += chinese ? k_names[i].chinese : k_names[i].english;
  }
  return out;
}

std::string_view qualifier_id(Qualifier q) { return k_names[static_cast<int>(q)].id; }

} // namespace jjstat
