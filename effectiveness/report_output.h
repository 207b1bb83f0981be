#pragma once
// A backtest's figures written out: as JSON (for `tauekel report` and for scripts that
// check them) and as text for an analyst at a terminal.

#include <string>

#include "effectiveness/backtest.h"

namespace tauekel::effectiveness {

std::string backtestJson(const BacktestReport& report);
std::string backtestText(const BacktestReport& report);
// One self-contained page: inline SVG charts, the figures as tables, no script.
std::string backtestHtml(const BacktestReport& report);

// An amount scaled by 10^6, with two decimals ("1234.50").
std::string money(int64_t scaled);

}  // namespace tauekel::effectiveness
