// Records split off by one thread and read back on another (csv::RecordBlock,
// csv::BlockReader) read exactly as the file's Reader read them: fields, lines, raw
// prefixes, malformed records with their errors and the fields before the fault.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/csv_block.h"

using namespace tauekel;

namespace {

struct Seen {
  csv::Reader::Status status;
  uint64_t line;
  std::vector<std::string> fields;
  std::string error;
  std::string prefix;
};

template <class R>
Seen look(R& reader, csv::Reader::Status status) {
  Seen s{status, reader.line(), {}, reader.error(), ""};
  if (status == csv::Reader::Status::Record) {
    for (size_t i = 0; i < reader.size(); ++i) s.fields.emplace_back(reader.field(i));
    if (reader.size() > 2) s.prefix = std::string(reader.rawPrefix(2));
  } else {
    s.fields = reader.fieldsBeforeError();
  }
  return s;
}

}  // namespace

TEST_CASE("csv block: records read back as the file's reader read them") {
  const std::string text =
      "h1,h2,h3\n"
      "a,\"quoted, with comma\",c\r\n"
      "\n\n"
      "d,\"two\nlines and \"\"quotes\"\"\",f\n"
      "bad\"quote,x,y\n"
      "g,h\rX,i\n"
      ",,\n"
      "last,no,newline";
  auto reader = csv::Reader::fromString(text);
  std::vector<Seen> direct;
  csv::RecordBlock block;
  while (true) {
    auto status = reader->next();
    if (status == csv::Reader::Status::End || status == csv::Reader::Status::Failed) break;
    direct.push_back(look(*reader, status));
    block.add(*reader, status);
  }
  REQUIRE(direct.size() == 7);
  CHECK(direct[2].fields[1] == "two\nlines and \"quotes\"");
  CHECK(direct[3].status == csv::Reader::Status::Error);
  CHECK(direct[4].status == csv::Reader::Status::Error);
  CHECK(block.records() == direct.size());

  csv::BlockReader again(block, "d.csv", 1 << 20);
  for (size_t i = 0; i < direct.size(); ++i) {
    CAPTURE(i);
    auto status = again.next();
    Seen s = look(again, status);
    CHECK(s.status == direct[i].status);
    CHECK(s.line == direct[i].line);
    CHECK(s.fields == direct[i].fields);
    CHECK(s.error == direct[i].error);
    CHECK(s.prefix == direct[i].prefix);
  }
  CHECK(again.next() == csv::Reader::Status::End);
  CHECK(again.name() == "d.csv");
}
