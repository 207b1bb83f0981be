#include "compiler/sema/program.h"

#include <algorithm>

#include "support/date.h"

namespace tauekel::sema {

int Schema::find(const std::string& name) const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return static_cast<int>(i);
  return -1;
}

Program::Program() {
  EnumInfo category;
  category.name = "Category";
  category.members = {"low", "medium", "high"};
  category.package = "std.builtin";
  enums.push_back(std::move(category));
  category_enum = &enums.back();
  declaration.level = Level::Declaration;
  item.level = Level::Item;
  person.level = Level::Person;
}

const char* name(MeasureKind kind) {
  switch (kind) {
    case MeasureKind::Documentary: return "documentary";
    case MeasureKind::Physical: return "physical";
    case MeasureKind::PostRelease: return "post_release";
    case MeasureKind::Other: return "other";
  }
  return "?";
}

const char* name(Corridor corridor) {
  switch (corridor) {
    case Corridor::Green: return "green";
    case Corridor::Blue: return "blue";
    case Corridor::Yellow: return "yellow";
    case Corridor::Red: return "red";
  }
  return "?";
}

const char* name(RiskLevel level) {
  switch (level) {
    case RiskLevel::Low: return "low";
    case RiskLevel::Medium: return "medium";
    case RiskLevel::High: return "high";
  }
  return "?";
}

const char* name(Stage stage) {
  switch (stage) {
    case Stage::BeforeRelease: return "before_release";
    case Stage::AtRelease: return "at_release";
    case Stage::AfterRelease: return "after_release";
  }
  return "?";
}

const char* name(LifeState state) {
  switch (state) {
    case LifeState::Draft: return "draft";
    case LifeState::Approved: return "approved";
    case LifeState::Revoked: return "revoked";
  }
  return "?";
}

int32_t AfterReleaseWindow::firstDay(int32_t reference) const {
  if (unit == Unit::Days) return static_cast<int32_t>(reference - amount + 1);
  int year;
  unsigned month, day;
  date::toCivil(reference, year, month, day);
  int64_t months = unit == Unit::Years ? amount * 12 : amount;
  int64_t index = int64_t{year} * 12 + (month - 1) - months;
  int y = static_cast<int>(index / 12);
  auto m = static_cast<unsigned>(index % 12 + 1);
  // The same day of the month, or the month's last when it is shorter (29 Feb).
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  unsigned last = m == 2 && leap ? 29 : kDays[m - 1];
  return date::fromCivil(y, m, std::min(day, last)) + 1;
}

const char* name(StatutoryKind kind) {
  switch (kind) {
    case StatutoryKind::None: return "none";
    case StatutoryKind::Liability: return "liability";
    case StatutoryKind::Arrears: return "arrears";
  }
  return "?";
}

}  // namespace tauekel::sema
