#pragma once
/// Derived figures: shares, per-unit ratios and implied values, computed from the definitions
/// in the data (data/meta/derived.csv and the user's own).

#include "jjstat/dataset.hpp"

#include <vector>

namespace jjstat::stats {

/// Computes every definition and adds the results to `dataset` as derived observations: for
/// each, one per entity and period where both inputs exist, the value missing when an input is
/// missing or the denominator is 0. Throws DataError at a definition whose units do not fit its
/// kind.
void add_derived_figures(Dataset& dataset);

} // namespace jjstat::stats
