// Coded passages of a code or a combination of codes, with their turns as context.
#include "marginalia/retrieval.h"

#include <algorithm>
#include <set>

#include "marginalia/error.h"
#include "marginalia/report.h"
#include "marginalia/text.h"

namespace marginalia {

namespace {

struct Piece {
  int64_t start = 0, end = 0;
};

bool overlaps(int64_t a0, int64_t a1, int64_t b0, int64_t b1) {
  return a0 < b1 && b0 < a1;
}

// The code and, with `subcodes`, every code below it.
std::set<std::string> members(const Project& project, const std::string& code, bool subcodes) {
  std::set<std::string> out{code};
  if (!subcodes) return out;
  for (bool grew = true; grew;) {  // parents come before children, but a damaged codebook may not
    grew = false;
    for (const Code& c : project.codes)
      if (out.contains(c.parent) && out.insert(c.guid).second) grew = true;
  }
  return out;
}

// Spans sharing a code point join.
std::vector<Piece> union_of(std::vector<Piece> spans) {
  std::sort(spans.begin(), spans.end(),
            [](const Piece& a, const Piece& b) { return a.start < b.start; });
  std::vector<Piece> out;
  for (const Piece& s : spans) {
    if (!out.empty() && s.start < out.back().end)
      out.back().end = std::max(out.back().end, s.end);
    else
      out.push_back(s);
  }
  return out;
}

std::string code_name(const Project& project, const std::string& guid) {
  const Code* code = project.code(guid);
  return code ? project.code_path(*code) : guid;
}

}  // namespace

std::optional<Combination> parse_combination(std::string_view name) {
  if (name == "only") return Combination::Only;
  if (name == "and") return Combination::Overlapping;
  if (name == "not") return Combination::NotOverlapping;
  return std::nullopt;
}

std::vector<RetrievedPassage> retrieve(const Project& project, const RetrievalSpec& spec) {
  if (!project.code(spec.code)) throw BadInput("no code with guid " + spec.code);
  const bool combined = spec.combination != Combination::Only;
  if (combined) {
    if (spec.other.empty()) throw BadInput("combining codes needs a second code");
    if (!project.code(spec.other)) throw BadInput("no code with guid " + spec.other);
    if (spec.other == spec.code) throw BadInput("a code combined with itself");
  }
  if (spec.coder && !project.coder(*spec.coder))
    throw BadInput("no coder with guid " + *spec.coder);
  if (spec.source && !project.source(*spec.source))
    throw BadInput("no source with guid " + *spec.source);

  const std::set<std::string> a_codes = members(project, spec.code, spec.subcodes);
  const std::set<std::string> b_codes =
      combined ? members(project, spec.other, spec.subcodes) : std::set<std::string>{};

  std::vector<RetrievedPassage> out;
  for (const Source& source : project.sources) {
    if (spec.source && source.guid != *spec.source) continue;
    std::vector<const Coding*> a;
    std::vector<Piece> b;
    for (const Coding& c : project.codings) {
      if (c.source != source.guid || (spec.coder && c.coder != *spec.coder)) continue;
      if (a_codes.contains(c.code)) a.push_back(&c);
      if (b_codes.contains(c.code)) b.push_back({c.start, c.end});
    }
    if (a.empty()) continue;
    std::vector<Piece> a_spans;
    for (const Coding* c : a) a_spans.push_back({c->start, c->end});
    const std::vector<Piece> a_union = union_of(std::move(a_spans));
    const std::vector<Piece> b_union = union_of(std::move(b));

    std::vector<Piece> pieces;
    for (const Piece& p : a_union) {
      switch (spec.combination) {
        case Combination::Only:
          pieces.push_back(p);
          break;
        case Combination::Overlapping:
          for (const Piece& q : b_union)
            if (overlaps(p.start, p.end, q.start, q.end))
              pieces.push_back({std::max(p.start, q.start), std::min(p.end, q.end)});
          break;
        case Combination::NotOverlapping:
          if (std::none_of(b_union.begin(), b_union.end(), [&](const Piece& q) {
                return overlaps(p.start, p.end, q.start, q.end);
              }))
            pieces.push_back(p);
          break;
      }
    }
    if (spec.role) {
      std::vector<Piece> clipped;
      for (const Piece& p : pieces)
        for (const Utterance& u : source.utterances)
          if (u.role == *spec.role && overlaps(p.start, p.end, u.start, u.end))
            clipped.push_back({std::max(p.start, u.start), std::min(p.end, u.end)});
      pieces = std::move(clipped);
    }

    const OffsetMap offsets(source.text);
    const int64_t length = offsets.code_points();
    const auto cut = [&](int64_t from, int64_t to) {
      from = std::clamp<int64_t>(from, 0, length);
      to = std::clamp<int64_t>(to, from, length);
      const int64_t b0 = offsets.byte_of(from), b1 = offsets.byte_of(to);
      return source.text.substr(static_cast<size_t>(b0), static_cast<size_t>(b1 - b0));
    };
    for (const Piece& p : pieces) {
      if (p.start >= p.end) continue;
      RetrievedPassage r;
      r.source = source.guid;
      r.source_name = source.name;
      r.start = p.start;
      r.end = p.end;
      r.text = cut(p.start, p.end);
      r.context_start = p.start;
      r.context_end = p.end;
      bool first = true;
      for (const Utterance& u : source.utterances) {
        if (!overlaps(p.start, p.end, u.start, u.end)) continue;
        r.speakers.push_back(u.speaker);
        r.roles.push_back(u.role);
        if (first) {
          r.timestamp_ms = u.timestamp_ms;
          r.context_start = std::min(p.start, u.start);
        }
        r.context_end = std::max(p.end, u.end);
        first = false;
      }
      r.context = cut(r.context_start, r.context_end);
      for (const Coder& coder : project.coders)
        if (std::any_of(a.begin(), a.end(), [&](const Coding* c) {
              return c->coder == coder.guid && overlaps(p.start, p.end, c->start, c->end);
            }))
          r.coders.push_back(coder.name);
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::string describe_retrieval(const Project& project, const RetrievalSpec& spec) {
  std::string out = code_name(project, spec.code);
  if (spec.subcodes) out += " (with subcodes)";
  if (spec.combination == Combination::Overlapping)
    out += " AND " + code_name(project, spec.other);
  else if (spec.combination == Combination::NotOverlapping)
    out += " NOT " + code_name(project, spec.other);
  if (spec.combination != Combination::Only && spec.subcodes) out += " (with subcodes)";
  if (spec.role) out += ", in " + std::string(role_name(*spec.role)) + " turns";
  if (spec.coder) {
    const Coder* coder = project.coder(*spec.coder);
    out += ", coder " + (coder ? coder->name : *spec.coder);
  }
  if (spec.source) {
    const Source* source = project.source(*spec.source);
    out += ", in " + (source ? source->name : *spec.source);
  }
  return out;
}

namespace {

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// Speakers and roles without repeats, in text order: a passage over three turns of two people.
std::pair<std::vector<std::string>, std::vector<std::string>> distinct_speakers(
    const RetrievedPassage& p) {
  std::vector<std::string> speakers, roles;
  for (size_t i = 0; i < p.speakers.size(); ++i) {
    if (std::find(speakers.begin(), speakers.end(), p.speakers[i]) != speakers.end()) continue;
    speakers.push_back(p.speakers[i]);
    roles.emplace_back(role_name(p.roles[i]));
  }
  return {speakers, roles};
}

}  // namespace

Table retrieval_table(const Project& project, const RetrievalSpec& spec,
                      const std::vector<RetrievedPassage>& passages) {
  Table table;
  table.title = "Coded passages: " + describe_retrieval(project, spec);
  table.label = "tab:passages";
  table.columns = {"source", "speaker", "role", "time", "start", "end", "passage", "coders"};
  for (const RetrievedPassage& p : passages) {
    const auto [speakers, roles] = distinct_speakers(p);
    table.rows.push_back({TableCell::of(p.source_name), TableCell::of(joined(speakers, "; ")),
                          TableCell::of(joined(roles, "; ")),
                          TableCell::of(p.timestamp_ms ? format_timestamp(*p.timestamp_ms) : ""),
                          TableCell::number(p.start), TableCell::number(p.end),
                          TableCell::of(p.text), TableCell::of(joined(p.coders, "; "))});
  }
  table.notes = {
      "Start and end are Unicode code points from the start of the source's text, end exclusive.",
      "A passage joins codings that share a character; AND keeps the text coded with both codes, "
      "NOT the passages of the first code that no coding of the second touches."};
  return table;
}

std::string render_retrieval_html(const Project& project, const RetrievalSpec& spec,
                                  const std::vector<RetrievedPassage>& passages,
                                  std::string_view project_location) {
  const std::string title = describe_retrieval(project, spec);
  const std::string location =
      project_location.empty() ? project.name : std::string(project_location);
  std::string html = "<!DOCTYPE html>\n<html lang=\"" + escape_html(project.language) +
                     "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape_html(title) +
                     "</title>\n<style>" + std::string(report_stylesheet()) +
                     "\n.context { color: #666; white-space: pre-wrap; font-size: 0.9rem; }\n"
                     "mark { background: #fff3b0; color: inherit; }\n</style>\n</head>\n<body>\n";
  html += "<h1>" + escape_html(title) + "</h1>\n<p class=\"summary\">" + escape_html(project.name) +
          " \u00b7 " + std::to_string(passages.size()) +
          (passages.size() == 1 ? " passage" : " passages") + "</p>\n";
  if (passages.empty()) {
    html += "<p class=\"empty\">No passages.</p>\n";
  } else {
    html += "<ol class=\"passages\">\n";
    for (const RetrievedPassage& p : passages) {
      const auto [speakers, roles] = distinct_speakers(p);
      // The turn around the passage, the passage itself marked.
      const int64_t before = p.start - p.context_start;
      const int64_t length = p.end - p.start;
      const std::string lead = substring_cp(p.context, 0, before);
      const std::string tail =
          substring_cp(p.context, before + length, count_code_points(p.context));
      html += "<li>\n<blockquote class=\"context\">" + escape_html(lead) + "<mark>" +
              escape_html(p.text) + "</mark>" + escape_html(tail) + "</blockquote>\n";
      html += "<p class=\"meta\">";
      for (size_t i = 0; i < speakers.size(); ++i)
        html += "<span>" + escape_html(speakers[i]) + " (" + escape_html(roles[i]) + ")</span>";
      html += "<span><a href=\"" + escape_html(passage_link(location, p.source, p.start, p.end)) +
              "\">" + escape_html(p.source_name) + "</a></span>";
      if (p.timestamp_ms) html += "<span>" + format_timestamp(*p.timestamp_ms) + "</span>";
      if (!p.coders.empty())
        html += "<span>coded by " + escape_html(joined(p.coders, ", ")) + "</span>";
      html += "</p>\n</li>\n";
    }
    html += "</ol>\n";
  }
  html += "</body>\n</html>\n";
  return html;
}

std::string retrieval_quotes(const std::vector<RetrievedPassage>& passages) {
  std::string out;
  for (const RetrievedPassage& p : passages) {
    const auto [speakers, roles] = distinct_speakers(p);
    std::vector<std::string> who;
    for (size_t i = 0; i < speakers.size(); ++i) who.push_back(speakers[i] + ", " + roles[i]);
    if (!out.empty()) out += "\n\n";
    out += "\u201c" + p.text + "\u201d (" + (who.empty() ? "" : joined(who, "; ") + "; ") +
           p.source_name + (p.timestamp_ms ? " " + format_timestamp(*p.timestamp_ms) : "") + ")";
  }
  return out;
}

}  // namespace marginalia
