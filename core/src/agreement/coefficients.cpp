// The coefficients over reliability data, their bootstrap intervals, and long-format CSV input.
// Definitions follow Krippendorff (2011) for alpha, Fleiss (1971), Cohen (1960), Scott (1955),
// Brennan & Prediger (1981) and Gwet (2008, 2014) for AC1 with missing ratings.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "marginalia/agreement.h"
#include "marginalia/error.h"

namespace marginalia {

namespace {

constexpr double kTiny = 1e-12;

Coefficient undefined(std::string reason) {
  Coefficient c;
  c.undefined = std::move(reason);
  return c;
}
Coefficient defined(double value) {
  Coefficient c;
  c.value = value;
  return c;
}

const char* kNoPairs = "no unit has values from two coders";
const char* kOneValue = "every value is the same, so no chance-corrected figure exists";

// (p_o - p_e) / (1 - p_e), undefined when chance agreement is total.
Coefficient chance_corrected(double observed, double expected) {
  if (1.0 - expected < kTiny) return undefined(kOneValue);
  return defined((observed - expected) / (1.0 - expected));
}

struct UnitCounts {
  const double* n;  // per category, in the one buffer of every unit's counts
  int m = 0;        // values in the unit
  double w = 1;
};

}  // namespace

Coefficients compute_coefficients(const ReliabilityData& data) {
  const size_t q = data.categories.size();
  const size_t coders = data.coders.size();
  Coefficients out;

  std::vector<UnitCounts> units;
  units.reserve(data.units.size());
  std::vector<double> buffer(data.units.size() * q, 0.0);
  double* next = buffer.data();
  for (const ReliabilityUnit& u : data.units) {
    if (u.weight <= 0) continue;
    UnitCounts counts{next, 0, static_cast<double>(u.weight)};
    for (int v : u.values)
      if (v != kMissing) {
        if (v < 0 || static_cast<size_t>(v) >= q)
          throw BadInput("unit \"" + u.label + "\" has a value outside the categories");
        next[static_cast<size_t>(v)] += 1;
        ++counts.m;
      }
    if (counts.m > 0) {
      units.push_back(counts);
      next += q;
    }
  }

  // Pairable units: percent agreement, alpha, Brennan-Prediger, AC1's observed agreement.
  std::vector<double> n_c(q, 0.0);
  double pairable = 0, agree = 0, o_same = 0;
  for (const UnitCounts& u : units) {
    if (u.m < 2) continue;
    pairable += u.w;
    double same = 0;
    for (size_t c = 0; c < q; ++c) {
      same += u.n[c] * (u.n[c] - 1);
      n_c[c] += u.w * u.n[c];
    }
    agree += u.w * same / (u.m * (u.m - 1.0));
    o_same += u.w * same / (u.m - 1.0);
  }
  double n = 0;
  for (double x : n_c) n += x;
  out.units = static_cast<int64_t>(std::llround(pairable));
  out.values = static_cast<int64_t>(std::llround(n));
  out.prevalence.assign(q, 0.0);
  if (n > 0)
    for (size_t c = 0; c < q; ++c) out.prevalence[c] = n_c[c] / n;

  if (pairable == 0) {
    out.percent = out.alpha = out.brennan_prediger = out.gwet_ac1 = undefined(kNoPairs);
  } else {
    const double pa = agree / pairable;
    out.percent = defined(pa);
    double sum_sq = 0;
    for (double x : n_c) sum_sq += x * x;
    const double expected_disagreement = n * n - sum_sq;
    if (expected_disagreement < kTiny)
      out.alpha = undefined(kOneValue);
    else
      out.alpha = defined(1.0 - (n - 1.0) * (n - o_same) / expected_disagreement);
    // One value throughout: BP and AC1 would read 1, but such data cannot show that coders tell
    // categories apart, so (as for alpha) no chance-corrected figure is given.
    if (expected_disagreement < kTiny)
      out.brennan_prediger = out.gwet_ac1 = undefined(kOneValue);
    else if (q < 2)
      out.brennan_prediger = out.gwet_ac1 = undefined("needs two or more categories");
    else {
      out.brennan_prediger = chance_corrected(pa, 1.0 / static_cast<double>(q));
      // AC1: classification probabilities over every unit with a value (Gwet 2014, 2.5).
      std::vector<double> pi(q, 0.0);
      double rated = 0;
      for (const UnitCounts& u : units) {
        rated += u.w;
        for (size_t c = 0; c < q; ++c) pi[c] += u.w * u.n[c] / u.m;
      }
      double pe = 0;
      for (double& p : pi) {
        p /= rated;
        pe += p * (1 - p);
      }
      pe /= static_cast<double>(q - 1);
      out.gwet_ac1 = chance_corrected(pa, pe);
    }
  }

  // Two coders: Cohen's kappa and Scott's pi over the units both coded.
  if (coders != 2) {
    const std::string why =
        "needs exactly two coders (" + std::to_string(coders) + " here; see Fleiss and alpha)";
    out.cohen = out.scott = undefined(why);
  } else {
    std::vector<double> a(q, 0.0), b(q, 0.0);
    double both = 0, same = 0;
    for (const ReliabilityUnit& u : data.units) {
      if (u.weight <= 0 || u.values.size() < 2) continue;
      const int x = u.values[0], y = u.values[1];
      if (x == kMissing || y == kMissing) continue;
      const double w = static_cast<double>(u.weight);
      both += w;
      if (x == y) same += w;
      a[static_cast<size_t>(x)] += w;
      b[static_cast<size_t>(y)] += w;
    }
    if (both == 0) {
      out.cohen = out.scott = undefined("no unit was coded by both coders");
    } else {
      double pe_cohen = 0, pe_scott = 0;
      for (size_t c = 0; c < q; ++c) {
        pe_cohen += (a[c] / both) * (b[c] / both);
        const double pooled = (a[c] + b[c]) / (2 * both);
        pe_scott += pooled * pooled;
      }
      out.cohen = chance_corrected(same / both, pe_cohen);
      out.scott = chance_corrected(same / both, pe_scott);
    }
  }

  // Fleiss' kappa needs the same number of ratings per unit: the units every coder coded.
  if (coders < 2) {
    out.fleiss = undefined("needs two or more coders");
  } else {
    const double m = static_cast<double>(coders);
    std::vector<double> p(q, 0.0);
    double complete = 0, p_bar = 0;
    for (const UnitCounts& u : units) {
      if (static_cast<size_t>(u.m) != coders) continue;
      complete += u.w;
      double sq = 0;
      for (size_t c = 0; c < q; ++c) {
        sq += u.n[c] * u.n[c];
        p[c] += u.w * u.n[c];
      }
      p_bar += u.w * (sq - m) / (m * (m - 1));
    }
    if (complete == 0) {
      out.fleiss = undefined("no unit was coded by every coder");
    } else {
      double pe = 0;
      for (double x : p) pe += (x / (complete * m)) * (x / (complete * m));
      out.fleiss = chance_corrected(p_bar / complete, pe);
    }
  }
  return out;
}

namespace {

// Type 7 quantile of sorted values.
double quantile(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::vector<Coefficient Coefficients::*> all_members() {
  return {&Coefficients::percent, &Coefficients::cohen, &Coefficients::scott,
          &Coefficients::fleiss,  &Coefficients::alpha, &Coefficients::brennan_prediger,
          &Coefficients::gwet_ac1};
}

}  // namespace

void bootstrap(const ReliabilityData& data, Coefficients& c, const BootstrapOptions& options,
               ProgressSink* progress) {
  if (options.resamples <= 0) return;
  // The coefficients depend on the units only through how much weight each rating pattern (the
  // values of a unit) carries, so a resample is drawn as pattern weights and computed over one
  // weighted unit per pattern: O(patterns), not O(units), per resample.
  ReliabilityData sample;
  sample.coders = data.coders;
  sample.categories = data.categories;
  std::map<std::vector<int>, size_t> pattern_of;
  struct Rated {
    size_t pattern;
    int64_t weight, cluster;
  };
  std::vector<Rated> rated;
  for (const ReliabilityUnit& u : data.units)
    if (u.weight > 0 &&
        std::any_of(u.values.begin(), u.values.end(), [](int v) { return v != kMissing; })) {
      const auto [it, added] = pattern_of.try_emplace(u.values, sample.units.size());
      if (added) sample.units.push_back({std::string(), u.values, 0});
      rated.push_back({it->second, u.weight, u.cluster});
    }
  // What a resample draws with replacement: `count` of `total` equally likely draws fall on a
  // kind of thing, each draw adding `adds` (pattern, weight). Without clusters a kind is a
  // pattern and a draw one unit of weight 1 (a unit of weight w counts as w units); with
  // clusters (every rated unit has one, e.g. a turn with its items for every code) a draw is a
  // whole cluster, and clusters adding the same pattern weights are one kind.
  struct Kind {
    int64_t count = 0;
    std::vector<std::pair<size_t, int64_t>> adds;
  };
  std::vector<Kind> kinds;
  const bool clustered =
      !rated.empty() &&
      std::all_of(rated.begin(), rated.end(), [](const Rated& u) { return u.cluster >= 0; });
  if (clustered) {
    std::map<int64_t, std::map<size_t, int64_t>> by_cluster;
    for (const Rated& u : rated) by_cluster[u.cluster][u.pattern] += u.weight;
    std::map<std::vector<std::pair<size_t, int64_t>>, size_t> kind_of;
    for (const auto& [id, adds] : by_cluster) {
      std::vector<std::pair<size_t, int64_t>> list(adds.begin(), adds.end());
      const auto [it, added] = kind_of.try_emplace(list, kinds.size());
      if (added) kinds.push_back({0, std::move(list)});
      ++kinds[it->second].count;
    }
  } else {
    kinds.resize(sample.units.size());
    for (size_t p = 0; p < kinds.size(); ++p) kinds[p].adds = {{p, 1}};
    for (const Rated& u : rated) kinds[u.pattern].count += u.weight;
  }
  int64_t total = 0;
  for (const Kind& k : kinds) total += k.count;

  std::mt19937_64 rng(options.seed);
  const auto members = all_members();
  std::vector<std::vector<double>> draws(members.size());
  for (int64_t r = 0; r < options.resamples; ++r) {
    if (progress) {
      if (progress->cancelled()) throw Cancelled{};
      progress->progress(r, options.resamples, "Bootstrap");
    }
    for (ReliabilityUnit& u : sample.units) u.weight = 0;
    // `total` draws with replacement, a multinomial drawn kind by kind: how many of the draws
    // left fall on this kind is binomial.
    int64_t left = total, count_left = total;
    for (const Kind& kind : kinds) {
      if (left == 0) break;
      int64_t k = left;
      if (kind.count < count_left) {
        std::binomial_distribution<int64_t> draw(
            left, static_cast<double>(kind.count) / static_cast<double>(count_left));
        k = draw(rng);
      }
      count_left -= kind.count;
      left -= k;
      if (k > 0)
        for (const auto& [p, w] : kind.adds) sample.units[p].weight += k * w;
    }
    const Coefficients again = compute_coefficients(sample);
    for (size_t i = 0; i < members.size(); ++i)
      if (const auto& v = (again.*members[i]).value) draws[i].push_back(*v);
  }
  if (progress) progress->progress(options.resamples, options.resamples, "Bootstrap");
  for (size_t i = 0; i < members.size(); ++i) {
    Coefficient& target = c.*members[i];
    auto& values = draws[i];
    target.resamples_defined = static_cast<int64_t>(values.size());
    if (values.empty() || !target.value) continue;
    std::sort(values.begin(), values.end());
    target.low = quantile(values, 0.025);
    target.high = quantile(values, 0.975);
  }
}

namespace {

std::string trimmed(std::string s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// RFC 4180 records with the line each starts on.
std::vector<std::pair<int64_t, std::vector<std::string>>> csv_records(std::string_view bytes,
                                                                      std::string_view file) {
  std::vector<std::pair<int64_t, std::vector<std::string>>> records;
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false, any = false;
  int64_t line = 1, start_line = 1;
  auto end_record = [&] {
    fields.push_back(std::move(field));
    field.clear();
    if (any || fields.size() > 1 || !fields[0].empty()) records.emplace_back(start_line, fields);
    fields.clear();
    any = false;
  };
  for (size_t i = 0; i < bytes.size(); ++i) {
    const char ch = bytes[i];
    if (quoted) {
      if (ch == '"') {
        if (i + 1 < bytes.size() && bytes[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (ch == '\n') ++line;
        field += ch;
      }
      continue;
    }
    if (ch == '"') {
      quoted = any = true;
    } else if (ch == ',') {
      fields.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (ch == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') {
      continue;
    } else if (ch == '\n' || ch == '\r') {
      end_record();
      start_line = ++line;
    } else {
      field += ch;
    }
  }
  if (quoted)
    throw BadInput(std::string(file) + ": line " + std::to_string(start_line) +
                   ": a quoted field is not closed");
  if (!field.empty() || !fields.empty() || any) end_record();
  return records;
}

}  // namespace

ReliabilityData read_reliability_csv(std::string_view bytes, std::string_view file_name) {
  const std::string file(file_name);
  const auto records = csv_records(bytes, file_name);
  if (records.empty()) throw BadInput(file + ": empty; expected a header unit,coder,value");
  const auto& header = records.front().second;
  if (header.size() != 3 || lower(trimmed(header[0])) != "unit" ||
      lower(trimmed(header[1])) != "coder" || lower(trimmed(header[2])) != "value")
    throw BadInput(file + ": line 1: expected the header unit,coder,value (long format)");
  ReliabilityData data;
  std::map<std::string, size_t> units, coders, categories;
  std::vector<std::map<size_t, std::pair<int, int64_t>>> given;  // unit -> coder -> (value, line)
  for (size_t r = 1; r < records.size(); ++r) {
    const auto& [line, fields] = records[r];
    const std::string where = file + ": line " + std::to_string(line) + ": ";
    if (fields.size() != 3)
      throw BadInput(where + "expected 3 fields (unit,coder,value), found " +
                     std::to_string(fields.size()));
    const std::string unit = trimmed(fields[0]), coder = trimmed(fields[1]),
                      value = trimmed(fields[2]);
    if (unit.empty()) throw BadInput(where + "the unit is empty");
    if (coder.empty()) throw BadInput(where + "the coder is empty");
    auto [u, new_unit] = units.try_emplace(unit, units.size());
    if (new_unit) {
      data.units.push_back({unit, {}, 1});
      given.emplace_back();
    }
    auto [c, new_coder] = coders.try_emplace(coder, coders.size());
    if (new_coder) data.coders.push_back(coder);
    int v = kMissing;
    if (!value.empty()) {
      auto [k, new_category] = categories.try_emplace(value, categories.size());
      if (new_category) data.categories.push_back(value);
      v = static_cast<int>(k->second);
    }
    auto& slot = given[u->second];
    if (auto it = slot.find(c->second); it != slot.end()) {
      if (it->second.first != v)
        throw BadInput(where + "coder \"" + coder + "\" gives unit \"" + unit +
                       "\" a second, different value (first on line " +
                       std::to_string(it->second.second) + ")");
      continue;
    }
    slot[c->second] = {v, line};
  }
  for (size_t u = 0; u < data.units.size(); ++u) {
    data.units[u].values.assign(data.coders.size(), kMissing);
    for (const auto& [c, value] : given[u]) data.units[u].values[c] = value.first;
  }
  if (data.units.empty()) throw BadInput(file + ": no rows after the header");
  return data;
}

}  // namespace marginalia
