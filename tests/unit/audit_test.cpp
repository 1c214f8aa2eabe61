// The data audit: every embedded figure against the article it cites, and the embedded tables
// against each other.
#include "jjstat/dataset.hpp"
#include "jjstat/sources.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

using namespace jjstat;

namespace {

const std::string k_seed_path = JJSTAT_SOURCE_DIR "/../shared/seed/000_d3e44888e58b5fc2.txt";
const std::string k_article = "article_2021";

/// The embedded data, loaded the way `jjstat` loads it.
const Dataset& embedded() {
  static const Dataset data = [] {
    Dataset loaded;
    sources::Inputs inputs = sources::load({}, true);
    for (const sources::Input& input : inputs.list())
      loaded.load(input.text, input.name);
    return loaded;
  }();
  return data;
}

/// A value as printed; works whether Observation::value holds a Decimal or a Number.
template <typename Value> std::string printed(const Value& value) {
  if constexpr (std::is_same_v<Value, Decimal>) {
    return value.to_string();
  } else {
    return std::visit(
        [](const auto& v) -> std::string {
          if constexpr (std::is_same_v<std::decay_t<decltype(v)>, Decimal>) {
            return v.to_string();
          } else {
            return format_shortest(v);
          }
        },
        value);
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The physical lines of `text`, without line endings.
std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

/// `text` without ASCII white space, no-break spaces (U+00A0) and ideographic spaces (U+3000).
std::string without_spaces(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') continue;
    if (text.substr(i, 2) == "\xC2\xA0") {
      i += 1;
      continue;
    }
    if (text.substr(i, 3) == "\xE3\x80\x80") {
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

/// True when `needle` occurs in `haystack` at an offset below `start_limit`, not right after a
/// digit or a point (so "6个" does not match inside "16个" nor "4万" inside "2.4万").
bool occurs_as_figure(const std::string& haystack, const std::string& needle,
                      std::size_t start_limit) {
  for (std::size_t at = haystack.find(needle); at != std::string::npos && at < start_limit;
       at = haystack.find(needle, at + 1)) {
    char before = at == 0 ? ' ' : haystack[at - 1];
    if ((before < '0' || before > '9') && before != '.') return true;
  }
  return false;
}

} // namespace

BOOST_AUTO_TEST_SUITE(audit)

BOOST_AUTO_TEST_CASE(the_figure_matcher_respects_number_boundaries) {
  BOOST_TEST(occurs_as_figure("新增市级智能工厂6个", "6个", 100));
  BOOST_TEST(!occurs_as_figure("产品达16个", "6个", 100));
  BOOST_TEST(!occurs_as_figure("强度2.4%", "4%", 100));
  BOOST_TEST(occurs_as_figure("6个", "6个", 1));
  BOOST_TEST(!occurs_as_figure("abc6个", "6个", 3)); // starts past the limit
  BOOST_TEST(occurs_as_figure("16个，6个", "6个", 100));
  BOOST_TEST(without_spaces(" 目 80 个\t\xE3\x80\x80x") == "目80个x");
}

BOOST_AUTO_TEST_CASE(every_article_figure_is_printed_at_its_cited_line) {
  if (!std::filesystem::exists(k_seed_path)) {
    BOOST_TEST_MESSAGE("seed file not found at " << k_seed_path << ": data audit skipped");
    return;
  }
  const std::vector<std::string> lines = split_lines(read_file(k_seed_path));
  const Dataset& data = embedded();
  std::map<std::string, int> audited; // category -> figures
  int total = 0;
  for (const Observation& obs : data.observations()) {
    if (obs.source != k_article) continue;
    BOOST_TEST_CONTEXT(obs.origin.text()
                       << ": " << obs.entity << "/" << obs.indicator << " " << obs.period.label()) {
      BOOST_TEST_REQUIRE(obs.source_line.has_value());
      BOOST_TEST_REQUIRE(obs.value.has_value());
      auto line = static_cast<std::size_t>(*obs.source_line);
      BOOST_TEST_REQUIRE(line <= lines.size());
      // Newspaper columns break lines mid-figure: look at the cited line and the next two.
      std::string cited = without_spaces(lines[line - 1]);
      std::string joined = cited;
      for (std::size_t next = line; next < line + 2 && next < lines.size(); ++next) {
        joined += without_spaces(lines[next]);
      }
      std::string figure = printed(*obs.value) + obs.unit;
      bool found = occurs_as_figure(joined, figure, cited.size());
      BOOST_TEST(found, "'" << figure << "' does not start in line " << line
                            << " of the article: " << lines[line - 1]);
      ++audited[data.find_indicator(obs.indicator)->category];
      ++total;
    }
  }
  for (const auto& [category, count] : audited) {
    BOOST_TEST_MESSAGE("audited " << count << " figures of category " << category);
  }
  BOOST_TEST_MESSAGE("audited " << total << " figures in all");
  BOOST_TEST(total > 0);
}

BOOST_AUTO_TEST_CASE(every_observation_names_its_source_and_line) {
  const Dataset& data = embedded();
  BOOST_TEST_REQUIRE(!data.observations().empty());
  std::set<std::string> sources;
  for (const SourceInfo& source : data.sources())
    sources.insert(source.id);
  for (const Observation& obs : data.observations()) {
    BOOST_TEST_CONTEXT(obs.origin.text()) {
      BOOST_TEST(obs.source_line.has_value());
      BOOST_TEST(sources.count(obs.source) == 1u, "source '" << obs.source << "' is not described");
    }
  }
}

BOOST_AUTO_TEST_CASE(the_article_source_points_at_the_seed_file) {
  const Dataset& data = embedded();
  const SourceInfo* article = nullptr;
  for (const SourceInfo& source : data.sources()) {
    if (source.id == k_article) article = &source;
  }
  BOOST_TEST_REQUIRE(article != nullptr);
  BOOST_TEST(article->file == "../shared/seed/000_d3e44888e58b5fc2.txt");
  BOOST_TEST(!article->title_zh.empty());
  BOOST_TEST(!article->title_en.empty());
  BOOST_TEST(article->year == "2021");
}

BOOST_AUTO_TEST_CASE(every_indicator_has_a_category_and_both_names) {
  const Dataset& data = embedded();
  for (const IndicatorInfo* info : data.indicators()) {
    BOOST_TEST_CONTEXT("indicator " << info->id << " of " << info->origin) {
      BOOST_TEST(!info->category.empty());
      BOOST_TEST(!info->name_zh.empty());
      BOOST_TEST(!info->name_en.empty());
      BOOST_TEST(data.find_category(info->category) != nullptr,
                 "category '" << info->category << "' is not described");
    }
  }
}

BOOST_AUTO_TEST_CASE(every_entity_and_rank_scope_is_described) {
  const Dataset& data = embedded();
  for (const Observation& obs : data.observations()) {
    BOOST_TEST_CONTEXT(obs.origin.text()) {
      BOOST_TEST(data.find_entity(obs.entity) != nullptr,
                 "entity '" << obs.entity << "' has no entities-table entry");
      if (!obs.rank_scope.empty()) {
        BOOST_TEST(data.find_entity(obs.rank_scope) != nullptr,
                   "rank_scope '" << obs.rank_scope << "' is not an entity id");
      }
      if (obs.reported_rank) {
        BOOST_TEST(!obs.rank_scope.empty(), "a reported rank without a rank_scope");
      }
    }
  }
  for (const EntityInfo& entity : data.entities()) {
    BOOST_TEST_CONTEXT("entity " << entity.id) {
      BOOST_TEST(!entity.name_zh.empty());
      BOOST_TEST(!entity.name_en.empty());
      BOOST_TEST(!entity.kind.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(no_row_of_data_is_dropped) {
  // Count the rows of data/*.csv independently of the CSV reader: non-blank lines minus the
  // header (none of these files has a quoted newline).
  std::size_t rows = 0;
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(JJSTAT_SOURCE_DIR "/data")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".csv") continue;
    ++files;
    std::size_t lines = 0;
    for (const std::string& line : split_lines(read_file(entry.path().string()))) {
      if (!line.empty()) ++lines;
    }
    BOOST_TEST(lines >= 1u, entry.path() << " has no header");
    rows += lines > 0 ? lines - 1 : 0;
  }
  BOOST_TEST(files > 0u);
  BOOST_TEST(embedded().observations().size() == rows);
}

BOOST_AUTO_TEST_SUITE_END()
