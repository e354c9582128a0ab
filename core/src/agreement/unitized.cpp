// The unitized alpha family over character continua (Krippendorff, Mathet, Bouvry & Widlöcher
// 2016, Quality & Quantity 50:2347). Observed coincidences l_ck = 1/(m-1) sum over ordered coder
// pairs of the overlap of one coder's stretch valued c with the other's valued k; expected
// e_ck = (l_c. l_.k - [c=k] S_c) / (l.. - S/l..), S_c the sum of squared lengths of the stretches
// valued c; alpha = 1 - sum_{c!=k} l_ck / sum_{c!=k} e_ck.
#include <algorithm>
#include <map>
#include <set>

#include "marginalia/agreement.h"
#include "marginalia/error.h"
#include "marginalia/text.h"

namespace marginalia {

namespace {

struct Range {
  int64_t start, end;
};

// Sorted, disjoint union of ranges.
std::vector<Range> unite(std::vector<Range> ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const Range& a, const Range& b) { return a.start < b.start; });
  std::vector<Range> out;
  for (const Range& r : ranges) {
    if (r.end <= r.start) continue;
    if (!out.empty() && r.start <= out.back().end)
      out.back().end = std::max(out.back().end, r.end);
    else
      out.push_back(r);
  }
  return out;
}

std::vector<Range> intersect(const std::vector<Range>& a, const std::vector<Range>& b) {
  std::vector<Range> out;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const int64_t s = std::max(a[i].start, b[j].start), e = std::min(a[i].end, b[j].end);
    if (s < e) out.push_back({s, e});
    (a[i].end < b[j].end ? i : j)++;
  }
  return out;
}

}  // namespace

Coefficient unitized_alpha(const std::vector<Continuum>& continua) {
  std::map<int, size_t> index;  // value -> row
  for (const Continuum& c : continua)
    if (c.coders.size() >= 2)
      for (const auto& stretches : c.coders)
        for (const Stretch& s : stretches)
          if (s.end > s.start) index.emplace(s.value, 0);
  size_t k = 0;
  for (auto& [value, row] : index) row = k++;
  std::vector<std::vector<double>> l(k, std::vector<double>(k, 0.0));
  std::vector<double> squares(k, 0.0);
  for (const Continuum& c : continua) {
    const size_t m = c.coders.size();
    if (m < 2) continue;
    for (size_t a = 0; a < m; ++a) {
      for (const Stretch& s : c.coders[a])
        if (s.end > s.start) {
          const double len = static_cast<double>(s.end - s.start);
          squares[index[s.value]] += len * len;
        }
      for (size_t b = 0; b < m; ++b) {
        if (a == b) continue;
        for (const Stretch& x : c.coders[a])
          for (const Stretch& y : c.coders[b]) {
            const int64_t overlap = std::min(x.end, y.end) - std::max(x.start, y.start);
            if (overlap > 0)
              l[index[x.value]][index[y.value]] +=
                  static_cast<double>(overlap) / static_cast<double>(m - 1);
          }
      }
    }
  }
  double total = 0, s_total = 0, observed = 0;
  std::vector<double> row(k, 0.0), col(k, 0.0);
  for (size_t i = 0; i < k; ++i) {
    s_total += squares[i];
    for (size_t j = 0; j < k; ++j) {
      total += l[i][j];
      row[i] += l[i][j];
      col[j] += l[i][j];
      if (i != j) observed += l[i][j];
    }
  }
  Coefficient out;
  if (total <= 0) {
    out.undefined = "no stretch of the continuum was coded by two coders";
    return out;
  }
  const double denominator = total - s_total / total;
  double expected = 0;
  for (size_t i = 0; i < k; ++i)
    for (size_t j = 0; j < k; ++j)
      if (i != j) expected += row[i] * col[j];
  if (k < 2 || denominator <= 0 || expected <= 0) {
    out.undefined = "every stretch has the same value, so no chance-corrected figure exists";
    return out;
  }
  expected /= denominator;
  out.value = 1.0 - observed / expected;
  return out;
}

UnitizedAlphas unitized_alphas(const std::vector<Continuum>& continua) {
  UnitizedAlphas out;
  for (const Continuum& c : continua)
    if (c.coders.size() >= 2) out.length += c.length;
  out.Cu = unitized_alpha(continua);

  std::vector<Continuum> binary = continua, cu;
  for (Continuum& c : binary)
    for (auto& stretches : c.coders)
      for (Stretch& s : stretches)
        if (s.value != kGap) s.value = 0;
  out.binary = unitized_alpha(binary);

  for (const Continuum& c : continua) {
    if (c.coders.size() < 2) continue;
    std::vector<Range> everyone{{0, c.length}};
    for (const auto& stretches : c.coders) {
      std::vector<Range> coded;
      for (const Stretch& s : stretches)
        if (s.value != kGap) coded.push_back({s.start, s.end});
      everyone = intersect(everyone, unite(coded));
    }
    Continuum clipped{c.length, {}};
    for (const auto& stretches : c.coders) {
      std::vector<Stretch> kept;
      for (const Stretch& s : stretches) {
        if (s.value == kGap) continue;
        for (const Range& r : intersect({{s.start, s.end}}, everyone))
          kept.push_back({r.start, r.end, s.value});
      }
      clipped.coders.push_back(std::move(kept));
    }
    cu.push_back(std::move(clipped));
  }
  out.cu = unitized_alpha(cu);
  if (!out.cu.value && out.cu.undefined.starts_with("no stretch"))
    out.cu.undefined = "no position was coded by every coder";
  return out;
}

std::vector<Continuum> project_continua(const Project& project,
                                        const std::vector<std::string>& coders,
                                        const std::vector<std::string>& codes) {
  std::map<std::string, int> code_index;
  for (size_t i = 0; i < codes.size(); ++i) code_index[codes[i]] = static_cast<int>(i);
  std::vector<Continuum> out;
  for (const Source& source : project.sources) {
    Continuum continuum;
    continuum.length = count_code_points(source.text);
    for (const std::string& coder : coders) {
      if (!has_coded(project, coder, source.guid)) continue;
      std::map<int, std::vector<Range>> by_code;
      for (const Coding& c : project.codings)
        if (c.coder == coder && c.source == source.guid)
          if (auto it = code_index.find(c.code); it != code_index.end())
            by_code[it->second].push_back({c.start, c.end});
      std::vector<Stretch> stretches;
      std::vector<Range> any;
      for (auto& [value, ranges] : by_code)
        for (const Range& r : unite(std::move(ranges))) {
          stretches.push_back({r.start, r.end, value});
          any.push_back(r);
        }
      int64_t at = 0;
      for (const Range& r : unite(std::move(any))) {
        if (r.start > at) stretches.push_back({at, r.start, kGap});
        at = r.end;
      }
      if (at < continuum.length) stretches.push_back({at, continuum.length, kGap});
      std::sort(stretches.begin(), stretches.end(),
                [](const Stretch& a, const Stretch& b) { return a.start < b.start; });
      continuum.coders.push_back(std::move(stretches));
    }
    if (continuum.coders.size() >= 2) out.push_back(std::move(continuum));
  }
  return out;
}

}  // namespace marginalia
