// The code x source matrix and the code co-occurrence matrix (DESIGN.md "Analysis").
#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "marginalia/frequencies.h"

namespace marginalia {

namespace {

using Span = std::pair<int64_t, int64_t>;

bool overlap(const Span& a, const Span& b) {
  return a.first < a.second && b.first < b.second && a.first < b.second && b.first < a.second;
}

struct Tagged {
  int64_t start, end;
  int tag;  // 0: code a, 1: code b
};

// Passages of one bucket: components of the spans joined by shared code points.
struct PassageCount {
  int64_t either = 0, both = 0, with_a = 0, with_b = 0;
};

PassageCount passages(const std::vector<Span>& a, const std::vector<Span>& b) {
  std::vector<Tagged> all;
  for (const Span& s : a)
    if (s.first < s.second) all.push_back({s.first, s.second, 0});
  for (const Span& s : b)
    if (s.first < s.second) all.push_back({s.first, s.second, 1});
  std::sort(all.begin(), all.end(),
            [](const Tagged& x, const Tagged& y) { return x.start < y.start; });
  PassageCount count;
  bool open = false, has[2] = {false, false};
  int64_t end = 0;
  auto close = [&] {
    if (!open) return;
    ++count.either;
    count.with_a += has[0];
    count.with_b += has[1];
    count.both += has[0] && has[1];
  };
  for (const Tagged& t : all) {
    if (!open || t.start >= end) {
      close();
      open = true;
      has[0] = has[1] = false;
      end = t.end;
    }
    end = std::max(end, t.end);
    has[t.tag] = true;
  }
  close();
  return count;
}

std::string numbered(size_t i, const std::string& path) {
  return std::to_string(i + 1) + " " + path;
}

}  // namespace

CodeSourceMatrix code_source_matrix(const Project& project, const std::vector<std::string>& codes) {
  CodeSourceMatrix m;
  std::unordered_map<std::string, size_t> column;
  for (const Source& s : project.sources) {
    column[s.guid] = m.sources.size();
    m.sources.push_back(s.guid);
    m.source_names.push_back(s.name);
  }
  for (const CodeRowSpec& spec : code_rows(project, codes)) {
    const std::unordered_set<std::string> members(spec.members.begin(), spec.members.end());
    CodeSourceMatrix::Row row{spec.code, spec.path, spec.scope,
                              std::vector<int64_t>(m.sources.size(), 0), 0};
    for (const Coding& c : project.codings) {
      if (!members.contains(c.code)) continue;
      auto it = column.find(c.source);
      if (it == column.end()) continue;
      ++row.codings[it->second];
      ++row.total;
    }
    m.rows.push_back(std::move(row));
  }
  return m;
}

Table code_source_table(const CodeSourceMatrix& m, TableLayout layout) {
  Table t;
  t.title = "Codings per code and source (unit: coding)";
  t.label = "tab:code-source";
  t.columns = {"code", "scope"};
  if (layout == TableLayout::Wide) {
    for (const std::string& name : m.source_names) t.columns.push_back(name);
    t.columns.push_back("total");
    for (const auto& r : m.rows) {
      std::vector<TableCell> row{TableCell::of(r.path),
                                 TableCell::of(std::string(scope_name(r.scope)))};
      for (int64_t n : r.codings) row.push_back(TableCell::number(n));
      row.push_back(TableCell::number(r.total));
      t.rows.push_back(std::move(row));
    }
  } else {
    t.columns.push_back("source");
    t.columns.push_back("codings");
    for (const auto& r : m.rows)
      for (size_t i = 0; i < m.sources.size(); ++i)
        t.rows.push_back({TableCell::of(r.path), TableCell::of(std::string(scope_name(r.scope))),
                          TableCell::of(m.source_names[i]), TableCell::number(r.codings[i])});
  }
  t.notes.push_back(
      "Cells: number of codings (all coders) in each source; scope own: the code's own codings, "
      "subtree: the code and every code below it.");
  return t;
}

CooccurrenceMatrix code_cooccurrence(const Project& project, const CooccurrenceOptions& options) {
  CooccurrenceMatrix m;
  m.unit = options.unit;
  m.across_coders = options.across_coders;

  std::unordered_set<std::string> coded;
  for (const Coding& c : project.codings) coded.insert(c.code);
  const std::unordered_set<std::string> wanted(options.codes.begin(), options.codes.end());
  std::unordered_map<std::string, size_t> index;
  for (const Code& code : project.codes) {
    if (wanted.empty() ? !coded.contains(code.guid) : !wanted.contains(code.guid)) continue;
    index[code.guid] = m.codes.size();
    m.codes.push_back(code.guid);
    m.paths.push_back(project.code_path(code));
  }
  const size_t n = m.codes.size();
  m.units_with.assign(n, 0);
  for (size_t a = 0; a < n; ++a)
    for (size_t b = a + 1; b < n; ++b) m.pairs.push_back({a, b});
  auto pair_at = [&](size_t a, size_t b) -> CooccurrencePair& {
    // Row-major upper triangle without the diagonal.
    return m.pairs[a * n - a * (a + 1) / 2 + (b - a - 1)];
  };

  // Buckets: codings that may meet, i.e. one source and (unless across coders) one coder.
  std::unordered_set<std::string> sources;
  for (const Source& s : project.sources) sources.insert(s.guid);
  using Bucket = std::pair<std::string, std::string>;  // source, coder ("" across coders)
  std::map<Bucket, std::vector<std::vector<Span>>> buckets;
  for (const Coding& c : project.codings) {
    auto it = index.find(c.code);
    if (it == index.end() || !sources.contains(c.source)) continue;
    auto& spans = buckets[{c.source, options.across_coders ? "" : c.coder}];
    if (spans.empty()) spans.resize(n);
    spans[it->second].emplace_back(c.start, c.end);
  }

  for (const auto& [bucket, spans] : buckets) {
    for (size_t a = 0; a < n; ++a)
      for (size_t b = a + 1; b < n; ++b) {
        if (spans[a].empty() || spans[b].empty()) continue;
        int64_t pairs = 0;
        for (const Span& x : spans[a])
          for (const Span& y : spans[b]) pairs += overlap(x, y);
        pair_at(a, b).coding_pairs += pairs;
      }
  }

  if (options.unit == CooccurrenceUnit::Passage) {
    for (const auto& [bucket, spans] : buckets) {
      for (size_t a = 0; a < n; ++a) {
        m.units_with[a] += passages(spans[a], {}).with_a;
        for (size_t b = a + 1; b < n; ++b) {
          if (spans[a].empty() && spans[b].empty()) continue;
          const PassageCount c = passages(spans[a], spans[b]);
          CooccurrencePair& p = pair_at(a, b);
          p.both += c.both;
          p.either += c.either;
          p.with_a += c.with_a;
          p.with_b += c.with_b;
        }
      }
    }
  } else {
    // Units: (coder, utterance) or, across coders, the utterance; the codes each carries.
    for (const auto& [bucket, spans] : buckets) {
      const Source* source = project.source(bucket.first);
      for (const Utterance& u : source->utterances) {
        std::vector<size_t> carried;
        for (size_t a = 0; a < n; ++a)
          if (std::any_of(spans[a].begin(), spans[a].end(), [&](const Span& s) {
                return overlap(s, {u.start, u.end});
              }))
            carried.push_back(a);
        for (size_t i = 0; i < carried.size(); ++i) {
          ++m.units_with[carried[i]];
          for (size_t j = i + 1; j < carried.size(); ++j) ++pair_at(carried[i], carried[j]).both;
        }
      }
    }
    for (CooccurrencePair& p : m.pairs) {
      p.with_a = m.units_with[p.a];
      p.with_b = m.units_with[p.b];
      p.either = p.with_a + p.with_b - p.both;
    }
  }
  for (CooccurrencePair& p : m.pairs)
    p.jaccard = p.either ? static_cast<double>(p.both) / static_cast<double>(p.either) : 0.0;
  return m;
}

Table cooccurrence_table(const CooccurrenceMatrix& m, TableLayout layout) {
  const bool passage = m.unit == CooccurrenceUnit::Passage;
  const std::string unit = passage ? "passages" : "utterances";
  Table t;
  t.title = "Code co-occurrence (" + unit + ", " +
            (m.across_coders ? "across coders" : "within each coder") + ")";
  t.label = passage ? "tab:cooccur" : "tab:cooccur-utterance";
  const size_t n = m.codes.size();
  if (layout == TableLayout::Wide) {
    t.columns.push_back("code");
    for (size_t i = 0; i < n; ++i) t.columns.push_back(std::to_string(i + 1));
    for (size_t i = 0; i < n; ++i) {
      std::vector<TableCell> row{TableCell::of(numbered(i, m.paths[i]))};
      for (size_t j = 0; j < n; ++j) {
        if (i == j) {
          row.push_back(TableCell::number(m.units_with[i]));
          continue;
        }
        const size_t a = std::min(i, j), b = std::max(i, j);
        const CooccurrencePair& p = m.pairs[a * n - a * (a + 1) / 2 + (b - a - 1)];
        row.push_back(i < j ? TableCell::number(p.both) : TableCell::number(p.jaccard, 2));
      }
      t.rows.push_back(std::move(row));
    }
  } else {
    t.columns = {"code A", "code B", "both",    "either",
                 "with A", "with B", "Jaccard", "coding pairs"};
    for (const CooccurrencePair& p : m.pairs)
      t.rows.push_back({TableCell::of(m.paths[p.a]), TableCell::of(m.paths[p.b]),
                        TableCell::number(p.both), TableCell::number(p.either),
                        TableCell::number(p.with_a), TableCell::number(p.with_b),
                        TableCell::number(p.jaccard, 3), TableCell::number(p.coding_pairs)});
  }

  const std::string whose = m.across_coders ? "any coders' codings" : "one coder's codings";
  if (passage) {
    t.notes.push_back("Unit: the passage, a stretch of one source covered by " + whose +
                      " of the two codes, joined wherever two codings share a character. Two "
                      "codes co-occur in a passage where a coding of one overlaps a coding of the "
                      "other.");
  } else {
    t.notes.push_back("Unit: the utterance (speaker turn), which carries a code when " + whose +
                      " of it overlap the turn. Two codes co-occur in a turn that carries both.");
  }
  t.notes.push_back(m.across_coders
                        ? "Across coders: codings of different coders meet too."
                        : "Within each coder: only one coder's codings meet; units are counted "
                          "per coder and summed.");
  if (layout == TableLayout::Wide) {
    t.notes.push_back("Above the diagonal: " + unit + " with both codes (|A ∩ B|); below: " +
                      "Jaccard |A ∩ B| / |A ∪ B| over " + unit + "; diagonal: " + unit +
                      " with the code" + (passage ? " (its own codings' passages)." : "."));
  } else {
    t.notes.push_back("both: " + unit +
                      " with both codes (|A ∩ B|); either: with either (|A ∪ B|)" +
                      "; with A, with B: with each code" +
                      (passage ? " (passages of the pair, so they depend on the other code)" : "") +
                      "; Jaccard: both / either; coding pairs: pairs of overlapping codings, one " +
                      "of each code.");
  }
  t.notes.push_back("Each code's own codings count, not its subcodes'.");
  return t;
}

}  // namespace marginalia
