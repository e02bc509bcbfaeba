#include "read/reader.h"

#include <gtest/gtest.h>

TEST(Reader, Placeholder) {}
