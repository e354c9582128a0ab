#include "index/query_translation.h"

#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "index/index_terms.h"
#include "marginalia/error.h"
#include "marginalia/naming.h"
#include "marginalia/search.h"
#include "marginalia/text.h"

namespace marginalia::index {

namespace {

// Internal field names: never accepted from a person's query (they are no known field), so a query
// cannot reach them except through the filters below.
constexpr const char* kFieldSource = "mxs";
constexpr const char* kFieldCode = "mxk";
constexpr const char* kFieldCoder = "mxu";
constexpr const char* kFieldSpeaker = "mxp";
constexpr const char* kFieldRole = "mxr";
constexpr const char* kFieldTime = "mxt:";

std::string attribute_field(size_t i) {
  std::string name = "mxa";
  do {
    name += static_cast<char>('a' + i % 26);
    i /= 26;
  } while (i);
  return name;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool ends_word(char c) {
  return is_space(c) || c == '(' || c == ')' || c == '"';
}
bool is_ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_field_char(char c) {
  // Letters of any script (UTF-8 lead and continuation bytes), digits and . _ -
  return is_ascii_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ||
         (static_cast<unsigned char>(c) & 0x80);
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    const int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (int k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

std::optional<int64_t> parse_time_ms(std::string_view t) {
  // "300", "300.5" (seconds), "05:00", "00:05:00"
  std::vector<std::string_view> parts;
  size_t from = 0;
  while (true) {
    const size_t colon = t.find(':', from);
    parts.push_back(t.substr(from, colon - from));
    if (colon == std::string_view::npos) break;
    from = colon + 1;
  }
  if (parts.size() > 3) return std::nullopt;
  double total = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string_view p = parts[i];
    if (p.empty()) return std::nullopt;
    bool dot = false;
    size_t digits = 0;
    for (char c : p) {
      if (c == '.' && !dot && i + 1 == parts.size())
        dot = true;
      else if (c < '0' || c > '9')
        return std::nullopt;
      else
        ++digits;
    }
    // A lone "." has no number in it, and hundreds of digits overflow: both are refused here, where
    // the caller says how a time is written (found by fuzzing: std::stod threw past the check).
    if (digits == 0 || digits > 12) return std::nullopt;
    const double v = std::stod(std::string(p));
    if (i > 0 && v >= 60) return std::nullopt;
    total = total * 60 + v;
  }
  return static_cast<int64_t>(std::llround(total * 1000));
}

enum class Prev { Start, Open, Word, Filter, Close, Binary, Not };

class Translator {
 public:
  Translator(const Project& project, std::string_view query)
      : project_(project), q_(query), map_(query) {
    for (const Case& c : project.cases)
      for (const auto& [name, value] : c.attributes) attributes_.emplace(fold_case(name), name);
  }

  TranslatedQuery run() {
    size_t i = 0;
    while (i < q_.size()) {
      if (is_space(q_[i])) {
        ++i;
        continue;
      }
      const size_t start = i;
      if (q_[i] == '(') {
        brackets_.push_back(start);
        operand_follows(start, "(");
        prev_ = Prev::Open;
        emit("(");
        ++i;
        continue;
      }
      if (q_[i] == ')') {
        if (brackets_.empty()) fail("unbalanced bracket: ')' without a '(' before it", start);
        if (prev_ == Prev::Open) fail("empty brackets '()'", brackets_.back());
        check_operator_has_right_operand();
        brackets_.pop_back();
        prev_ = Prev::Close;
        emit(")");
        ++i;
        continue;
      }
      // Xapian's love/hate prefixes stay with what follows them.
      std::string sign;
      if ((q_[i] == '+' || q_[i] == '-') && i + 1 < q_.size() && !is_space(q_[i + 1]) &&
          q_[i + 1] != ')') {
        sign = q_[i];
        ++i;
      }
      if (q_[i] == '"') {
        i = phrase(start, i, sign);
        continue;
      }
      size_t end = i;
      while (end < q_.size() && !ends_word(q_[end])) ++end;
      const std::string_view token = q_.substr(i, end - i);
      if (sign.empty() && operator_token(token, start)) {
        i = end;
        continue;
      }
      if (auto colon = field_colon(i); colon != std::string_view::npos) {
        i = filter(start, i, colon, sign);
        continue;
      }
      word(start, token, sign);
      i = end;
    }
    if (!brackets_.empty()) fail("unbalanced bracket: '(' is never closed", brackets_.back());
    check_operator_has_right_operand();
    if (!operands_)
      fail("empty query: type words, \"a phrase\" or a filter such as role:client", 0);
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(const std::string& message, size_t byte) const {
    int64_t position = 0;
    try {
      position = map_.code_point_of_byte(static_cast<int64_t>(byte));
    } catch (const BadInput&) {
      position = static_cast<int64_t>(byte);
    }
    throw QueryError(message + " (at character " + std::to_string(position + 1) + ")", position);
  }

  void emit(std::string_view text) {
    if (!out_.text.empty()) out_.text += ' ';
    out_.text += text;
  }

  void operand_follows(size_t at, std::string_view what) {
    if (prev_ == Prev::Binary && near_) {
      if (what != "word") fail(op_name_ + " works between words or phrases", op_at_);
    }
  }

  void operand(Prev kind, size_t at) {
    operand_follows(at, kind == Prev::Word ? "word" : "filter");
    prev_ = kind;
    near_ = false;
    ++operands_;
  }

  void check_operator_has_right_operand() {
    if (prev_ == Prev::Binary || prev_ == Prev::Not)
      fail(op_name_ + (near_ ? " needs a word or phrase on each side, e.g. distance NEAR/5 myself"
                             : " needs something after it"),
           op_at_);
  }

  bool operator_token(std::string_view token, size_t at) {
    std::string name(token);
    bool near = false;
    if (token.starts_with("NEAR/") || token.starts_with("ADJ/")) {
      const std::string_view distance = token.substr(token.find('/') + 1);
      const bool digits =
          !distance.empty() && distance.find_first_not_of("0123456789") == std::string_view::npos;
      if (!digits)
        fail(std::string(token.substr(0, token.find('/'))) +
                 "/ needs a distance in words, e.g. NEAR/5",
             at);
      name = std::string(token.substr(0, token.find('/')));
      near = true;
    } else if (token == "NEAR" || token == "ADJ") {
      near = true;
    } else if (token != "AND" && token != "OR" && token != "XOR" && token != "NOT") {
      return false;
    }
    if (token == "NOT") {
      // "NOT x" alone, "x NOT y" and "x AND NOT y" are all fine.
      if (prev_ == Prev::Not) fail("NOT needs something after it", op_at_);
      if (prev_ == Prev::Binary && op_name_ != "AND" && op_name_ != "OR")
        fail(op_name_ + " needs something after it", op_at_);
      prev_ = Prev::Not;
    } else {
      if (prev_ == Prev::Binary || prev_ == Prev::Not) check_operator_has_right_operand();
      if (prev_ == Prev::Start || prev_ == Prev::Open)
        fail(name + (near ? " needs a word or phrase on each side, e.g. distance NEAR/5 myself"
                          : " needs something before it"),
             at);
      if (near && prev_ != Prev::Word) fail(name + " works between words or phrases", at);
      prev_ = Prev::Binary;
    }
    op_name_ = name;
    op_at_ = at;
    near_ = near;
    emit(token);
    return true;
  }

  // The colon of a `name:` filter starting at `i`, or npos when the token is no filter.
  size_t field_colon(size_t i) const {
    if (i >= q_.size()) return std::string_view::npos;
    const unsigned char first = static_cast<unsigned char>(q_[i]);
    if (!is_ascii_alpha(q_[i]) && first < 0x80) return std::string_view::npos;
    size_t k = i;
    while (k < q_.size() && is_field_char(q_[k])) ++k;
    if (k < q_.size() && q_[k] == ':') return k;
    return std::string_view::npos;
  }

  size_t phrase(size_t start, size_t quote, const std::string& sign) {
    const size_t close = q_.find('"', quote + 1);
    if (close == std::string_view::npos) fail("unbalanced quote: '\"' is never closed", quote);
    const std::string_view inside = q_.substr(quote + 1, close - quote - 1);
    std::vector<std::string> terms;
    for (Word& w : split_words(inside)) terms.push_back(std::move(w.term));
    if (terms.empty()) fail("empty phrase \"\"", quote);
    operand(Prev::Word, start);
    out_.phrases.push_back(std::move(terms));
    emit(sign + "\"" + fold_accents(to_nfc(inside)) + "\"");
    return close + 1;
  }

  void word(size_t start, std::string_view token, const std::string& sign) {
    operand(Prev::Word, start);
    std::string text = fold_accents(to_nfc(token));
    if (text.size() > 1 && text.back() == '*') {
      std::vector<Word> words = split_words(std::string_view(text).substr(0, text.size() - 1));
      if (!words.empty()) out_.wildcards.push_back(words.back().term);
    }
    for (Word& w : split_words(text)) out_.loose_terms.insert(std::move(w.term));
    emit(sign + text);
  }

  size_t filter(size_t start, size_t name_at, size_t colon, const std::string& sign) {
    const std::string name(q_.substr(name_at, colon - name_at));
    std::string field = fold_case(name);
    // The value: "quoted" (spaces allowed) or up to the next space or bracket.
    size_t value_at = colon + 1, next;
    std::string value;
    if (value_at < q_.size() && q_[value_at] == '"') {
      const size_t close = q_.find('"', value_at + 1);
      if (close == std::string_view::npos) fail("unbalanced quote: '\"' is never closed", value_at);
      value = std::string(q_.substr(value_at + 1, close - value_at - 1));
      next = close + 1;
    } else {
      next = value_at;
      while (next < q_.size() && !is_space(q_[next]) && q_[next] != '(' && q_[next] != ')') ++next;
      value = std::string(q_.substr(value_at, next - value_at));
    }

    static const std::set<std::string> builtin = {"speaker", "role",  "source",
                                                  "code",    "coder", "time"};
    std::string attribute;
    if (field.starts_with("case.")) {
      auto it = attributes_.find(field.substr(5));
      if (it == attributes_.end()) fail(unknown_field(name), name_at);
      attribute = it->second;
    } else if (!builtin.count(field)) {
      auto it = attributes_.find(field);
      if (it == attributes_.end()) fail(unknown_field(name), name_at);
      attribute = it->second;
    }
    if (value.find_first_not_of(" \t") == std::string::npos)
      fail("the filter '" + name + ":' has no value, e.g. " + name + ":" + example(field), name_at);
    operand(Prev::Filter, start);

    auto emit_term = [&](const std::string& internal, const std::string& v) {
      std::string clean;
      for (char c : v)
        if (c != '"') clean += c;
      emit(sign + internal + ":\"" + clean + "\"");
    };
    try {
      if (!attribute.empty()) {
        // Case attributes: one internal field each, so two attributes AND and one attribute's
        // values OR, as Xapian groups boolean filters by field.
        size_t index = 0;
        auto it = attribute_index_.find(fold_case(attribute));
        if (it == attribute_index_.end()) {
          index = attribute_index_.size();
          attribute_index_.emplace(fold_case(attribute), index);
        } else {
          index = it->second;
        }
        out_.attribute_fields = attribute_index_.size();
        emit_term(attribute_field(index),
                  attribute_term(attribute, value).substr(2));  // XA added by the prefix
      } else if (field == "speaker") {
        emit_term(kFieldSpeaker, speaker_term(value).substr(1));
      } else if (field == "role") {
        const auto role = parse_role(value);
        if (!role)
          fail("unknown role '" + value +
                   "' (roles: interviewer, therapist, client, participant, other, unknown)",
               value_at);
        emit_term(kFieldRole, std::string(role_name(*role)));
      } else if (field == "source") {
        emit_term(kFieldSource, resolve_source(project_, value));
      } else if (field == "code") {
        emit_term(kFieldCode, resolve_code(project_, value));
      } else if (field == "coder") {
        const Coder* coder = project_.coder_named(value);
        if (!coder) coder = project_.coder(normalize_guid(value));
        if (!coder) fail("no coder named \"" + value + "\"", value_at);
        emit_term(kFieldCoder, coder->guid);
      } else if (field == "time") {
        time_range(value, value_at, sign);
      }
    } catch (const QueryError&) {
      throw;
    } catch (const BadInput& e) {
      fail(name + ":" + value + ": " + e.what(), value_at);
    }
    return next;
  }

  void time_range(const std::string& value, size_t at, const std::string& sign) {
    const size_t dots = value.find("..");
    const std::string usage =
        "time: takes START..END in seconds or [hh:]mm:ss, e.g. time:00:05:00..00:10:00 or "
        "time:300..600 (either end may be left out)";
    if (dots == std::string::npos) fail(usage, at);
    const std::string from = value.substr(0, dots), to = value.substr(dots + 2);
    std::optional<int64_t> a, b;
    if (!from.empty() && !(a = parse_time_ms(from))) fail(usage, at);
    if (!to.empty() && !(b = parse_time_ms(to))) fail(usage, at);
    if (!a && !b) fail(usage, at);
    if (a && b && *a > *b) fail("time range " + value + " ends before it starts", at);
    emit(sign + kFieldTime + (a ? std::to_string(*a) : "") + ".." + (b ? std::to_string(*b) : ""));
  }

  std::string unknown_field(const std::string& name) const {
    static const std::set<std::string> kBuiltIn{"speaker", "role",  "source",
                                                "code",    "coder", "time"};
    std::string known = "speaker, role, source, code, coder, time";
    // An attribute named like a built-in field is reached as case.NAME (DESIGN.md).
    for (const auto& [folded, original] : attributes_)
      known += ", " + (kBuiltIn.count(folded) ? "case." + original : original);
    return "unknown field '" + name + ":' (fields: " + known + ")";
  }

  static std::string example(const std::string& field) {
    if (field == "role") return "client";
    if (field == "time") return "00:05:00..00:10:00";
    if (field == "code") return "shame";
    return "NAME";
  }

  const Project& project_;
  std::string_view q_;
  OffsetMap map_;
  std::map<std::string, std::string> attributes_;  // folded name -> name as on the cases
  std::map<std::string, size_t> attribute_index_;
  std::vector<size_t> brackets_;
  Prev prev_ = Prev::Start;
  std::string op_name_;
  size_t op_at_ = 0;
  bool near_ = false;
  size_t operands_ = 0;
  TranslatedQuery out_;
};

// time:A..B with A and B already in milliseconds.
class TimeRange : public Xapian::RangeProcessor {
 public:
  TimeRange() : Xapian::RangeProcessor(kSlotTimestamp, kFieldTime) {}
  Xapian::Query operator()(const std::string& begin, const std::string& end) override {
    // Only the translator writes this field, but text that reaches the parser spelled like it must
    // not throw past the search, nor throw at all: Xapian's parser leaks what it holds when a
    // range processor throws (both found by fuzz_query). Not a number matches nothing.
    auto number = [](const std::string& s) -> std::optional<double> {
      char* end = nullptr;
      const double v = std::strtod(s.c_str(), &end);
      if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
      return v;
    };
    const std::optional<double> from = number(begin), to = number(end);
    if ((!begin.empty() && !from) || (!end.empty() && !to) || (!from && !to))
      return Xapian::Query::MatchNothing;
    auto ms = [](double v) { return Xapian::sortable_serialise(v); };
    if (!from) return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, ms(*to));
    if (!to) return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, ms(*from));
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, ms(*from), ms(*to));
  }
};

}  // namespace

TranslatedQuery translate_query(const Project& project, std::string_view query) {
  if (!valid_utf8(query)) throw QueryError("the query is not valid UTF-8");
  return Translator(project, query).run();
}

unsigned query_parser_flags() {
  return Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
         Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
         Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_CJK_NGRAM;
}

Xapian::QueryParser make_query_parser(const Project& project, const TranslatedQuery& translated,
                                      const Xapian::Database& db) {
  Xapian::QueryParser parser;
  parser.set_database(db);
  parser.set_stemmer(stemmer_for(project.language));
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  // Researchers narrow down: every word must be there unless they say OR.
  parser.set_default_op(Xapian::Query::OP_AND);
  parser.add_boolean_prefix(kFieldSource, "S");
  parser.add_boolean_prefix(kFieldCode, "K");
  parser.add_boolean_prefix(kFieldCoder, "U");
  parser.add_boolean_prefix(kFieldSpeaker, "P");
  parser.add_boolean_prefix(kFieldRole, "R");
  for (size_t i = 0; i < translated.attribute_fields; ++i)
    parser.add_boolean_prefix(attribute_field(i), "XA");
  parser.add_rangeprocessor((new TimeRange)->release());
  return parser;
}

}  // namespace marginalia::index
