#include "quantities/quantity_recogniser.h"

#include <gtest/gtest.h>

TEST(QuantityRecogniser, Loads) {}
