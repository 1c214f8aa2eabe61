#define BOOST_TEST_MODULE jjstat
#include <boost/test/unit_test.hpp>
