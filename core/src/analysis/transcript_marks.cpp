#include "marginalia/transcript_marks.h"

#include <algorithm>
#include <map>
#include <utility>

namespace marginalia {
namespace {

bool shown(const Coding& coding, const Source& source, const MarkOptions& options) {
  if (coding.source != source.guid) return false;
  return options.coders.empty() || std::find(options.coders.begin(), options.coders.end(),
                                             coding.coder) != options.coders.end();
}

}  // namespace

TranscriptMarks transcript_marks(const Project& project, const Source& source,
                                 const OffsetMap& offsets, const MarkOptions& options) {
  std::map<std::string, size_t> code_rank;
  for (size_t i = 0; i < project.codes.size(); ++i) code_rank[project.codes[i].guid] = i;
  std::map<std::string, size_t> coder_rank;
  for (size_t i = 0; i < project.coders.size(); ++i) coder_rank[project.coders[i].guid] = i;
  const auto rank_of = [](const std::map<std::string, size_t>& ranks, const std::string& guid) {
    auto found = ranks.find(guid);
    return found == ranks.end() ? ranks.size() : found->second;
  };

  std::vector<const Coding*> codings;
  for (const Coding& coding : project.codings) {
    if (!shown(coding, source, options) || !code_rank.contains(coding.code)) continue;
    if (coding.start < 0 || coding.end > offsets.code_points() || coding.start >= coding.end)
      continue;
    codings.push_back(&coding);
  }

  TranscriptMarks marks;
  // Columns: codes in codebook order, then (compare mode) coders in project order.
  using ColumnKey = std::pair<size_t, size_t>;
  std::map<ColumnKey, StripeColumn> columns;
  for (const Coding* coding : codings) {
    const size_t coder = options.column_per_coder ? rank_of(coder_rank, coding->coder) : 0;
    columns.try_emplace({code_rank.at(coding->code), coder},
                        StripeColumn{coding->code, options.column_per_coder ? coding->coder : ""});
  }
  std::map<ColumnKey, size_t> column_index;
  for (const auto& [key, column] : columns) {
    column_index[key] = marks.columns.size();
    marks.columns.push_back(column);
  }
  for (const Coding* coding : codings) {
    const size_t coder = options.column_per_coder ? rank_of(coder_rank, coding->coder) : 0;
    marks.stripes.push_back({offsets.byte_of(coding->start), offsets.byte_of(coding->end),
                             coding->guid, column_index.at({code_rank.at(coding->code), coder})});
  }
  std::sort(marks.stripes.begin(), marks.stripes.end(), [](const auto& a, const auto& b) {
    return std::tie(a.begin, a.column, a.end) < std::tie(b.begin, b.column, b.end);
  });

  // Runs: sweep the boundaries in code points, keeping how many shown codings of each code are
  // open; a run ends wherever that set changes.
  std::vector<std::pair<int64_t, int>> events;  // (offset, +1 open / -1 close) per coding
  std::vector<size_t> event_code;
  events.reserve(codings.size() * 2);
  for (const Coding* coding : codings) {
    events.push_back({coding->start, +1});
    event_code.push_back(code_rank.at(coding->code));
    events.push_back({coding->end, -1});
    event_code.push_back(code_rank.at(coding->code));
  }
  std::vector<size_t> order(events.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return events[a].first < events[b].first; });

  std::map<size_t, int> open;  // code rank -> open codings
  int64_t run_start = 0;
  for (size_t i = 0; i < order.size();) {
    const int64_t at = events[order[i]].first;
    std::vector<std::string> before;
    for (const auto& [rank, n] : open) before.push_back(project.codes[rank].guid);
    for (; i < order.size() && events[order[i]].first == at; ++i) {
      const size_t e = order[i];
      if ((open[event_code[e]] += events[e].second) == 0) open.erase(event_code[e]);
    }
    std::vector<std::string> after;
    for (const auto& [rank, n] : open) after.push_back(project.codes[rank].guid);
    if (before == after) continue;
    if (!before.empty() && at > run_start) {
      const int64_t begin = offsets.byte_of(run_start);
      if (!marks.runs.empty() && marks.runs.back().end == begin &&
          marks.runs.back().codes == before)
        marks.runs.back().end = offsets.byte_of(at);
      else
        marks.runs.push_back({begin, offsets.byte_of(at), std::move(before)});
    }
    run_start = at;
  }
  return marks;
}

std::vector<const Coding*> codings_at(const Project& project, const Source& source, int64_t at,
                                      const MarkOptions& options) {
  std::vector<const Coding*> found;
  for (const Coding& coding : project.codings)
    if (shown(coding, source, options) && coding.start <= at && at < coding.end)
      found.push_back(&coding);
  return found;
}

}  // namespace marginalia
