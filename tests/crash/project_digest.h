// A digest of everything an edit can change in a project, so the kill test can tell whether the
// project it opens after a kill is the one the editor acknowledged.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "marginalia/model.h"

namespace marginalia::crash {

class Digest {
 public:
  void add(const std::string& s) {
    for (unsigned char c : s) mix(c);
    mix(0xff);  // field separator: "ab","c" differs from "a","bc"
  }
  void add(int64_t n) { add(std::to_string(n)); }
  std::string hex() const {
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(h_));
    return buffer;
  }

 private:
  void mix(unsigned char c) {
    h_ ^= c;
    h_ *= 1099511628211ull;  // FNV-1a 64
  }
  uint64_t h_ = 14695981039346656037ull;
};

// `ordered`: codings in their list order too. Without it, codings count as a set (sorted by
// GUID): a crash during a snapshot can bring them back in another order (see the README).
inline std::string project_digest(const Project& p, bool ordered = false) {
  Digest d;
  for (const Coder& c : p.coders) d.add(c.guid + c.name);
  d.add("codes");
  for (const Code& c : p.codes) {
    d.add(c.guid);
    d.add(c.name);
    d.add(c.color);
    d.add(c.description);
    d.add(c.parent);
    d.add(c.codable ? 1 : 0);
  }
  d.add("sources");
  for (const Source& s : p.sources) {
    d.add(s.guid);
    d.add(s.name);
    d.add(s.text);
    d.add(static_cast<int64_t>(s.utterances.size()));
  }
  d.add("codings");
  std::vector<const Coding*> codings;
  for (const Coding& c : p.codings) codings.push_back(&c);
  if (!ordered)
    std::sort(codings.begin(), codings.end(),
              [](const Coding* a, const Coding* b) { return a->guid < b->guid; });
  for (const Coding* coding : codings) {
    const Coding& c = *coding;
    d.add(c.guid);
    d.add(c.source);
    d.add(c.start);
    d.add(c.end);
    d.add(c.code);
    d.add(c.coder);
    d.add(c.memo);
  }
  d.add("memos");
  for (const Memo& m : p.memos) d.add(m.guid + m.target + m.text);
  return d.hex();
}

}  // namespace marginalia::crash
