#pragma once
// Generated declarations (CSV, a row per goods item) as JSON Lines, one declaration
// object per line with its items: what a service or a message broker is sent. Values
// are JSON strings, as a client that holds them as text sends them.

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/load/field_parser.h"
#include "support/csv.h"
#include "support/json.h"

namespace tauekel::bench {

inline std::vector<std::string> declarationsAsJsonLines(const std::string& csv_path, const sema::Program& program,
                                                        size_t limit) {
  std::ifstream in(csv_path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  auto reader = csv::Reader::fromString(text.str());
  std::vector<std::string> out;
  if (reader->next() != csv::Reader::Status::Record) return out;
  std::vector<std::string> header;
  for (size_t i = 0; i < reader->size(); ++i) header.emplace_back(reader->field(i));
  std::set<std::string> item_columns;
  for (const auto& f : runtime::fieldSpecs(program.item)) item_columns.insert(f.column);
  std::string key_column =
      runtime::fieldSpecs(program.declaration)[static_cast<size_t>(program.declaration.key_field)].column;
  size_t key_at = 0;
  while (key_at < header.size() && header[key_at] != key_column) ++key_at;
  std::string key, declaration, items;
  auto finish = [&] {
    if (!key.empty()) out.push_back(declaration + ",\"items\":[" + items + "]}");
  };
  while (out.size() < limit && reader->next() == csv::Reader::Status::Record) {
    if (reader->field(key_at) != key) {
      finish();
      key = std::string(reader->field(key_at));
      declaration.clear();
      items.clear();
      json::Writer d(declaration);
      d.beginObject();
      for (size_t i = 0; i < header.size(); ++i) {
        if (item_columns.count(header[i])) continue;
        d.key(header[i]);
        if (reader->field(i).empty())
          d.null();
        else
          d.value(reader->field(i));
      }
      d.endObject();
      declaration.pop_back();  // the "}": items follow
    }
    std::string item;
    json::Writer w(item);
    w.beginObject();
    for (size_t i = 0; i < header.size(); ++i) {
      if (!item_columns.count(header[i])) continue;
      w.key(header[i]);
      if (reader->field(i).empty())
        w.null();
      else
        w.value(reader->field(i));
    }
    w.endObject();
    items += (items.empty() ? "" : ",") + item;
  }
  if (out.size() < limit) finish();
  return out;
}

}  // namespace tauekel::bench
