#pragma once
// One declaration of a chosen number of goods items, as a JSON object, taken from a
// generated declarations file: the header of its first declaration and the items of its
// first rows (renumbered). For benchmarks of one call or one request.

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/load/field_parser.h"
#include "support/csv.h"
#include "support/json.h"

namespace tauekel::bench {

inline std::string oneDeclaration(const std::string& csv_path, const sema::Program& program, size_t items,
                                  const std::string& key = "") {
  std::ifstream in(csv_path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  auto reader = csv::Reader::fromString(text.str());
  if (reader->next() != csv::Reader::Status::Record) return "";
  std::vector<std::string> header;
  for (size_t i = 0; i < reader->size(); ++i) header.emplace_back(reader->field(i));
  std::set<std::string> item_columns;
  for (const auto& f : runtime::fieldSpecs(program.item)) item_columns.insert(f.column);
  std::string key_column = runtime::fieldSpecs(program.declaration)[static_cast<size_t>(program.declaration.key_field)].column;
  std::string decl, all_items;
  json::Writer d(decl);
  d.beginObject();
  for (size_t row = 0; row < items; ++row) {
    if (reader->next() != csv::Reader::Status::Record) break;
    std::string item;
    json::Writer w(item);
    w.beginObject();
    for (size_t i = 0; i < header.size(); ++i) {
      std::string value(reader->field(i));
      if (header[i] == "item_number") value = std::to_string(row + 1);
      if (header[i] == key_column && !key.empty()) value = key;
      bool is_item = item_columns.count(header[i]) > 0;
      if (!is_item && row > 0) continue;
      json::Writer& target = is_item ? w : d;
      target.key(header[i]);
      if (value.empty())
        target.null();
      else
        target.value(value);
    }
    w.endObject();
    all_items += (all_items.empty() ? "" : ",") + item;
  }
  d.key("items").raw("[" + all_items + "]").endObject();
  return decl;
}

}  // namespace tauekel::bench
