// The bare Xapian TermGenerator loop, the baseline of indexing (tests/bench/README.md). Only the
// benchmarks include it: they may use Xapian directly.
#pragma once

#include <xapian.h>

#include "bench_common.h"

namespace bench {

inline void add_unit(Xapian::WritableDatabase& db, Xapian::TermGenerator& terms, const Unit& unit) {
  Xapian::Document doc;
  terms.set_document(doc);
  terms.index_text(unit.text);
  doc.set_data(unit.text);
  doc.add_boolean_term("Q" + unit.id);
  for (const auto& c : unit.codes) doc.add_boolean_term("K" + c);
  db.add_document(doc);
}

inline Xapian::TermGenerator term_generator(Xapian::TermGenerator::stem_strategy strategy) {
  Xapian::TermGenerator terms;
  terms.set_stemmer(Xapian::Stem("en"));
  terms.set_stemming_strategy(strategy);
  return terms;
}

// The loop the issue names: one thread, one document per utterance, one commit at the end.
inline double bare_xapian_per_utterance(const std::vector<Unit>& units, const fs::path& db_path,
                                        Xapian::TermGenerator::stem_strategy strategy) {
  const auto start = Clock::now();
  Xapian::WritableDatabase db(db_path.string(), Xapian::DB_CREATE_OR_OVERWRITE);
  auto terms = term_generator(strategy);
  for (const auto& unit : units) add_unit(db, terms, unit);
  db.commit();
  db.close();
  return seconds_since(start);
}

}  // namespace bench
