// The search query language: checked and translated (query_translation.h), then parsed by Xapian's
// QueryParser as a search does. A query is either refused with a QueryError whose position lies
// inside the query, or parses.
#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "index/query_translation.h"
#include "marginalia/search.h"
#include "marginalia/text.h"

namespace {

marginalia::Project make_project() {
  using namespace marginalia;
  Project p;
  p.guid = "90000000-0000-4000-8000-000000000001";
  p.language = "en";
  p.coders = {{"a1000000-0000-4000-8000-000000000001", "ana"}};
  p.codes = {{"c1000000-0000-4000-8000-000000000001", "Affects", "", "", "", false},
             {"c1000000-0000-4000-8000-000000000002", "Shame", "", "",
              "c1000000-0000-4000-8000-000000000001", true},
             {"c1000000-0000-4000-8000-000000000003", "Withdrawal", "", "", "", true}};
  Source s;
  s.guid = "51000000-0000-4000-8000-000000000001";
  s.name = "d1_client_lena";
  s.text = "Client: I hid.\n";
  s.utterances = {{"Client", Role::Client, 8, 14, 1000}};
  p.sources = {s};
  p.cases = {{"ca000000-0000-4000-8000-000000000001",
              "P01",
              {{"outcome", "poor"}, {"role", "x"}},
              {s.guid}}};
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace marginalia;
  static const Project project = make_project();
  static const Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  index::TranslatedQuery translated;
  try {
    translated = index::translate_query(project, query);
  } catch (const QueryError& e) {
    if (e.position && (*e.position < 0 || *e.position > static_cast<int64_t>(size))) std::abort();
    return 0;
  } catch (const BadInput&) {
    return 0;
  }
  try {
    Xapian::QueryParser parser = index::make_query_parser(project, translated, db);
    (void)parser.parse_query(translated.text, index::query_parser_flags());
  } catch (const Xapian::QueryParserError&) {
    // The search turns this into a QueryError too (search_index.cpp).
  }
  return 0;
}
