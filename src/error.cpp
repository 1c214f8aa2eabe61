#include "jjstat/error.hpp"

#include <utility>

namespace jjstat {

DataError::DataError(Location where, const std::string& message)
    : std::runtime_error(message), m_where(std::move(where)) {}

} // namespace jjstat
