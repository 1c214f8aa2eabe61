// The streaming loader against the full one: on random tables (many series, gaps, ties, zero
// and negative bases, missing values, mixed units, repeated rows) every streamable command
// prints exactly the same bytes either way.
#include "jjstat/cli.hpp"
#include "jjstat/commands.hpp"
#include "jjstat/engine/pages.hpp"
#include "jjstat/engine/series.hpp"
#include "jjstat/engine/stream.hpp"
#include "jjstat/sources.hpp"
#include "jjstat/unit.hpp"

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "../rounds.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>
#include <zlib.h>

namespace {

/// A random long-format table; `seed` makes it reproducible.
std::string random_table(unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const char* units[] = {"亿元", "万元"};
  std::ostringstream out;
  out << "entity,indicator,period,value,unit\n";
  int entities = 1 + pick(40);
  for (int e = 0; e < entities; ++e) {
    for (int i = 0; i < 3; ++i) {
      std::string indicator = i == 0 ? "output" : i == 1 ? "firms" : "share";
      // Most series run forward in time, some backward (the streamed runs' slow path).
      bool backward = pick(4) == 0;
      for (int step = 0; step <= 6; ++step) {
        int year = backward ? 2020 - step : 2014 + step;
        if (pick(5) == 0) continue; // a gap
        out << "区" << e << "," << indicator << "," << year << ",";
        int kind = pick(20);
        if (kind == 0) {
          out << "";            // missing value
        } else if (kind == 1) {
          out << "0";           // zero base
        } else if (kind == 2) {
          out << "-" << pick(50) << "." << pick(10);
        } else if (kind == 3) {
          const char* spellings[] = {"5.", "-.5", "007", "0.50", "+3", "1e2"};
          out << spellings[pick(6)]; // spellings the quick number reader leaves to the full one
        } else if (kind < 6) {
          out << 10 * (1 + pick(5)); // ties
        } else {
          out << pick(100000) << "." << pick(100);
        }
        out << "," << (i == 0 ? units[pick(2)] : i == 1 ? "家" : "%") << "\n";
      }
    }
  }
  return out.str();
}

/// jjstat's status for `args` in `environment`, its stdout in `out` and stderr in `err`.
int run_in(const std::vector<std::string>& args, const jjstat::cli::Environment& environment,
           std::string& out, std::string& err) {
  std::vector<const char*> argv = {"jjstat"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  std::ostringstream out_stream, err_stream;
  const int status = jjstat::cli::run(static_cast<int>(argv.size()), argv.data(), out_stream,
                                      err_stream, environment);
  out = out_stream.str();
  err = err_stream.str();
  return status;
}

/// jjstat's stdout, stderr and status for `args` with the loader `engine`.
std::string run(const std::vector<std::string>& args, const std::string& engine) {
  jjstat::cli::Environment environment;
  environment.engine = engine;
  std::string out, err;
  const int status = run_in(args, environment, out, err);
  return out + "\n--- stderr\n" + err + "\n--- status " + std::to_string(status);
}

/// The first line where `a` and `b` differ, both ways, for a failure message.
std::string first_difference(const std::string& a, const std::string& b) {
  std::istringstream in_a(a), in_b(b);
  std::string line_a, line_b;
  for (int line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(in_a, line_a));
    const bool more_b = static_cast<bool>(std::getline(in_b, line_b));
    if (!more_a && !more_b) return "no difference";
    if (!more_a || !more_b || line_a != line_b) {
      return "line " + std::to_string(line) + ":\n  streamed: " + (more_a ? line_a : "(end)") +
             "\n  loaded:   " + (more_b ? line_b : "(end)");
    }
  }
}

/// Writes `text` to `name` in the temporary folder, the process id added to the name so that two
/// test runs at once (two builds' ctest) never use each other's files.
std::filesystem::path write_file(const std::string& name, const std::string& text, bool gzip) {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "_" + name);
  if (gzip) {
    gzFile file = gzopen(path.c_str(), "wb");
    gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
    gzclose(file);
  } else {
    std::ofstream(path, std::ios::binary) << text;
  }
  return path;
}

/// Runs each query on the file `path` (`extra` after it) in each format with the default loader
/// and the full one, and checks that they print the same; returns the number compared.
int compare_loaders(const std::vector<std::vector<std::string>>& queries,
                    const std::filesystem::path& path, const std::vector<std::string>& extra,
                    const std::vector<std::string>& formats, unsigned seed) {
  int compared = 0;
  for (const std::vector<std::string>& query : queries) {
    for (const std::string& format : formats) {
      std::vector<std::string> args = query;
      args.insert(args.end(), {"--data", path.string()});
      args.insert(args.end(), extra.begin(), extra.end());
      args.insert(args.end(), {"--format", format});
      const std::string streamed = run(args, "stream");
      const std::string loaded = run(args, "simple");
      std::string shown;
      for (const std::string& arg : query) shown += arg + " ";
      BOOST_TEST(streamed == loaded, "seed " << seed << ": " << shown << format << "\n"
                                             << first_difference(streamed, loaded));
      ++compared;
    }
  }
  return compared;
}

/// Runs `growth rd_spending --format csv` with the environment `set` makes: its status and
/// standard error.
template <typename Set> std::pair<int, std::string> run_growth_with(Set set) {
  jjstat::cli::Environment environment;
  set(environment);
  std::string out, err;
  const int status = run_in({"growth", "rd_spending", "--format", "csv"}, environment, out, err);
  return {status, err};
}

} // namespace

BOOST_AUTO_TEST_SUITE(engine_stream)

BOOST_AUTO_TEST_CASE(jjstat_huge_pages_reaches_the_engine) {
  // What JJSTAT_HUGE_PAGES says is what the engine's allocations then ask for, set afresh by each
  // run; a value other than 0, 1 or nothing is a usage error, with the variable named.
  auto run_with = [](const std::string& value) {
    return run_growth_with([&](jjstat::cli::Environment& e) { e.huge_pages = value; });
  };
  BOOST_TEST(run_with("1").first == 0);
  BOOST_TEST(jjstat::engine::huge_pages_asked());
  BOOST_TEST(run_with("0").first == 0);
  BOOST_TEST(!jjstat::engine::huge_pages_asked());
  BOOST_TEST(run_with("1").first == 0);
  BOOST_TEST(run_with("").first == 0);
  BOOST_TEST(!jjstat::engine::huge_pages_asked());
  const auto [status, error] = run_with("yes");
  BOOST_TEST(status == 2);
  BOOST_TEST(error == "jjstat: error: JJSTAT_HUGE_PAGES is 'yes'; expected 0, 1 or nothing\n");
  BOOST_TEST(!jjstat::engine::huge_pages_asked());
}

BOOST_AUTO_TEST_CASE(jjstat_map_reaches_the_reader) {
  // What JJSTAT_MAP says is whether regular files are then mapped, set afresh by each run
  // (nothing: as choose_mapping() finds, here no file: read); a value other than 0, 1 or
  // nothing is a usage error, with the variable named.
  auto run_with = [](const std::string& value) {
    return run_growth_with([&](jjstat::cli::Environment& e) { e.map = value; });
  };
  BOOST_TEST(run_with("1").first == 0);
  BOOST_TEST(jjstat::sources::files_mapped());
  BOOST_TEST(run_with("0").first == 0);
  BOOST_TEST(!jjstat::sources::files_mapped());
  BOOST_TEST(run_with("1").first == 0);
  BOOST_TEST(run_with("").first == 0);
  BOOST_TEST(!jjstat::sources::files_mapped());
  const auto [status, error] = run_with("yes");
  BOOST_TEST(status == 2);
  BOOST_TEST(error == "jjstat: error: JJSTAT_MAP is 'yes'; expected 0, 1 or nothing\n");
  BOOST_TEST(!jjstat::sources::files_mapped());
}

BOOST_AUTO_TEST_CASE(compacted_runs_that_must_go_fact_by_fact_are_read_again) {
  // The parsers compact runs of years in order (parse_chunk()); a run whose rows the store must
  // take one by one makes it read every input again without compacting. Here the first run of
  // a/gdp (2011-2016) is compacted; a later row of a/gdp repeats its 2013, the same figure (an
  // accepted repeat) or another (an error naming line 4, which the compacted run left out).
  for (const std::string repeat : {"13", "14"}) {
    std::string table = "entity,indicator,period,value,unit\n";
    for (int year = 2011; year <= 2016; ++year)
      table += "a,gdp," + std::to_string(year) + "," + std::to_string(year - 2000) + ",亿元\n";
    for (int year = 2011; year <= 2016; ++year)
      table += "b,gdp," + std::to_string(year) + "," + std::to_string(year - 1990) + ",亿元\n";
    table += "a,gdp,2013," + repeat + ",亿元\n";
    const std::filesystem::path path =
        write_file("jjstat_compacted_" + repeat + ".csv", table, false);
    const int compared = compare_loaders({{"growth"},
                                          {"growth", "--from", "2012", "--to", "2015"},
                                          {"rank", "gdp", "--period", "2016"},
                                          {"describe"},
                                          {"list"}},
                                         path, {"--no-embedded"}, {"csv"}, 0);
    BOOST_TEST(compared == 5);
    const std::string out = run({"growth", "--data", path.string(), "--no-embedded"}, "stream");
    if (repeat == "14") {
      BOOST_TEST(out.find("at " + path.string() + ":4\n") != std::string::npos, out);
      BOOST_TEST(out.find("--- status 3") != std::string::npos, out);
    } else {
      BOOST_TEST(out.find("--- status 0") != std::string::npos, out);
    }
    std::filesystem::remove(path);
  }
}

BOOST_AUTO_TEST_CASE(describe_totals_rows_compacted_in_the_order_of_the_rows) {
  // describe lets the parsers compact runs, and totals the facts written over as the parser
  // goes (ChunkTotaller). A total's first figure decides its lane's unit and scale, and what a
  // tie of units and equal extremes (2.5 and 2.50) show: a/gdp ends at 2013 (its last row, kept)
  // before b/gdp's 2013 is written over, so a's must still come first. c/gdp repeats a row (an
  // accepted repeat, counted once): its piece's totals are made again from the facts, which
  // the compacted runs left out, so every input is read again without compacting. A second
  // table the same without c.
  for (const bool with_repeat : {false, true}) {
    std::string table = "entity,indicator,period,value,unit\n";
    table += "a,gdp,2011,1.0,万元\na,gdp,2012,3.00,万元\na,gdp,2013,2.50,万元\n";
    for (int year = 2011; year <= 2016; ++year)
      table += "b,gdp," + std::to_string(year) + (year == 2013 ? ",2.5" : ",7") + ",亿元\n";
    if (with_repeat) table += "c,gdp,2011,5,亿元\nc,gdp,2011,5,亿元\n";
    for (int year = 2011; year <= 2016; ++year)
      if (year != 2013) table += "d,gdp," + std::to_string(year) + ",2.500,亿元\n";
    const std::filesystem::path path = write_file(std::string("jjstat_describe_compacted_") +
                                                      (with_repeat ? "repeat" : "plain") + ".csv",
                                                  table, false);
    const int compared = compare_loaders({{"describe"}, {"describe", "--entity", "b"}}, path,
                                         {"--no-embedded"}, {"csv"}, 0);
    BOOST_TEST(compared == 2);
    // Worked out by hand: 2013 holds 2.50 万元 and 2.5 亿元, a tie of units that the first
    // row's (万元) wins: 2.50 + 25000 万元. 2011 holds 1.0 万元 (0.0001 亿元), 7, 2.500 and
    // c's 5 (its repeat counted once).
    const std::string out =
        run({"describe", "--data", path.string(), "--no-embedded", "--format", "csv"}, "stream");
    BOOST_TEST(out.find("\ngdp,2013,2,0,25002.50,12501.25,2.50,25000,万元,\n") != std::string::npos,
               out);
    const std::string counted =
        with_repeat ? "\ngdp,2011,4,0,14.5001,3.625025," : "\ngdp,2011,3,0,9.5001,3.1667,";
    BOOST_TEST(out.find(counted) != std::string::npos, out);
    BOOST_TEST(out.find("--- status 0") != std::string::npos, out);
    std::filesystem::remove(path);
  }
}

BOOST_AUTO_TEST_CASE(series_that_keep_nothing_are_left_untracked) {
  // A ranking of gdp keeps nothing of the firms and share series, and describe nothing of any:
  // in a file sorted by series they get no record (SeriesStore::leave_untracked()); gdp's own
  // series, whose latest figure or ends are kept, get only those kept, no record either. 300
  // entities x 3 indicators x 6 years, about 100 KB: the first piece ends within 64 KiB, and a
  // series runs on across each cut. Then a row brings back an untracked series (the same
  // figure, an accepted repeat, or another, an error naming its first row): the inputs are read
  // again with every series recorded.
  auto table = [](const std::string& back) {
    std::string text = "entity,indicator,period,value,unit\n";
    for (int e = 0; e < 300; ++e) {
      for (const char* indicator : {"gdp", "firms", "share"}) {
        for (int year = 2011; year <= 2016; ++year) {
          text += fmt::format("区{:03},{},{},{}.{},{}\n", e, indicator, year, e + year - 2000,
                              year % 10, indicator[0] == 's' ? "%" : "亿元");
        }
      }
    }
    return text + back;
  };
  const std::vector<std::string> backs = {"", "区007,firms,2013,20.3,亿元\n",
                                          "区007,firms,2013,21.3,亿元\n"};
  for (std::size_t b = 0; b < backs.size(); ++b) {
    const std::filesystem::path path =
        write_file("jjstat_untracked_" + std::to_string(b) + ".csv", table(backs[b]), false);
    const int compared = compare_loaders({{"rank", "gdp", "--period", "2016", "--top", "5"},
                                          {"rank", "gdp", "--by", "cagr"},
                                          {"rank", "gdp", "--period", "2014", "--top", "3"},
                                          {"growth", "gdp", "--entity", "区007"},
                                          {"growth", "--from", "2012", "--to", "2015"},
                                          {"growth", "firms", "--to", "2011"},
                                          {"describe"},
                                          {"describe", "firms"},
                                          {"list"}},
                                         path, {"--no-embedded"}, {"csv"}, 0);
    BOOST_TEST(compared == 9);
    // The store itself, pieces cut every 25 or 130 rows (most cuts within a series): describe
    // records no series, a ranking of gdp or its growth none either (gdp's 300 only kept); the
    // row that comes back makes every series recorded (900), and the different figure is an
    // error. Pieces of 3 rows, each of two series or more (fewer than two rows a run), record
    // theirs: every series then.
    using Keep = jjstat::engine::Retention::Keep;
    for (const std::size_t chunk : {std::size_t{100}, std::size_t{777}, std::size_t{4096}}) {
      for (const Keep keep : {Keep::nothing, Keep::latest, Keep::ends}) {
        const std::string shown = fmt::format("chunk {} keep {}", chunk, static_cast<int>(keep));
        jjstat::engine::StreamRequest request;
        request.paths = {path.string()};
        request.chunk_bytes = request.heavy_chunk_bytes = chunk;
        request.retention.keep = keep;
        if (keep == Keep::nothing) {
          request.retention.describe = true;
        } else {
          request.filter = jjstat::engine::Filter({"gdp"}, {});
        }
        if (keep == Keep::latest) request.retention.at = jjstat::Period::year(2014);
        if (keep == Keep::ends) {
          request.retention.from = jjstat::Period::year(2012);
          request.retention.to = jjstat::Period::year(2015);
        }
        if (b == 2) {
          BOOST_CHECK_THROW(jjstat::engine::stream(request), jjstat::DataError);
          continue;
        }
        const jjstat::engine::StreamResult result = jjstat::engine::stream(request);
        BOOST_REQUIRE(result.store);
        const jjstat::engine::SeriesStore& store = *result.store;
        const std::size_t expected = b == 1 || chunk == 100 ? 900 : 0;
        BOOST_TEST(store.recorded_series() == expected, shown);
        // Every series counted, and every figure (a repeat once).
        BOOST_TEST(store.series_of_indicator("firms") == 300U);
        for (const jjstat::engine::IndicatorListing& listing : store.listing())
          BOOST_TEST(listing.figures == 1800U, listing.id);
        if (keep == Keep::nothing) continue;
        // gdp's series, in order, with what each kept: entity e's figure of year y is
        // e + y - 2000 + (y % 10) / 10; every series has six periods.
        const std::vector<std::size_t> counts = {300, 0, 0};
        BOOST_TEST(store.series_counts() == counts, boost::test_tools::per_element());
        BOOST_TEST(store.single_period_series() == 0U, shown);
        auto figure = [](int e, int year) {
          return fmt::format("{}.{}", e + year - 2000, year % 10);
        };
        // (Into elements of an earlier call, which quick_ends() writes over: stale ones here.)
        std::vector<jjstat::engine::QuickEnds> ends(400);
        for (jjstat::engine::QuickEnds& stale : ends) stale.quick = true;
        store.quick_ends(0, 0, 300, ends);
        BOOST_REQUIRE(ends.size() == 300U);
        for (int e = 0; e < 300; ++e) {
          const std::string entity = fmt::format("区{:03}", e);
          if (keep == Keep::latest) {
            BOOST_TEST(!ends[static_cast<std::size_t>(e)].quick, shown << " " << entity);
            std::optional<jjstat::Number> value;
            std::string unit;
            BOOST_TEST(store.kept_value(0, static_cast<std::size_t>(e),
                                        jjstat::Period::year(2014).code(), value, unit));
            BOOST_TEST((value && jjstat::to_string(*value) == figure(e, 2014) && unit == "亿元"),
                       shown << " " << entity);
            continue;
          }
          const jjstat::engine::QuickEnds& got = ends[static_cast<std::size_t>(e)];
          BOOST_TEST((got.quick && got.entity == entity && got.indicator == "gdp" &&
                      got.unit == "亿元" && got.from_value.to_string() == figure(e, 2012) &&
                      got.to_value.to_string() == figure(e, 2015)),
                     shown << " " << entity);
        }
        // The views of them: six periods each, the kept figures in order.
        int e = 0;
        store.for_each_series_of(0, [&](const jjstat::stats::Series& series) {
          std::vector<std::string> figures;
          for (const jjstat::Observation* point : series.points)
            figures.push_back(point->period.label() + " " + jjstat::to_string(*point->value));
          const std::vector<std::string> kept =
              keep == Keep::latest
                  ? std::vector<std::string>{"2014 " + figure(e, 2014)}
                  : std::vector<std::string>{"2012 " + figure(e, 2012), "2015 " + figure(e, 2015)};
          BOOST_TEST((series.entity == fmt::format("区{:03}", e) && series.indicator == "gdp" &&
                      series.period_count == 6U && figures == kept),
                     shown << " series " << e);
          ++e;
        });
        BOOST_TEST(e == 300);
        // A range past the series' end stops at it; one beyond them is empty.
        store.quick_ends(0, 290, 310, ends);
        BOOST_TEST(ends.size() == 10U);
        BOOST_TEST((ends.back().quick == (keep == Keep::ends)), shown);
        if (keep == Keep::ends) BOOST_TEST(ends.back().entity == "区299", shown);
        store.quick_ends(0, 300, 310, ends);
        BOOST_TEST(ends.empty());
      }
    }
    std::filesystem::remove(path);
  }
}

BOOST_AUTO_TEST_CASE(kept_series_that_come_back_get_a_record) {
  // 300 entities x 3 indicators, years 2011-2013 for every series, then 2014-2016 for every
  // series (two files sorted by entity, one after the other; the first ends with a series of
  // its own, which the second does not bring back). Growth and rankings keep their series'
  // ends or latest figure without a record; each series that comes back in the second half
  // is given one then (SeriesStore::promote()), from what it kept, without reading the file
  // again: found right after the one before, or, the second half in reverse order of entity,
  // by bisection (the second half in reverse order of entity, or in no order; its rows in no
  // order, each series is then found in the store's table once it is made, and its record
  // entered there). When an indicator's
  // series did not first come in order of entity (区001's firms, then 区000's gdp, then 区001's
  // gdp: gdp's and share's are not), its series cannot be found so, and the file is read again with
  // every series recorded. A row that repeats a kept figure with another value is the error it is
  // when the file is read whole, and one that repeats a figure not kept goes through the pass that
  // keeps those aside. The answers are the whole-file path's every way.
  enum class Order { sorted, reversed, shuffled, rows_shuffled, out_of_order };
  auto table = [](Order order) {
    std::string text = "entity,indicator,period,value,unit\n";
    if (order == Order::out_of_order) text += "区001,firms,2010,1.0,亿元\n";
    std::vector<std::string> rows; // (the second half's, Order::rows_shuffled)
    for (const auto& [first, last] : {std::pair{2011, 2013}, std::pair{2014, 2016}}) {
      for (int k = 0; k < 300; ++k) {
        // (7919 is prime to 300: k -> 7919 k mod 300 goes through every entity once.)
        const int e = first == 2011              ? k
                      : order == Order::reversed ? 299 - k
                      : order == Order::shuffled ? k * 7919 % 300
                                                 : k;
        for (const char* indicator : {"gdp", "firms", "share"}) {
          for (int year = first; year <= last; ++year) {
            const std::string row =
                fmt::format("区{:03},{},{},{}.{},{}\n", e, indicator, year, e + year - 2000,
                            year % 10, indicator[0] == 's' ? "%" : "亿元");
            if (order == Order::rows_shuffled && first == 2014) {
              rows.push_back(row);
            } else {
              text += row;
            }
          }
        }
      }
      if (first == 2011) text += "区299,extra,2011,1.0,个\n";
    }
    // (7919 is prime to 2 700 rows too.)
    for (std::size_t i = 0; i < rows.size(); ++i) text += rows[i * 7919 % rows.size()];
    return text;
  };
  using Keep = jjstat::engine::Retention::Keep;
  for (const Order order : {Order::sorted, Order::reversed, Order::shuffled, Order::rows_shuffled,
                            Order::out_of_order}) {
    const bool out_of_order = order == Order::out_of_order;
    const std::filesystem::path path = write_file(
        "jjstat_halves_" + std::to_string(static_cast<int>(order)) + ".csv", table(order), false);
    const int compared = compare_loaders({{"growth"},
                                          {"growth", "--from", "2012", "--to", "2015"},
                                          {"growth", "gdp", "--entity", "区007"},
                                          {"rank", "gdp", "--period", "2016", "--top", "5"},
                                          {"rank", "firms", "--by", "cagr"},
                                          {"list"}},
                                         path, {"--no-embedded"}, {"csv"}, 0);
    BOOST_TEST(compared == 6);
    // A kept figure repeated with another value at the end, then a figure not kept.
    for (const char* repeat : {"区007,gdp,2015,99.9,亿元\n", "区007,gdp,2013,99.9,亿元\n",
                               "区007,gdp,2013,20.3,亿元\n"}) {
      const std::filesystem::path again =
          write_file("jjstat_halves_repeat.csv", table(order) + repeat, false);
      BOOST_TEST(compare_loaders({{"growth", "--from", "2012", "--to", "2015"},
                                  {"rank", "gdp", "--period", "2015"}},
                                 again, {"--no-embedded"}, {"csv"}, 0) == 2);
      std::filesystem::remove(again);
    }
    for (const std::size_t chunk : {std::size_t{777}, std::size_t{4096}}) {
      for (const Keep keep : {Keep::ends, Keep::latest}) {
        const std::string shown = fmt::format("order {} chunk {} keep {}", static_cast<int>(order),
                                              chunk, static_cast<int>(keep));
        jjstat::engine::StreamRequest request;
        request.paths = {path.string()};
        request.chunk_bytes = request.heavy_chunk_bytes = chunk;
        request.retention.keep = keep;
        if (keep == Keep::ends) {
          request.retention.from = jjstat::Period::year(2012);
          request.retention.to = jjstat::Period::year(2015);
        }
        const jjstat::engine::StreamResult result = jjstat::engine::stream(request);
        BOOST_REQUIRE(result.store);
        const jjstat::engine::SeriesStore& store = *result.store;
        // Every series that came back recorded in the end (extra's not, unless read again, or
        // unless its row falls in a piece of the shuffled rows' one-row runs, which all get a
        // record); left untracked at first unless read again.
        const bool extra_recorded =
            out_of_order || (order == Order::rows_shuffled && chunk == std::size_t{777});
        BOOST_TEST(store.recorded_series() == (extra_recorded ? 901U : 900U), shown);
        BOOST_TEST(store.left_untracked() == !out_of_order, shown);
        BOOST_TEST(store.single_period_series() == 1U, shown); // (extra's)
        for (const jjstat::engine::IndicatorListing& listing : store.listing()) {
          const std::size_t figures = listing.id == "extra"                   ? 1
                                      : listing.id == "firms" && out_of_order ? 1801
                                                                              : 1800;
          BOOST_TEST(listing.figures == figures, shown << " " << listing.id);
        }
        // gdp's series, in order of entity, with what each kept and its six periods.
        const auto gdp = static_cast<std::uint32_t>(
            std::find(store.indicators().begin(), store.indicators().end(), "gdp") -
            store.indicators().begin());
        int e = 0;
        store.for_each_series_of(gdp, [&](const jjstat::stats::Series& series) {
          auto figure = [&](int year) {
            return fmt::format("{} {}.{}", year, e + year - 2000, year % 10);
          };
          std::vector<std::string> figures;
          for (const jjstat::Observation* point : series.points)
            figures.push_back(point->period.label() + " " + jjstat::to_string(*point->value));
          const std::vector<std::string> kept =
              keep == Keep::latest ? std::vector<std::string>{figure(2016)}
                                   : std::vector<std::string>{figure(2012), figure(2015)};
          BOOST_TEST((series.entity == fmt::format("区{:03}", e) && series.indicator == "gdp" &&
                      series.period_count == 6U && figures == kept),
                     shown << " series " << e);
          ++e;
        });
        BOOST_TEST(e == 300, shown);
      }
    }
    std::filesystem::remove(path);
  }
}

BOOST_AUTO_TEST_CASE(streamed_and_loaded_outputs_are_identical) {
  const std::vector<std::vector<std::string>> queries = {
      {"growth"},
      {"growth", "output"},
      {"growth", "--from", "2016", "--to", "2020"},
      {"growth", "--yoy", "output", "share"},
      {"growth", "--entity", "区3", "--entity", "区1"},
      {"rank", "output"},
      {"rank", "firms", "--period", "2017", "--ties", "dense", "--top", "3"},
      {"rank", "output", "--by", "cagr", "--from", "2015", "--to", "2019"},
      {"rank", "--by", "change", "--ties", "average"},
      {"rank", "output", "--by", "pct_change", "--ascending", "--ties", "ordinal"},
      {"rank", "output", "firms", "--pool"},
      {"rank", "--top", "2"},
      {"rank", "output", "--by", "cagr", "--ascending", "--top", "3", "--ties", "max"},
      {"rank", "firms", "--by", "change", "--top", "1.5", "--ties", "dense"},
      {"rank", "output", "share", "--top", "3", "--chart"},
      {"describe"},
      {"list"},
      {"describe", "share", "--entity", "区2"},
      {"growth", "--category", "x"}, // (no category: an unknown one either way)
      {"show"},
      {"export"},
      {"show", "share", "output", "--entity", "区3"},
      {"export", "--entity", "区1", "--entity", "区0"},
      {"summary"},
      {"summary", "--entity", "区2"},
  };
  int compared = 0;
  const unsigned seeds = jjstat::test::rounds(6, 30);
  for (unsigned seed = 1; seed <= seeds; ++seed) {
    std::string table = random_table(seed);
    bool gzip = seed % 3 == 0;
    std::filesystem::path path = write_file("jjstat_stream_" + std::to_string(seed) + (gzip ? ".csv.gz" : ".csv"), table, gzip);
    compared +=
        compare_loaders(queries, path, {"--no-embedded"}, {"csv", "json", "table", "jsonl"}, seed);
    std::filesystem::remove(path);
  }
  BOOST_TEST_MESSAGE("compared " << compared << " outputs of both loaders");
}

// Sixty indicators, their rows in no order: describe totals each chunk's figures by indicator,
// found among the chunk's indicators by name once it holds more than a few (sixteen); the
// totals, growth and ranks are those of the full loader.
BOOST_AUTO_TEST_CASE(many_indicators_in_any_order_stream_as_they_load) {
  const std::vector<std::vector<std::string>> queries = {
      {"describe"}, {"list"}, {"growth"}, {"rank", "--top", "2"}, {"describe", "k7", "k42"}};
  int compared = 0;
  for (unsigned seed = 1; seed <= 3; ++seed) {
    std::mt19937 rng(seed);
    std::vector<std::string> rows;
    for (int k = 0; k < 60; ++k) {
      for (int e = 0; e < 4; ++e) {
        for (int year = 2018; year <= 2020; ++year) {
          const auto value = rng() % 1000;
          rows.push_back("区" + std::to_string(e) + ",k" + std::to_string(k) + "," +
                         std::to_string(year) + "," +
                         (value < 50 ? std::string() : std::to_string(value) + ".5") + "," +
                         (k % 3 == 0 ? "万元" : "家") + "\n");
        }
      }
    }
    std::shuffle(rows.begin(), rows.end(), rng);
    std::string table = "entity,indicator,period,value,unit\n";
    for (const std::string& row : rows) table += row;
    const std::filesystem::path path =
        write_file("jjstat_many_indicators_" + std::to_string(seed) + ".csv", table, false);
    compared += compare_loaders(queries, path, {"--no-embedded"}, {"csv"}, seed);
    std::filesystem::remove(path);
  }
  BOOST_TEST(compared == 15);
}

// Quarterly and monthly series, read by the row reader's quick paths: runs a year apart (2019-01
// then 2020-01), other periods of the same series coming later, a period given twice, gaps. The
// steps of a run are counted in its own kind of period; counted in years, 2019-01 → 2020-01 would
// be one step and mark 2019-02 as seen, and the later 2019-02 would be taken for a repeat.
BOOST_AUTO_TEST_CASE(quarters_and_months_stream_as_they_load) {
  std::string table = "entity,indicator,period,value,unit\n";
  for (int e = 0; e < 30; ++e) {
    const std::string entity = "区" + std::to_string(e);
    table += entity + ",m,2019-01," + std::to_string(e) + ".5,亿元\n";
    table += entity + ",m,2020-01," + std::to_string(e + 3) + ",亿元\n";
    table += entity + ",q,2019Q1," + std::to_string(e * 2) + ",亿元\n";
    table += entity + ",q,2020Q1,7,亿元\n";
    table += entity + ",q,2020Q2,8,亿元\n";
  }
  for (int e = 0; e < 30; ++e) {
    const std::string entity = "区" + std::to_string(e);
    table += entity + ",m,2019-02," + std::to_string(e % 7) + ",亿元\n";
    table += entity + ",m,2019-03,1,亿元\n";
    if (e % 5 == 0) table += entity + ",m,2019-03,1,亿元\n"; // the same row again, right after
    table += entity + ",q,2019Q2,3,亿元\n";
  }
  std::filesystem::path path = write_file("jjstat_stream_months.csv", table, false);
  const std::vector<std::vector<std::string>> queries = {
      {"growth"},
      {"growth", "--yoy"},
      {"growth", "m", "--from", "2019-01", "--to", "2020-01"},
      {"rank", "m", "--period", "2019-02"},
      {"rank", "q", "--by", "cagr"},
      {"describe"},
      {"list"},
  };
  for (std::vector<std::string> query : queries) {
    query.insert(query.end(), {"--data", path.string(), "--no-embedded", "--format", "csv"});
    const std::string streamed = run(query, "stream");
    const std::string loaded = run(query, "simple");
    BOOST_TEST(streamed == loaded, query[0] << "\n" << first_difference(streamed, loaded));
    BOOST_TEST(streamed.find("--- status 0") != std::string::npos, streamed);
  }
  std::filesystem::remove(path);
}

// Seventy indicators (past the 64 the store tracks by bit for each entity), their rows in a
// shuffled order so that series come back after others: the streamed store finds each
// series again, as the loader does.
BOOST_AUTO_TEST_CASE(many_indicators_in_any_order) {
  std::vector<std::string> rows;
  for (int e = 0; e < 5; ++e) {
    for (int i = 0; i < 70; ++i) {
      for (int year = 2018; year <= 2020; ++year) {
        rows.push_back("e" + std::to_string(e) + ",x" + std::to_string(i) + "," + std::to_string(year) +
                       "," + std::to_string((e * 7 + i * 3 + year) % 50) + ".5,个\n");
      }
    }
  }
  std::mt19937 rng(5);
  std::shuffle(rows.begin(), rows.end(), rng);
  std::string table = "entity,indicator,period,value,unit\n";
  for (const std::string& row : rows) table += row;
  std::filesystem::path path = write_file("jjstat_stream_many.csv", table, false);
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"growth"}, {"describe"}, {"list"}, {"rank", "x66", "x3", "--by", "cagr"}}) {
    args.insert(args.end(), {"--data", path.string(), "--no-embedded", "--format", "csv"});
    std::string streamed = run(args, "stream");
    BOOST_TEST(streamed == run(args, "simple"), args[0]);
    if (args[0] == "growth") BOOST_TEST(streamed.find("e4,x69,个,2018,2020") != std::string::npos);
  }
  std::filesystem::remove(path);
}

// Three thousand entities in shuffled rows: the streamed store's entity table grows several
// times while entities come back, and finds each one again.
BOOST_AUTO_TEST_CASE(many_entities_in_any_order) {
  std::vector<std::string> rows;
  for (int e = 0; e < 3000; ++e) {
    for (int year = 2019; year <= 2020; ++year) {
      rows.push_back("区" + std::to_string(e) + ",x," + std::to_string(year) + "," +
                     std::to_string((e * 13 + year) % 97) + ",个\n");
    }
  }
  std::mt19937 rng(9);
  std::shuffle(rows.begin(), rows.end(), rng);
  std::string table = "entity,indicator,period,value,unit\n";
  for (const std::string& row : rows) table += row;
  std::filesystem::path path = write_file("jjstat_stream_entities.csv", table, false);
  std::vector<std::string> args = {"growth", "--data", path.string(), "--no-embedded", "--format", "csv"};
  std::string streamed = run(args, "stream");
  BOOST_TEST(streamed == run(args, "simple"));
  BOOST_TEST(std::count(streamed.begin(), streamed.end(), '\n') > 3000); // a row each, and the header
  std::filesystem::remove(path);
}

// The parser hands the store the hash of a run's new entity; runs the full reader adds (here all
// after a quoted cell) come without one and the store hashes their entity itself: both must
// find the same entity. Each entity's rows for three indicators in a row, then a fourth
// indicator with the entities in reverse, the 2500th quoted, and last a row that repeats a key
// of the first part with another value. Entity ids are prefixes of their neighbours' (e1, e10,
// e100). Without that last row, one growth row per series; with it, the same error as the
// loader's (a store that took e100 for a new entity would see no repeat).
BOOST_AUTO_TEST_CASE(entities_found_again_by_the_parsers_hashes) {
  std::string table = "entity,indicator,period,value,unit\n";
  const int entities = 5000;
  auto rows_of = [&](int e, const std::string& indicator) {
    const std::string entity = "e" + std::to_string(e);
    for (int year = 2018; year <= 2020; ++year) {
      table += (e == 2500 ? "\"" + entity + "\"" : entity) + "," + indicator + "," +
               std::to_string(year) + "," + std::to_string((e * 7 + year) % 101) + ".5,万元\n";
    }
  };
  for (int e = 1; e <= entities; ++e) {
    for (const char* indicator : {"a", "b", "c"}) rows_of(e, indicator);
  }
  for (int e = entities; e >= 1; --e) rows_of(e, "d");
  std::filesystem::path path = write_file("jjstat_stream_entity_hashes.csv", table, false);
  std::vector<std::string> args = {"growth",        "--data",   path.string(),
                                   "--no-embedded", "--format", "csv"};
  std::string streamed = run(args, "stream");
  std::string simple = run(args, "simple");
  BOOST_TEST(streamed == simple, first_difference(streamed, simple));
  // A header, a row for each of the 4 × 5000 series, then the stderr and status lines.
  BOOST_TEST(std::count(streamed.begin(), streamed.end(), '\n') == 1 + 4 * entities + 3);
  table += "e100,a,2018,1.5,万元\n";
  path = write_file("jjstat_stream_entity_hashes.csv", table, false);
  streamed = run(args, "stream");
  simple = run(args, "simple");
  BOOST_TEST(streamed == simple, first_difference(streamed, simple));
  BOOST_TEST(streamed.find("duplicate row for entity 'e100', indicator 'a', period 2018") !=
             std::string::npos);
  std::filesystem::remove(path);
}

// growth writes most rows straight from a series' two kept ends, and every other series the
// long way: each case a quick row must not take (a qualifier, %, a zero or negative base, a
// negative end, two units, a missing value, one period only, a value wider than 64 bits) next
// to plain series, text that must be quoted or neutralised, quarters and months; in every
// format the rows are the loader's.
BOOST_AUTO_TEST_CASE(growth_rows_from_kept_ends_are_the_loaders) {
  std::string table = "entity,indicator,period,value,unit,qualifiers\n";
  auto series = [&](const std::string& entity, const std::string& indicator,
                    const std::vector<std::string>& periods, const std::vector<std::string>& values,
                    const std::vector<std::string>& units, const std::string& qualifier = "") {
    for (std::size_t i = 0; i < periods.size(); ++i) {
      table += entity + "," + indicator + "," + periods[i] + "," + values[i] + "," +
               units[i % units.size()] + "," + (i == 0 ? qualifier : "") + "\n";
    }
  };
  const std::vector<std::string> years = {"2016", "2018", "2020"};
  series("plain", "x", years, {"10.5", "11", "12.25"}, {"亿元"});
  series("\"a,b\"", "x", years, {"3", "4", "5"}, {"亿元"});
  series("=cmd", "x", years, {"3", "4", "6.5"}, {"亿元"});
  series("qualified", "x", years, {"3", "4", "5"}, {"亿元"}, "approximate");
  series("zero", "x", years, {"0", "4", "5"}, {"亿元"});
  series("negative", "x", years, {"-3", "4", "5"}, {"亿元"});
  series("falls", "x", years, {"3", "4", "-5"}, {"亿元"});
  series("units", "x", years, {"3", "4", "5"}, {"亿元", "万元", "万元"});
  series("missing", "x", years, {"3", "4", ""}, {"亿元"});
  series("single", "x", {"2020"}, {"7"}, {"亿元"});
  series("wide", "x", years, {"3", "4", "1234567890123.1234567"}, {"亿元"});
  series("share", "pct", years, {"30", "40", "50"}, {"%"});
  series("plain", "q", {"2019Q1", "2019Q3", "2020Q1"}, {"5", "6", "7"}, {"家"});
  series("plain", "m", {"2019-01", "2019-04", "2020-01"}, {"5", "6", "7.5"}, {"家"});
  std::filesystem::path path = write_file("jjstat_stream_quick_growth.csv", table, false);
  const std::vector<std::vector<std::string>> queries = {
      {"growth"},
      {"growth", "x", "--from", "2016", "--to", "2020"},
      {"growth", "x", "--from", "2018", "--to", "2020"},
      {"growth", "x", "--from", "2016", "--to", "2018"},
      {"growth", "q", "--from", "2019Q1", "--to", "2020Q1"},
      {"growth", "m", "--from", "2019-01", "--to", "2019-04"},
  };
  for (std::vector<std::string> query : queries) {
    for (const char* format : {"csv", "tsv", "jsonl"}) {
      std::string shown;
      for (const std::string& arg : query) shown += arg + " ";
      std::vector<std::string> args = query;
      args.insert(args.end(), {"--data", path.string(), "--no-embedded", "--format", format});
      const std::string streamed = run(args, "stream");
      const std::string loaded = run(args, "simple");
      BOOST_TEST(streamed == loaded, shown << format << "\n" << first_difference(streamed, loaded));
      BOOST_TEST(streamed.find("--- status 0") != std::string::npos, streamed);
    }
  }
  // The plain series' row, as a reader checks it by hand: 12.25 − 10.5 = 1.75 over 4 years,
  // 1.75 / 10.5 = 16.666...%, (12.25 / 10.5)^(1/4) − 1 = 3.92898...%; an entity with a comma
  // is quoted, one that starts like a formula gets an apostrophe.
  const std::string csv = run({"growth", "x", "--from", "2016", "--to", "2020", "--data",
                               path.string(), "--no-embedded", "--format", "csv"},
                              "");
  BOOST_TEST(csv.find("plain,x,亿元,2016,2020,4,10.5,12.25,1.75,亿元,16.666666666666668,"
                      "3.92898776") != std::string::npos,
             csv);
  BOOST_TEST(csv.find("\n\"a,b\",x,亿元,2016,2020,4,3,5,2,亿元,") != std::string::npos, csv);
  BOOST_TEST(csv.find("'=cmd,x,") != std::string::npos, csv);
  std::filesystem::remove(path);
}

// csv and tsv rows of quick series are written straight from the bytes of the row before
// (put_quick_delimited() in growth.cpp): thousands of series of two indicators, whose units
// change from series to series, whose entities now and then need quoting or neutralising, and
// whose values take every shape a quick series has (scales from 0 to 6, falls, a change of
// zero, ratios whose percent has no short plain form), give the loader's rows in each format.
BOOST_AUTO_TEST_CASE(quick_growth_rows_written_straight_are_the_loaders) {
  std::mt19937 rng(20261205);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const char* values[] = {"5",
                          "5.5",
                          "0.000001",
                          "123456.789012",
                          "100",
                          "100.0001",
                          "999999999999999999",
                          "1",
                          "3.1400",
                          "-2",
                          "0",
                          "42"};
  std::string table = "entity,indicator,period,value,unit\n";
  for (const char* indicator : {"g", "h"}) {
    for (int e = 0; e < 2500; ++e) {
      std::string entity = "e" + std::to_string(e);
      const int shape = pick(40);
      if (shape == 0) entity = "\"x," + std::to_string(e) + "\"";
      if (shape == 1) entity = "-" + std::to_string(e);
      if (shape == 2) entity = "区县" + std::to_string(e);
      const std::string unit = pick(3) == 0 ? "万元" : "亿元";
      const std::string from = values[pick(12)], to = values[pick(12)];
      for (int year = 2016; year <= 2020; ++year) {
        const std::string value = year == 2016   ? from
                                  : year == 2020 ? to
                                                 : std::to_string(pick(1000));
        table +=
            entity + "," + indicator + "," + std::to_string(year) + "," + value + "," + unit + "\n";
      }
    }
  }
  // The row of series 2499 of h, by hand: its ends are set here, after the random ones.
  table += "last,h,2016,8,亿元\nlast,h,2020,10.5,亿元\n";
  std::filesystem::path path = write_file("jjstat_stream_quick_rows.csv", table, false);
  for (const char* format : {"csv", "tsv", "jsonl"}) {
    const std::vector<std::string> args = {"growth",   "--from", "2016",        "--to",
                                           "2020",     "--data", path.string(), "--no-embedded",
                                           "--format", format};
    const std::string loaded = run(args, "simple");
    for (const char* engine : {"stream", ""}) {
      const std::string streamed = run(args, engine);
      BOOST_TEST(streamed == loaded, format << " " << engine << "\n"
                                            << first_difference(streamed, loaded));
    }
    BOOST_TEST(loaded.find("--- status 0") != std::string::npos, loaded);
  }
  // 10.5 − 8 = 2.5; 2.5 / 8 = 31.25 %; (10.5 / 8)^(1/4) − 1 = 1.3125^(1/4) − 1 = 7.03475...%
  // (sqrt(sqrt(1.3125)) = 1.0703475...), the last row.
  const std::string csv = run({"growth", "--from", "2016", "--to", "2020", "--data", path.string(),
                               "--no-embedded", "--format", "csv"},
                              "stream");
  BOOST_TEST(csv.find("\nlast,h,亿元,2016,2020,4,8,10.5,2.5,亿元,31.25,7.03475") !=
                 std::string::npos,
             csv.substr(csv.size() - std::min<std::size_t>(csv.size(), 400)));
  // The header and a row for each of the 5 001 series.
  const std::string rows = csv.substr(0, csv.find("\n--- stderr\n"));
  BOOST_TEST(std::count(rows.begin(), rows.end(), '\n') == 5002, rows.substr(0, 400));
  std::filesystem::remove(path);
}

// Rankings of more series than one thread measures (4096: a streamed ranking measures the two
// halves on two threads): values with ties straddling the middle, missing values, zero and
// negative bases, two units of one dimension, a series whose latest period is not the asked
// one; every tie method and both directions, with --top and in full, give the loader's rows.
BOOST_AUTO_TEST_CASE(large_rankings_measured_on_two_threads) {
  std::mt19937 rng(17);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::string table = "entity,indicator,period,value,unit\n";
  for (int e = 0; e < 6000; ++e) {
    const std::string entity = "区" + std::to_string(e);
    for (int year = 2016; year <= 2020; ++year) {
      if (year == 2020 && e % 97 == 0) continue; // no value for 2020
      std::string value;
      const int kind = pick(40);
      if (kind == 0) {
        value = "";
      } else if (kind == 1) {
        value = "0";
      } else if (kind == 2) {
        value = "-" + std::to_string(pick(90)) + ".5";
      } else if (kind < 8) {
        value = "500"; // a tie, on both sides of the middle
      } else {
        value = std::to_string(pick(100000)) + "." + std::to_string(pick(10));
      }
      table += entity + ",x," + std::to_string(year) + "," + value + "," +
               (e % 11 == 0 ? "亿元" : "万元") + "\n";
    }
  }
  std::filesystem::path path = write_file("jjstat_stream_large_rank.csv", table, false);
  const std::vector<std::vector<std::string>> queries = {
      {"rank", "x", "--top", "7"},
      {"rank", "x", "--period", "2019", "--top", "20", "--ties", "dense"},
      {"rank", "x", "--by", "cagr", "--from", "2016", "--to", "2020", "--top", "10"},
      {"rank", "x", "--by", "change", "--top", "5", "--ascending", "--ties", "max"},
      {"rank", "x", "--by", "pct_change", "--top", "3", "--ties", "average"},
      {"rank", "--by", "cagr", "--top", "4", "--ascending", "--ties", "ordinal"},
      // In full: every row made in ranked order, the series asked for out of order.
      {"rank", "x"},
      {"rank", "x", "--period", "2019", "--ties", "ordinal", "--ascending"},
      {"rank", "x", "--by", "cagr", "--from", "2016", "--to", "2020", "--ties", "average"},
      {"rank", "x", "--by", "change", "--ties", "dense"},
  };
  for (std::vector<std::string> query : queries) {
    std::string shown;
    for (const std::string& arg : query) shown += arg + " ";
    query.insert(query.end(), {"--data", path.string(), "--no-embedded", "--format", "csv"});
    const std::string streamed = run(query, "stream");
    const std::string loaded = run(query, "simple");
    BOOST_TEST(streamed == loaded, shown << "\n" << first_difference(streamed, loaded));
    BOOST_TEST(streamed.find("--- status 0") != std::string::npos, streamed);
    BOOST_TEST(std::count(streamed.begin(), streamed.end(), '\n') > 3, streamed);
  }
  std::filesystem::remove(path);
}

// A full ranking of 20 000 series: its rows made and rendered in blocks of 8192 places on every
// core, each block from a twin of the store's source, appended in order; in every format whose
// rows stand alone (and JSON, written row by row on one core), streamed as read whole.
BOOST_AUTO_TEST_CASE(full_rankings_render_in_blocks_in_order) {
  std::mt19937 rng(5);
  std::string table = "entity,indicator,period,value,unit\n";
  std::vector<double> in_wan; // each entity's value in 万元, the unit most of them have
  for (int e = 0; e < 20000; ++e) {
    // (Ties: a hundred values, each for about 200 entities, a seventh of them in 亿元.)
    const unsigned value = rng() % 100;
    table += "区" + std::to_string(e) + ",x,2020," + std::to_string(value) + ".25," +
             (e % 7 == 0 ? "亿元" : "万元") + "\n";
    in_wan.push_back((value + 0.25) * (e % 7 == 0 ? 10000 : 1));
  }
  std::filesystem::path path = write_file("jjstat_stream_rank_blocks.csv", table, false);
  {
    // The ranks worked out here: a min rank is 1 + the number of larger values; the rows come
    // largest first, ties in the entities' order.
    const std::string streamed =
        run({"rank", "--data", path.string(), "--no-embedded", "--format", "csv"}, "stream");
    std::istringstream lines(streamed);
    std::string line;
    std::getline(lines, line); // the header
    std::size_t rows = 0;
    int last = -1;
    // (The number of larger values by a binary search among them sorted: counting them for each
    // row is 400 million comparisons, minutes in the sanitizer build.)
    std::vector<double> ascending = in_wan;
    std::sort(ascending.begin(), ascending.end());
    while (std::getline(lines, line) && line.rfind("x,", 0) == 0) {
      std::vector<std::string> fields;
      std::istringstream cells(line);
      for (std::string cell; std::getline(cells, cell, ',');) fields.push_back(cell);
      BOOST_TEST_REQUIRE(fields.size() >= 3, line);
      const int e = std::stoi(fields[2].substr(std::string("区").size()));
      const auto larger =
          ascending.end() - std::upper_bound(ascending.begin(), ascending.end(), in_wan[e]);
      BOOST_TEST(fields[1] == std::to_string(larger + 1), line);
      if (last >= 0) {
        BOOST_TEST((in_wan[last] > in_wan[e] || (in_wan[last] == in_wan[e] && last < e)), line);
      }
      last = e;
      ++rows;
    }
    BOOST_TEST(rows == 20000U);
  }
  for (const char* format : {"csv", "tsv", "jsonl", "json"}) {
    for (const char* ties : {"min", "ordinal"}) {
      const std::vector<std::string> query = {"rank",        "--ties",        ties,       "--data",
                                              path.string(), "--no-embedded", "--format", format};
      const std::string streamed = run(query, "stream");
      const std::string loaded = run(query, "simple");
      BOOST_TEST(streamed == loaded, format << " " << ties << "\n"
                                            << first_difference(streamed, loaded));
      BOOST_TEST(std::count(streamed.begin(), streamed.end(), '\n') > 20000, format);
    }
  }
  std::filesystem::remove(path);
}

// Forty thousand series of two indicators: rendered in blocks of 8192 series on every core,
// each block's buffer reused by a later one, appended in order, for both indicators.
BOOST_AUTO_TEST_CASE(results_of_many_blocks_come_in_order) {
  std::string table = "entity,indicator,period,value,unit\n";
  for (int e = 0; e < 20000; ++e) {
    for (const char* indicator : {"x", "y"}) {
      for (int year = 2019; year <= 2020; ++year) {
        table += "区" + std::to_string(e) + "," + indicator + "," + std::to_string(year) + "," +
                 std::to_string((e * 7 + year) % 101) + ".5,个\n";
      }
    }
  }
  std::filesystem::path path = write_file("jjstat_stream_blocks.csv", table, false);
  std::vector<std::string> args = {"growth",        "--data",   path.string(),
                                   "--no-embedded", "--format", "csv"};
  const std::string streamed = run(args, "stream");
  BOOST_TEST_REQUIRE(streamed == run(args, "simple"),
                     first_difference(streamed, run(args, "simple")));
  // The header, then x's series in order, then y's.
  std::istringstream lines(streamed);
  std::string line;
  std::getline(lines, line);
  for (const char* indicator : {"x", "y"}) {
    for (int e = 0; e < 20000; ++e) {
      std::getline(lines, line);
      const std::string start = "区" + std::to_string(e) + "," + indicator + ",";
      BOOST_TEST_REQUIRE(line.substr(0, start.size()) == start);
    }
  }
  std::filesystem::remove(path);
}

BOOST_AUTO_TEST_CASE(errors_are_the_same_and_at_the_same_place) {
  const std::vector<std::string> bad_rows = {
      "a,output,2020,26.4亿,亿元\n",    // a unit in the value
      "a,output,2020,1,亩\n",           // another dimension
      "a,output,2020Q1,1,亿元\n",       // another kind of period
      "a,output,2019,7,亿元\n",         // a repeat with another value
      "a,output,2019,\"5\",亿元\n",     // quoted whole: a repeat, the same value
      "a,output,2019,\"5\"\"\",亿元\n", // a doubled quote: the full reader's path
      "a,output,2019,5,亿元,x\n",       // too many fields
      "a,\"out\"put,2019,5,亿元\n",     // text after a closing quote
  };
  std::string good;
  for (int i = 0; i < 2000; ++i) good += "e" + std::to_string(i) + ",output," + std::to_string(2000 + i % 20) + ",1.5,亿元\n";
  for (const std::string& bad : bad_rows) {
    std::string table = "entity,indicator,period,value,unit\na,output,2019,5,亿元\n" + good + bad + good;
    std::filesystem::path path = write_file("jjstat_stream_bad.csv", table, false);
    for (const char* command : {"growth", "describe", "list"}) {
      std::vector<std::string> args = {command, "--data", path.string(), "--no-embedded", "--format", "csv"};
      BOOST_TEST(run(args, "stream") == run(args, "simple"), bad);
    }
    std::filesystem::remove(path);
  }
}

/// A random wide table (`--wide`: entity, indicator, unit, sometimes qualifiers, one column per
/// year, the years in any order), each series once, some rows given twice in a row; `bad` puts
/// one wrong row near the end.
std::string random_wide_table(unsigned seed, int bad) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::vector<int> years = {2014, 2015, 2016, 2017, 2018, 2019, 2020};
  std::shuffle(years.begin(), years.end(), rng);
  years.resize(static_cast<std::size_t>(2 + pick(6)));
  const bool qualifiers = pick(2) == 0;
  std::string text = "entity,indicator,unit";
  if (qualifiers) text += ",qualifiers";
  for (int year : years) text += "," + std::to_string(year);
  text += pick(4) == 0 ? "\r\n" : "\n";
  const int entities = 1 + pick(60);
  for (int e = 0; e < entities; ++e) {
    for (const char* indicator : {"output", "firms", "share"}) {
      const std::string name = indicator;
      // (区0 is never quoted: the repeated key below names it.)
      std::string row = (e > 0 && pick(8) == 0 ? "\"区" + std::to_string(e) + ", 港\""
                                               : "区" + std::to_string(e)) +
                        "," + name + "," +
                        (name == "output"  ? (pick(2) ? "亿元" : "万元")
                         : name == "firms" ? "家"
                                           : "%");
      if (qualifiers) row += pick(5) == 0 ? ",projected" : ",";
      for (std::size_t y = 0; y < years.size(); ++y) {
        const int kind = pick(12);
        row += ",";
        if (kind == 0) continue; // missing value
        if (kind == 1)
          row += "0";
        else if (kind == 2)
          row += "-" + std::to_string(pick(50)) + "." + std::to_string(pick(10));
        else if (kind == 3)
          row += "\"" + std::to_string(pick(90)) + "\"";
        else if (kind < 6)
          row += std::to_string(10 * (1 + pick(5)));
        else
          row += std::to_string(pick(100000)) + "." + std::to_string(pick(100));
      }
      text += row + "\n";
      if (pick(10) == 0) text += row + "\n"; // the same row again: one row
    }
  }
  std::string last = text.substr(text.rfind('\n', text.size() - 2) + 1);
  switch (bad) {
  case 1:
    text += "区0,output,亿元" + std::string(qualifiers ? "," : ""); // a repeated key
    for (std::size_t y = 0; y < years.size(); ++y) text += ",123456.7";
    text += "\n";
    break;
  case 2:
    text += "坏,output,亩" + std::string(qualifiers ? "," : ""); // another dimension
    for (std::size_t y = 0; y < years.size(); ++y) text += ",1";
    text += "\n";
    break;
  case 3:
    text += "坏,output,亿元" + std::string(qualifiers ? "," : ""); // a unit in a value
    for (std::size_t y = 0; y < years.size(); ++y) text += y + 1 == years.size() ? ",26.4亿" : ",1";
    text += "\n";
    break;
  case 4: text += "坏,output,亿元,1\n"; break; // too few fields
  case 5:                                      // the last row again, another value in its last cell
    last.resize(last.size() - 1);
    text += last + "1\n";
    break;
  default: break;
  }
  return text;
}

// Wide tables (--wide) stream too, each period cell a figure: every query prints what the full
// loader prints, errors included (the same line and column: a value's own cell).
BOOST_AUTO_TEST_CASE(wide_tables_stream_as_they_load) {
  const std::vector<std::vector<std::string>> queries = {
      {"growth"},
      {"growth", "output", "--from", "2016", "--to", "2020"},
      {"growth", "--yoy", "share"},
      {"rank", "output"},
      {"rank", "--by", "cagr", "--ties", "dense", "--top", "3"},
      {"describe"},
      {"list"},
      {"show"},
      {"export", "share"},
  };
  const unsigned seeds = jjstat::test::rounds(4, 20);
  int compared = 0;
  for (unsigned seed = 1; seed <= seeds; ++seed) {
    const int bad = static_cast<int>(seed % 7) % 6; // (0 twice: no bad row)
    const bool gzip = seed % 4 == 0;
    const std::filesystem::path path =
        write_file("jjstat_wide_" + std::to_string(seed) + (gzip ? ".csv.gz" : ".csv"),
                   random_wide_table(seed, bad), gzip);
    for (std::vector<std::string> query : queries) {
      query.insert(query.end(),
                   {"--wide", "--data", path.string(), "--no-embedded", "--format", "csv"});
      const std::string streamed = run(query, "stream");
      const std::string loaded = run(query, "simple");
      // The bad rows are errors (exit status 3), the others not.
      const bool failed = streamed.find("--- status 3") != std::string::npos;
      BOOST_TEST(failed == (bad != 0), "seed " << seed << ": " << streamed);
      BOOST_TEST(streamed == loaded, "seed " << seed << ": " << query[0] << "\n"
                                             << first_difference(streamed, loaded));
      ++compared;
    }
    std::filesystem::remove(path);
  }
  BOOST_TEST_MESSAGE("compared " << compared << " outputs of wide tables");
}

// Repeated keys and the errors they make, where the streamed store must say what the loader says
// at the same place: a wide row given twice or three times, then with another value (the first
// row is the one named), with a value of more than 18 digits; a quoted value, a line break inside
// a quoted cell before the value, a stray quote read with --quotes lenient.
BOOST_AUTO_TEST_CASE(repeated_keys_stream_as_they_load) {
  const std::vector<std::pair<bool, std::string>> tables = {
      {true, "entity,indicator,unit,2016,2017,2018\na,gdp,亿元,1,12345.123456789012345,3\n"
             "a,gdp,亿元,1,12345.123456789012345,3\n"},
      {true, "entity,indicator,unit,2016,2017,2018\na,gdp,亿元,1,12345.123456789012345,3\n"
             "a,gdp,亿元,1,12345.123456789012345,3\na,gdp,亿元,1,12345.12345678901234,3\n"},
      {true, "entity,indicator,unit,2016,2017,2018\na,gdp,亿元,1,2,3\na,gdp,亿元,1,2,3\n"
             "a,gdp,亿元,1,2,3\na,gdp,亿元,1,9,3\n"},
      {true, "entity,indicator,unit,2016,2020\na,gdp,亿元,1,2\na,gdp,亿元,\"3\",2\n"},
      {true, "entity,indicator,unit,2016,2020\n\"a\nb\",gdp,亿元,1,2\n\"a\nb\",gdp,亿元,1,3\n"},
      {true, "entity,indicator,unit,2016,2020\na\"b,gdp,亿元,1,2\na\"b,gdp,亿元,1,3\n"},
      {false, "entity,indicator,period,value,unit\n\"a\nb\",gdp,2016,1,亿元\n"
              "\"a\nb\",gdp,2016,\"2\",亿元\n"},
      {false, "entity,indicator,period,value,unit\na\"b,gdp,2016,1,亿元\na\"b,gdp,2016,2,亿元\n"},
      {false, "entity,indicator,period,value,unit\n\"a\nb\",gdp,2016,1,亿元\n"
              "\"a\nb\",gdp,2017,1,亩\n"},
  };
  for (const auto& [wide, table] : tables) {
    const std::filesystem::path path = write_file("jjstat_repeats.csv", table, false);
    for (std::vector<std::string> query :
         std::vector<std::vector<std::string>>{{"growth"},
                                               {"growth", "--yoy"},
                                               {"rank", "gdp", "--period", "2016"},
                                               {"describe"},
                                               {"list"},
                                               {"show"},
                                               {"export"}}) {
      query.insert(query.end(), {"--quotes", "lenient", "--data", path.string(), "--no-embedded",
                                 "--format", "csv"});
      if (wide) query.push_back("--wide");
      const std::string streamed = run(query, "stream");
      const std::string loaded = run(query, "simple");
      BOOST_TEST(streamed == loaded, table << query[0] << "\n"
                                           << first_difference(streamed, loaded));
    }
    std::filesystem::remove(path);
  }
  // Two wide files: the second row of `a` in the first repeats its first (kept, so accepted);
  // the second file's 2017 differs and must name the first row, line 2, not its repeat.
  const std::filesystem::path first =
      write_file("jjstat_repeats_1.csv",
                 "entity,indicator,unit,2017\na,gdp,亿元,1\nb,gdp,亿元,1\na,gdp,亿元,1\n", false);
  const std::filesystem::path second = write_file(
      "jjstat_repeats_2.csv", "entity,indicator,unit,2018,2017\na,gdp,亿元,5,9\n", false);
  for (const char* command : {"describe", "growth"}) {
    const std::vector<std::string> query = {command,         "--wide",   "--data",
                                            first.string(),  "--data",   second.string(),
                                            "--no-embedded", "--format", "csv"};
    const std::string streamed = run(query, "stream");
    BOOST_TEST(streamed == run(query, "simple"), command);
    BOOST_TEST(streamed.find("repeats_1.csv:2\n") != std::string::npos, streamed);
  }
  // Every figure kept (growth --yoy): a repeat of any earlier figure is accepted, as documented.
  const std::filesystem::path yoy = write_file("jjstat_repeats_yoy.csv",
                                               "entity,indicator,period,value,unit\na,gdp,2016,1,"
                                               "亿元\na,gdp,2017,2,亿元\na,gdp,2018,3,亿元\n"
                                               "a,gdp,2017,2,亿元\n",
                                               false);
  const std::vector<std::string> query = {"growth",        "--yoy",    "--data", yoy.string(),
                                          "--no-embedded", "--format", "csv"};
  BOOST_TEST(run(query, "stream") == run(query, "simple"));
  BOOST_TEST(run(query, "stream").find("--- status 0") != std::string::npos);
  for (const auto& path : {first, second, yoy}) std::filesystem::remove(path);
}

/// What compare_engines() saw: outputs compared, and those that report a repeated key.
struct Tally {
  int compared = 0;
  int repeats = 0;
};

/// Runs each of `queries` on the file `path` (with `options` after the query) with both engines,
/// checking that they print the same, and counts in `tally`.
void compare_engines(const std::filesystem::path& path,
                     const std::vector<std::vector<std::string>>& queries,
                     const std::vector<std::string>& options, unsigned seed, Tally& tally) {
  for (std::vector<std::string> query : queries) {
    query.insert(query.end(), options.begin(), options.end());
    query.insert(query.end(), {"--data", path.string(), "--no-embedded", "--format", "csv"});
    const std::string streamed = run(query, "stream");
    const std::string loaded = run(query, "simple");
    BOOST_TEST(streamed == loaded, "seed " << seed << ": " << query[0] << "\n"
                                           << first_difference(streamed, loaded));
    if (streamed.find("duplicate row") != std::string::npos) ++tally.repeats;
    ++tally.compared;
  }
}

/// The cells of a CSV line with no quoted comma, and back.
std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> cells;
  std::istringstream row(line);
  for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}
std::string line_of(const std::vector<std::string>& cells) {
  std::string line = cells[0];
  for (std::size_t k = 1; k < cells.size(); ++k) line += "," + cells[k];
  return line;
}

/// `table` (a header, then rows) with rows given again further down, after other rows: the same
/// figure spelled another way (a trailing zero, quotes), or with `differ`, the first of them
/// with another value.
std::string with_repeats_apart(const std::string& table, unsigned seed, bool differ) {
  std::mt19937 rng(seed);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  std::vector<std::string> rows;
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  const std::size_t count = 1 + pick(6);
  for (std::size_t n = 0; n < count && rows.size() > 3; ++n) {
    const std::size_t from = 1 + pick(rows.size() - 1);
    std::vector<std::string> cells = cells_of(rows[from]);
    std::string& value = cells[3];
    if (differ && n == 0) {
      value = value.empty() ? "1" : value + "1";
    } else if (value.find('.') != std::string::npos && value.find('e') == std::string::npos &&
               pick(2) == 0) {
      value += "0";
    } else if (!value.empty()) {
      value = "\"" + value + "\"";
    }
    const std::string again = line_of(cells);
    const std::size_t to = std::min(rows.size(), from + 2 + pick(rows.size()));
    rows.insert(rows.begin() + static_cast<std::ptrdiff_t>(to), again);
  }
  std::string text;
  for (const std::string& line : rows) text += line + "\n";
  return text;
}

// A row repeating the key of a row further up, which the store has let go of by then: read from
// files, the store notes the key and the inputs are read again, the first figure of that key
// kept aside; the same figure again is one figure and another is the loader's error, naming the
// first row. Every query prints the loader's bytes, gzip included.
BOOST_AUTO_TEST_CASE(repeats_apart_in_files_read_as_loaded) {
  const std::vector<std::vector<std::string>> queries = {
      {"growth"},
      {"growth", "--yoy"},
      {"rank", "output", "--period", "2018"},
      {"rank", "--by", "cagr", "--top", "5"},
      {"describe"},
      {"list"},
      {"describe", "share", "--entity", "区2"},
      {"show"},
      {"export", "output"},
  };
  const unsigned seeds = jjstat::test::rounds(6, 30);
  Tally tally;
  for (unsigned seed = 1; seed <= seeds; ++seed) {
    const bool differ = seed % 3 == 0;
    const bool gzip = seed % 4 == 0;
    const std::string table = with_repeats_apart(random_table(seed), seed, differ);
    const std::filesystem::path path =
        write_file("jjstat_repeats_apart" + std::string(gzip ? ".csv.gz" : ".csv"), table, gzip);
    compare_engines(path, queries, {}, seed, tally);
    std::filesystem::remove(path);
  }
  // Both kinds came up: tables with only the same figures again, and with another value.
  BOOST_TEST(tally.repeats > 0);
  BOOST_TEST(tally.repeats < tally.compared);
}

// The same in wide tables: rows given again further down, as they were or with another first
// period cell, two of them sometimes in a row (the second then repeats the first cell by cell,
// and a differing one must still name the first row of the key, not the far repeat before it).
BOOST_AUTO_TEST_CASE(wide_repeats_apart_read_as_loaded) {
  const std::vector<std::vector<std::string>> queries = {{"growth"},
                                                         {"rank", "output", "--top", "3"},
                                                         {"describe"},
                                                         {"list"},
                                                         {"growth", "--yoy", "firms"}};
  const unsigned seeds = jjstat::test::rounds(6, 40);
  Tally tally;
  for (unsigned seed = 1; seed <= seeds; ++seed) {
    std::mt19937 rng(seed * 7919);
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    std::vector<std::string> rows;
    std::istringstream lines(random_wide_table(seed, 0));
    for (std::string line; std::getline(lines, line);) rows.push_back(line);
    const std::size_t count = 1 + pick(4);
    for (std::size_t n = 0; n < count && rows.size() > 3; ++n) {
      const std::size_t from = 1 + pick(rows.size() - 1);
      std::vector<std::string> again = {rows[from]};
      if (pick(2) == 0) again.push_back(rows[from]);
      if (seed % 3 == 0 && n == 0 && rows[from][0] != '"') {
        // The last one differs in its first period's cell (quoted or not, or empty), which a
        // store keeps least often (no cell has a comma but a quoted entity's).
        std::vector<std::string> cells = cells_of(again.back());
        std::string& cell = cells[rows[0].find(",qualifiers") != std::string::npos ? 4 : 3];
        if (!cell.empty() && cell.back() == '"') {
          cell.insert(cell.size() - 1, "1");
        } else {
          cell += "1";
        }
        again.back() = line_of(cells);
      }
      const std::size_t to = std::min(rows.size(), from + 2 + pick(rows.size()));
      rows.insert(rows.begin() + static_cast<std::ptrdiff_t>(to), again.begin(), again.end());
    }
    std::string table;
    for (const std::string& line : rows) table += line + "\n";
    const std::filesystem::path path = write_file("jjstat_wide_repeats_apart.csv", table, false);
    compare_engines(path, queries, {"--wide"}, seed, tally);
    std::filesystem::remove(path);
  }
  BOOST_TEST(tally.repeats > 0);
  BOOST_TEST(tally.repeats < tally.compared);
}

// Standard input cannot be read again: there a repeat of a figure the store no longer holds is
// an error that says so, even when it is the same figure.
BOOST_AUTO_TEST_CASE(repeats_apart_on_standard_input_are_errors) {
  const std::filesystem::path path =
      write_file("jjstat_repeats_stdin.csv",
                 "entity,indicator,period,value,unit\na,gdp,2016,1,亿元\na,gdp,2017,2,亿元\n"
                 "b,gdp,2016,5,亿元\na,gdp,2016,1.0,亿元\n",
                 false);
  const int saved = ::dup(STDIN_FILENO);
  BOOST_TEST_REQUIRE(std::freopen(path.c_str(), "r", stdin) != nullptr);
  const std::string streamed =
      run({"rank", "gdp", "--period", "2017", "--data", "-", "--no-embedded", "--format", "csv"},
          "stream");
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  std::clearerr(stdin);
  BOOST_TEST(streamed ==
             "\n--- stderr\n<stdin>:5:12: error: duplicate row for entity 'a', indicator 'gdp', "
             "period 2016: an earlier row has the same key; with standard input or a pipe among "
             "the inputs, a repeated row is accepted only right after the one it repeats\n"
             " 5 | a,gdp,2016,1.0,亿元\n   |            ^\n\n--- status 3");
  // The same file named: the repeat is one figure, as when read whole.
  const std::vector<std::string> named = {"rank",          "gdp",      "--period",
                                          "2017",          "--data",   path.string(),
                                          "--no-embedded", "--format", "csv"};
  BOOST_TEST(run(named, "stream") == run(named, "simple"));
  BOOST_TEST(run(named, "stream").find("--- status 0") != std::string::npos);
  std::filesystem::remove(path);
}

// Series longer than the 64 steps a series' window holds: the window moves up with them, the
// steps it leaves unseen kept as gaps (more than 64 at once: the period is kept apart), and a
// series given backwards grows down. Every repeat of a period is found wherever it lies.
BOOST_AUTO_TEST_CASE(long_series_move_their_window) {
  auto month = [](int k) { return fmt::format("{}-{:02}", 1990 + k / 12, k % 12 + 1); };
  auto table = [&](const std::vector<int>& steps) {
    std::string text = "entity,indicator,period,value,unit\n";
    for (const int k : steps) text += fmt::format("a,gdp,{},{}.5,个\n", month(k), k);
    return text;
  };
  std::vector<int> up, down, odd_then_even, jump;
  for (int k = 0; k < 300; ++k) up.push_back(k);
  for (int k = 299; k >= 0; --k) down.push_back(k);
  for (int k = 1; k < 300; k += 2) odd_then_even.push_back(k);
  for (int k = 0; k < 300; k += 2) odd_then_even.push_back(k);
  for (int k = 0; k < 10; ++k) jump.push_back(k);
  for (int k = 200; k < 300; ++k) jump.push_back(k); // 190 steps unseen at once
  for (int k = 10; k < 200; ++k) jump.push_back(k);
  auto query = [](const std::filesystem::path& path, const char* command) {
    return std::vector<std::string>{command,         "--data",   path.string(),
                                    "--no-embedded", "--format", "csv"};
  };
  for (const auto& steps : {up, down, odd_then_even, jump}) {
    const std::filesystem::path path = write_file("jjstat_long.csv", table(steps), false);
    for (const char* command : {"growth", "describe", "list"}) {
      const std::string streamed = run(query(path, command), "stream");
      BOOST_TEST(streamed == run(query(path, command), "simple"),
                 first_difference(streamed, run(query(path, command), "simple")));
      BOOST_TEST(streamed.find("--- status 0") != std::string::npos, streamed);
    }
    // The same series with one period given again, with another value, after the rest: from the
    // window's far past, a gap filled in, the period kept apart, the one before the first.
    for (const int again : {3, 5, 150, 250, 299}) {
      std::string text = table(steps);
      text += fmt::format("a,gdp,{},1,个\n", month(again));
      std::filesystem::path repeated = write_file("jjstat_long_repeat.csv", text, false);
      const std::string streamed = run(query(repeated, "describe"), "stream");
      BOOST_TEST(streamed.find("duplicate row for entity 'a', indicator 'gdp', period " +
                               month(again)) != std::string::npos,
                 streamed);
      BOOST_TEST(streamed.find("--- status 3") != std::string::npos);
      std::filesystem::remove(repeated);
    }
    std::filesystem::remove(path);
  }
}

// What streams of a wide table: a header of entity, indicator, unit, qualifiers and periods of
// one kind; anything else is the full loader's (which reads it, or says what is wrong).
BOOST_AUTO_TEST_CASE(wide_headers_that_stream) {
  auto streams = [](const std::string& header) {
    const std::filesystem::path path = write_file("jjstat_wide_header.csv", header + "\n", false);
    jjstat::engine::StreamRequest request;
    request.paths = {path.string()};
    request.wide = true;
    const bool streamed = jjstat::engine::stream(request).store != nullptr;
    std::filesystem::remove(path);
    return streamed;
  };
  BOOST_TEST(streams("entity,indicator,unit,2016,2020"));
  BOOST_TEST(streams("2020,unit,qualifiers,indicator,entity,2016"));
  BOOST_TEST(streams("entity,indicator,unit,2020Q1,2020Q2"));
  BOOST_TEST(!streams("entity,indicator,unit,2016,2020Q1"));  // two kinds of period
  BOOST_TEST(!streams("entity,indicator,unit"));              // no period
  BOOST_TEST(!streams("entity,indicator,2016"));              // no unit
  BOOST_TEST(streams("entity,indicator,unit,name_en,2016"));
  BOOST_TEST(streams("source,category,entity,name_zh,indicator,unit,name_en,2016,2017"));
  BOOST_TEST(!streams("entity,indicator,unit,reported_rank,2016")); // not in a wide table
  BOOST_TEST(!streams("entity,indicator,unit,source_line,2016"));
  BOOST_TEST(!streams("entity,indicator,unit,name_en,name_en,2016"));
  BOOST_TEST(!streams("entity,indicator,unit,unit,2016"));    // a column twice
  BOOST_TEST(!streams("entity,indicator,unit,value,2016"));   // a long table's column
  BOOST_TEST(!streams("entity,indicator,unit,2016,2020,2016")); // a period twice
  std::string wide = "entity,indicator,unit";
  for (int year = 1001; year <= 3000; ++year) wide += "," + std::to_string(year);
  BOOST_TEST(streams(wide));            // 2003 columns
  BOOST_TEST(!streams(wide + ",3000")); // the last period twice
}

// A wide table of 300 years (monthly tables of 25 years and more have as many columns): it
// streams, and a bad cell or a repeated key in a column past the 256th is reported where the
// full loader reports it (the cell of the value's period).
BOOST_AUTO_TEST_CASE(wide_tables_of_many_periods_stream_and_report_their_cells) {
  std::string header = "entity,indicator,unit";
  for (int year = 1701; year <= 2000; ++year) header += "," + std::to_string(year);
  auto row = [](const std::string& entity, int bad_at, const std::string& bad) {
    std::string text = entity + ",output,亿元";
    for (int year = 1701; year <= 2000; ++year)
      text += "," +
              (year == bad_at ? bad : std::to_string(year % 97) + "." + std::to_string(year % 10));
    return text + "\n";
  };
  const std::string good = header + "\n" + row("甲", 0, "") + row("乙", 0, "");
  struct Case {
    std::string name, text, error;
  };
  const std::vector<Case> cases = {
      {"good", good, ""},
      // 1990 is the 290th period, column 293; the line holds 3 bytes per 甲 or 乙 but one column.
      {"unit in a value", good + row("丙", 1990, "26.4亿"), "wide.csv:4:"},
      {"repeated key, another value", good + row("甲", 1999, "1.5"), "wide.csv:4:"},
  };
  const std::vector<std::vector<std::string>> queries = {
      {"growth"},
      {"growth", "--from", "1800", "--to", "1999"},
      {"rank", "output"},
      {"describe"},
      {"list"}};
  for (const Case& c : cases) {
    const std::filesystem::path path = write_file("wide.csv", c.text, false);
    for (std::vector<std::string> query : queries) {
      query.insert(query.end(),
                   {"--wide", "--data", path.string(), "--no-embedded", "--format", "csv"});
      const std::string streamed = run(query, "stream");
      const std::string loaded = run(query, "simple");
      BOOST_TEST(streamed == loaded, c.name << ": " << query[0] << "\n"
                                            << first_difference(streamed, loaded));
      if (c.error.empty()) {
        BOOST_TEST(streamed.find("--- status 0") != std::string::npos, c.name << ": " << streamed);
      } else {
        BOOST_TEST(streamed.find("--- status 3") != std::string::npos, c.name << ": " << streamed);
        BOOST_TEST(streamed.find(c.error) != std::string::npos, c.name << ": " << streamed);
      }
    }
    std::filesystem::remove(path);
  }
}

// Wide rows given twice in a row, series after series: each repeated figure that the store no
// longer holds (growth keeps a series' ends) is found in the row remembered before it, whichever
// figure the last search found; the one that differs is the error the loader reports.
BOOST_AUTO_TEST_CASE(wide_rows_given_twice_find_the_row_before) {
  const std::string header = "entity,indicator,unit,2015,2016,2017,2018,2019,2020\n";
  const std::string rows = "a,x,家,1,2,3,4,5,6\na,x,家,1,2,3,4,5,6\n"
                           "b,x,家,7,8,9,10,11,12\nb,x,家,7,8,9,10,11,12\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"identical", header + rows + "c,x,家,1,2,3,4,5,6\nc,x,家,1,2,3,4,5,6\n"},
      {"2018 differs", header + rows + "c,x,家,1,2,3,4,5,6\nc,x,家,1,2,3,9,5,6\n"},
      {"2016 differs", header + rows + "c,x,家,1,2,3,4,5,6\nc,x,家,1,8,3,4,5,6\n"},
  };
  for (const auto& [name, text] : cases) {
    const std::filesystem::path path = write_file("wide_twice.csv", text, false);
    for (const std::string command : {"growth", "describe"}) {
      const std::vector<std::string> query = {command,         "--wide",   "--data", path.string(),
                                              "--no-embedded", "--format", "csv"};
      const std::string streamed = run(query, "stream");
      BOOST_TEST(streamed == run(query, "simple"), name << ": " << command);
      const bool failed = streamed.find("--- status 3") != std::string::npos;
      BOOST_TEST(failed == (name != "identical"), name << ": " << streamed);
      if (name == "2018 differs")
        BOOST_TEST(streamed.find("wide_twice.csv:7:13: error: duplicate row for entity 'c', "
                                 "indicator 'x', period 2018: 9 家 here, 4 家 at ") !=
                       std::string::npos,
                   streamed);
    }
    std::filesystem::remove(path);
  }
}

BOOST_AUTO_TEST_CASE(long_headers_with_metadata_stream) {
  auto streams = [](const std::string& header) {
    const std::filesystem::path path = write_file("jjstat_meta_header.csv", header + "\n", false);
    jjstat::engine::StreamRequest request;
    request.paths = {path.string()};
    const bool streamed = jjstat::engine::stream(request).store != nullptr;
    std::filesystem::remove(path);
    return streamed;
  };
  BOOST_TEST(streams("entity,indicator,period,value,unit"));
  BOOST_TEST(streams("entity,indicator,period,value,unit,qualifiers,reported_rank,rank_scope,"
                     "category,name_zh,name_en,source,source_line"));
  BOOST_TEST(streams("source,name_en,value,unit,period,indicator,entity"));
  BOOST_TEST(!streams("entity,indicator,period,value,unit,note"));          // not in the schema
  BOOST_TEST(!streams("entity,indicator,period,value,unit,source,source")); // a column twice
  BOOST_TEST(!streams("entity,indicator,period,unit,name_en"));             // no value
}

/// A random table with metadata columns (a random choice of them, all columns in a random
/// order, sometimes CRLF, sometimes a quoted name): names and categories that repeat, change or
/// come later, ranks and scopes on some rows, source lines; `bad` (1 to 9) puts one wrong row
/// among the last.
std::string random_meta_table(unsigned seed, int bad) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::vector<std::string> columns = {"entity", "indicator", "period", "value", "unit"};
  for (const char* meta : {"qualifiers", "reported_rank", "rank_scope", "category", "name_zh",
                           "name_en", "source", "source_line"}) {
    if (pick(3) != 0) columns.emplace_back(meta);
  }
  // The column the wrong row needs.
  const char* needed[] = {"",       "reported_rank", "source_line",   "name_zh",     "category",
                          "source", "rank_scope",    "reported_rank", "source_line", "source_line"};
  if (bad > 0 && std::find(columns.begin(), columns.end(), needed[bad]) == columns.end())
    columns.emplace_back(needed[bad]);
  // The core columns in their usual order first (the quick reader's own plan for it), or all
  // in any order.
  std::shuffle(columns.begin() + (pick(2) ? 5 : 0), columns.end(), rng);
  const std::string eol = pick(4) == 0 ? "\r\n" : "\n";
  const bool quoted = pick(3) == 0;
  std::string text;
  for (std::size_t c = 0; c < columns.size(); ++c) text += (c ? "," : "") + columns[c];
  text += eol;
  const int entities = 1 + pick(30);
  const int bad_row = bad > 0 ? pick(entities) : -1;
  int line = 1;
  for (int e = 0; e < entities; ++e) {
    for (const char* indicator : {"output", "firms"}) {
      const std::string name = indicator;
      std::map<std::string, std::string> meta;
      for (int year = 2014; year <= 2020; ++year) {
        if (pick(6) == 0 && year != 2014 && !(e == bad_row && year == 2020)) continue; // a gap
        ++line;
        // Most rows repeat the row before's metadata (the quick reader's repeats); some pick it
        // anew.
        if (year == 2014 || pick(6) == 0) {
          meta["qualifiers"] = pick(8) == 0 ? "projected" : "";
          meta["reported_rank"] = pick(10) == 0 ? std::to_string(1 + pick(20)) : "";
          meta["rank_scope"] = pick(10) == 0 ? "重庆" : "";
          // Names on some rows only (a later row may give them first), the same when given.
          meta["category"] = pick(3) == 0 ? "" : "economy";
          meta["name_zh"] = pick(3) == 0 ? "" : name == "output" ? "产值" : "企业";
          meta["name_en"] = pick(3) == 0 ? "" : name == "output" ? "Output" : "Firms";
          meta["source"] = pick(2) ? "article_2021" : "年鉴";
        }
        std::map<std::string, std::string> cell = meta;
        cell["entity"] = "区" + std::to_string(e);
        cell["indicator"] = name;
        cell["period"] = std::to_string(year);
        cell["value"] =
            pick(15) == 0 ? "" : std::to_string(pick(1000)) + "." + std::to_string(pick(10));
        cell["unit"] = name == "output" ? (pick(6) == 0 ? "万元" : "亿元") : "家";
        cell["source_line"] = pick(8) == 0 ? "" : std::to_string(line);
        // (A name quoted whole: the quick reader's; with a doubled quote inside, the full
        // reader's, which reads the rest of the piece.)
        if (quoted && pick(20) == 0)
          cell["name_en"] = "\"" + cell["name_en"] + (pick(4) ? "\"" : "\"\"\"");
        if (e == bad_row && year == 2020) {
          switch (bad) {
          case 1: cell["reported_rank"] = "0"; break;
          case 2: cell["source_line"] = "12x"; break;
          case 3: cell["name_zh"] = "另一名称"; break;
          case 4: cell["category"] = "other"; break;
          case 5: cell["source"] = "\xff\xfe"; break; // not UTF-8
          case 6: cell["rank_scope"] = "a\rb"; break; // a lone CR
          case 7: cell["reported_rank"] = "0123456789"; break;
          case 8: cell["source_line"] = "0123"; break;
          case 9: cell["source_line"] = "1234567890"; break;
          default: break;
          }
        }
        for (std::size_t c = 0; c < columns.size(); ++c) text += (c ? "," : "") + cell[columns[c]];
        text += eol;
      }
    }
  }
  return text;
}

// Rows with metadata columns, split by the quick reader (their names, ranks and lines checked
// there) and by the full one where it must take over, print what the full loader prints:
// outputs, reported ranks and indicator names, errors at the same line and column.
BOOST_AUTO_TEST_CASE(metadata_rows_stream_as_they_load) {
  const std::vector<std::vector<std::string>> queries = {
      {"growth", "--from", "2015", "--to", "2020"},
      {"rank", "output", "--period", "2020"},
      {"rank", "output", "--period", "2014"}, // (each series' first row)
      {"describe"},
      {"list"},
      // (A category the rows give, or, without the column, an unknown one.)
      {"growth", "--category", "economy"},
      {"rank", "--category", "economy", "--period", "2020", "--top", "3"},
      {"describe", "--category", "economy"},
      {"list", "--category", "economy"},
      {"summary"}, // (every figure, with its reported rank and rank scope)
      {"summary", "--category", "economy"},
  };
  int compared = 0;
  const unsigned seeds = jjstat::test::rounds(8, 52);
  for (unsigned seed = 1; seed <= seeds; ++seed) {
    const int bad = static_cast<int>(seed % 13); // 10 to 12: none
    const std::string table = random_meta_table(seed, bad > 9 ? 0 : bad);
    const bool gzip = seed % 5 == 0;
    const std::filesystem::path path = write_file(
        "jjstat_meta_" + std::to_string(seed) + (gzip ? ".csv.gz" : ".csv"), table, gzip);
    compared += compare_loaders(queries, path, {"--no-embedded"}, {"csv", "table"}, seed);
    std::filesystem::remove(path);
  }
  BOOST_TEST_MESSAGE("compared " << compared << " outputs of both loaders");
}

// Rows of a series apart and in any order (a table sorted by period, or shuffled; some rows
// given twice, some of those with another value): each row's series is found by its entity and
// indicator, and its periods' window moves down as earlier periods come; the outputs, and the
// error of a repeated key, are the full loader's.
BOOST_AUTO_TEST_CASE(rows_in_any_order_stream_as_they_load) {
  const std::vector<std::vector<std::string>> queries = {
      {"growth"},
      {"growth", "--from", "2015", "--to", "2020"},
      {"rank", "output", "--period", "2016"},
      {"describe"},
      {"list"},
  };
  int compared = 0;
  const unsigned seeds = jjstat::test::rounds(6, 30);
  for (unsigned seed = 1; seed <= seeds; ++seed) {
    const std::string table = random_table(seed);
    const std::size_t header = table.find('\n') + 1;
    std::vector<std::string> rows;
    for (std::size_t at = header; at < table.size();) {
      const std::size_t end = table.find('\n', at) + 1;
      rows.push_back(table.substr(at, end - at));
      at = end;
    }
    std::mt19937 rng(seed);
    const int twice = static_cast<int>(seed % 3); // 0: none, 1: the same row, 2: another value
    if (twice > 0 && !rows.empty()) {
      std::string row = rows[rng() % rows.size()];
      if (twice == 2) row.insert(row.find(',', row.find(',', row.find(',') + 1) + 1) + 1, "9");
      rows.push_back(row);
    }
    if (seed % 2 == 0) {
      std::shuffle(rows.begin(), rows.end(), rng);
    } else {
      // By period (the third cell), then as they were.
      auto period = [](const std::string& row) {
        const std::size_t from = row.find(',', row.find(',') + 1) + 1;
        return row.substr(from, row.find(',', from) - from);
      };
      std::stable_sort(rows.begin(), rows.end(), [&](const std::string& a, const std::string& b) {
        return period(a) < period(b);
      });
    }
    std::string text = table.substr(0, header);
    for (const std::string& row : rows) text += row;
    const std::filesystem::path path =
        write_file("jjstat_any_order_" + std::to_string(seed) + ".csv", text, false);
    compared += compare_loaders(queries, path, {"--no-embedded"}, {"csv"}, seed);
    std::filesystem::remove(path);
  }
  BOOST_TEST_MESSAGE("compared " << compared << " outputs of both loaders");
}

/// What a stream of `path` in pieces of `chunk_bytes` keeps of every series (Keep::all), a line
/// per figure ("entity|indicator|period|value"), or the error it stops at.
std::string figures_streamed(const std::filesystem::path& path, std::size_t chunk_bytes,
                             const jjstat::csv::Options& csv = {}) {
  jjstat::engine::StreamRequest request;
  request.paths = {path.string()};
  request.retention.keep = jjstat::engine::Retention::Keep::all;
  request.chunk_bytes = chunk_bytes;
  // (Pieces a third the size while the parsed pieces are heavy: both sizes in one stream.)
  request.heavy_chunk_bytes = std::max<std::size_t>(1, chunk_bytes / 3);
  request.csv = csv;
  std::string figures;
  try {
    jjstat::engine::StreamResult result = jjstat::engine::stream(request);
    BOOST_TEST_REQUIRE(result.store != nullptr);
    result.store->for_each_series([&](const jjstat::stats::Series& series) {
      for (const jjstat::Observation* obs : series.points) {
        figures += obs->entity + "|" + obs->indicator + "|" + obs->period.label() + "|" +
                   (obs->value ? jjstat::to_string(*obs->value) : "-") + "\n";
      }
    });
  } catch (const jjstat::DataError& error) {
    figures = "error at line " + std::to_string(error.where().line) + ", column " +
              std::to_string(error.where().column) + ": " + error.what();
  }
  return figures;
}

BOOST_AUTO_TEST_CASE(rows_sorted_by_period_find_their_series) {
  // A file sorted by period comes back to its series in the order they were made: a row's series
  // is the one after the row before's, or along its entity's list (16 series at most), or in
  // the (entity, indicator) table, built once rows miss both. Variant 0 never builds it; in 1
  // each period from 2015 starts with the last of the 20 series of entity 大 (a list too long
  // to walk: the table is built); in 2 the rows of each period from 2016 come in reverse order
  // (walks run out, the table is built halfway); in 3 大 has 70 indicators (past 64, its new series
  // are looked for before they are made); 4 repeats a row of 2015 at the end as it was, 5 with
  // another value (an error). Both loaders must agree, and pieces of any size must keep what one
  // piece keeps.
  for (int variant = 0; variant < 6; ++variant) {
    std::vector<std::vector<std::string>> periods;
    std::string repeated;
    for (int year = 2014; year <= 2020; ++year) {
      std::vector<std::string> rows;
      auto add = [&](const std::string& entity, const std::string& indicator, int number) {
        if (number < 1000 && (number * 7 + year) % 11 == 0) return; // a gap (none of 大's)
        rows.push_back(entity + "," + indicator + "," + std::to_string(year) + "," +
                       std::to_string(number % 97 + year % 13) + "." + std::to_string(number % 10) +
                       ",亿元\n");
        if (year == 2015 && number == 45) repeated = rows.back();
      };
      auto big = [&] {
        const int count = variant == 3 ? 70 : 20;
        for (int k = 0; k < count; ++k) {
          const int at = variant == 1 && year > 2014 ? count - 1 - k : k;
          add("大", "k" + std::to_string(at), 1000 + at);
        }
      };
      if (variant == 1) big();
      for (int e = 0; e < 200; ++e) {
        if (e >= 150 && year < 2017) continue; // entities that come later
        for (int i = 0; i < 3; ++i) {
          add("区" + std::to_string(e), std::string(1, static_cast<char>('a' + i)), e * 3 + i);
        }
      }
      if (variant == 2 && year >= 2016) std::reverse(rows.begin(), rows.end());
      if (variant != 1) big();
      periods.push_back(std::move(rows));
    }
    std::string text = "entity,indicator,period,value,unit\n";
    for (const std::vector<std::string>& rows : periods) {
      for (const std::string& row : rows) text += row;
    }
    BOOST_TEST_REQUIRE(!repeated.empty());
    if (variant == 4) text += repeated;
    if (variant == 5) text += repeated.substr(0, repeated.find(".")) + "5.5,亿元\n";
    const std::filesystem::path path =
        write_file("by_period_" + std::to_string(variant) + ".csv", text, false);
    compare_loaders({{"growth"},
                     {"growth", "--from", "2015", "--to", "2020"},
                     {"rank", "a", "--period", "2016"},
                     {"describe"},
                     {"list"}},
                    path, {"--no-embedded"}, {"csv"}, static_cast<unsigned>(variant));
    auto streamed = [&](std::size_t chunk_bytes) { return figures_streamed(path, chunk_bytes); };
    const std::string whole = streamed(std::size_t{1} << 20);
    if (variant == 5) {
      BOOST_TEST(whole.starts_with("error at line " +
                                   std::to_string(std::count(text.begin(), text.end(), '\n')) +
                                   ", column 12: duplicate row for entity '区15', indicator 'a', "
                                   "period 2015"),
                 whole);
    } else {
      // Every row once (the header and a repeat are not figures).
      BOOST_TEST(std::count(whole.begin(), whole.end(), '\n') ==
                 std::count(text.begin(), text.end(), '\n') - 1 - (variant == 4 ? 1 : 0));
      BOOST_TEST(whole.starts_with(variant == 1 ? "大|k0|2014|" : "区0|a|2014|"),
                 whole.substr(0, 40));
    }
    for (std::size_t chunk_bytes : {64, 333, 1000, 4096}) {
      BOOST_TEST(streamed(chunk_bytes) == whole,
                 "variant " << variant << ", pieces of " << chunk_bytes);
    }
    std::filesystem::remove(path);
  }
}

/// `table` (a CSV text with a header) with its cells quoted now and then: every cell of a
/// column for a while, one cell here and there, and (with `odd`) a few cells spelled so that only
/// the full reader reads them (a doubled quote, a line break inside) or reports them (a quote
/// inside an unquoted cell, a character after a closing one).
std::string quote_cells(const std::string& table, unsigned seed, bool odd) {
  std::mt19937 rng(seed);
  std::string out;
  std::size_t begin = 0;
  std::vector<bool> quoted(16, false);
  for (std::size_t line = 0; begin < table.size(); ++line) {
    std::size_t end = table.find('\n', begin);
    if (end == std::string::npos) end = table.size();
    std::string row = table.substr(begin, end - begin);
    const bool cr = !row.empty() && row.back() == '\r';
    if (cr) row.pop_back();
    if (line > 0 && rng() % 8 == 0) quoted[rng() % quoted.size()] = rng() % 2 == 0;
    std::size_t column = 0;
    for (std::size_t from = 0;; ++column) {
      const std::size_t comma = row.find(',', from);
      std::string cell =
          row.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
      if (line > 0) {
        const bool quote = quoted[column % quoted.size()] != (rng() % 12 == 0);
        if (odd && rng() % 150 == 0) {
          switch (rng() % 4) {
          case 0: cell = "\"" + cell + "\"\"\""; break; // a doubled quote
          case 1: cell = "\"" + cell + "\n\""; break;   // a line break inside
          case 2: cell = cell + "\"x"; break;           // a quote inside an unquoted cell
          default: cell = "\"" + cell + "\"x"; break;   // a character after a closing quote
          }
        } else if (quote) {
          cell = "\"" + cell + "\"";
        }
      }
      out += (column ? "," : "") + cell;
      if (comma == std::string::npos) break;
      from = comma + 1;
    }
    out += cr ? "\r\n" : "\n";
    begin = end + 1;
  }
  return out;
}

// Quoted cells (as R's write.csv and Python's csv module write them: a column quoted whole, or
// here and there) are read by the quick reader; tables where only the full reader can read some
// cell, or must report it, print what the full loader prints.
BOOST_AUTO_TEST_CASE(quoted_cells_stream_as_they_load) {
  const std::vector<std::vector<std::string>> queries = {
      {"growth", "--from", "2015", "--to", "2020"},
      {"rank", "output", "--period", "2020"},
      {"describe"},
      {"list"},
  };
  int compared = 0;
  const unsigned seeds = jjstat::test::rounds(8, 40);
  for (unsigned seed = 1; seed <= seeds; ++seed) {
    const bool meta = seed % 3 == 0;
    const std::string table = quote_cells(
        meta ? random_meta_table(seed, static_cast<int>(seed % 10)) : random_table(seed), seed,
        seed % 4 == 0);
    const std::filesystem::path path =
        write_file("jjstat_quoted_" + std::to_string(seed) + ".csv", table, false);
    compared += compare_loaders(queries, path, {"--no-embedded"}, {"csv"}, seed);
    std::filesystem::remove(path);
  }
  BOOST_TEST_MESSAGE("compared " << compared << " outputs of both loaders");
}

// A run of rows with metadata is taken at once only when its rows give the same names and no
// rank: a rank on any one of them (its first, its middle) is kept, and a name that differs on a
// later row is the loader's error.
BOOST_AUTO_TEST_CASE(metadata_runs_with_a_rank_go_row_by_row) {
  const std::filesystem::path path =
      write_file("jjstat_meta_ranks.csv",
                 "entity,indicator,period,value,unit,reported_rank,rank_scope,name_en\n"
                 "a,output,2014,1,亿元,3,重庆,Output\na,output,2015,2,亿元,,,Output\n"
                 "a,output,2016,3,亿元,,,Output\nb,output,2014,5,亿元,,,Output\n"
                 "b,output,2015,6,亿元,7,,Output\nb,output,2016,7,亿元,,,Output\n",
                 false);
  for (const char* period : {"2014", "2015"}) {
    const std::vector<std::string> args = {"rank",          "output",   "--period",
                                           period,          "--data",   path.string(),
                                           "--no-embedded", "--format", "csv"};
    const std::string streamed = run(args, "stream");
    BOOST_TEST(streamed == run(args, "simple"));
    BOOST_TEST(streamed.find(std::string(period) == "2014" ? ",3,重庆," : ",7,,") !=
                   std::string::npos,
               streamed);
  }
  std::filesystem::remove(path);
  const std::filesystem::path names =
      write_file("jjstat_meta_names.csv",
                 "entity,indicator,period,value,unit,name_en\na,output,2014,1,亿元,Output\n"
                 "a,output,2015,2,亿元,Output\na,output,2016,3,亿元,Other\n",
                 false);
  const std::vector<std::string> args = {"describe", "--data", names.string(), "--no-embedded"};
  const std::string streamed = run(args, "stream");
  BOOST_TEST(streamed == run(args, "simple"));
  BOOST_TEST(streamed ==
             "\n--- stderr\n" + names.string() +
                 ":4:20: error: name_en 'Other' of indicator 'output' differs from 'Output' given "
                 "at " +
                 names.string() + ":2\n 4 | a,output,2016,3,亿元,Other\n   |" +
                 std::string(22, ' ') + "^\n\n--- status 3");
  std::filesystem::remove(names);
}

BOOST_AUTO_TEST_CASE(streamed_metadata_orders_and_names_the_indicators) {
  // Indicators come out grouped by category, categories in order of first appearance (no
  // category is one too), as the full loader lists them; a name given on a later row counts.
  const std::string text = "entity,indicator,period,value,unit,category,name_zh,name_en\n"
                           "e1,a,2020,1,个,x,,\n"
                           "e1,b,2020,2,个,,乙,\n"
                           "e1,c,2020,3,个,x,,C name\n"
                           "e2,d,2020,4,个,y,,\n"
                           "e2,b,2019,5,个,,,B name\n"
                           "e2,a,2019,6,个,,甲,\n";
  const std::filesystem::path path = write_file("jjstat_meta_order.csv", text, false);
  jjstat::engine::StreamRequest request;
  request.paths = {path.string()};
  request.retention.describe = true;
  const jjstat::engine::StreamResult result = jjstat::engine::stream(request);
  std::filesystem::remove(path);
  BOOST_TEST_REQUIRE(result.store != nullptr);
  const std::vector<std::string> order = {"a", "c", "b", "d"};
  BOOST_TEST(result.store->indicators() == order, boost::test_tools::per_element());
  BOOST_TEST(result.store->indicator_name("a", true) == "甲");
  BOOST_TEST(result.store->indicator_name("a", false) == "");
  BOOST_TEST(result.store->indicator_name("b", false) == "B name");
  BOOST_TEST(result.store->indicator_name("c", false) == "C name");
  BOOST_TEST(result.store->indicator_name("zz", false) == "");
  // The totals moved with their indicators: a (x) 2019 and 2020, c (x), b (none), d (y).
  std::vector<std::string> described;
  for (const auto& d : result.store->descriptions())
    described.push_back(d.indicator + " " + d.period.label() + " " + jjstat::to_string(*d.sum));
  const std::vector<std::string> expected = {"a 2019 6", "a 2020 1", "c 2020 3",
                                             "b 2019 5", "b 2020 2", "d 2020 4"};
  BOOST_TEST(described == expected, boost::test_tools::per_element());
  // The listing's figures moved with their indicators too (each series counted where its
  // indicator went, not at its index before).
  std::vector<std::string> listed;
  for (const auto& info : result.store->listing()) {
    listed.push_back(fmt::format("{} {} {} {} {} {}", info.id, info.category, info.name_zh,
                                 info.name_en, fmt::join(info.units, ";"), info.figures));
  }
  const std::vector<std::string> listing = {"a x 甲  个 2", "c x  C name 个 1", "b  乙 B name 个 2",
                                            "d y   个 1"};
  BOOST_TEST(listed == listing, boost::test_tools::per_element());
  const std::vector<std::string> categories = {"x", "", "y"};
  BOOST_TEST(result.store->categories() == categories, boost::test_tools::per_element());

  // Category x selected (a's category given on its first row, c's on its only one): the series
  // and totals of b and d let go of once the order is settled.
  const std::filesystem::path again = write_file("jjstat_meta_order_x.csv", text, false);
  request.paths = {again.string()};
  request.category = "x";
  const jjstat::engine::StreamResult selected = jjstat::engine::stream(request);
  std::filesystem::remove(again);
  BOOST_TEST_REQUIRE(selected.store != nullptr);
  BOOST_TEST(selected.store->indicators() == order, boost::test_tools::per_element());
  const std::vector<std::size_t> counts = {2, 1, 0, 0};
  BOOST_TEST(selected.store->series_counts() == counts, boost::test_tools::per_element());
  BOOST_TEST(selected.store->single_period_series() == 3U);
  std::vector<std::string> kept;
  for (const auto& d : selected.store->descriptions())
    kept.push_back(d.indicator + " " + d.period.label() + " " + jjstat::to_string(*d.sum));
  const std::vector<std::string> expected_x = {"a 2019 6", "a 2020 1", "c 2020 3"};
  BOOST_TEST(kept == expected_x, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(block_vectors_keep_every_element_in_place) {
  // Blocks of 1, 2, 4, ... elements of 24 bytes: through block 17 (3 MiB, put in place in 12
  // steps of 256 KiB, elements across the steps' ends) and block 18 (6 MiB, 24 steps) to its
  // last element, each step asked of the helper thread (PagesAhead) while the step before
  // fills. Blocks 17, 18 and 19 (2 MiB or more) are allocated ahead for the helper when the
  // block before starts its last step; smaller ones when they are reached. Every element
  // appended value-initialised and filled in place, as written, and none moved by growing.
  struct Item {
    std::uint64_t a;
    std::uint32_t b;
    std::uint64_t c;
  };
  static_assert(sizeof(Item) == 24);
  jjstat::engine::BlockVector<Item> items;
  BOOST_TEST(items.block_bytes() == 0U);
  std::vector<const Item*> places;
  const std::size_t count = (std::size_t{1} << 19) - 1;
  for (std::size_t i = 0; i < count; ++i) {
    Item& item = items.emplace_back();
    BOOST_TEST_REQUIRE(item.a == 0U);
    BOOST_TEST_REQUIRE(item.b == 0U);
    BOOST_TEST_REQUIRE(item.c == 0U);
    item = {i * 7919, static_cast<std::uint32_t>(i ^ 0x5a5a), ~i};
    places.push_back(&item);
    // An array of one element takes its first block only: that element.
    if (i == 0) BOOST_TEST(items.block_bytes() == sizeof(Item));
  }
  BOOST_TEST(items.size() == count);
  // Blocks 0 to 18, 2^19 − 1 elements, and block 19 of 2^19, allocated ahead.
  BOOST_TEST(items.block_bytes() == ((std::size_t{1} << 20) - 1) * sizeof(Item));
  for (std::size_t i = 0; i < count; ++i) {
    BOOST_TEST_REQUIRE(&items[i] == places[i]);
    BOOST_TEST_REQUIRE(items[i].a == i * 7919);
    BOOST_TEST_REQUIRE(items[i].b == static_cast<std::uint32_t>(i ^ 0x5a5a));
    BOOST_TEST_REQUIRE(items[i].c == ~i);
  }
  // The blocks' first and last elements lie one after the other in memory.
  for (std::size_t first = 0, size = 1; first + size <= count; first += size, size *= 2)
    BOOST_TEST_REQUIRE(&items[first + size - 1] == &items[first] + (size - 1));
  // The next element goes into block 19, the one allocated ahead: no other block is taken.
  Item& first_of_19 = items.emplace_back();
  BOOST_TEST(first_of_19.a == 0U);
  first_of_19.a = 19;
  BOOST_TEST(items.size() == count + 1);
  BOOST_TEST(items.block_bytes() == ((std::size_t{1} << 20) - 1) * sizeof(Item));
  BOOST_TEST(items[count].a == 19U);
  places.push_back(&first_of_19);
  items[4096].b = 1;
  const jjstat::engine::BlockVector<Item>& read_only = items;
  BOOST_TEST(read_only[4096].b == 1U);
  // Moved whole: the elements stay where they are, the array moved from is empty.
  jjstat::engine::BlockVector<Item> moved = std::move(items);
  BOOST_TEST(&moved[count] == places[count]);
  BOOST_TEST(items.size() == 0U); // NOLINT(bugprone-use-after-move): moved from, empty
  BOOST_TEST(items.block_bytes() == 0U);
  items = std::move(moved);
  BOOST_TEST(&items[77777] == places[77777]);
  BOOST_TEST(items[77777].a == 77777U * 7919);
}

BOOST_AUTO_TEST_CASE(block_vectors_take_elements_streamed_into_place) {
  // Elements of a cache line (a Kept) appended unwritten and written by stream_into() (non-
  // temporal stores, each on a line of its own), through blocks 0 to 15 and across the
  // helper's steps; elements of 24 bytes, which are not whole lines, copied plainly. Read back
  // after stream_fence(), by this thread and by another.
  struct Line {
    std::array<std::uint64_t, 8> words;
  };
  static_assert(sizeof(Line) == 64);
  jjstat::engine::BlockVector<Line> lines;
  const std::size_t count = (std::size_t{1} << 16) + 3;
  for (std::size_t i = 0; i < count; ++i) {
    Line* at = lines.push_back_unwritten();
    BOOST_TEST_REQUIRE(reinterpret_cast<std::uintptr_t>(at) % 64 == 0U);
    Line line{};
    for (std::size_t w = 0; w < line.words.size(); ++w) line.words[w] = i * 8 + w;
    jjstat::engine::stream_into(at, line);
  }
  jjstat::engine::stream_fence();
  BOOST_TEST(lines.size() == count);
  auto check = [&] {
    for (std::size_t i = 0; i < count; ++i) {
      for (std::size_t w = 0; w < 8; ++w) {
        if (lines[i].words[w] != i * 8 + w) return i;
      }
    }
    return count;
  };
  BOOST_TEST(check() == count);
  std::size_t other = 0;
  std::thread([&] { other = check(); }).join();
  BOOST_TEST(other == count);
  struct Item {
    std::uint64_t a, b, c;
  };
  jjstat::engine::BlockVector<Item> items;
  for (std::uint64_t i = 0; i < 1000; ++i)
    jjstat::engine::stream_into(items.push_back_unwritten(), Item{i, ~i, i * 3});
  BOOST_TEST(items.size() == 1000U);
  BOOST_TEST(items[0].b == ~std::uint64_t{0});
  BOOST_TEST(items[999].a == 999U);
  BOOST_TEST(items[999].c == 2997U);
  BOOST_TEST(items[500].b == ~std::uint64_t{500});
}

BOOST_AUTO_TEST_CASE(block_vectors_allocate_no_small_block_ahead) {
  // 1 100 elements of 56 bytes (an indicator's kept ends) lie in blocks 0 to 10 (2 047
  // elements); block 11 (112 KiB) is not allocated ahead of its first element: a file of
  // thousands of such indicators would hold a block more for each. Block 11 is allocated when
  // element 2 047 comes.
  struct Kept56 {
    std::array<std::uint64_t, 7> words;
  };
  static_assert(sizeof(Kept56) == 56);
  jjstat::engine::BlockVector<Kept56> kept;
  for (std::size_t i = 0; i < 1100; ++i) kept.emplace_back().words[0] = i;
  BOOST_TEST(kept.block_bytes() == 2047U * sizeof(Kept56));
  for (std::size_t i = 1100; i < 2048; ++i) kept.emplace_back().words[0] = i;
  BOOST_TEST(kept.block_bytes() == 4095U * sizeof(Kept56));
  BOOST_TEST(kept[2047].words[0] == 2047U);
  BOOST_TEST(kept[1099].words[0] == 1099U);
}

BOOST_AUTO_TEST_CASE(rendering_packs_the_series_of_small_indicators_into_blocks) {
  // Indicator a has 5000 series, b 10000, then c0 to c299 one each: blocks of 8192 series
  // (the last of fewer), a block taking the rest of one indicator and the start of the next,
  // not a block for each of the 300 small ones. Each block's text is rendered as its ranges.
  std::string text = "entity,indicator,period,value,unit\n";
  auto add_series = [&](const std::string& indicator, int count) {
    for (int e = 0; e < count; ++e)
      text += "e" + std::to_string(e) + "," + indicator + ",2020,1,个\n";
  };
  add_series("a", 5000);
  add_series("b", 10000);
  for (int c = 0; c < 300; ++c) add_series("c" + std::to_string(c), 1);
  const std::filesystem::path path = write_file("jjstat_render_blocks.csv", text, false);
  jjstat::engine::StreamRequest request;
  request.paths = {path.string()};
  request.retention.keep = jjstat::engine::Retention::Keep::ends;
  const jjstat::engine::StreamResult result = jjstat::engine::stream(request);
  std::filesystem::remove(path);
  BOOST_TEST_REQUIRE(result.store != nullptr);
  std::vector<std::string> blocks;
  // Each block's text comes with room for its rows at k_first_row_room bytes a row, or for the
  // largest block before it (here the first, of 8192 rows).
  std::atomic<std::size_t> short_of_room = 0;
  jjstat::engine::render_in_parallel(
      *result.store,
      [&](std::string& out, std::span<const jjstat::engine::RenderBlock> ranges) {
        if (out.capacity() < 8192 * jjstat::engine::k_first_row_room) ++short_of_room;
        for (const auto& range : ranges) {
          out += std::to_string(range.indicator) + ":" + std::to_string(range.begin) + "-" +
                 std::to_string(range.end) + " ";
        }
      },
      [&](std::string& out) { blocks.push_back(out); });
  std::string last = "1:3192-10000 ";
  for (int c = 0; c < 300; ++c) last += std::to_string(2 + c) + ":0-1 ";
  const std::vector<std::string> expected = {"0:0-5000 1:0-3192 ", last};
  BOOST_TEST(blocks == expected, boost::test_tools::per_element());
  BOOST_TEST(short_of_room == 0U);
}

BOOST_AUTO_TEST_CASE(inputs_that_cannot_be_read_twice_are_never_cut_blindly) {
  // A pipe beside a file whose cuts fall inside quoted fields: the pipe cannot be read again,
  // so no cut is made blindly and every figure of both inputs is there.
  std::string quoted = "entity,indicator,period,value,unit\n";
  for (int e = 0; e < 30; ++e) {
    for (int year = 2016; year <= 2020; ++year) {
      quoted += "\"区" + std::to_string(e) + "\n第二行\",output," + std::to_string(year) + "," +
                std::to_string(e + year % 7) + ",亿元\n";
    }
  }
  const std::string piped = "entity,indicator,period,value,unit\n管道,output,2016,1,亿元\n"
                            "管道,output,2020,2,亿元\n";
  const std::filesystem::path file = write_file("quoted_beside_pipe.csv", quoted, false);
  const std::filesystem::path plain = write_file("piped_as_file.csv", piped, false);
  auto figures_of = [](const std::vector<std::string>& paths, std::size_t chunk_bytes) {
    jjstat::engine::StreamRequest request;
    request.paths = paths;
    request.retention.keep = jjstat::engine::Retention::Keep::all;
    request.chunk_bytes = chunk_bytes;
    jjstat::engine::StreamResult result = jjstat::engine::stream(request);
    std::string figures;
    BOOST_TEST_REQUIRE(result.store != nullptr);
    result.store->for_each_series([&](const jjstat::stats::Series& series) {
      for (const jjstat::Observation* obs : series.points)
        figures += obs->entity + "|" + obs->period.label() + "\n";
    });
    return figures;
  };
  const std::string expected = figures_of({plain.string(), file.string()}, std::size_t{1} << 20);
  BOOST_TEST(expected.find("管道|2020") != std::string::npos);
  int fds[2];
  BOOST_TEST_REQUIRE(::pipe(fds) == 0);
  BOOST_TEST_REQUIRE(::write(fds[1], piped.data(), piped.size()) ==
                     static_cast<ssize_t>(piped.size()));
  ::close(fds[1]);
  const std::string through_pipe =
      figures_of({"/dev/fd/" + std::to_string(fds[0]), file.string()}, 64);
  ::close(fds[0]);
  BOOST_TEST(through_pipe == expected);
  std::filesystem::remove(file);
  std::filesystem::remove(plain);
}

BOOST_AUTO_TEST_CASE(pieces_cut_inside_quoted_fields_are_read_again) {
  // Mapped files are cut at a newline without following quotes; when a cut falls inside a
  // quoted field (a newline in an entity's name), the file is read again following quotes.
  // Small pieces put cuts everywhere: the figures kept must be those of the file read as one
  // piece, with or without newlines inside quotes, and errors must be the same. Variant 3 puts
  // a quote inside some unquoted names, which `--quotes lenient` keeps as a character: it opens
  // no quoted field, for the cuts either.
  for (int variant = 0; variant < 4; ++variant) {
    std::string text = "entity,indicator,period,value,unit\n";
    std::size_t error_line = 0;
    for (int e = 0; e < 40; ++e) {
      std::string entity = "区" + std::to_string(e);
      if (e % 3 == 0) entity += ", 港";                            // a comma inside
      if (variant > 0 && e % 5 == 1) entity += "\n第二行";         // a newline inside
      if (e % 3 == 0 || e % 5 == 1) entity = "\"" + entity + "\""; // quoted
      if (variant == 3 && e % 7 == 2 && entity[0] != '"') entity += "\"号"; // kept as it is
      for (int year = 2016; year <= 2020; ++year) {
        std::string value = std::to_string(e * 10 + year % 7);
        if (variant == 2 && e == 37 && year == 2019) { // an error near the end
          value = "12a";
          error_line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
        }
        text += entity + ",output," + std::to_string(year) + "," + value + ",亿元\n";
      }
    }
    const std::filesystem::path path =
        write_file("quoted_cuts_" + std::to_string(variant) + ".csv", text, false);
    auto streamed = [&](std::size_t chunk_bytes) {
      jjstat::csv::Options csv;
      if (variant == 3) csv.quotes = jjstat::csv::QuotePolicy::lenient;
      return figures_streamed(path, chunk_bytes, csv);
    };
    const std::string whole = streamed(std::size_t{1} << 20);
    BOOST_TEST(whole.size() > 100U);
    if (variant == 2) {
      BOOST_TEST(whole.starts_with("error at line " + std::to_string(error_line) +
                                   ", column 19: value '12a'"),
                 whole);
    } else {
      BOOST_TEST(whole.starts_with("区0, 港|output|2016|"), whole.substr(0, 40));
    }
    for (std::size_t chunk_bytes : {1, 16, 64, 100, 333, 1000}) {
      BOOST_TEST(streamed(chunk_bytes) == whole,
                 "variant " << variant << ", pieces of " << chunk_bytes);
    }
    std::filesystem::remove(path);
  }
}

namespace {

/// A random table beside the embedded data: its indicators those of the embedded data or new
/// ones, its entities new; with `touch` 1 to 3, rows that the embedded data's figures meet (a
/// figure of an entity of the embedded data, or inputs of a derived figure for one entity),
/// which the full loader must read; with 4, a repeated key of another value (an error).
std::string random_table_beside_embedded(unsigned seed, int touch) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  struct Kind {
    const char* indicator;
    const char* unit;
  };
  // (Both inputs of funding_per_enterprise only when the table is to meet the derived figures.)
  const Kind kinds[] = {{"rd_spending", "亿元"},
                        {"funding_amount", "万元"},
                        {"output", "亿元"},
                        {touch == 3 ? "enterprises_supported" : "enterprises", "家"}};
  std::ostringstream out;
  out << "entity,indicator,period,value,unit\n";
  const int entities = 1 + pick(25);
  for (int e = 0; e < entities; ++e) {
    for (const Kind& kind : kinds) {
      if (pick(4) == 0) continue;
      for (int year = 2016; year <= 2021; ++year) {
        if (pick(4) == 0) continue;
        out << "县" << e << "," << kind.indicator << "," << year << ",";
        const int value = pick(10);
        if (value == 0) {
          out << "";
        } else if (value == 1) {
          out << "0";
        } else if (value < 4) {
          out << 10 * (1 + pick(3));
        } else {
          out << pick(5000) << "." << pick(100);
        }
        out << "," << kind.unit << "\n";
      }
    }
  }
  if (touch == 1) out << "jiangjin,rd_spending,2018,20.5,亿元\n";
  if (touch == 2) out << "chongqing,output,2020,7,亿元\n";
  if (touch == 3) out << "县0,rd_spending,2020,10,亿元\n县0,rd_intensity,2020,2,%\n";
  if (touch == 4) out << "县0,rd_spending,2020,10,亿元\n县0,rd_spending,2020,10.0,亿元\n";
  return out.str();
}

} // namespace

// With the embedded data (the default), the --data files stream too: the embedded observations
// first, the derived figures of the embedded data last. Files that meet the embedded data's
// figures are read by the full loader; either way the output is the full loader's.
BOOST_AUTO_TEST_CASE(files_beside_the_embedded_data_stream_as_they_load) {
  const std::vector<std::vector<std::string>> queries = {
      {"growth"},
      {"growth", "rd_spending", "--from", "2016", "--to", "2020"},
      {"growth", "--entity", "jiangjin", "--entity", "县1"},
      {"growth", "--entity", "chongqing"},
      {"rank", "rd_spending", "--period", "2020"},
      {"rank", "funding_amount", "--top", "3"},
      {"rank", "rd_spending", "--by", "cagr", "--from", "2016", "--to", "2020"},
      {"rank", "funding_per_enterprise", "implied_gdp"},
      {"rank", "--by", "change", "--ties", "dense", "--top", "2"},
      {"describe"},
      {"list"},
      {"describe", "funding_amount", "funding_per_enterprise"},
      // (Categories the embedded data's rows give, a file's rows joining their indicators.)
      {"growth", "--category", "rd"},
      {"rank", "--category", "finance", "--top", "3"},
      {"rank", "--category", "rd", "--pool"},
      {"describe", "--category", "rd"},
      {"list", "--category", "finance"},
      {"growth", "--category", "rdd"},
      {"show"},
      {"show", "--category", "rd"},
      {"export"},
      {"summary"},
      {"summary", "--category", "rd"},
  };
  int compared = 0;
  const unsigned seeds = jjstat::test::rounds(4, 12);
  for (unsigned seed = 1; seed <= seeds; ++seed) {
    // Half the tables stream (touch 0), the others are read whole (1 to 3) or have an error (4).
    const int touch = seed % 2 == 0 ? 0 : 1 + static_cast<int>(seed / 2 % 4);
    const std::filesystem::path path = write_file("jjstat_beside_" + std::to_string(seed) + ".csv",
                                                  random_table_beside_embedded(seed, touch), false);
    compared += compare_loaders(queries, path, {}, {"csv", "table"}, seed);
    std::filesystem::remove(path);
  }
  BOOST_TEST_MESSAGE("compared " << compared << " outputs beside the embedded data");
}

// Which files stream beside the embedded data, and which the full loader reads: a file that
// gives a figure of an entity of the embedded data (one with figures, or one only its entities
// table names), or the inputs of a derived figure for one of its own entities, is read whole.
BOOST_AUTO_TEST_CASE(small_named_files_are_read_whole_unless_gzip_or_forced) {
  // Under 64 KiB of named files in all, the full loader is quicker than the stream: read whole,
  // unless the stream is forced, or a file is gzip (which may hold far more than its size).
  const std::string header = "entity,indicator,period,value,unit\n";
  std::string rows;
  for (int i = 0; rows.size() < 40000; ++i)
    rows += "县" + std::to_string(i) + ",x_count,2020," + std::to_string(i % 97) + ",个\n";
  const std::filesystem::path small = write_file("jjstat_small.csv", header + rows, false);
  const std::filesystem::path other = write_file("jjstat_small_b.csv", header + rows, false);
  const std::filesystem::path zipped = write_file("jjstat_small.csv.gz", header + rows, true);
  struct Case {
    std::vector<std::string> paths;
    std::string engine;
    bool streams;
  };
  const std::vector<Case> cases = {
      {{small.string()}, "", false},                // 40 KB
      {{small.string(), other.string()}, "", true}, // 80 KB in all
      {{zipped.string()}, "", true},                // gzip
      {{small.string()}, "stream", true},           // forced
      {{small.string(), other.string()}, "simple", false},
  };
  for (const Case& c : cases) {
    jjstat::commands::Context context;
    context.data_paths = c.paths;
    context.no_embedded = true;
    context.engine = c.engine;
    jjstat::engine::Retention retention;
    retention.keep = jjstat::engine::Retention::Keep::ends;
    const auto store = jjstat::commands::stream_or_load(context, {}, retention);
    BOOST_TEST(static_cast<bool>(store) == c.streams,
               c.paths.size() << " file(s), " << c.paths[0] << ", engine '" << c.engine << "'");
  }
  // A category streams too (its indicators are settled once the stream is over), beside the
  // embedded data as without it; one that none of the indicators has is the usage error.
  for (const bool embedded : {false, true}) {
    jjstat::commands::Context context;
    context.data_paths = {small.string(), other.string()};
    context.no_embedded = !embedded;
    jjstat::commands::Selection selection;
    selection.category = embedded ? "rd" : "none_here";
    jjstat::engine::Retention retention;
    retention.keep = jjstat::engine::Retention::Keep::ends;
    if (embedded) {
      const auto store = jjstat::commands::stream_or_load(context, selection, retention);
      BOOST_TEST_REQUIRE(static_cast<bool>(store));
      // x_count is not of rd: only the embedded data's rd indicators have series.
      const std::vector<std::size_t> counts = store->series_counts();
      const auto& ids = store->indicators();
      for (std::size_t i = 0; i < ids.size(); ++i) {
        const bool rd =
            ids[i] == "rd_spending" || ids[i] == "rd_intensity" || ids[i] == "implied_gdp";
        BOOST_TEST((counts[i] > 0) == rd, ids[i]);
      }
    } else {
      BOOST_CHECK_THROW(jjstat::commands::stream_or_load(context, selection, retention),
                        jjstat::UsageError);
    }
  }
  for (const auto& path : {small, other, zipped}) std::filesystem::remove(path);
}

BOOST_AUTO_TEST_CASE(files_that_meet_the_embedded_data_are_read_whole) {
  const std::string header = "entity,indicator,period,value,unit\n";
  struct Case {
    std::string rows;
    bool streams;
  };
  const std::vector<Case> cases = {
      {"县0,rd_spending,2020,10,亿元\n县0,rd_spending,2016,5,亿元\n", true},
      {"县0,output,2020,1,亿元\njiangjin,rd_spending,2016,14.98,亿元\n", true}, // the same figure
      // Both inputs of a derived figure, even of two entities (the test goes no further).
      {"县0,rd_intensity,2020,2,%\n县1,rd_spending,2020,10,亿元\n", false},
      {"jiangjin,rd_spending,2018,20,亿元\n", false},
      {"jiangjin,output,2020,1,亿元\n", false},
      {"chongqing,output,2020,1,亿元\n", false},
      {"县0,rd_spending,2020,10,亿元\n县0,rd_intensity,2020,2,%\n", false},
      {"县0,enterprises_supported,2021,4,家\n县0,funding_amount,2021,80,万元\n", false},
      // One input of definitions whose other entities are named (park_share_of_science_city)
      // or whose other input the files lack (built_share): the derived figures stay the
      // embedded data's.
      {"县0,planned_area,2021,5,平方公里\n县1,planned_area,2021,7,平方公里\n", true},
      {"县0,planned_area,2021,5,平方公里\n县0,built_area,2021,1,平方公里\n", false},
  };
  for (const Case& c : cases) {
    const std::filesystem::path path = write_file("jjstat_meets.csv", header + c.rows, false);
    jjstat::commands::Context context;
    context.data_paths = {path.string()};
    context.engine = "stream"; // (a small file is read whole otherwise)
    jjstat::engine::Retention retention;
    retention.keep = jjstat::engine::Retention::Keep::ends;
    const auto store = jjstat::commands::stream_or_load(context, {}, retention);
    BOOST_TEST(static_cast<bool>(store) == c.streams, c.rows);
    BOOST_TEST(context.m_loaded == !c.streams, c.rows);
    // Either way, what the commands print is the full loader's.
    for (const char* command : {"describe", "growth"}) {
      const std::vector<std::string> args = {command, "--data", path.string(), "--format", "csv"};
      BOOST_TEST(run(args, "stream") == run(args, "simple"), command << " " << c.rows);
    }
    if (store) {
      // The embedded data's indicators, its derived ones among them, in the loader's order.
      std::vector<std::string> loaded;
      for (const jjstat::IndicatorInfo* info : context.embedded_data().indicators())
        loaded.push_back(info->id);
      std::vector<std::string> streamed = store->indicators();
      streamed.erase(std::remove_if(streamed.begin(), streamed.end(),
                                    [](const std::string& id) { return id == "output"; }),
                     streamed.end());
      BOOST_TEST(streamed == loaded, c.rows);
    }
    std::filesystem::remove(path);
  }
}

// More files than the store numbers (255 inputs, the embedded tables among them) are read whole,
// as they would be without the stream, not refused.
BOOST_AUTO_TEST_CASE(more_files_than_the_store_numbers_are_read_whole) {
  const std::filesystem::path path =
      write_file("jjstat_many_files.csv", "entity,indicator,period,value,unit\n", false);
  for (const bool embedded : {false, true}) {
    std::vector<std::string> args = {"growth", "--format", "csv"};
    if (!embedded) args.push_back("--no-embedded");
    for (int i = 0; i < 250; ++i) args.insert(args.end(), {"--data", path.string()});
    const std::string streamed = run(args, "stream");
    BOOST_TEST(streamed == run(args, "simple"));
    BOOST_TEST(streamed.ends_with("--- status 0"), streamed);
    args.insert(args.end(),
                {"--data", path.string(), "--data", path.string(), "--data", path.string(),
                 "--data", path.string(), "--data", path.string(), "--data", path.string()});
    BOOST_TEST(run(args, "stream").ends_with("--- status 0"));
  }
  std::filesystem::remove(path);
}

/// export's columns and rows, written by write_streamed_observations() from `context`: true
/// when it streamed them.
bool export_streamed(jjstat::commands::Context& context, std::string& out) {
  jjstat::Report schema;
  jjstat::commands::add_schema_columns(schema, jjstat::Audience::all);
  return jjstat::commands::write_streamed_observations(
      context, {}, false, schema.columns, context.write,
      [](const jjstat::Observation& obs, const jjstat::commands::IndicatorCells& indicator,
         jjstat::format::RowWriter& row) {
        jjstat::commands::add_schema_cells(obs, indicator, 2, row);
      },
      out);
}

/// A context for `path` alone, in csv, the stream forced (4 KiB pieces, 16 KiB of rows held).
jjstat::commands::Context forced_stream_of(const std::filesystem::path& path) {
  jjstat::commands::Context context;
  context.data_paths = {path.string()};
  context.no_embedded = true;
  context.engine = "stream";
  context.write.format = jjstat::format::Format::csv;
  return context;
}

// show and export stream: the rows are checked by the stream, then read again piece by piece
// and written indicator by indicator (list's order), each indicator's in the files' order;
// past the rows held in memory, the rest waits in a temporary file. The loader's bytes.
BOOST_AUTO_TEST_CASE(show_and_export_stream_indicator_by_indicator) {
  const std::filesystem::path small =
      write_file("jjstat_export_small.csv",
                 "entity,indicator,period,value,unit\na,x,2019,1.50,亿元\na,y,2019,2,亿元\n"
                 "b,x,2019,3,亿元\nb,y,2020,-4,亿元\na,x,2020,5,亿元\n",
                 false);
  jjstat::commands::Context context = forced_stream_of(small);
  std::string out;
  BOOST_TEST(export_streamed(context, out));
  BOOST_TEST(!context.m_loaded); // (nothing loaded whole)
  BOOST_TEST(out == "entity,indicator,period,value,unit,qualifiers,reported_rank,rank_scope,"
                    "category,name_zh,name_en,source,source_line\n"
                    "a,x,2019,1.50,亿元,,,,,,,,\n"
                    "b,x,2019,3,亿元,,,,,,,,\n"
                    "a,x,2020,5,亿元,,,,,,,,\n"
                    "a,y,2019,2,亿元,,,,,,,,\n"
                    "b,y,2020,-4,亿元,,,,,,,,\n");
  // json streams too: each row after a comma but the first, the array around them.
  jjstat::commands::Context json_context = forced_stream_of(small);
  json_context.write.format = jjstat::format::Format::json;
  std::string json;
  BOOST_TEST(export_streamed(json_context, json));
  BOOST_TEST(!json_context.m_loaded);
  auto object = [](const char* entity, const char* indicator, const char* period,
                   const char* value) {
    return fmt::format("{{\"entity\": \"{}\", \"indicator\": \"{}\", \"period\": \"{}\", "
                       "\"value\": {}, \"unit\": \"亿元\", \"qualifiers\": \"\", "
                       "\"reported_rank\": null, \"rank_scope\": \"\", \"category\": \"\", "
                       "\"name_zh\": \"\", \"name_en\": \"\", \"source\": \"\", "
                       "\"source_line\": null}}",
                       entity, indicator, period, value);
  };
  BOOST_TEST(json == "[\n  " + object("a", "x", "2019", "1.50") + ",\n  " +
                         object("b", "x", "2019", "3") + ",\n  " + object("a", "x", "2020", "5") +
                         ",\n  " + object("a", "y", "2019", "2") + ",\n  " +
                         object("b", "y", "2020", "-4") + "\n]\n",
             json);
  std::filesystem::remove(small);
  // No row: the empty array, as the whole-file path writes it.
  const std::filesystem::path empty =
      write_file("jjstat_export_empty.csv", "entity,indicator,period,value,unit\n", false);
  for (const char* command : {"show", "export"}) {
    const std::vector<std::string> query = {command,         "--data",   empty.string(),
                                            "--no-embedded", "--format", "json"};
    BOOST_TEST(run(query, "stream") == "[]\n\n--- stderr\n\n--- status 0", command);
    BOOST_TEST(run(query, "simple") == "[]\n\n--- stderr\n\n--- status 0", command);
  }
  std::filesystem::remove(empty);
  // 2 400 rows of three indicators, entity by entity (about 60 KiB of rows to write: most set
  // aside in the temporary file, in many parts), with names and a category.
  std::string table = "entity,indicator,period,value,unit,category,name_en\n";
  for (int e = 0; e < 400; ++e) {
    for (int k = 0; k < 3; ++k) {
      for (int year = 2019; year <= 2020; ++year) {
        table += fmt::format("e{},k{},{},{}.{},亿元,{},{}\n", e, k, year, e * 3 + k, year % 10,
                             k == 1 ? "c1" : "c0", e == 0 ? "K" + std::to_string(k) : "");
      }
    }
  }
  const std::filesystem::path big = write_file("jjstat_export_big.csv", table, false);
  jjstat::commands::Context big_context = forced_stream_of(big);
  std::string streamed;
  BOOST_TEST(export_streamed(big_context, streamed));
  const std::string loaded =
      run({"export", "--data", big.string(), "--no-embedded", "--format", "csv"}, "simple");
  BOOST_TEST(streamed + "\n--- stderr\n\n--- status 0" == loaded,
             first_difference(streamed, loaded));
  // (c0's k0 and k2 first, then c1's k1; k0's rows from e0 on.)
  BOOST_TEST(streamed.find("\ne0,k0,2019,0.9,亿元,,,,c0,,K0,,\ne0,k0,2020,0.0,亿元,,,,c0,,K0,,\n"
                           "e1,k0,2019,3.9,") != std::string::npos);
  BOOST_TEST(
      streamed.find("e399,k2,2020,1199.0,亿元,,,,c0,,K2,,\ne0,k1,2019,1.9,亿元,,,,c1,,K1,,\n") !=
      std::string::npos);
  BOOST_TEST(streamed.ends_with("\ne399,k1,2020,1198.0,亿元,,,,c1,,K1,,\n"));
  BOOST_TEST(std::count(streamed.begin(), streamed.end(), '\n') == 2401);
  for (const char* format : {"csv", "tsv", "jsonl", "json"}) {
    for (const char* command : {"show", "export"}) {
      const std::vector<std::string> query = {command,         "--data",   big.string(),
                                              "--no-embedded", "--format", format};
      BOOST_TEST(run(query, "stream") == run(query, "simple"), command << " " << format);
      BOOST_TEST(run(query, "") == run(query, "simple"), command << " " << format);
    }
  }
  std::filesystem::remove(big);
}

// Records of 5 MB, five fields of a million bytes each (each within --max-field-bytes): the
// first pass reads them in its pieces of 4 MiB, looking further for their ends; the second pass,
// from pieces of 1 MiB (4 KiB forced), looks as far, so that it never cuts one and takes the
// piece for a file that changed (it used to: exit 4).
BOOST_AUTO_TEST_CASE(records_longer_than_a_piece_are_read_whole_by_the_second_pass) {
  const std::string big(1000000, 'x');
  std::string table = "entity,indicator,period,value,unit,name_zh,name_en,source\n";
  for (int year = 2020; year <= 2021; ++year) {
    table += "e" + big + ",k," + std::to_string(year) + ",1.5,u" + big + ",z" + big + ",n" + big +
             ",s" + big + "\n";
  }
  table += "short,k,2020,2,u" + big + ",,,\n";
  const std::filesystem::path path = write_file("jjstat_long_records.csv", table, false);
  for (const char* command : {"show", "export"}) {
    const std::vector<std::string> query = {command,         "--data",   path.string(),
                                            "--no-embedded", "--format", "csv"};
    const std::string loaded = run(query, "simple");
    BOOST_TEST(loaded.ends_with("\n--- stderr\n\n--- status 0"));
    BOOST_TEST(loaded.size() > 10000000U);
    BOOST_TEST(run(query, "stream") == loaded, command);
    BOOST_TEST(run(query, "") == loaded, command);
  }
  std::filesystem::remove(path);
}

// A row that gives again, in another piece, the figure of a row before it: the stream counts
// the figure once, the pieces twice; the full loader, which leaves the second row out, writes
// the rows instead.
BOOST_AUTO_TEST_CASE(figures_given_again_in_another_piece_are_loaded_whole) {
  std::string table = "entity,indicator,period,value,unit\n";
  for (int e = 0; e < 300; ++e) table += fmt::format("e{},k,2020,{}.5,亿元\n", e, e);
  table += "e0,k,2020,0.50,亿元\n"; // (e0's figure, spelled another way)
  const std::filesystem::path path = write_file("jjstat_export_again.csv", table, false);
  jjstat::commands::Context context = forced_stream_of(path);
  std::string out;
  BOOST_TEST(!export_streamed(context, out));
  BOOST_TEST(out.empty());
  BOOST_TEST(context.m_loaded);
  const std::vector<std::string> query = {"export", "--data", path.string(), "--no-embedded"};
  const std::string streamed = run(query, "stream");
  BOOST_TEST(streamed == run(query, "simple"));
  BOOST_TEST(std::count(streamed.begin(), streamed.end(), '\n') == 301 + 3);
  BOOST_TEST(streamed.find("e0,k,2020,0.5,") != std::string::npos);
  BOOST_TEST(streamed.find("0.50") == std::string::npos);
  std::filesystem::remove(path);
}

// Blank lines before the header: more than a piece of them (4 KiB when forced), or more than the
// 64 KiB a mapped file's first piece is cut in (which the stream hands to the full loader: the
// header may still come). Every command prints the loader's bytes.
BOOST_AUTO_TEST_CASE(blank_lines_before_the_header_stream_as_they_load) {
  std::string rows = "entity,indicator,period,value,unit\n";
  for (int e = 0; e < 1500; ++e) {
    for (int k = 0; k < 2; ++k) rows += fmt::format("e{},k{},2020,{}.5,亿元\n", e, k, e + k);
  }
  for (const std::size_t blank : {std::size_t{5000}, std::size_t{70000}}) {
    const std::filesystem::path path =
        write_file("jjstat_blank_start.csv", std::string(blank, '\n') + rows, false);
    for (const std::vector<std::string>& query : std::vector<std::vector<std::string>>{
             {"show"}, {"export", "k1"}, {"list"}, {"growth", "k0"}}) {
      std::vector<std::string> args = query;
      args.insert(args.end(), {"--data", path.string(), "--no-embedded", "--format", "csv"});
      const std::string loaded = run(args, "simple");
      BOOST_TEST(loaded.ends_with("--- status 0"), loaded);
      BOOST_TEST(run(args, "stream") == loaded, blank << " " << query[0]);
      BOOST_TEST(run(args, "") == loaded, blank << " " << query[0]);
    }
    jjstat::commands::Context context = forced_stream_of(path);
    std::string out;
    BOOST_TEST(export_streamed(context, out) == (blank < 65536), blank);
    std::filesystem::remove(path);
  }
}

// No temporary file can be made for the rows set aside ($TMPDIR does not exist): they stay in
// memory, and the output is the same.
BOOST_AUTO_TEST_CASE(rows_stay_in_memory_without_a_temporary_file) {
  std::string table = "entity,indicator,period,value,unit\n";
  for (int e = 0; e < 2000; ++e) {
    for (int k = 0; k < 2; ++k) table += fmt::format("e{},k{},2020,{}.5,亿元\n", e, k, e * k);
  }
  const std::filesystem::path path = write_file("jjstat_no_tmpdir.csv", table, false);
  const std::vector<std::string> query = {"export", "--data", path.string(), "--no-embedded"};
  const std::string loaded = run(query, "simple");
  const char* before = std::getenv("TMPDIR");
  const std::string kept = before != nullptr ? before : "";
  ::setenv("TMPDIR", "/nonexistent/jjstat-test", 1);
  jjstat::commands::Context context = forced_stream_of(path);
  std::string out;
  const bool streamed = export_streamed(context, out);
  const std::string forced = run(query, "stream");
  if (before != nullptr) {
    ::setenv("TMPDIR", kept.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  BOOST_TEST(streamed);
  BOOST_TEST(out + "\n--- stderr\n\n--- status 0" == loaded);
  BOOST_TEST(forced == loaded);
  std::filesystem::remove(path);
}

BOOST_AUTO_TEST_SUITE_END()
