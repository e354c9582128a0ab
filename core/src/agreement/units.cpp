// A project's codings as reliability data over stated units, and the disagreements in it.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "marginalia/agreement.h"
#include "marginalia/error.h"
#include "marginalia/text.h"

namespace marginalia {

std::optional<AgreementUnit> parse_agreement_unit(std::string_view name) {
  if (name == "utterance") return AgreementUnit::Utterance;
  if (name == "sentence") return AgreementUnit::Sentence;
  if (name == "character") return AgreementUnit::Character;
  if (name == "segment") return AgreementUnit::Segment;
  if (name == "unitized") return AgreementUnit::Unitized;
  return std::nullopt;
}

std::string describe_unit(AgreementUnit unit, double overlap) {
  switch (unit) {
    case AgreementUnit::Utterance:
      return "Unit: the utterance (speaker turn). Per code: did each coder apply the code anywhere "
             "in this turn.";
    case AgreementUnit::Sentence:
      return "Unit: the sentence (ICU sentence breaks). Per code: did each coder apply the code "
             "anywhere in this sentence.";
    case AgreementUnit::Character:
      return "Unit: the character (NVivo's method). Per code: is this character coded by each "
             "coder.";
    case AgreementUnit::Segment: {
      std::string t = std::to_string(overlap);
      t.erase(t.find_last_not_of('0') + 1);
      if (t.ends_with(".")) t.pop_back();
      return "Unit: the coded segment (MAXQDA's method). Segments of one code by different coders "
             "match when |A∩B|/|A∪B| >= " +
             t +
             "; a segment without a match is a disagreement. Every unit holds a coded segment (no "
             "unit is 'neither coded'), so percent agreement is the figure to read here; "
             "chance-corrected figures run low by construction.";
    }
    case AgreementUnit::Unitized:
      return "Unit: the character continuum of each source, unitized (Krippendorff, Mathet, "
             "Bouvry & Widlöcher 2016); lengths in characters; gaps are a value of their own.";
  }
  return {};
}

bool has_coded(const Project& project, const std::string& coder, const std::string& source) {
  for (const DoneMark& m : project.done)
    if (m.coder == coder && m.source == source) return true;
  return std::any_of(project.codings.begin(), project.codings.end(),
                     [&](const Coding& c) { return c.coder == coder && c.source == source; });
}

std::vector<std::string> agreement_coders(const Project& project, const AgreementOptions& options) {
  std::vector<std::string> coders;
  if (!options.coders.empty()) {
    for (const std::string& guid : options.coders) {
      if (!project.coder(guid)) throw BadInput("no coder with GUID " + guid);
      if (std::find(coders.begin(), coders.end(), guid) == coders.end()) coders.push_back(guid);
    }
  } else {
    std::set<std::string> active;
    for (const Coding& c : project.codings) active.insert(c.coder);
    for (const DoneMark& m : project.done) active.insert(m.coder);
    for (const Coder& c : project.coders)
      if (active.count(c.guid) && c.name != kConsensusCoder) coders.push_back(c.guid);
  }
  if (coders.size() < 2)
    throw BadInput("agreement needs two or more coders; the project has " +
                   std::to_string(coders.size()) + " with codings (name them with --coders)");
  return coders;
}

std::vector<std::string> agreement_codes(const Project& project, const AgreementOptions& options) {
  if (!options.codes.empty()) {
    for (const std::string& guid : options.codes) {
      const Code* code = project.code(guid);
      if (!code) throw BadInput("no code with GUID " + guid);
      if (!code->codable)
        throw BadInput("\"" + project.code_path(*code) +
                       "\" is a folder: name the codes in it to compare coders on them");
    }
    return options.codes;
  }
  std::set<std::string> used;
  for (const Coding& c : project.codings) used.insert(c.code);
  std::vector<std::string> codes;
  for (const Code& c : project.codes)
    if (c.codable && used.count(c.guid)) codes.push_back(c.guid);
  return codes;
}

namespace {

struct Interval {
  int64_t start, end;
};

bool overlaps(const std::vector<Interval>& spans, int64_t start, int64_t end) {
  return std::any_of(spans.begin(), spans.end(),
                     [&](const Interval& s) { return s.start < end && s.end > start; });
}

std::string unit_label(const Source& s, int64_t start, int64_t end) {
  return s.name + " " + std::to_string(start) + "-" + std::to_string(end);
}

// The units of one source for the utterance and sentence readings.
std::vector<Interval> source_units(const Project& project, const Source& source,
                                   AgreementUnit unit) {
  std::vector<Interval> out;
  if (unit == AgreementUnit::Sentence) {
    // The sentences of each turn's words, so a speaker label is never part of one.
    std::vector<Interval> turns;
    for (const Utterance& u : source.utterances) turns.push_back({u.start, u.end});
    if (turns.empty()) turns.push_back({0, count_code_points(source.text)});
    for (const Interval& t : turns)
      for (const TextRange& r :
           sentence_ranges(substring_cp(source.text, t.start, t.end), project.language))
        out.push_back({t.start + r.start, t.start + r.end});
  } else if (source.utterances.empty()) {
    out.push_back({0, count_code_points(source.text)});
  } else {
    for (const Utterance& u : source.utterances) out.push_back({u.start, u.end});
  }
  std::erase_if(out, [](const Interval& i) { return i.end <= i.start; });
  return out;
}

// Segments of one code in one source matched across coders: pairs at or above the threshold,
// best first, join when no coder would appear twice and every cross pair still matches.
std::vector<std::vector<std::pair<size_t, Interval>>> match_segments(
    const std::vector<std::vector<Interval>>& by_coder, double threshold) {
  struct Seg {
    size_t coder;
    Interval span;
  };
  std::vector<Seg> segs;
  for (size_t c = 0; c < by_coder.size(); ++c)
    for (const Interval& i : by_coder[c]) segs.push_back({c, i});
  auto ratio = [&](size_t a, size_t b) {
    const Interval x = segs[a].span, y = segs[b].span;
    const int64_t inter = std::min(x.end, y.end) - std::max(x.start, y.start);
    if (inter <= 0) return 0.0;
    const int64_t uni = std::max(x.end, y.end) - std::min(x.start, y.start);
    return static_cast<double>(inter) / static_cast<double>(uni);
  };
  struct Pair {
    double r;
    size_t a, b;
  };
  std::vector<Pair> pairs;
  for (size_t a = 0; a < segs.size(); ++a)
    for (size_t b = a + 1; b < segs.size(); ++b)
      if (segs[a].coder != segs[b].coder) {
        const double r = ratio(a, b);
        if (r > 0 && r + 1e-12 >= threshold) pairs.push_back({r, a, b});
      }
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const Pair& x, const Pair& y) { return x.r > y.r; });
  std::vector<size_t> group(segs.size());
  std::vector<std::vector<size_t>> members(segs.size());
  for (size_t i = 0; i < segs.size(); ++i) {
    group[i] = i;
    members[i] = {i};
  }
  for (const Pair& p : pairs) {
    const size_t ga = group[p.a], gb = group[p.b];
    if (ga == gb) continue;
    bool ok = true;
    for (size_t x : members[ga])
      for (size_t y : members[gb])
        if (segs[x].coder == segs[y].coder || ratio(x, y) + 1e-12 < threshold) ok = false;
    if (!ok) continue;
    for (size_t y : members[gb]) {
      group[y] = ga;
      members[ga].push_back(y);
    }
    members[gb].clear();
  }
  std::vector<std::vector<std::pair<size_t, Interval>>> out;
  for (size_t g = 0; g < segs.size(); ++g) {
    if (members[g].empty()) continue;
    std::vector<std::pair<size_t, Interval>> cluster;
    for (size_t i : members[g]) cluster.emplace_back(segs[i].coder, segs[i].span);
    out.push_back(std::move(cluster));
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    auto start = [](const auto& c) {
      int64_t s = c.front().second.start;
      for (const auto& [coder, i] : c) s = std::min(s, i.start);
      return s;
    };
    return start(x) < start(y);
  });
  return out;
}

}  // namespace

ProjectReliability project_reliability(const Project& project, const AgreementOptions& options) {
  if (options.unit == AgreementUnit::Unitized)
    throw BadInput("the unitized reading has its own alphas (unitized_alphas)");
  if (!(options.overlap > 0 && options.overlap <= 1))
    throw BadInput("the overlap threshold must lie in (0, 1]");
  ProjectReliability out;
  out.unit = options.unit;
  out.overlap = options.overlap;
  out.coders = agreement_coders(project, options);
  const std::vector<std::string> codes = agreement_codes(project, options);
  const size_t m = out.coders.size();
  std::map<std::string, size_t> coder_index;
  for (size_t i = 0; i < m; ++i) coder_index[out.coders[i]] = i;

  // Codings by (code, source), per coder.
  std::map<std::pair<std::string, std::string>, std::vector<std::vector<Interval>>> spans;
  for (const Coding& c : project.codings) {
    auto it = coder_index.find(c.coder);
    if (it == coder_index.end()) continue;
    auto& slot = spans[{c.code, c.source}];
    if (slot.empty()) slot.resize(m);
    slot[it->second].push_back({c.start, c.end});
  }
  for (auto& [key, per_coder] : spans)
    for (auto& list : per_coder)
      std::sort(list.begin(), list.end(), [](const Interval& a, const Interval& b) {
        return a.start != b.start ? a.start < b.start : a.end < b.end;
      });

  // has_coded for every source and coder, from one pass over the codings and done marks (a
  // call per pair would scan every coding sources x coders times).
  std::map<std::string, size_t> source_index;
  for (size_t s = 0; s < project.sources.size(); ++s) source_index[project.sources[s].guid] = s;
  std::vector<std::vector<bool>> coded(project.sources.size(), std::vector<bool>(m, false));
  auto mark_coded = [&](const std::string& coder, const std::string& source) {
    const auto c = coder_index.find(coder);
    const auto s = source_index.find(source);
    if (c != coder_index.end() && s != source_index.end()) coded[s->second][c->second] = true;
  };
  for (const DoneMark& d : project.done) mark_coded(d.coder, d.source);
  for (const Coding& c : project.codings) mark_coded(c.coder, c.source);

  std::vector<std::vector<Interval>> units_of(project.sources.size());
  if (options.unit == AgreementUnit::Utterance || options.unit == AgreementUnit::Sentence)
    for (size_t s = 0; s < project.sources.size(); ++s)
      units_of[s] = source_units(project, project.sources[s], options.unit);

  const std::vector<std::vector<Interval>> none(m);
  for (const std::string& code : codes) {
    CodeReliability cr;
    cr.code = code;
    for (const std::string& guid : out.coders) cr.data.coders.push_back(project.coder(guid)->name);
    cr.data.categories = {"not coded", "coded"};
    for (size_t s = 0; s < project.sources.size(); ++s) {
      const Source& source = project.sources[s];
      if (std::count(coded[s].begin(), coded[s].end(), true) == 0) continue;
      auto found = spans.find({code, source.guid});
      const auto& per_coder = found == spans.end() ? none : found->second;
      auto absent = [&](size_t c) { return coded[s][c] ? 0 : kMissing; };
      auto add = [&](int64_t start, int64_t end, std::vector<int> values) {
        cr.data.units.push_back({unit_label(source, start, end), std::move(values),
                                 options.unit == AgreementUnit::Character ? end - start : 1});
        cr.spans.push_back({source.guid, start, end});
      };
      if (options.unit == AgreementUnit::Segment) {
        for (const auto& cluster : match_segments(per_coder, options.overlap)) {
          std::vector<int> values(m);
          for (size_t c = 0; c < m; ++c) values[c] = absent(c);
          int64_t start = cluster.front().second.start, end = cluster.front().second.end;
          for (const auto& [c, i] : cluster) {
            values[c] = 1;
            start = std::min(start, i.start);
            end = std::max(end, i.end);
          }
          add(start, end, std::move(values));
        }
      } else if (options.unit == AgreementUnit::Character) {
        std::set<int64_t> cuts{0, count_code_points(source.text)};
        for (const auto& list : per_coder)
          for (const Interval& i : list) {
            cuts.insert(i.start);
            cuts.insert(i.end);
          }
        std::vector<int> run_values;
        int64_t run_start = 0, previous = -1;
        for (int64_t cut : cuts) {
          if (previous >= 0 && cut > previous) {
            std::vector<int> values(m);
            for (size_t c = 0; c < m; ++c)
              values[c] = coded[s][c] ? (overlaps(per_coder[c], previous, cut) ? 1 : 0) : kMissing;
            if (values != run_values) {
              if (!run_values.empty()) add(run_start, previous, run_values);
              run_values = std::move(values);
              run_start = previous;
            }
          }
          previous = cut;
        }
        if (!run_values.empty()) add(run_start, previous, run_values);
      } else {
        for (const Interval& u : units_of[s]) {
          std::vector<int> values(m);
          for (size_t c = 0; c < m; ++c)
            values[c] = coded[s][c] ? (overlaps(per_coder[c], u.start, u.end) ? 1 : 0) : kMissing;
          add(u.start, u.end, std::move(values));
        }
      }
    }
    out.codes.push_back(std::move(cr));
  }
  return out;
}

ReliabilityData pooled(const ProjectReliability& reliability) {
  ReliabilityData out;
  if (reliability.codes.empty()) return out;
  out.coders = reliability.codes.front().data.coders;
  out.categories = reliability.codes.front().data.categories;
  const bool clustered =
      reliability.unit == AgreementUnit::Utterance || reliability.unit == AgreementUnit::Sentence;
  size_t total = 0;
  for (const CodeReliability& code : reliability.codes) total += code.data.units.size();
  out.units.reserve(total);
  // Clusters keyed by (source, start, end), the source by its number: units of one source come
  // together, so the source's number is looked up once per run.
  std::map<std::string, size_t> source_number;
  std::map<std::tuple<size_t, int64_t, int64_t>, int64_t> clusters;
  for (const CodeReliability& code : reliability.codes) {
    const std::string* last_source = nullptr;
    size_t number = 0;
    for (size_t u = 0; u < code.data.units.size(); ++u) {
      out.units.push_back(code.data.units[u]);
      if (clustered) {
        const UnitSpan& span = code.spans[u];
        if (!last_source || *last_source != span.source) {
          number = source_number.try_emplace(span.source, source_number.size()).first->second;
          last_source = &span.source;
        }
        out.units.back().cluster =
            clusters
                .try_emplace({number, span.start, span.end}, static_cast<int64_t>(clusters.size()))
                .first->second;
      }
    }
  }
  return out;
}

std::vector<Disagreement> disagreements(const Project& project,
                                        const ProjectReliability& reliability,
                                        DisagreementOrder order) {
  std::map<std::string, size_t> source_rank, code_rank;
  for (size_t i = 0; i < project.sources.size(); ++i) source_rank[project.sources[i].guid] = i;
  for (size_t i = 0; i < project.codes.size(); ++i) code_rank[project.codes[i].guid] = i;
  std::vector<Disagreement> out;
  for (const CodeReliability& code : reliability.codes) {
    for (size_t u = 0; u < code.data.units.size(); ++u) {
      const auto& values = code.data.units[u].values;
      bool yes = false, no = false;
      for (int v : values) {
        yes = yes || v == 1;
        no = no || v == 0;
      }
      if (!yes || !no) continue;
      Disagreement d;
      d.code = code.code;
      d.span = code.spans[u];
      d.values = values;
      const Source& source = *project.source(d.span.source);
      d.text = substring_cp(source.text, d.span.start, d.span.end);
      for (const Utterance& t : source.utterances)
        if (t.start < d.span.end && t.end > d.span.start) {
          d.speaker = t.speaker;
          break;
        }
      out.push_back(std::move(d));
    }
  }
  auto position = [&](const Disagreement& d) {
    return std::make_tuple(source_rank[d.span.source], d.span.start, d.span.end);
  };
  std::stable_sort(out.begin(), out.end(), [&](const Disagreement& a, const Disagreement& b) {
    switch (order) {
      case DisagreementOrder::Code:
        if (code_rank[a.code] != code_rank[b.code]) return code_rank[a.code] < code_rank[b.code];
        break;
      case DisagreementOrder::Speaker:
        if (a.speaker != b.speaker) return a.speaker < b.speaker;
        break;
      case DisagreementOrder::Source:
        break;
    }
    if (position(a) != position(b)) return position(a) < position(b);
    return code_rank[a.code] < code_rank[b.code];
  });
  return out;
}

}  // namespace marginalia
