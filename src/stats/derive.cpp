#include "jjstat/stats/derive.hpp"

#include "jjstat/csv.hpp"
#include "jjstat/error.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace jjstat::stats {
namespace {

/// The numerator converted to `unit` when both are units of one dimension.
Number in_unit(const Observation& obs, const std::string& unit) {
  const Decimal* exact = std::get_if<Decimal>(&*obs.value);
  if (obs.unit == unit || !exact || !same_dimension(obs.unit, unit)) return *obs.value;
  return convert(*exact, obs.unit, unit);
}

/// The value of one derived observation from numerator n and denominator d (both present).
std::optional<Number> compute(const DerivedDefinition& def, const Observation& n,
                              const Observation& d) {
  auto fail = [&](const std::string& why) {
    return DataError(def.where, fmt::format("derived '{}': {}", def.id, why));
  };
  if (to_double(*d.value) == 0) return std::nullopt;
  switch (def.kind) {
  case DerivedKind::share: {
    if (!same_dimension(n.unit, d.unit)) {
      throw fail(fmt::format("a share needs numerator and denominator of one dimension, but "
                             "'{}' is in {} and '{}' in {}",
                             n.indicator, n.unit, d.indicator, d.unit));
    }
    return ratio(times_hundred(in_unit(n, d.unit)), *d.value);
  }
  case DerivedKind::ratio: {
    std::string target = def.unit.substr(0, def.unit.find('/'));
    if (target != n.unit && !same_dimension(target, n.unit)) {
      throw fail(fmt::format("unit '{}' does not fit the numerator '{}' in {}", def.unit,
                             n.indicator, n.unit));
    }
    return ratio(in_unit(n, target), *d.value);
  }
  case DerivedKind::implied: {
    if (d.unit != "%") {
      throw fail(fmt::format("an implied value needs a denominator in %, but '{}' is in {}",
                             d.indicator, d.unit));
    }
    if (def.unit != n.unit && !same_dimension(def.unit, n.unit)) {
      throw fail(fmt::format("unit '{}' does not fit the numerator '{}' in {}", def.unit,
                             n.indicator, n.unit));
    }
    return ratio(times_hundred(in_unit(n, def.unit)), *d.value);
  }
  }
  return std::nullopt;
}

/// An entity's period: where a numerator finds its denominators.
struct EntityPeriod {
  std::string_view entity;
  std::int32_t period = 0; ///< Period::code()
  bool operator==(const EntityPeriod&) const = default;
};
struct EntityPeriodHash {
  std::size_t operator()(const EntityPeriod& key) const {
    return std::hash<std::string_view>{}(key.entity) * 31 + static_cast<std::uint32_t>(key.period);
  }
};

/// The figures of one definition (see add_derived_figures()), from its numerators and
/// denominators.
std::vector<Observation> derive_from(const DerivedDefinition& def,
                                     const std::vector<const Observation*>& numerators,
                                     const std::vector<const Observation*>& denominator_list) {
  std::vector<Observation> out;
  // The denominator's figures by entity and period, in the data's order (looked up, not
  // searched for each numerator: a million figures would take hours).
  std::unordered_map<EntityPeriod, std::vector<const Observation*>, EntityPeriodHash> denominators;
  for (const Observation* d : denominator_list) {
    denominators[{d->entity, d->period.code()}].push_back(d);
  }
  for (const Observation* numerator : numerators) {
    const Observation& n = *numerator;
    std::string_view wanted = def.numerator_entity.empty() ? def.entity : def.numerator_entity;
    if (!wanted.empty() && n.entity != wanted) continue;
    // With no entity named, each entity's numerator pairs with its own denominator.
    std::string_view denominator_entity =
        !def.denominator_entity.empty() ? std::string_view(def.denominator_entity)
        : !def.entity.empty()           ? std::string_view(def.entity)
                                        : std::string_view(n.entity);
    const auto found = denominators.find({denominator_entity, n.period.code()});
    if (found == denominators.end()) continue;
    for (const Observation* denominator : found->second) {
      const Observation& d = *denominator;
      Observation result;
      result.entity = def.entity.empty() ? n.entity : def.entity;
      result.indicator = def.id;
      result.period = n.period;
      result.unit = def.unit;
      result.qualifiers = n.qualifiers.merged(d.qualifiers);
      result.qualifiers.add(Qualifier::derived);
      if (n.value && d.value) result.value = compute(def, n, d);
      result.source = "derived";
      result.computed = true; // (its origin, the definition's row, is set by add_derived())
      out.push_back(std::move(result));
    }
  }
  return out;
}

} // namespace

void add_derived_figures(Dataset& dataset,
                         const std::function<std::string_view(std::string_view)>& text_of) {
  // Every definition's figures from one pass over the data (not two passes a definition).
  auto by = observations_by_indicator(dataset);
  // Each id first (defined once, not an indicator of the data), then each definition's inputs.
  std::unordered_map<std::string_view, const DerivedDefinition*> defined;
  for (const DerivedDefinition& def : dataset.derived_definitions()) {
    if (const auto [earlier, added] = defined.try_emplace(def.id, &def); !added) {
      throw DataError(def.where,
                      fmt::format("derived '{}' is defined twice; first at {}:{}", def.id,
                                  earlier->second->where.source, earlier->second->where.line));
    }
    if (const IndicatorInfo* clash = dataset.find_indicator(def.id)) {
      // The data's row is what the user can change; the definition may be embedded. A
      // definition of the user's that takes the id of an embedded indicator is the definition's
      // error.
      if (clash->origin.starts_with("embedded:") && !def.where.source.starts_with("embedded:")) {
        throw DataError(def.where, fmt::format("derived '{}' has the id of an indicator of the "
                                               "embedded data ({}); give it another id",
                                               def.id, clash->origin));
      }
      // At the indicator's cell, located in its input's text as the reader locates a cell (a
      // quoted cell before it may hold a line break); without the text, the row at column 1.
      const std::size_t colon = clash->origin.rfind(':');
      const std::string source = clash->origin.substr(0, colon);
      const std::string_view text = text_of ? text_of(source) : std::string_view();
      const Location where =
          text.empty() ? Location{source, std::stoul(clash->origin.substr(colon + 1)), 1, ""}
                       : csv::Reader(text, source).locate(clash->origin_offset);
      throw DataError(where, fmt::format("indicator '{}' is a derived figure, computed from its "
                                         "definition at {}:{}; leave its rows out of the data or "
                                         "give them another indicator id",
                                         def.id, def.where.source, def.where.line));
    }
  }
  // A derived figure is made from the data's figures only: an input named after another
  // definition would find none, and the definition would give nothing without a word.
  for (const DerivedDefinition& def : dataset.derived_definitions()) {
    for (const auto& [input, what, where] :
         {std::tuple{&def.numerator, "numerator", &def.numerator_where},
          std::tuple{&def.denominator, "denominator", &def.denominator_where}}) {
      const auto other = defined.find(*input);
      if (other == defined.end()) continue;
      throw DataError(*where, fmt::format("derived '{}': its {} '{}' is itself a derived figure "
                                          "(defined at {}:{}); expected an indicator of the data",
                                          def.id, what, *input, other->second->where.source,
                                          other->second->where.line));
    }
  }
  std::vector<std::pair<const DerivedDefinition*, std::vector<Observation>>> results;
  for (const DerivedDefinition& def : dataset.derived_definitions())
    results.emplace_back(&def, derive_from(def, by[def.numerator], by[def.denominator]));
  // Added only after every definition is computed: a derived figure is made from data, never
  // from another derived figure, so the order of the definitions does not matter.
  std::size_t count = 0;
  for (const auto& [def, observations] : results) count += observations.size();
  dataset.expect_derived(count);
  for (auto& [def, observations] : results) {
    for (Observation& obs : observations) dataset.add_derived(*def, std::move(obs));
  }
}

} // namespace jjstat::stats
