#pragma once
/// Derived figures: shares, per-unit ratios and implied values, computed from the definitions
/// in the data (data/meta/derived.csv and the user's own).

#include "jjstat/dataset.hpp"

#include <functional>
#include <string_view>
#include <vector>

namespace jjstat::stats {

/// Computes every definition and adds the results to `dataset` as derived observations: for
/// each, one per entity and period where both inputs exist, the value missing when an input is
/// missing or the denominator is 0. Throws DataError at a definition whose units do not fit its
/// kind. `text_of`, when given, gives the text of an input by its name (empty when it has none),
/// so that an error at a row of the data (a row that takes a derived figure's id) shows it.
void add_derived_figures(
    Dataset& dataset,
    const std::function<std::string_view(std::string_view source)>& text_of = nullptr);

} // namespace jjstat::stats
