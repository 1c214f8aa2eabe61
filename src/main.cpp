#include "jjstat/cli.hpp"

#include <iostream>

int main(int argc, char** argv) {
  return jjstat::cli::run(argc, argv, std::cout, std::cerr, jjstat::cli::process_environment());
}
