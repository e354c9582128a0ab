// The researcher's query language, checked and turned into what Xapian's QueryParser reads.
// Xapian's parser reports no positions and takes unknown fields for words, so everything it cannot
// say precisely is checked here first; filters are resolved against the project (names to GUIDs)
// and handed on under internal field names no person can type. Private to core/src/index/.
#pragma once

#include <xapian.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "marginalia/model.h"

namespace marginalia::index {

struct TranslatedQuery {
  std::string text;                               // for Xapian's QueryParser
  std::vector<std::string> wildcards;             // prefixes of `distan*`, folded and lowercased
  std::vector<std::vector<std::string>> phrases;  // the terms of each "quoted phrase"
  std::set<std::string> loose_terms;              // terms of the words outside quotes
  size_t attribute_fields = 0;                    // case attributes named (internal fields)
};

// Throws QueryError (with the code-point position where there is one) for an empty query, an
// unbalanced quote or bracket, an unknown field, a filter without a value or naming nothing known
// (code, source, coder, role), a bad time range, an operator without its operands.
TranslatedQuery translate_query(const Project& project, std::string_view query);

// A QueryParser for `translated` over `db`: stemmer, flags' companions, internal fields, time
// range.
Xapian::QueryParser make_query_parser(const Project& project, const TranslatedQuery& translated,
                                      const Xapian::Database& db);
unsigned query_parser_flags();

}  // namespace marginalia::index
