#pragma once
/// Ranking with the usual tie methods; missing values rank last.

#include "jjstat/dataset.hpp"
#include "jjstat/stats/growth.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jjstat::stats {

/// How tied values are ranked ([10, 20, 20, 30], largest first).
enum class TieMethod {
  min,     ///< competition ranking: 4, 2, 2, 1
  dense,   ///< 3, 2, 2, 1
  average, ///< fractional: 4, 2.5, 2.5, 1
  ordinal, ///< ties broken by input order: 4, 2, 3, 1
  max,     ///< 4, 3, 3, 1
};

/// The method named `name` ("min", ...), or nullopt.
std::optional<TieMethod> parse_tie_method(std::string_view name);

/// The name of a method.
std::string_view tie_method_name(TieMethod method);

/// The rank of each value (1 = largest, or smallest when `ascending`); missing values come
/// after every present one and are ranked among themselves by the same method, as ties.
std::vector<double> rank_values(const std::vector<std::optional<double>>& values,
                                TieMethod method, bool ascending);
/// The indices of `values`, best first (missing last), ties in their order: what
/// rank_values() ranks along.
std::vector<std::size_t> rank_order(const std::vector<std::optional<double>>& values,
                                    bool ascending);
/// rank_values() along an `order` that rank_order() gave for `values`.
std::vector<double> ranks_in_order(const std::vector<std::optional<double>>& values,
                                   const std::vector<std::size_t>& order, TieMethod method);

/// What figures are ranked by.
enum class RankBy { value, change, pct_change, cagr };

/// The measure named `name` ("value", "change", "pct_change", "cagr"), or nullopt.
std::optional<RankBy> parse_rank_by(std::string_view name);

/// How to rank.
struct RankRequest {
  RankBy by = RankBy::value;
  std::optional<Period> period; ///< for `value`: default the latest period of each ranking
  std::optional<Period> from;   ///< for growth measures: default each series' first period
  std::optional<Period> to;     ///< for growth measures: default each series' last period
  TieMethod ties = TieMethod::min;
  bool ascending = false;
  std::optional<double> top;    ///< keep ranks up to this
  bool pool = false;            ///< rank every selected indicator in one list
  /// The figures come series by series, each series' in period order (as the streaming store
  /// gives them): grouped as they come, without looking series up.
  bool grouped = false;
};

/// One ranked figure.
struct RankedRow {
  std::string ranking;          ///< the indicator ranked within, or "pooled"
  double rank = 0;
  std::string entity;
  std::string indicator;
  std::string period;           ///< "2021", or "2016/2020" for growth measures
  std::optional<Number> measure; ///< the ranked value, in `unit`; nullopt ranks last
  std::string unit;             ///< common unit of the ranking ("万元"), "%", "%/yr" or "pp"
  const Observation* observation = nullptr; ///< the figure as printed (value measures)
  Qualifiers qualifiers;
  GrowthGap gap = GrowthGap::none; ///< why the measure is missing
  std::string gap_period;          ///< the period `gap` names, if any
};

/// Why the row's measure is missing, in English or Chinese (empty when it is not).
std::string note_text(const RankedRow& row, bool chinese);

/// Ranks the figures of `observations`: within each indicator, or all together when pooled.
/// Values of one dimension are converted to the ranking's most common unit first. Throws
/// UsageError when a pooled ranking mixes dimensions. Rows without a measure show, when no
/// figure of their ranking is measured, the unit of its first figure: `first_pooled_unit`, when
/// given, for the pooled ranking (when the first of `observations` is not the first figure).
std::vector<RankedRow> rank_figures(const std::vector<const Observation*>& observations,
                                    const RankRequest& request,
                                    const std::string* first_pooled_unit = nullptr);

/// Series to rank, one at a time: what a store gives without making every figure at once.
class SeriesSource {
public:
  virtual ~SeriesSource() = default;
  /// Number of series.
  virtual std::size_t size() const = 0;
  /// Series `i` (below size()), valid until the next call.
  virtual const Series& at(std::size_t i) = 0;
  /// A figure of the series last given, as a figure that lasts as long as the source does.
  virtual const Observation* keep(const Observation* figure) = 0;
  /// Another source of the same series that another thread may read with at() (never keep())
  /// while this one is read; null when there is none.
  virtual std::unique_ptr<SeriesSource> twin() { return nullptr; }
  /// A hint: series `i` will be asked for soon, out of order, given in steps 0, 1 and 2 a few
  /// series apart (SeriesStore::ask_for()).
  virtual void ask_for(std::size_t /*i*/, int /*step*/) {}
  /// The latest period of any figure of the series, into `latest` (nullopt when they have
  /// none), when the source finds it without giving every series; false otherwise.
  virtual bool latest(std::optional<Period>& /*latest*/) { return false; }
  /// The measure of series `i` by `request` (the period ranked by value: `latest`) and its own
  /// unit (empty when not converted), as the series from at() would give them, without making
  /// that series; false when this source cannot tell (then at() is asked).
  virtual bool quick_measure(std::size_t /*i*/, const RankRequest& /*request*/,
                             const std::optional<Period>& /*latest*/,
                             std::optional<Number>& /*measure*/, std::string& /*raw_unit*/) {
    return false;
  }
};

/// The ranking named `ranking` of the series of `source`, figures of one indicator (not
/// pooled): what rank_figures() makes of their figures, given series by series and grouped.
/// Each series is measured and the measures put in order; the rows are made one at a time when
/// they are wanted (a ranking of a million series holds their measures, not a million rows and
/// figures), in any order and on any thread. `first_unit` is the unit of the ranking's first
/// figure in input order, which rows without a measure show when no figure is measured.
class RankingPlan {
public:
  /// Plans the ranking `ranking` of the series of `source`.
  RankingPlan(const std::string& ranking, SeriesSource& source, const std::string& first_unit,
              const RankRequest& request);
  /// Rows shown: every series, or those within the cut with --top.
  std::size_t size() const { return m_shown; }
  /// Row `place` (below size(); 0 is the best), made from `source`: the planned source or a
  /// twin of it (SeriesSource::twin()), read by one thread at a time. RankedRow::observation
  /// points into the source until it gives another series (SeriesSource::keep() keeps it).
  RankedRow row(SeriesSource& source, std::size_t place) const;
  /// Gives `visit` the rows from place `begin` to `end` (at most size()) in order, each as
  /// row() makes it; the series of the rows to come, which lie anywhere in the source, are asked
  /// for ahead of their turn.
  template <class Visit>
  void each_row(SeriesSource& source, std::size_t begin, std::size_t end, Visit&& visit) const {
    for (std::size_t place = begin; place < end; ++place) {
      ask_ahead(source, place);
      RankedRow made = row(source, place);
      visit(made);
    }
  }

private:
  /// Asks `source` for the series of the rows a few places after `place` (each_row()).
  void ask_ahead(SeriesSource& source, std::size_t place) const;
  /// The series of row `place`.
  std::size_t series_at(std::size_t place) const {
    return m_ranked.empty() ? m_order[place] : m_ranked[m_order[place]];
  }
  std::string m_ranking;
  RankRequest m_request;
  std::optional<Period> m_latest; ///< the period ranked by value
  std::string m_latest_label;
  std::string m_unit;                ///< the ranking's
  std::vector<std::size_t> m_ranked; ///< with --top, the contenders (series, in order); else empty
  std::vector<std::size_t> m_order;  ///< of the ranked (series, or contenders), best first
  std::vector<double> m_ranks;       ///< of the ranked, by their index
  std::size_t m_shown = 0;
};

} // namespace jjstat::stats
