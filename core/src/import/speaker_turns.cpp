// parse_turns: speaker turns in the layouts transcription services and researchers use.
//
// How a line becomes a turn start. Each line is matched against five forms, each anchored at the
// start of the line: "Name: text", "[ts] Name: text", "Name [ts]: text", "(ts) Name: text" and
// Otter's "Name  ts" header line. A label is 1-4 words of letters, digits, dots, apostrophes and
// hyphens, starting with a letter, at most 40 characters. The form with the most matching lines is
// the file's layout, and only lines of that form start turns. Timestamped forms are evidence
// enough. A bare "Name:" is accepted when its label (case-folded) starts at least 2 lines, or the
// role map knows it; a label seen once counts only if every word is capitalised and the file has at
// most 3 such one-off labels, so "But I told him: no" or a stray "Note: ..." in prose never opens a
// turn. Text before the first turn (a title, a date) belongs to no utterance.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "marginalia/text.h"
#include "marginalia/transcript.h"

namespace marginalia {
namespace {

enum class Form { Bracketed, LabelBracket, Parenthesised, Otter, Plain, Count };

constexpr int kMaxLabelWords = 4;
constexpr int kMaxLabelChars = 40;
constexpr size_t kMaxOneOffLabels = 3;

struct Timestamp {
  int64_t ms = 0;
  bool has_hours = false;
  size_t end = 0;  // byte after it in the line
};

struct LineMatch {
  Form form = Form::Plain;
  std::string_view label;
  size_t body = 0;  // byte in the line where the words after the label (and timestamp) may start
  std::optional<Timestamp> timestamp;
};

struct Line {
  size_t begin = 0;  // bytes in the text
  size_t end = 0;    // excluding the LF
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_space(char c) {
  return c == ' ' || c == '\t';
}
bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}

// Digits at `pos`, between `min` and `max` of them; the value and the end, or nullopt.
std::optional<std::pair<int64_t, size_t>> digits(std::string_view s, size_t pos, size_t min,
                                                 size_t max) {
  size_t end = pos;
  int64_t value = 0;
  while (end < s.size() && is_digit(s[end]) && end - pos < max)
    value = value * 10 + (s[end++] - '0');
  if (end - pos < min || (end < s.size() && is_digit(s[end]))) return std::nullopt;
  return std::pair{value, end};
}

// h:mm:ss, hh:mm:ss, m:ss, mm:ss (minutes may pass 59 without hours), optional .fff or ,fff.
std::optional<Timestamp> parse_timestamp(std::string_view s, size_t pos) {
  std::vector<std::pair<int64_t, size_t>> parts;
  auto first = digits(s, pos, 1, 3);
  if (!first) return std::nullopt;
  parts.push_back(*first);
  size_t at = first->second;
  while (parts.size() < 3 && at < s.size() && s[at] == ':') {
    auto next = digits(s, at + 1, 2, 2);
    if (!next) break;
    if (next->first >= 60) return std::nullopt;
    parts.push_back(*next);
    at = next->second;
  }
  if (parts.size() < 2) return std::nullopt;
  Timestamp ts;
  ts.has_hours = parts.size() == 3;
  int64_t seconds = 0;
  for (const auto& part : parts) seconds = seconds * 60 + part.first;
  if (ts.has_hours && parts[1].first >= 60) return std::nullopt;
  ts.ms = seconds * 1000;
  if (at + 1 < s.size() && (s[at] == '.' || s[at] == ',') && is_digit(s[at + 1])) {
    auto fraction = digits(s, at + 1, 1, 3);
    if (fraction) {
      int64_t ms = fraction->first;
      for (size_t n = fraction->second - (at + 1); n < 3; ++n) ms *= 10;
      ts.ms += ms;
      at = fraction->second;
    }
  }
  ts.end = at;
  return ts;
}

size_t skip_spaces(std::string_view s, size_t pos) {
  while (pos < s.size() && is_space(s[pos])) ++pos;
  return pos;
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Non-ASCII characters that end a label: quotes other than the apostrophe, dashes, ellipsis,
// guillemets, inverted marks.
bool is_foreign_punctuation(std::string_view s, size_t pos) {
  static constexpr std::string_view kBanned[] = {"\u2018", "\u201A", "\u201B", "\u201C", "\u201D",
                                                 "\u201E", "\u201F", "\u2013", "\u2014", "\u2026",
                                                 "\u00AB", "\u00BB", "\u00BF", "\u00A1", "\u00B7"};
  for (auto banned : kBanned) {
    if (s.substr(pos).starts_with(banned)) return true;
  }
  return false;
}

bool is_valid_label(std::string_view label) {
  if (label.empty()) return false;
  const unsigned char first = static_cast<unsigned char>(label[0]);
  if (!is_ascii_letter(label[0]) && first < 0x80) return false;
  if (first >= 0x80 && is_foreign_punctuation(label, 0)) return false;
  int words = 1;
  int64_t chars = 0;
  for (size_t i = 0; i < label.size(); ++i) {
    const char c = label[i];
    const auto u = static_cast<unsigned char>(c);
    if ((u & 0xC0) != 0x80) ++chars;
    if (u >= 0x80) {
      if (is_foreign_punctuation(label, i)) return false;
      continue;
    }
    if (c == ' ') {
      // One space between words: two or more separate an Otter label from its timestamp.
      if (i + 1 >= label.size() || label[i + 1] == ' ') return false;
      ++words;
      continue;
    }
    if (!is_ascii_letter(c) && !is_digit(c) && c != '.' && c != '\'' && c != '-') return false;
  }
  return words <= kMaxLabelWords && chars <= kMaxLabelChars;
}

// Every word starts with a capital, a digit or a non-ASCII letter: "Dr. Hollis", "Participant 3".
bool is_title_like(std::string_view label) {
  bool word_start = true;
  for (char c : label) {
    if (word_start && !(is_upper(c) || is_digit(c) || static_cast<unsigned char>(c) >= 0x80)) {
      return false;
    }
    word_start = c == ' ';
  }
  return true;
}

// "Label:" followed by a space, a tab or the end of the line; `pos` is where the label starts.
std::optional<LineMatch> label_colon(std::string_view line, size_t pos) {
  const auto colon = line.find(':', pos);
  if (colon == std::string_view::npos) return std::nullopt;
  if (colon + 1 < line.size() && !is_space(line[colon + 1])) return std::nullopt;
  const auto label = trim_right(line.substr(pos, colon - pos));
  if (!is_valid_label(label)) return std::nullopt;
  LineMatch match;
  match.label = label;
  match.body = colon + 1;
  return match;
}

std::optional<LineMatch> match_plain(std::string_view line) {
  auto match = label_colon(line, 0);
  if (match) match->form = Form::Plain;
  return match;
}

// "[ts] Label: text" or "(ts) Label: text".
std::optional<LineMatch> match_leading_timestamp(std::string_view line, char open, char close,
                                                 Form form) {
  if (line.empty() || line[0] != open) return std::nullopt;
  auto ts = parse_timestamp(line, 1);
  if (!ts || ts->end >= line.size() || line[ts->end] != close) return std::nullopt;
  const size_t label_start = skip_spaces(line, ts->end + 1);
  if (label_start == ts->end + 1) return std::nullopt;
  auto match = label_colon(line, label_start);
  if (!match) return std::nullopt;
  match->form = form;
  match->timestamp = ts;
  return match;
}

// "Label [ts]: text".
std::optional<LineMatch> match_label_bracket(std::string_view line) {
  const auto open = line.find('[');
  if (open == std::string_view::npos || open == 0) return std::nullopt;
  const auto label = trim_right(line.substr(0, open));
  if (!is_valid_label(label)) return std::nullopt;
  auto ts = parse_timestamp(line, open + 1);
  if (!ts || ts->end >= line.size() || line[ts->end] != ']') return std::nullopt;
  const size_t colon = skip_spaces(line, ts->end + 1);
  if (colon >= line.size() || line[colon] != ':') return std::nullopt;
  if (colon + 1 < line.size() && !is_space(line[colon + 1])) return std::nullopt;
  LineMatch match;
  match.form = Form::LabelBracket;
  match.label = label;
  match.body = colon + 1;
  match.timestamp = ts;
  return match;
}

// Otter: "Label  ts" alone on its line; the words follow on the next lines.
std::optional<LineMatch> match_otter(std::string_view line) {
  line = trim_right(line);
  const auto gap = line.find("  ");
  const auto tab = line.find('\t');
  const auto split = std::min(gap, tab);
  if (split == std::string_view::npos || split == 0) return std::nullopt;
  const auto label = line.substr(0, split);
  if (!is_valid_label(label)) return std::nullopt;
  const size_t ts_start = skip_spaces(line, split);
  auto ts = parse_timestamp(line, ts_start);
  if (!ts || ts->end != line.size()) return std::nullopt;
  LineMatch match;
  match.form = Form::Otter;
  match.label = label;
  match.body = line.size();
  match.timestamp = ts;
  return match;
}

std::optional<LineMatch> match_line(std::string_view line) {
  if (auto m = match_leading_timestamp(line, '[', ']', Form::Bracketed)) return m;
  if (auto m = match_leading_timestamp(line, '(', ')', Form::Parenthesised)) return m;
  if (auto m = match_otter(line)) return m;
  if (auto m = match_label_bracket(line)) return m;
  return match_plain(line);
}

std::string layout_name(Form form, bool has_hours) {
  const std::string ts = has_hours ? "hh:mm:ss" : "mm:ss";
  switch (form) {
    case Form::Bracketed:
      return "[" + ts + "] Name: text";
    case Form::LabelBracket:
      return "Name [" + ts + "]: text";
    case Form::Parenthesised:
      return "(" + ts + ") Name: text";
    case Form::Otter:
      return "Otter (Name  hh:mm:ss)";
    case Form::Plain:
    case Form::Count:
      break;
  }
  return "Name: text";
}

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return is_space(c) || c == '\n'; });
}

// [begin, end) in bytes with whitespace (spaces, tabs, line feeds) trimmed from both ends.
std::pair<size_t, size_t> trimmed(std::string_view text, size_t begin, size_t end) {
  while (begin < end && (is_space(text[begin]) || text[begin] == '\n')) ++begin;
  while (end > begin && (is_space(text[end - 1]) || text[end - 1] == '\n')) --end;
  return {begin, end};
}

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  size_t begin = 0;
  while (begin < text.size()) {
    auto end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back({begin, end});
    begin = end + 1;
  }
  return lines;
}

Turns paragraphs(std::string_view text, const std::vector<Line>& lines, const OffsetMap& offsets) {
  Turns turns;
  turns.layout = "paragraphs";
  size_t i = 0;
  while (i < lines.size()) {
    const auto line_text = [&](size_t k) {
      return text.substr(lines[k].begin, lines[k].end - lines[k].begin);
    };
    if (is_blank(line_text(i))) {
      ++i;
      continue;
    }
    const size_t first = i;
    while (i < lines.size() && !is_blank(line_text(i))) ++i;
    const auto [begin, end] = trimmed(text, lines[first].begin, lines[i - 1].end);
    Utterance utterance;
    utterance.start = offsets.code_point_of_byte(static_cast<int64_t>(begin));
    utterance.end = offsets.code_point_of_byte(static_cast<int64_t>(end));
    turns.utterances.push_back(std::move(utterance));
  }
  return turns;
}

}  // namespace

Turns parse_turns(std::string_view text, const RoleMap& roles) {
  const OffsetMap offsets(text);
  const auto lines = split_lines(text);

  std::vector<std::optional<LineMatch>> matches(lines.size());
  std::map<std::string, int> plain_label_lines;  // case-folded label -> lines it starts
  for (size_t i = 0; i < lines.size(); ++i) {
    matches[i] = match_line(text.substr(lines[i].begin, lines[i].end - lines[i].begin));
    if (matches[i] && matches[i]->form == Form::Plain) {
      ++plain_label_lines[fold_case(matches[i]->label)];
    }
  }

  // Which bare "Name:" labels count (see the comment at the top).
  std::map<std::string, bool> plain_accepted;
  std::vector<std::string> one_offs;
  int accepted_lines = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!matches[i] || matches[i]->form != Form::Plain) continue;
    const auto key = fold_case(matches[i]->label);
    if (plain_accepted.count(key)) continue;
    const bool strong =
        plain_label_lines[key] >= 2 || roles.role_of(matches[i]->label) != Role::Unknown;
    plain_accepted[key] = strong;
    if (strong) {
      accepted_lines += plain_label_lines[key];
    } else if (is_title_like(matches[i]->label)) {
      one_offs.push_back(key);
    }
  }
  if (one_offs.size() <= kMaxOneOffLabels && accepted_lines + one_offs.size() >= 2) {
    for (const auto& key : one_offs) plain_accepted[key] = true;
  }

  int counts[static_cast<int>(Form::Count)] = {};
  for (auto& match : matches) {
    if (match && match->form == Form::Plain && !plain_accepted[fold_case(match->label)]) {
      match.reset();
    }
    if (match) ++counts[static_cast<int>(match->form)];
  }
  // Ties go to the timestamped forms, which come first in Form.
  const int best =
      static_cast<int>(std::max_element(std::begin(counts), std::end(counts)) - std::begin(counts));
  if (counts[best] == 0) return paragraphs(text, lines, offsets);
  const Form layout = static_cast<Form>(best);

  std::vector<size_t> starts;  // indices of the lines that start turns
  for (size_t i = 0; i < lines.size(); ++i) {
    if (matches[i] && matches[i]->form == layout) starts.push_back(i);
  }

  Turns turns;
  for (size_t t = 0; t < starts.size(); ++t) {
    const Line& line = lines[starts[t]];
    const LineMatch& match = *matches[starts[t]];
    const size_t body = line.begin + match.body;
    const size_t limit = t + 1 < starts.size() ? lines[starts[t + 1]].begin : text.size();
    auto [begin, end] = trimmed(text, body, limit);
    if (begin == end) begin = end = body;
    Utterance utterance;
    utterance.speaker = std::string(match.label);
    utterance.role = roles.role_of(match.label);
    utterance.start = offsets.code_point_of_byte(static_cast<int64_t>(begin));
    utterance.end = offsets.code_point_of_byte(static_cast<int64_t>(end));
    if (match.timestamp) {
      utterance.timestamp_ms = match.timestamp->ms;
      turns.has_timestamps = true;
    }
    turns.utterances.push_back(std::move(utterance));
  }
  const auto& first = *matches[starts.front()];
  turns.layout = layout_name(layout, first.timestamp && first.timestamp->has_hours);
  return turns;
}

}  // namespace marginalia
