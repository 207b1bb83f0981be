#include "support/json.h"

#include <cmath>
#include <cstdlib>
#include <set>

#include "support/text.h"
#include "support/utf8.h"

namespace tauekel::json {

void appendString(std::string& out, std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  // Most texts (codes, ids, names) are printable ASCII with nothing to escape: one pass.
  bool plain = true;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    plain &= c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
  }
  if (plain) {
    out.push_back('"');
    out.append(text);
    out.push_back('"');
    return;
  }
  std::string repaired;
  if (utf8::findProblem(text).kind != utf8::Problem::None) {
    repaired = utf8::sanitize(text);
    text = repaired;
  }
  out.push_back('"');
  // Copy runs that need no escaping in one go.
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

void Writer::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.back()) out_.push_back(',');
  first_.back() = false;
}

Writer& Writer::beginObject() {
  separate();
  out_.push_back('{');
  first_.push_back(true);
  return *this;
}
Writer& Writer::endObject() {
  first_.pop_back();
  out_.push_back('}');
  return *this;
}
Writer& Writer::beginArray() {
  separate();
  out_.push_back('[');
  first_.push_back(true);
  return *this;
}
Writer& Writer::endArray() {
  first_.pop_back();
  out_.push_back(']');
  return *this;
}
Writer& Writer::key(std::string_view name) {
  separate();
  appendString(out_, name);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}
Writer& Writer::value(std::string_view text) {
  separate();
  appendString(out_, text);
  return *this;
}
Writer& Writer::value(int64_t number) {
  separate();
  out_ += std::to_string(number);
  return *this;
}
Writer& Writer::value(uint64_t number) {
  separate();
  out_ += std::to_string(number);
  return *this;
}
Writer& Writer::value(bool flag) {
  separate();
  out_ += flag ? "true" : "false";
  return *this;
}
Writer& Writer::raw(std::string_view json) {
  separate();
  out_ += json;
  return *this;
}
Writer& Writer::null() {
  separate();
  out_ += "null";
  return *this;
}

const Value* Value::find(std::string_view name) const {
  if (!isObject()) return nullptr;
  for (const auto& [k, v] : asObject())
    if (k == name) return &v;
  return nullptr;
}

namespace {

constexpr int kMaxDepth = 256;

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  bool parseDocument(Value& out) {
    skipSpace();
    if (!parseValue(out, 0)) return false;
    skipSpace();
    if (pos_ != text_.size()) return fail("unexpected text after the JSON value");
    return true;
  }
  size_t pos_ = 0;
  std::string error_;

 private:
  bool fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }
  void skipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return fail("invalid literal");
    pos_ += word.size();
    return true;
  }
  bool parseValue(Value& out, int depth) {
    if (depth > kMaxDepth) return fail("nesting deeper than 256 levels");
    if (pos_ >= text_.size()) return fail("unexpected end of input");
    char c = text_[pos_];
    switch (c) {
      case '{': return parseObject(out, depth);
      case '[': return parseArray(out, depth);
      case '"': {
        std::string s;
        if (!parseString(s)) return false;
        out = Value(std::move(s));
        return true;
      }
      case 't': if (!literal("true")) return false; out = Value(true); return true;
      case 'f': if (!literal("false")) return false; out = Value(false); return true;
      case 'n': if (!literal("null")) return false; out = Value(nullptr); return true;
      default: return parseNumber(out);
    }
  }
  bool parseNumber(Value& out) {
    size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    auto digits = [&] {
      size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ > from;
    };
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return fail("invalid value");
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) return fail("invalid number");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return fail("invalid number");
    }
    std::string number(text_.substr(start, pos_ - start));
    double d = std::strtod(number.c_str(), nullptr);
    out = Value(d, std::move(number));
    return true;
  }
  static void appendUtf8(std::string& s, uint32_t cp) {
    if (cp < 0x80) {
      s.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  bool hex4(uint32_t& out) {
    if (pos_ + 4 > text_.size()) return fail("truncated \\u escape");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      out <<= 4;
      if (c >= '0' && c <= '9') out |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') out |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') out |= static_cast<uint32_t>(c - 'A' + 10);
      else return fail("invalid \\u escape");
    }
    return true;
  }
  bool parseString(std::string& s) {
    ++pos_;  // opening quote
    size_t run = pos_;
    while (true) {
      if (pos_ >= text_.size()) return fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        s.append(text_.substr(run, pos_ - run));
        ++pos_;
        break;
      }
      if (c < 0x20) return fail("control character in string");
      if (c != '\\') {
        ++pos_;
        continue;
      }
      s.append(text_.substr(run, pos_ - run));
      ++pos_;
      if (pos_ >= text_.size()) return fail("unterminated string");
      char e = text_[pos_++];
      switch (e) {
        case '"': s.push_back('"'); break;
        case '\\': s.push_back('\\'); break;
        case '/': s.push_back('/'); break;
        case 'b': s.push_back('\b'); break;
        case 'f': s.push_back('\f'); break;
        case 'n': s.push_back('\n'); break;
        case 'r': s.push_back('\r'); break;
        case 't': s.push_back('\t'); break;
        case 'u': {
          uint32_t cp;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low;
            if (text_.substr(pos_, 2) != "\\u") return fail("unpaired surrogate");
            pos_ += 2;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return fail("unpaired surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail("unpaired surrogate");
          }
          appendUtf8(s, cp);
          break;
        }
        default: return fail("invalid escape");
      }
      run = pos_;
    }
    if (utf8::findProblem(s).kind != utf8::Problem::None) return fail("invalid UTF-8 in string");
    return true;
  }
  bool parseArray(Value& out, int depth) {
    ++pos_;
    Array items;
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      out = Value(std::move(items));
      return true;
    }
    while (true) {
      skipSpace();
      Value v;
      if (!parseValue(v, depth + 1)) return false;
      items.push_back(std::move(v));
      skipSpace();
      if (pos_ >= text_.size()) return fail("unterminated array");
      if (text_[pos_] == ',') { ++pos_; continue; }
      if (text_[pos_] == ']') { ++pos_; break; }
      return fail("expected ',' or ']'");
    }
    out = Value(std::move(items));
    return true;
  }
  // Linear for small objects; a sorted copy of the names for large ones, so an object
  // with many members is not quadratic.
  static bool isDuplicate(const Object& members, const std::string& name, std::set<std::string>& large) {
    if (members.size() < 32) {
      for (const auto& [k, v] : members)
        if (k == name) return true;
      return false;
    }
    if (large.empty())
      for (const auto& [k, v] : members) large.insert(k);
    return !large.insert(name).second;
  }
  bool parseObject(Value& out, int depth) {
    ++pos_;
    Object members;
    std::set<std::string> large;
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      out = Value(std::move(members));
      return true;
    }
    while (true) {
      skipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return fail("expected a member name");
      std::string name;
      size_t name_at = pos_;
      if (!parseString(name)) return false;
      if (isDuplicate(members, name, large)) {
        pos_ = name_at;
        return fail("member " + text::quoted(name) + " appears twice in one object: which value is meant cannot be told");
      }
      skipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return fail("expected ':'");
      ++pos_;
      skipSpace();
      Value v;
      if (!parseValue(v, depth + 1)) return false;
      members.emplace_back(std::move(name), std::move(v));
      skipSpace();
      if (pos_ >= text_.size()) return fail("unterminated object");
      if (text_[pos_] == ',') { ++pos_; continue; }
      if (text_[pos_] == '}') { ++pos_; break; }
      return fail("expected ',' or '}'");
    }
    out = Value(std::move(members));
    return true;
  }

  std::string_view text_;
};

}  // namespace

Expected<Value> parse(std::string_view text, size_t* error_offset) {
  Parser parser(text);
  Value out;
  if (!parser.parseDocument(out)) {
    if (error_offset) *error_offset = parser.pos_;
    return Error{parser.error_};
  }
  return out;
}

}  // namespace tauekel::json
