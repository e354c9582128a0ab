// Working from search hits: autocode, kwic, words.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_commands.h"
#include "cli_output.h"
#include "marginalia/concordance.h"
#include "marginalia/error.h"
#include "marginalia/naming.h"
#include "marginalia/project_store.h"
#include "marginalia/search.h"
#include "marginalia/text.h"

namespace marginalia::cli {

namespace {

struct Options {
  std::string project;
  std::string query;
  std::string code, coder, scope = "match";
  size_t width = 40;
  std::string role, source;
  size_t top = 50;
  std::string format = "text";
};

std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::replace(s.begin(), s.end(), '\t', ' ');
  return s;
}

std::string pad_left(const std::string& s, size_t width) {
  const auto n = static_cast<size_t>(count_code_points(s));
  return n >= width ? s : std::string(width - n, ' ') + s;
}

std::string pad_right(const std::string& s, size_t width) {
  const auto n = static_cast<size_t>(count_code_points(s));
  return n >= width ? s : s + std::string(width - n, ' ');
}

int cmd_autocode(const Options& o) {
  const auto scope = parse_autocode_scope(o.scope);
  if (!scope) throw UsageError("--scope takes match, sentence or utterance");
  Session session = open_for_writing(o.project);
  const std::string code = resolve_code(session->project(), o.code);
  const std::string coder_name = default_coder(o.coder);
  const std::string coder = session->coder_guid(coder_name);
  const AutocodeResult r = autocode(*session, *session.index, o.query, code, coder, *scope);
  session->snapshot();
  const Code* c = session->project().code(code);
  std::cout << "Auto-coded " << r.hits << (r.hits == 1 ? " hit" : " hits") << " as \""
            << session->project().code_path(*c) << "\" (coder " << coder_name << ", scope "
            << o.scope << "): " << r.added << (r.added == 1 ? " coding" : " codings") << " added, "
            << r.already << " already there\n";
  return 0;
}

int cmd_kwic(const Options& o) {
  auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
  auto index = SearchIndex::open(o.project, *store);
  SearchOptions options;
  options.limit = 0;
  options.order = HitOrder::Transcript;
  const SearchResults results = index->search(store->project(), o.query, options);
  const auto lines = concordance(store->project(), results.hits, o.width);

  if (o.format == "csv") {
    std::cout << "source,speaker,role,start,end,left,match,right\r\n";
    for (const auto& l : lines)
      std::cout << csv_field(l.source_name) << "," << csv_field(l.speaker) << ","
                << role_name(l.role) << "," << l.match.start << "," << l.match.end << ","
                << csv_field(l.left) << "," << csv_field(l.text) << "," << csv_field(l.right)
                << "\r\n";
    return 0;
  }
  if (o.format == "json") {
    nlohmann::ordered_json j = nlohmann::json::array();
    for (const auto& l : lines) {
      nlohmann::ordered_json line{
          {"source", l.source_name},  {"speaker", l.speaker},   {"role", role_name(l.role)},
          {"utterance", l.utterance}, {"start", l.match.start}, {"end", l.match.end},
          {"left", l.left},           {"match", l.text},        {"right", l.right}};
      if (l.timestamp_ms) line["timestamp_ms"] = *l.timestamp_ms;
      j.push_back(std::move(line));
    }
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  for (const auto& l : lines) {
    std::cout << pad_left(one_line(l.left), o.width) << " [" << one_line(l.text) << "] "
              << pad_right(one_line(l.right), o.width) << "  " << l.source_name << ":"
              << l.match.start << "  " << l.speaker << " (" << role_name(l.role) << ")\n";
  }
  std::cerr << lines.size() << (lines.size() == 1 ? " match in " : " matches in ")
            << results.hits.size() << (results.hits.size() == 1 ? " turn\n" : " turns\n");
  return 0;
}

std::string per_thousand(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

int cmd_words(const Options& o) {
  auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
  const Project& p = store->project();
  WordFilter filter;
  if (!o.role.empty()) {
    filter.role = parse_role(o.role);
    if (!filter.role)
      throw UsageError("unknown role \"" + o.role +
                       "\" (use interviewer, therapist, client, participant or other)");
  }
  if (!o.code.empty()) filter.code = resolve_code(p, o.code);
  if (!o.source.empty()) filter.source = resolve_source(p, o.source);
  const WordFrequencies f = word_frequencies(p, filter, o.top);

  if (o.format == "csv") {
    std::cout << "word,count,per_1000\r\n";
    for (const auto& w : f.words)
      std::cout << csv_field(w.word) << "," << w.count << "," << per_thousand(w.per_thousand)
                << "\r\n";
    return 0;
  }
  if (o.format == "json") {
    nlohmann::ordered_json j{{"total_words", f.total_words}, {"distinct", f.distinct}};
    j["words"] = nlohmann::json::array();
    for (const auto& w : f.words)
      j["words"].push_back({{"word", w.word}, {"count", w.count}, {"per_1000", w.per_thousand}});
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  size_t longest = 4;
  for (const auto& w : f.words)
    longest = std::max(longest, static_cast<size_t>(count_code_points(w.word)));
  std::cout << pad_right("word", longest) << "  " << pad_left("count", 7) << "  "
            << pad_left("per 1,000", 9) << "\n";
  for (const auto& w : f.words)
    std::cout << pad_right(w.word, longest) << "  " << pad_left(std::to_string(w.count), 7) << "  "
              << pad_left(per_thousand(w.per_thousand), 9) << "\n";
  std::cout << f.total_words << " words counted, " << f.distinct << " distinct without stopwords\n";
  return 0;
}

}  // namespace

void add_concordance_commands(CLI::App& app, Runner& run) {
  static Options o;

  auto* autocode_cmd =
      app.add_subcommand("autocode", "Code every hit of a search as one undoable step");
  autocode_cmd->add_option("PROJECT", o.project, "Project folder")->required();
  autocode_cmd->add_option("QUERY", o.query, "Search query, as for search")->required();
  autocode_cmd->add_option("--code", o.code, "Code: GUID, name or Parent/Child path")->required();
  autocode_cmd->add_option("--coder", o.coder,
                           "Coder name (default $MARGINALIA_CODER, else login)");
  autocode_cmd
      ->add_option("--scope", o.scope,
                   "What to code: match (the matched words; a phrase is one span), sentence "
                   "(the sentences around them) or utterance (the whole turn); default match")
      ->check(CLI::IsMember({"match", "sentence", "utterance"}));
  autocode_cmd->callback([&] { run = [&] { return cmd_autocode(o); }; });

  auto* kwic = app.add_subcommand("kwic", "Keyword in context: every match with its surroundings");
  kwic->add_option("PROJECT", o.project, "Project folder")->required();
  kwic->add_option("QUERY", o.query, "Search query, as for search")->required();
  kwic->add_option("--width", o.width,
                   "Characters of context on each side, within the turn (default 40)");
  add_format(kwic, o.format, {"text", "csv", "json"});
  kwic->callback([&] { run = [&] { return cmd_kwic(o); }; });

  auto* words = app.add_subcommand(
      "words", "Most frequent words in what people said (stopwords, numbers and labels out)");
  words->add_option("PROJECT", o.project, "Project folder")->required();
  words->add_option("--role", o.role, "Only turns of this role (client, therapist, ...)");
  words->add_option("--code", o.code, "Only text inside this code's codings");
  words->add_option("--source", o.source, "Only this source");
  words->add_option("--top", o.top, "How many words (default 50; 0: all)");
  add_format(words, o.format, {"text", "csv", "json"});
  words->callback([&] { run = [&] { return cmd_words(o); }; });
}

}  // namespace marginalia::cli
