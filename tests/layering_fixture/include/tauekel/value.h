#pragma once
#include <cstdint>
#include "tauekel/decision.h"
#include <fmt/format.h>
