// Auto-coding: every hit of a query coded in one command, so that one undo takes it all back.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "marginalia/concordance.h"
#include "marginalia/error.h"
#include "marginalia/project_store.h"
#include "marginalia/text.h"

namespace marginalia {

std::optional<AutocodeScope> parse_autocode_scope(std::string_view name) {
  if (name == "match") return AutocodeScope::Match;
  if (name == "sentence") return AutocodeScope::Sentence;
  if (name == "utterance") return AutocodeScope::Utterance;
  return std::nullopt;
}

namespace {

// The sentences of one utterance, in source code points, found once however many hits it has.
class SentenceCache {
 public:
  SentenceCache(const Project& project) : language_(project.language) {}

  const std::vector<TextRange>& of(const Source& source, const OffsetMap& offsets, Span turn) {
    auto [it, fresh] = cache_.try_emplace(std::make_tuple(source.guid, turn.start, turn.end));
    if (fresh) {
      const int64_t b = offsets.byte_of(turn.start), e = offsets.byte_of(turn.end);
      const std::string_view text(source.text);
      it->second = sentence_ranges(text.substr(static_cast<size_t>(b), static_cast<size_t>(e - b)),
                                   language_);
      for (TextRange& r : it->second) {
        r.start += turn.start;
        r.end += turn.start;
      }
    }
    return it->second;
  }

 private:
  std::string language_;
  std::map<std::tuple<std::string, int64_t, int64_t>, std::vector<TextRange>> cache_;
};

// From the start of the sentence holding the match's first character to the end of the sentence
// holding its last; the match itself when it lies between sentences (it never should).
Span sentence_span(const std::vector<TextRange>& sentences, Span m) {
  Span out = m;
  auto first = std::find_if(sentences.begin(), sentences.end(),
                            [&](const TextRange& s) { return s.end > m.start; });
  if (first != sentences.end() && first->start < m.end)
    out.start = std::min(out.start, first->start);
  auto last = std::find_if(sentences.rbegin(), sentences.rend(),
                           [&](const TextRange& s) { return s.start < m.end; });
  if (last != sentences.rend() && last->end > m.start) out.end = std::max(out.end, last->end);
  return out;
}

}  // namespace

std::vector<Coding> codings_for_hits(const Project& project, const std::vector<SearchHit>& hits,
                                     const std::string& code_guid, const std::string& coder_guid,
                                     AutocodeScope scope) {
  std::vector<Coding> out;
  std::set<std::tuple<std::string, int64_t, int64_t>> seen;
  std::map<std::string, OffsetMap> maps;
  SentenceCache sentences(project);
  const auto add = [&](const Source& source, Span span) {
    if (span.start >= span.end || !seen.insert({source.guid, span.start, span.end}).second) return;
    Coding c;
    c.source = source.guid;
    c.start = span.start;
    c.end = span.end;
    c.code = code_guid;
    c.coder = coder_guid;
    out.push_back(std::move(c));
  };
  for (const SearchHit& hit : hits) {
    const Source* source = project.source(hit.source);
    if (!source) throw BadInput("search hit in an unknown source " + hit.source);
    auto [it, fresh] = maps.try_emplace(source->guid);
    if (fresh) it->second = OffsetMap(source->text);
    const OffsetMap& offsets = it->second;
    if (hit.turn.start < 0 || hit.turn.end < hit.turn.start || hit.turn.end > offsets.code_points())
      throw BadInput("search hit outside the text of " + source->name +
                     " (the search index may be outdated: run reindex)");
    if (scope == AutocodeScope::Utterance) {
      add(*source, hit.turn);
      continue;
    }
    for (Span m : merged_matches(source->text, offsets, hit.matches)) {
      m.start = std::clamp(m.start, hit.turn.start, hit.turn.end);
      m.end = std::clamp(m.end, m.start, hit.turn.end);
      if (m.start >= m.end) continue;
      if (scope == AutocodeScope::Sentence)
        m = sentence_span(sentences.of(*source, offsets, hit.turn), m);
      add(*source, m);
    }
  }
  return out;
}

AutocodeResult autocode(ProjectStore& store, const SearchIndex& index, std::string_view query,
                        const std::string& code_guid, const std::string& coder_guid,
                        AutocodeScope scope) {
  const Project& project = store.project();
  const Code* code = project.code(code_guid);
  if (!code) throw BadInput("no code with GUID " + code_guid);
  if (!code->codable)
    throw BadInput("\"" + project.code_path(*code) + "\" is a folder, not a code");
  if (!project.coder(coder_guid)) throw BadInput("no coder with GUID " + coder_guid);

  SearchOptions options;
  options.limit = 0;
  options.order = HitOrder::Transcript;
  const SearchResults results = index.search(project, query, options);

  AutocodeResult result;
  result.hits = results.hits.size();
  std::vector<Coding> codings =
      codings_for_hits(project, results.hits, code_guid, coder_guid, scope);
  result.spans = codings.size();
  if (codings.empty()) return result;
  const std::string label = "Auto-code \"" + code->name + "\": " + std::string(query);
  const size_t before = project.codings.size();
  AddCodings add;
  add.codings = std::move(codings);
  store.execute(Command{std::move(add), label});
  result.added = store.project().codings.size() - before;
  result.already = result.spans - result.added;
  return result;
}

}  // namespace marginalia
