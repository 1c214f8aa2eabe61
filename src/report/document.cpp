#include "jjstat/report/document.hpp"

#include "jjstat/chart/values.hpp"
#include "jjstat/report/numbers.hpp"
#include "jjstat/stats/growth.hpp"
#include "jjstat/stats/rank.hpp"
#include "jjstat/stats/verify.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>
#include <unordered_set>

namespace jjstat::report {
namespace {

/// What each qualifier means, for its footnote.
struct QualifierNote {
  Qualifier qualifier;
  std::string_view english;
  std::string_view chinese;
};

constexpr QualifierNote k_qualifier_notes[] = {
    {Qualifier::approximate, "about (约, 近): the source gives a rounded figure.",
     "约、近：原文给出的是约数。"},
    {Qualifier::projected, "projected (预计): an estimate for a period not yet closed.",
     "预计：尚未结束的时期的估计值。"},
    {Qualifier::target, "target (力争): a goal, not a result.", "力争：目标，而非实际结果。"},
    {Qualifier::at_least, "at least (以上, 超过): the true value is this or more.",
     "以上、超过：实际值不低于此数。"},
    {Qualifier::planned, "planned (规划): a plan, not what exists.", "规划：规划数，而非现状。"},
    {Qualifier::cumulative, "cumulative (累计, 已): accumulated up to the period.",
     "累计、已：截至该时期的累计数。"},
    {Qualifier::derived,
     "derived: computed by jjstat from other figures (see Derived figures and Methods).",
     "推算：jjstat 由其他数据按定义计算（见“推算指标”与“方法”）。"},
};

std::string rank_text(double rank) {
  double whole = 0;
  return std::modf(rank, &whole) == 0.0 ? fmt::format("{}", static_cast<long long>(rank))
                                        : format_fixed(rank, 1);
}

/// "1 entity", "2 entities".
std::string counted(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

/// The indicator part of an "entity/indicator" term, or "".
std::string_view indicator_of_term(std::string_view term) {
  std::size_t slash = term.find('/');
  return slash == std::string_view::npos ? std::string_view() : term.substr(slash + 1);
}

class Builder {
public:
  Builder(const Dataset& data, const DocumentOptions& options) : m_data(data), m_options(options) {
    m_doc.chinese = options.chinese;
    for (const IndicatorInfo* info : data.indicators()) {
      if (!options.category.empty() && info->category != options.category) continue;
      m_indicators.push_back(info);
    }
    for (const Observation& obs : data.observations())
      m_by_indicator[obs.indicator].push_back(&obs);
  }

  Document build() {
    title();
    overview();
    int number = 0;
    for (const CategoryInfo& category : m_data.categories()) {
      if (!m_options.category.empty() && category.id != m_options.category) continue;
      std::vector<const Observation*> held = observations_of(category.id);
      if (held.empty()) continue;
      category_part(category, held, ++number);
    }
    claims();
    methods();
    sources();
    return std::move(m_doc);
  }

private:
  std::string L(std::string_view english, std::string_view chinese) const {
    return std::string(m_options.chinese ? chinese : english);
  }
  std::string entity(std::string_view id) const {
    return m_data.entity_name(id, m_options.chinese);
  }
  std::string indicator(std::string_view id) const {
    return m_data.indicator_name(id, m_options.chinese);
  }
  std::string num(const std::optional<Number>& value, bool sign = false) const {
    return number_text(value, m_options.precision, sign, m_options.group_digits);
  }
  static Cell plain(std::string text) { return {Phrase{std::move(text), {}}}; }

  /// The words of `qualifiers`, each marked with its footnote where it is first used.
  Cell qualifier_cell(Qualifiers qualifiers) {
    Cell cell;
    for (const QualifierNote& note : k_qualifier_notes) {
      if (!qualifiers.has(note.qualifier)) continue;
      Qualifiers one;
      one.add(note.qualifier);
      Phrase phrase;
      phrase.text = (cell.empty() ? "" : L(", ", "、")) + one.words(m_options.chinese);
      std::string id(qualifier_id(note.qualifier));
      bool first = std::none_of(m_doc.footnotes.begin(), m_doc.footnotes.end(),
                                [&](const Footnote& f) { return f.id == id; });
      if (first) {
        m_doc.footnotes.push_back({id, L(note.english, note.chinese)});
        phrase.notes.push_back(id);
      }
      cell.push_back(std::move(phrase));
    }
    if (cell.empty()) cell.push_back(Phrase{});
    return cell;
  }

  std::string reported_rank(const Observation& obs) const {
    if (!obs.reported_rank) return {};
    if (obs.rank_scope.empty()) return fmt::format("{}", *obs.reported_rank);
    std::string scope = entity(obs.rank_scope);
    return m_options.chinese ? fmt::format("{}第{}位", scope, *obs.reported_rank)
                             : fmt::format("{} in {}", *obs.reported_rank, scope);
  }

  std::string category_name(const CategoryInfo& category) const {
    // (Dataset::category_name() names the indicators of no category "Other figures".)
    return m_data.category_name(category.id, m_options.chinese);
  }

  /// The observations of a category's indicators: by indicator, then in load order.
  std::vector<const Observation*> observations_of(std::string_view category) const {
    std::vector<const Observation*> out;
    for (const IndicatorInfo* info : m_indicators) {
      if (info->category != category) continue;
      auto it = m_by_indicator.find(info->id);
      if (it != m_by_indicator.end()) out.insert(out.end(), it->second.begin(), it->second.end());
    }
    return out;
  }

  void heading(int level, std::string text) {
    m_doc.blocks.push_back(Heading{level, std::move(text)});
  }
  void paragraph(std::string text) { m_doc.blocks.push_back(Paragraph{std::move(text)}); }

  void title() {
    std::vector<std::string> titles;
    for (const SourceInfo& source : m_data.sources()) {
      std::string t =
          m_options.chinese && !source.title_zh.empty() ? source.title_zh : source.title_en;
      if (!t.empty()) titles.push_back(t);
    }
    m_doc.title = titles.size() == 1 ? L("Report: ", "数据报告：") + titles.front()
                                     : L("jjstat report", "jjstat 数据报告");
    if (!m_options.category.empty()) {
      const CategoryInfo* category = m_data.find_category(m_options.category);
      std::string name = category ? category_name(*category) : m_options.category;
      m_doc.title += L(" — ", "——") + name;
    }
    heading(1, m_doc.title);
    std::vector<std::string> inputs;
    for (const std::string& input : m_options.inputs)
      inputs.push_back(input);
    if (inputs.empty()) inputs.push_back(L("no data", "无数据"));
    paragraph(m_options.chinese
                  ? fmt::format("数据：{}。本报告的每个数字都由 jjstat "
                                "从这些数据算出，同样的数据得到逐字节相同的报告。",
                                fmt::join(inputs, "；"))
                  : fmt::format("Data: {}. Every number of this report is computed by jjstat from "
                                "these data; the same data give a byte-identical report.",
                                fmt::join(inputs, "; ")));
  }

  void overview() {
    heading(2, L("Overview", "概览"));
    std::size_t figures = 0;
    std::size_t derived = 0;
    std::unordered_set<std::string_view> entities; // (a set: a million figures, 100 000 entities)
    std::optional<Period> first;
    std::optional<Period> last;
    std::size_t categories = 0;
    for (const CategoryInfo& category : m_data.categories()) {
      if (!m_options.category.empty() && category.id != m_options.category) continue;
      std::vector<const Observation*> held = observations_of(category.id);
      if (!held.empty()) ++categories;
      for (const Observation* obs : held) {
        ++(obs->computed ? derived : figures);
        entities.insert(obs->entity);
        if (obs->computed) continue;
        if (!first || obs->period < *first) first = obs->period;
        if (!last || *last < obs->period) last = obs->period;
      }
    }
    std::string periods = !first            ? L("none", "无")
                          : *first == *last ? first->label()
                                            : fmt::format("{}–{}", first->label(), last->label());
    paragraph(m_options.chinese
                  ? fmt::format(
                        "共{}个数据，{}个指标，{}个主体，{}个类别，时期{}；由其推算{}个数据。",
                        figures, m_indicators.size(), entities.size(), categories, periods, derived)
                  : fmt::format("{} of {} for {} in {}, periods {}; {} computed from them.",
                                counted(figures, "figure", "figures"),
                                counted(m_indicators.size(), "indicator", "indicators"),
                                counted(entities.size(), "entity", "entities"),
                                counted(categories, "category", "categories"), periods,
                                counted(derived, "derived figure", "derived figures")));
    Table table;
    table.caption =
        L("Headline figures: the largest figure of each category's first indicator, "
          "in its latest period, with its growth when the series has two periods or more.",
          "要点：各类别首个指标最新时期的最大值，序列有两个以上时期时附其增幅。");
    table.headers = {L("category", "类别"),   L("figure", "指标"),   L("entity", "主体"),
                     L("period", "时期"),     L("value", "数值"),    L("unit", "单位"),
                     L("qualifiers", "限定"), L("change %", "增幅%")};
    table.align = {Align::left,  Align::left, Align::left, Align::left,
                   Align::right, Align::left, Align::left, Align::right};
    for (const CategoryInfo& category : m_data.categories()) {
      if (!m_options.category.empty() && category.id != m_options.category) continue;
      std::vector<const Observation*> held = observations_of(category.id);
      if (held.empty()) continue;
      std::vector<const Observation*> first_indicator;
      for (const Observation* obs : held) {
        if (obs->indicator == held.front()->indicator) first_indicator.push_back(obs);
      }
      std::vector<stats::RankedRow> ranked =
          stats::rank_figures(first_indicator, stats::RankRequest{});
      if (ranked.empty() || !ranked.front().observation) continue;
      const Observation& top = *ranked.front().observation;
      std::string growth;
      for (const stats::Series& series : stats::group_series(first_indicator)) {
        if (series.entity != top.entity || series.period_count < 2) continue;
        stats::GrowthRow g = stats::growth(series, std::nullopt, std::nullopt);
        std::optional<Number> pct;
        if (g.pct_change) pct = *g.pct_change;
        if (pct) growth = fmt::format("{} ({}/{})", num(pct, true), g.from->label(), g.to->label());
      }
      table.rows.push_back({plain(category_name(category)), plain(indicator(top.indicator)),
                            plain(entity(top.entity)), plain(top.period.label()),
                            plain(num(top.value)), plain(top.unit), qualifier_cell(top.qualifiers),
                            plain(growth)});
    }
    if (!table.rows.empty()) m_doc.blocks.push_back(std::move(table));
  }

  void category_part(const CategoryInfo& category, const std::vector<const Observation*>& held,
                     int number) {
    heading(2, fmt::format("{}. {}", number, category_name(category)));
    std::vector<const Observation*> printed;
    std::vector<const Observation*> computed;
    for (const Observation* obs : held)
      (obs->computed ? computed : printed).push_back(obs);
    figures(printed);
    growth(held);
    rankings(held);
    derived(computed);
    reported_ranks(printed);
  }

  void figures(const std::vector<const Observation*>& printed) {
    if (printed.empty()) return;
    heading(3, L("Figures", "数据"));
    Table table;
    table.caption =
        L("The figures as the source prints them, with their units.", "原文所载数据及其单位。");
    table.headers = {L("figure", "指标"),
                     L("entity", "主体"),
                     L("period", "时期"),
                     L("value", "数值"),
                     L("unit", "单位"),
                     L("qualifiers", "限定"),
                     L("reported rank", "报道排名")};
    table.align = {Align::left, Align::left, Align::left, Align::right,
                   Align::left, Align::left, Align::left};
    for (const stats::Series& series : stats::group_series(printed)) {
      for (const Observation* obs : series.points) {
        table.rows.push_back({plain(indicator(obs->indicator)), plain(entity(obs->entity)),
                              plain(obs->period.label()), plain(num(obs->value)), plain(obs->unit),
                              qualifier_cell(obs->qualifiers), plain(reported_rank(*obs))});
      }
    }
    m_doc.blocks.push_back(std::move(table));
  }

  void growth(const std::vector<const Observation*>& held) {
    std::vector<stats::Series> series_list;
    for (stats::Series& series : stats::group_series(held)) {
      if (series.period_count >= 2) series_list.push_back(std::move(series));
    }
    if (series_list.empty()) return;
    heading(3, L("Growth", "增长"));
    Table table;
    table.caption = L("From the first to the last period of each series of two periods or more.",
                      "各含两个以上时期的序列，自首个时期至最后一个时期。");
    table.headers = {L("figure", "指标"),     L("entity", "主体"),    L("periods", "时期"),
                     L("from value", "起值"), L("to value", "止值"),  L("unit", "单位"),
                     L("change", "变化"),     L("change %", "增幅%"), L("CAGR %/yr", "年均增长%"),
                     L("qualifiers", "限定"), L("note", "说明")};
    table.align = {Align::left,  Align::left, Align::left,  Align::right,
                   Align::right, Align::left, Align::right, Align::right,
                   Align::right, Align::left, Align::left};
    std::vector<Figure> figures;
    for (const stats::Series& series : series_list) {
      stats::GrowthRow g = stats::growth(series, std::nullopt, std::nullopt);
      std::optional<Number> pct;
      std::optional<Number> cagr;
      if (g.pct_change) pct = *g.pct_change;
      if (g.cagr) cagr = *g.cagr;
      std::string change = num(g.change, true);
      if (g.change && g.unit == "%") change += " pp";
      std::string span =
          g.from && g.to ? fmt::format("{}/{}", g.from->label(), g.to->label()) : "n/a";
      table.rows.push_back({plain(indicator(series.indicator)), plain(entity(series.entity)),
                            plain(span), plain(num(g.from_value)), plain(num(g.to_value)),
                            plain(g.unit), plain(change), plain(num(pct, true)),
                            plain(num(cagr, true)), qualifier_cell(g.qualifiers),
                            plain(stats::gap_text(g.gap, m_options.chinese, g.gap_period))});
      if (series.period_count >= 3) figures.push_back(series_figure(series));
    }
    m_doc.blocks.push_back(std::move(table));
    for (Figure& figure : figures)
      m_doc.blocks.push_back(std::move(figure));
  }

  Figure series_figure(const stats::Series& series) const {
    chart::Timeline line = chart::timeline(series);
    chart::LineChart chart;
    chart.unit = series.points.front()->unit;
    chart.title = m_options.chinese ? fmt::format("{}：{}（{}）", indicator(series.indicator),
                                                  entity(series.entity), chart.unit)
                                    : fmt::format("{}: {} ({})", indicator(series.indicator),
                                                  entity(series.entity), chart.unit);
    chart.values = chart::timeline_values(line, chart.unit);
    for (std::size_t i = 0; i < line.periods.size(); ++i) {
      chart.periods.push_back(line.periods[i].label());
      std::optional<Number> value;
      if (chart.values[i])
        value =
            line.points[i]->unit == chart.unit ? *line.points[i]->value : Number(*chart.values[i]);
      chart.value_texts.push_back(num(value));
    }
    return Figure{std::move(chart)};
  }

  void rankings(const std::vector<const Observation*>& held) {
    bool headed = false;
    // `held` comes indicator by indicator: rank each run.
    for (auto begin = held.begin(); begin != held.end();) {
      auto end = std::find_if(begin, held.end(), [&](const Observation* obs) {
        return obs->indicator != (*begin)->indicator;
      });
      std::vector<const Observation*> of(begin, end);
      begin = end;
      const IndicatorInfo* info = m_data.find_indicator(of.front()->indicator);
      std::vector<stats::RankedRow> rows = stats::rank_figures(of, stats::RankRequest{});
      if (rows.size() < 2) continue;
      if (!headed) heading(3, L("Rankings", "排名"));
      headed = true;
      const std::string& period = rows.front().period;
      Table table;
      table.caption =
          m_options.chinese
              ? fmt::format("{}，{}：最大为第1；并列取最小名次。", indicator(info->id), period)
              : fmt::format("{}, {}: largest = 1; ties share the best rank (min).",
                            indicator(info->id), period);
      table.headers = {L("rank", "名次"),       L("entity", "主体"),     L("value", "数值"),
                       L("unit", "单位"),       L("as printed", "原值"), L("unit", "单位"),
                       L("qualifiers", "限定"), L("note", "说明")};
      table.align = {Align::right, Align::left, Align::right, Align::left,
                     Align::right, Align::left, Align::left,  Align::left};
      chart::BarChart chart;
      chart.title =
          m_options.chinese
              ? fmt::format("{}，{}（{}）", indicator(info->id), period, rows.front().unit)
              : fmt::format("{}, {} ({})", indicator(info->id), period, rows.front().unit);
      chart.unit = rows.front().unit;
      for (const stats::RankedRow& row : rows) {
        const Observation* obs = row.observation;
        table.rows.push_back(
            {plain(rank_text(row.rank)), plain(entity(row.entity)), plain(num(row.measure)),
             plain(row.unit), plain(obs ? num(obs->value) : "n/a"), plain(obs ? obs->unit : ""),
             qualifier_cell(row.qualifiers), plain(stats::note_text(row, m_options.chinese))});
        chart::Bar bar;
        bar.labels = {entity(row.entity)};
        if (row.measure) bar.value = to_double(*row.measure);
        bar.value_text = row.measure ? fmt::format("{} {}", num(row.measure), row.unit) : "n/a";
        chart.bars.push_back(std::move(bar));
      }
      m_doc.blocks.push_back(std::move(table));
      m_doc.blocks.push_back(Figure{std::move(chart)});
    }
  }

  std::string definition_text(const Observation& obs) const {
    auto it = std::find_if(m_data.derived_definitions().begin(), m_data.derived_definitions().end(),
                           [&](const DerivedDefinition& d) { return d.id == obs.indicator; });
    if (it == m_data.derived_definitions().end()) return {};
    auto term = [&](const std::string& id, const std::string& own) {
      std::string who = !own.empty() ? own : !it->entity.empty() ? it->entity : obs.entity;
      std::string name = indicator(id);
      if (who == obs.entity) return name;
      return m_options.chinese ? fmt::format("{}（{}）", name, entity(who))
                               : fmt::format("{} ({})", name, entity(who));
    };
    std::string n = term(it->numerator, it->numerator_entity);
    std::string d = term(it->denominator, it->denominator_entity);
    switch (it->kind) {
    case DerivedKind::share:
      return fmt::format("{} / {} × 100", n, d);
    case DerivedKind::ratio:
      return fmt::format("{} / {}", n, d);
    case DerivedKind::implied:
      return fmt::format("{} / ({} / 100)", n, d);
    }
    return {};
  }

  void derived(const std::vector<const Observation*>& computed) {
    if (computed.empty()) return;
    heading(3, L("Derived figures", "推算指标"));
    Table table;
    table.caption = L("Computed by jjstat from the figures above, by the definitions of the data.",
                      "jjstat 按数据中的定义由上列数据计算。");
    table.headers = {L("figure", "指标"),    L("entity", "主体"), L("period", "时期"),
                     L("value", "数值"),     L("unit", "单位"),   L("qualifiers", "限定"),
                     L("definition", "定义")};
    table.align = {Align::left, Align::left, Align::left, Align::right,
                   Align::left, Align::left, Align::left};
    for (const Observation* obs : computed) {
      table.rows.push_back({plain(indicator(obs->indicator)), plain(entity(obs->entity)),
                            plain(obs->period.label()), plain(num(obs->value)), plain(obs->unit),
                            qualifier_cell(obs->qualifiers), plain(definition_text(*obs))});
    }
    m_doc.blocks.push_back(std::move(table));
  }

  void reported_ranks(const std::vector<const Observation*>& printed) {
    std::vector<const Observation*> ranked;
    for (const Observation* obs : printed) {
      if (obs->reported_rank) ranked.push_back(obs);
    }
    if (ranked.empty()) return;
    heading(3, L("Reported ranks", "报道排名"));
    Table table;
    table.caption =
        L("Ranks the source reports, with where they hold; jjstat does not compute them.",
          "原文所报道的排名及其范围；非 jjstat 计算。");
    table.headers = {L("figure", "指标"), L("entity", "主体"), L("period", "时期"),
                     L("value", "数值"),  L("unit", "单位"),   L("reported rank", "报道排名"),
                     L("source", "出处")};
    table.align = {Align::left, Align::left, Align::left, Align::right,
                   Align::left, Align::left, Align::left};
    for (const Observation* obs : ranked) {
      std::string source = obs->source;
      if (obs->source_line) source += fmt::format(":{}", *obs->source_line);
      table.rows.push_back({plain(indicator(obs->indicator)), plain(entity(obs->entity)),
                            plain(obs->period.label()), plain(num(obs->value)), plain(obs->unit),
                            plain(reported_rank(*obs)), plain(source)});
    }
    m_doc.blocks.push_back(std::move(table));
  }

  /// True when `claim` is about an indicator of the chosen category (every claim without one).
  bool claim_selected(const Claim& claim) const {
    if (m_options.category.empty()) return true;
    std::vector<std::string_view> indicators = {indicator_of_term(claim.subject)};
    for (const std::string& term : claim.terms)
      indicators.push_back(indicator_of_term(term));
    return std::any_of(indicators.begin(), indicators.end(), [&](std::string_view id) {
      const IndicatorInfo* info = id.empty() ? nullptr : m_data.find_indicator(id);
      return info && info->category == m_options.category;
    });
  }

  void claims() {
    std::vector<const Claim*> selected;
    for (const Claim& claim : m_data.claims()) {
      if (claim_selected(claim)) selected.push_back(&claim);
    }
    if (selected.empty()) return;
    heading(2, L("The source's claims, checked", "原文论断核验"));
    Table table;
    table.caption = L("Each claim recomputed from the figures, as jjstat verify does.",
                      "各论断由数据重新计算，同 jjstat verify。");
    table.headers = {L("claim", "论断"),        L("stated", "原文值"), L("unit", "单位"),
                     L("recomputed", "重算值"), L("difference", "差"), L("tolerance", "容差"),
                     L("verdict", "结论"),      L("note", "说明"),     L("line", "行")};
    table.align = {Align::left,  Align::right, Align::left, Align::right, Align::right,
                   Align::right, Align::left,  Align::left, Align::right};
    std::size_t holds = 0;
    std::size_t fails = 0;
    for (const Claim* claim : selected) {
      stats::ClaimCheck check = stats::check_claim(m_data, *claim);
      // As verify shows them: four digits more than the stated value, six for a fraction.
      int digits = claim->stated_digits < 0 ? 6 : claim->stated_digits + 4;
      auto number = [&](const std::optional<Number>& v, bool sign) {
        return number_text(v, digits, sign, m_options.group_digits);
      };
      std::string verdict;
      switch (check.verdict) {
      case stats::Verdict::holds:
        verdict = L("holds", "成立");
        ++holds;
        break;
      case stats::Verdict::fails:
        verdict = L("fails", "不成立");
        ++fails;
        break;
      case stats::Verdict::uncheckable:
        verdict = L("cannot check", "无法核验");
        break;
      }
      std::string note = check.unverifiable ? "needs: " + check.reason : check.reason;
      if (m_options.chinese && check.unverifiable) {
        note = "需要：" + (claim->needs_zh.empty() ? claim->needs : claim->needs_zh);
      }
      if (claim->kind == ClaimKind::count && check.verdict != stats::Verdict::uncheckable) {
        note = L("number of items listed", "所列项数");
      }
      std::string statement = m_options.chinese && !claim->statement_zh.empty()
                                  ? claim->statement_zh
                                  : claim->statement_en;
      table.rows.push_back(
          {plain(statement.empty() ? claim->id : statement), plain(claim->stated),
           plain(claim->unit), plain(number(check.recomputed, false)),
           plain(number(check.difference, true)), plain(number(check.tolerance, false)),
           plain(verdict), plain(note),
           plain(claim->source_line ? fmt::format("{}", *claim->source_line) : "")});
    }
    std::size_t unchecked = selected.size() - holds - fails;
    paragraph(m_options.chinese
                  ? fmt::format("{}条论断中，{}条成立，{}条不成立，{}条无法用这些数据核验。",
                                selected.size(), holds, fails, unchecked)
                  : fmt::format("Of {}, {} {}, {} {} and {} cannot be checked with these figures.",
                                counted(selected.size(), "claim", "claims"), holds,
                                holds == 1 ? "holds" : "hold", fails, fails == 1 ? "fails" : "fail",
                                unchecked));
    m_doc.blocks.push_back(std::move(table));
  }

  void methods() {
    heading(2, L("Methods", "方法"));
    int p = m_options.precision;
    Items items;
    if (m_options.chinese) {
      items.items = {
          "增长：变化 = 止值 − 起值（十进制精确计算）；增幅% = (止值 / 起值 − 1) × 100；年均增长% "
          "= "
          "((止值 / 起值)^(1 / 年数) − 1) × 100，年数为两时期的实际间隔（季度、月份按年的分数计）；"
          "百分比指标的变化以百分点（pp）计，无增幅与年均增长。",
          "推算指标：比重 = n / d × 100（%）；比率 = n / d（定义的单位）；推算总量 = n / (d / "
          "100)。"
          "分母为0或输入缺失时结果缺失。",
          fmt::format("舍入：计算值四舍五入（远离零）保留{}位小数；原文数据保留原有位数。", p),
          "排名：最大为第1；并列取最小名次（10、20、20、30 得 4、2、2、1）；无数值者排在最后。"
          "报道排名为原文所载，非计算所得。",
          "单位换算：同一量纲的数值先换算为同一单位再比较：1亿元 = 10000万元，1平方公里 = 1500亩"
          "（另有元、千元、百万元、千万元、万亿元，万亩、公顷、平方米，人、万人，人次、万人次）。",
          "核验：容差为原文值末位数字的半个单位（76.23 ± 0.005）；原文称“约”“近”时为原文值的5%；"
          "“以上”类论断在重算值不低于原文值减去容差时成立。",
          "缺失值显示为 n/a 并注明原因，从不当作0。",
          "图表：条形自零起按线性刻度绘制；所有数值为正且最大值至少为最小值的1000倍时改用对数刻度，"
          "并在图下注明；非零数值的条形至少绘制2像素。",
      };
    } else {
      items.items = {
          "Growth: change = to − from, exact in decimal; change % = (to / from − 1) × 100; CAGR = "
          "((to / from)^(1 / years) − 1) × 100, years being the real gap between the periods "
          "(quarters and months count as fractions of a year); the change of a % figure is in "
          "percentage points (pp), with no change % or CAGR.",
          "Derived figures: share = n / d × 100 (in %); ratio = n / d (in the definition's unit); "
          "implied = n / (d / 100). A denominator of 0 or a missing input gives a missing value.",
          fmt::format("Rounding: computed values are rounded half away from zero to {} decimals; "
                      "figures as printed keep their own digits.",
                      p),
          "Ranks: largest = 1; ties share the best rank (min: 10, 20, 20, 30 give 4, 2, 2, 1); "
          "figures without a value rank last. Reported ranks are the source's, not computed.",
          "Units: values of one dimension are converted to one unit before they are compared: "
          "1 亿元 = 10 000 万元, 1 平方公里 = 1 500 亩 (and 元, 千元, 百万元, 千万元, 万亿元; "
          "万亩, "
          "公顷, 平方米; 人, 万人; 人次, 万人次).",
          "Claims: the tolerance is half a unit of the stated value's last printed digit (76.23 ± "
          "0.005), or 5 % of it when the source says about (约, 近); an 'at least' claim holds "
          "when the recomputed value is not below the stated one minus the tolerance.",
          "Missing values are shown as n/a with the reason, never as 0.",
          "Charts: bars start from zero on a linear scale; when every value is positive and the "
          "largest is 1000 times the smallest or more, the scale is logarithmic and the chart "
          "says so; bars of non-zero values are at least 2 px long.",
      };
    }
    m_doc.blocks.push_back(std::move(items));
  }

  void sources() {
    heading(2, L("Sources", "来源"));
    std::map<std::string, std::size_t, std::less<>> cited;
    std::vector<std::string> order;
    for (const IndicatorInfo* info : m_indicators) {
      auto it = m_by_indicator.find(info->id);
      if (it == m_by_indicator.end()) continue;
      for (const Observation* obs : it->second) {
        if (obs->computed || obs->source.empty()) continue;
        if (cited[obs->source]++ == 0) order.push_back(obs->source);
      }
    }
    Table table;
    table.caption = L("The documents the figures come from, and how many figures of this report "
                      "each gives.",
                      "数据出处，及本报告中出自各文献的数据个数。");
    table.headers = {L("source", "来源"), L("title", "标题"), L("year", "年份"),
                     L("covers", "内容"), L("figures", "数据数")};
    table.align = {Align::left, Align::left, Align::left, Align::left, Align::right};
    for (const SourceInfo& source : m_data.sources()) {
      std::string t =
          m_options.chinese && !source.title_zh.empty() ? source.title_zh : source.title_en;
      auto it = cited.find(source.id);
      table.rows.push_back({plain(source.id), plain(t), plain(source.year), plain(source.covers),
                            plain(fmt::format("{}", it == cited.end() ? 0 : it->second))});
    }
    for (const std::string& id : order) {
      bool described = std::any_of(m_data.sources().begin(), m_data.sources().end(),
                                   [&](const SourceInfo& s) { return s.id == id; });
      if (!described) {
        table.rows.push_back(
            {plain(id), plain("n/a"), plain(""), plain(""), plain(fmt::format("{}", cited[id]))});
      }
    }
    if (table.rows.empty()) {
      paragraph(L("The figures name no source document.", "数据未注明出处。"));
      return;
    }
    m_doc.blocks.push_back(std::move(table));
  }

  const Dataset& m_data;
  DocumentOptions m_options;
  Document m_doc;
  std::vector<const IndicatorInfo*> m_indicators;
  std::map<std::string, std::vector<const Observation*>, std::less<>> m_by_indicator;
};

} // namespace

Document build_document(const Dataset& data, const DocumentOptions& options) {
  return Builder(data, options).build();
}

} // namespace jjstat::report
