// Keyword in context: each match of each hit with the words around it, inside its utterance.
#include <algorithm>
#include <map>

#include "marginalia/concordance.h"
#include "marginalia/error.h"

namespace marginalia {

std::vector<Span> merged_matches(std::string_view text, const OffsetMap& offsets,
                                 std::vector<Span> matches) {
  std::sort(matches.begin(), matches.end(), [](const Span& a, const Span& b) {
    return a.start != b.start ? a.start < b.start : a.end < b.end;
  });
  std::vector<Span> out;
  for (const Span& m : matches) {
    if (m.start >= m.end) continue;
    if (!out.empty()) {
      Span& last = out.back();
      if (m.start <= last.end) {
        last.end = std::max(last.end, m.end);
        continue;
      }
      // Joined only across plain spaces, tabs and hyphens: the gap of a phrase, not of a sentence.
      const int64_t from = offsets.byte_of(last.end), to = offsets.byte_of(m.start);
      const std::string_view gap =
          text.substr(static_cast<size_t>(from), static_cast<size_t>(to - from));
      if (gap.find_first_not_of(" \t-") == std::string_view::npos) {
        last.end = m.end;
        continue;
      }
    }
    out.push_back(m);
  }
  return out;
}

std::vector<ConcordanceLine> concordance(const Project& project, const std::vector<SearchHit>& hits,
                                         size_t width) {
  std::vector<ConcordanceLine> lines;
  std::map<std::string, OffsetMap> maps;
  const auto w = static_cast<int64_t>(width);
  for (const SearchHit& hit : hits) {
    const Source* source = project.source(hit.source);
    if (!source) throw BadInput("search hit in an unknown source " + hit.source);
    auto [it, fresh] = maps.try_emplace(source->guid);
    if (fresh) it->second = OffsetMap(source->text);
    const OffsetMap& offsets = it->second;
    const Span turn{std::clamp<int64_t>(hit.turn.start, 0, offsets.code_points()),
                    std::clamp<int64_t>(hit.turn.end, 0, offsets.code_points())};
    const auto cut = [&](int64_t from, int64_t to) {
      const int64_t b = offsets.byte_of(from), e = offsets.byte_of(to);
      return source->text.substr(static_cast<size_t>(b), static_cast<size_t>(e - b));
    };
    for (const Span& m : merged_matches(source->text, offsets, hit.matches)) {
      const int64_t start = std::clamp(m.start, turn.start, turn.end);
      const int64_t end = std::clamp(m.end, start, turn.end);
      if (start >= end) continue;
      ConcordanceLine line;
      line.source = source->guid;
      line.source_name = source->name;
      line.utterance = hit.utterance;
      line.speaker = hit.speaker;
      line.role = hit.role;
      line.timestamp_ms = hit.timestamp_ms;
      line.match = {start, end};
      line.left = cut(std::max(turn.start, start - w), start);
      line.text = cut(start, end);
      line.right = cut(end, std::min(turn.end, end + w));
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

Table concordance_table(const std::vector<ConcordanceLine>& lines, std::string_view query) {
  const auto one_line = [](std::string s) {
    std::replace(s.begin(), s.end(), '\n', ' ');
    std::replace(s.begin(), s.end(), '\t', ' ');
    return s;
  };
  Table table;
  table.title = "Keyword in context: " + std::string(query);
  table.label = "tab:kwic";
  table.columns = {"left", "match", "right", "source", "speaker", "role", "start", "end"};
  for (const ConcordanceLine& l : lines)
    table.rows.push_back({TableCell::of(one_line(l.left)), TableCell::of(one_line(l.text)),
                          TableCell::of(one_line(l.right)), TableCell::of(l.source_name),
                          TableCell::of(l.speaker), TableCell::of(std::string(role_name(l.role))),
                          TableCell::number(l.match.start), TableCell::number(l.match.end)});
  table.notes = {
      "One line per match; the context stops at the edges of the speaker's turn. Start and end are "
      "Unicode code points from the start of the source's text, end exclusive."};
  return table;
}

}  // namespace marginalia
