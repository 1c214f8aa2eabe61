// jjstat verify: the source's own derived claims, recomputed from its raw figures.
#include "jjstat/stats/verify.hpp"
#include "jjstat/cli.hpp"
#include "jjstat/commands.hpp"
#include "jjstat/engine/series.hpp"
#include "jjstat/error.hpp"
#include "jjstat/suggest.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <span>

namespace jjstat::commands {
namespace {

struct VerifyOptions {
  std::vector<std::string> claims;
};

std::string verdict_text(stats::Verdict verdict, bool chinese) {
  switch (verdict) {
  case stats::Verdict::holds: return chinese ? "成立" : "holds";
  case stats::Verdict::fails: return chinese ? "不成立" : "fails";
  case stats::Verdict::uncheckable: return chinese ? "无法核验" : "cannot check";
  }
  return {};
}

/// Digits to show a computed (floating) value with: four more than the claim prints, enough to
/// see how close it comes; exact values (counts, sums) show their own digits.
int digits_for(const Claim& claim) { return claim.stated_digits < 0 ? 6 : claim.stated_digits + 4; }

/// True when `options` selects `claim` (every claim is selected when it names none).
bool selected(const VerifyOptions& options, const Claim& claim) {
  return options.claims.empty() ||
         std::find(options.claims.begin(), options.claims.end(), claim.id) != options.claims.end();
}

/// The figures verify reads, streamed when --data files can be (stream_or_load()): only the
/// series its claims name are kept, so that a file of any size takes memory for its series, not
/// its rows. With only such files given, the claims are the embedded data's (or none, with
/// --no-embedded); a claims table among the files is not streamed, and the data is loaded whole.
struct ClaimData {
  const std::vector<Claim>* claims = nullptr;
  std::vector<Observation> streamed; ///< when streamed: the figures of those series
  const Dataset* loaded = nullptr;   ///< otherwise: the data loaded whole

  /// The figures the claims are checked from, streamed or loaded.
  std::span<const Observation> figures() const {
    return loaded ? std::span<const Observation>(loaded->observations()) : streamed;
  }
};

/// Appends `id` to `ids` unless it is there already.
void add_once(std::vector<std::string>& ids, std::string& id) {
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(std::move(id));
}

ClaimData claim_data(const VerifyOptions& options, Context& context) {
  static const std::vector<Claim> k_no_claims;
  ClaimData data;
  if (!context.data_paths.empty() && context.engine != "simple") {
    const std::vector<Claim>& claims =
        context.no_embedded ? k_no_claims : context.embedded_data().claims();
    Selection selection;
    for (const Claim& claim : claims) {
      if (!selected(options, claim)) continue;
      for (auto& [entity, indicator] : stats::claim_series(claim)) {
        add_once(selection.entities, entity);
        add_once(selection.indicators, indicator);
      }
    }
    engine::Retention retention;
    // (No series named: every row is still checked, and nothing kept.)
    retention.keep = selection.indicators.empty() ? engine::Retention::Keep::nothing
                                                  : engine::Retention::Keep::all;
    if (auto store = stream_or_load(context, selection, retention, false)) {
      for (const std::string& indicator : selection.indicators) {
        std::vector<Observation> figures = store->observations_of(indicator);
        std::move(figures.begin(), figures.end(), std::back_inserter(data.streamed));
      }
      data.claims = &claims;
      return data;
    }
  }
  data.loaded = &context.data();
  data.claims = &data.loaded->claims();
  return data;
}

int run_verify(const VerifyOptions& options, Context& context, std::string& out) {
  const ClaimData data = claim_data(options, context);
  const std::vector<Claim>& claims = *data.claims;
  Report report;
  report.add_column("claim", context.label("claim", "论断"));
  report.add_column("statement", context.label("statement", "内容"), Align::left, Audience::human);
  report.add_column("statement_en", "statement_en", Align::left, Audience::machine);
  report.add_column("stated", context.label("stated", "原文值"), Align::right);
  report.add_column("unit", context.label("unit", "单位"));
  report.add_column("recomputed", context.label("recomputed", "重算值"), Align::right);
  report.add_column("difference", context.label("difference", "差"), Align::right);
  report.add_column("tolerance", context.label("tolerance", "容差"), Align::right);
  report.add_column("verdict", context.label("verdict", "结论"));
  report.add_column("note", context.label("note", "说明"));
  report.add_column("source_line", context.label("line", "行"), Align::right);
  for (const std::string& id : options.claims) {
    auto known = [&](const Claim& c) { return c.id == id; };
    if (std::none_of(claims.begin(), claims.end(), known)) {
      std::vector<std::string> ids;
      for (const Claim& c : claims) ids.push_back(c.id);
      throw UsageError(fmt::format("unknown claim '{}'{}; `jjstat verify` lists them all", id,
                                   did_you_mean(id, ids)));
    }
  }
  bool all_hold = true;
  for (const Claim& claim : claims) {
    if (!selected(options, claim)) continue;
    stats::ClaimCheck check = stats::check_claim(data.figures(), claim);
    if (check.verdict == stats::Verdict::fails) all_hold = false;
    const int digits = context.precision_given ? context.precision : digits_for(claim);
    auto number = [&](const std::optional<Number>& v, bool sign) {
      return v ? Cell::number(*v, digits, sign) : Cell::missing();
    };
    // Unverifiable claims say what data would settle them; a checkable claim whose figures are
    // missing says which.
    std::string note_en = check.unverifiable ? "needs: " + check.reason : check.reason;
    std::string note = note_en;
    if (context.chinese && check.unverifiable) {
      note = "需要：" + (claim.needs_zh.empty() ? claim.needs : claim.needs_zh);
    }
    if (claim.kind == ClaimKind::count && check.verdict != stats::Verdict::uncheckable) {
      note_en.clear();
      note = context.chinese ? "所列项数" : "number of items listed";
    }
    report.rows.push_back({
        Cell::text(claim.id),
        Cell::text(context.chinese && !claim.statement_zh.empty() ? claim.statement_zh
                                                                  : claim.statement_en),
        Cell::text(claim.statement_en),
        Cell::text(claim.stated),
        Cell::text(claim.unit),
        number(check.recomputed, false),
        number(check.difference, true),
        number(check.tolerance, false),
        Cell::text(std::string(stats::verdict_id(check.verdict)), verdict_text(check.verdict, context.chinese))
            .with_tone(check.verdict == stats::Verdict::holds   ? Cell::Tone::good
                       : check.verdict == stats::Verdict::fails ? Cell::Tone::bad
                                                                : Cell::Tone::note),
        Cell::text(note_en, note),
        claim.source_line ? Cell::integer(*claim.source_line) : Cell::missing(),
    });
  }
  report.notes.push_back(context.label(
      "Tolerance: half a unit of the stated value's last printed digit (76.23 ± 0.005), or 5 % of "
      "it when the source says about (约, 近); 'at least' claims hold when the recomputed value is "
      "not below the stated one minus the tolerance. Exit status 1 when a checkable claim fails.",
      "容差：原文值末位数字的半个单位（76.23 ± 0.005）；原文称“约”“近”时为原文值的5%；"
      "“以上”类论断在重算值不低于原文值减去容差时成立。有可核验论断不成立时退出状态为1。"));
  format::write(report, context.write, out);
  return all_hold ? cli::k_exit_ok : cli::k_exit_check_failed;
}

} // namespace

Runner setup_verify(CLI::App& app) {
  auto options = std::make_shared<VerifyOptions>();
  app.add_option("CLAIM", options->claims, "Only these claim ids (default: every claim)")
      ->type_name("ID");
  return [options](Context& context, std::string& out) { return run_verify(*options, context, out); };
}

} // namespace jjstat::commands
