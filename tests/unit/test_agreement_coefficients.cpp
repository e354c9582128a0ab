// The coefficients against published worked examples (to 1e-9 where the value is an exact
// fraction), the properties every coefficient must have, undefined figures, the bootstrap and the
// long-format CSV reader.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "marginalia/agreement.h"
#include "marginalia/error.h"

using namespace marginalia;

namespace {

// Units as rows of values per coder; 0 is missing, 1.. are categories "1".."q".
ReliabilityData table(const std::vector<std::vector<int>>& rows, int q) {
  ReliabilityData d;
  for (size_t c = 0; c < rows.front().size(); ++c) d.coders.push_back("c" + std::to_string(c));
  for (int k = 1; k <= q; ++k) d.categories.push_back(std::to_string(k));
  for (size_t u = 0; u < rows.size(); ++u) {
    ReliabilityUnit unit{"u" + std::to_string(u), {}, 1};
    for (int v : rows[u]) unit.values.push_back(v == 0 ? kMissing : v - 1);
    d.units.push_back(unit);
  }
  return d;
}

// Coders' values per unit, given per coder as in the papers (column = unit).
ReliabilityData by_coder(const std::vector<std::vector<int>>& coders, int q) {
  std::vector<std::vector<int>> rows(coders.front().size(), std::vector<int>(coders.size()));
  for (size_t c = 0; c < coders.size(); ++c)
    for (size_t u = 0; u < coders[c].size(); ++u) rows[u][c] = coders[c][u];
  return table(rows, q);
}

// Two coders from a contingency table: cell[a][b] units where coder 1 said a and coder 2 b.
ReliabilityData contingency(const std::vector<std::vector<int>>& cells) {
  std::vector<std::vector<int>> rows;
  for (size_t a = 0; a < cells.size(); ++a)
    for (size_t b = 0; b < cells[a].size(); ++b)
      for (int n = 0; n < cells[a][b]; ++n)
        rows.push_back({static_cast<int>(a) + 1, static_cast<int>(b) + 1});
  return table(rows, static_cast<int>(cells.size()));
}

TEST(AgreementCoefficients, KrippendorffNominalExampleWithMissingData) {
  // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", 4 coders x 12 units.
  const auto d = by_coder({{1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0},
                           {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3},
                           {0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0},
                           {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0}},
                          5);
  const Coefficients c = compute_coefficients(d);
  ASSERT_TRUE(c.alpha.value) << c.alpha.undefined;
  EXPECT_NEAR(*c.alpha.value, 113.0 / 152.0, 1e-9);
  EXPECT_NEAR(*c.alpha.value, 0.743, 5e-4);
  EXPECT_EQ(c.units, 11);   // unit 12 has one value: not pairable
  EXPECT_EQ(c.values, 40);  // n.. in the paper's coincidence matrix
  EXPECT_FALSE(c.cohen.value);
  EXPECT_NE(c.cohen.undefined.find("two coders"), std::string::npos);
}

TEST(AgreementCoefficients, KrippendorffBinaryExample) {
  // Krippendorff (2011): two coders, ten units, alpha = 0.095.
  const auto d = by_coder({{1, 2, 1, 1, 1, 1, 1, 1, 2, 1}, {2, 2, 2, 1, 1, 2, 1, 1, 1, 1}}, 2);
  const Coefficients c = compute_coefficients(d);
  ASSERT_TRUE(c.alpha.value);
  EXPECT_NEAR(*c.alpha.value, 2.0 / 21.0, 1e-9);
}

TEST(AgreementCoefficients, FleissPsychiatricDiagnoses) {
  // Fleiss (1971): 30 subjects, 6 raters each, 5 diagnoses; counts per subject.
  const std::vector<std::vector<int>> counts = {
      {0, 0, 0, 6, 0}, {0, 3, 0, 0, 3}, {0, 1, 4, 0, 1}, {0, 0, 0, 0, 6}, {0, 3, 0, 3, 0},
      {2, 0, 4, 0, 0}, {0, 0, 4, 0, 2}, {2, 0, 3, 1, 0}, {2, 0, 0, 4, 0}, {0, 0, 0, 0, 6},
      {1, 0, 0, 5, 0}, {1, 1, 0, 4, 0}, {0, 3, 3, 0, 0}, {1, 0, 0, 5, 0}, {0, 2, 0, 3, 1},
      {0, 0, 5, 0, 1}, {3, 0, 0, 1, 2}, {5, 1, 0, 0, 0}, {0, 2, 0, 4, 0}, {1, 0, 2, 0, 3},
      {0, 0, 0, 0, 6}, {0, 1, 0, 5, 0}, {0, 2, 0, 1, 3}, {2, 0, 0, 4, 0}, {1, 0, 0, 4, 1},
      {0, 5, 0, 1, 0}, {4, 0, 0, 0, 2}, {0, 2, 0, 4, 0}, {1, 0, 5, 0, 0}, {0, 0, 0, 0, 6}};
  std::vector<std::vector<int>> rows;
  for (const auto& subject : counts) {
    std::vector<int> row;
    for (int k = 0; k < 5; ++k) row.insert(row.end(), subject[k], k + 1);
    ASSERT_EQ(row.size(), 6u);
    rows.push_back(row);
  }
  const Coefficients c = compute_coefficients(table(rows, 5));
  ASSERT_TRUE(c.fleiss.value);
  EXPECT_NEAR(*c.fleiss.value, 0.4302445, 5e-8);
}

TEST(AgreementCoefficients, CohenOnATwoByTwoTable) {
  const Coefficients c = compute_coefficients(contingency({{20, 5}, {10, 15}}));
  ASSERT_TRUE(c.cohen.value);
  EXPECT_NEAR(*c.cohen.value, 0.40, 1e-9);
  EXPECT_NEAR(*c.percent.value, 0.70, 1e-9);
}

TEST(AgreementCoefficients, ArtsteinPoesioTableOne) {
  // Artstein & Poesio (2008), Table 1: rows coder A, columns coder B, categories STAT, IReq.
  const Coefficients c = compute_coefficients(contingency({{20, 10}, {20, 50}}));
  EXPECT_NEAR(*c.percent.value, 0.70, 1e-9);
  EXPECT_NEAR(*c.cohen.value, 8.0 / 23.0, 1e-9);  // 0.348
  EXPECT_NEAR(*c.cohen.value, 0.348, 5e-4);
  EXPECT_NEAR(*c.scott.value, 31.0 / 91.0, 1e-9);  // 0.341
  EXPECT_NEAR(*c.scott.value, 0.341, 5e-4);
  EXPECT_NEAR(*c.brennan_prediger.value, 0.40, 1e-9);
  // Two coders, no missing data: Fleiss' kappa is Scott's pi, alpha corrects it for sample size.
  EXPECT_NEAR(*c.fleiss.value, *c.scott.value, 1e-12);
  EXPECT_NEAR(*c.alpha.value, 1 - (1 - 31.0 / 91.0) * 199.0 / 200.0, 1e-9);
  // Gwet's AC1 for two raters: pe = 2 * pi_1 * (1 - pi_1) with pi_1 = 0.35.
  EXPECT_NEAR(*c.gwet_ac1.value, (0.7 - 2 * 0.35 * 0.65) / (1 - 2 * 0.35 * 0.65), 1e-9);
}

TEST(AgreementCoefficients, EveryRatingTheSameIsUndefinedNotOneOrNaN) {
  const Coefficients c = compute_coefficients(table({{1, 1}, {1, 1}, {1, 1}}, 2));
  for (const Coefficient* k :
       {&c.cohen, &c.scott, &c.fleiss, &c.alpha, &c.brennan_prediger, &c.gwet_ac1}) {
    EXPECT_FALSE(k->value);
    EXPECT_NE(k->undefined.find("same"), std::string::npos) << k->undefined;
  }
  EXPECT_DOUBLE_EQ(*c.percent.value, 1.0);
  const Table t = agreement_table({{"X", c}}, "utterance", "", {"a", "b"}, {}, false);
  const std::string text = to_text(t);
  EXPECT_NE(text.find("undefined (every value is the same"), std::string::npos) << text;
  for (const auto& row : t.rows)
    for (const auto& cell : row) {
      EXPECT_EQ(cell.text.find("nan"), std::string::npos) << cell.text;
      EXPECT_NE(cell.text, "1.000") << "an undefined figure shown as 1";
    }
}

TEST(AgreementCoefficients, NoPairableUnitIsUndefined) {
  const Coefficients c = compute_coefficients(table({{1, 0}, {0, 2}}, 2));
  EXPECT_FALSE(c.alpha.value);
  EXPECT_FALSE(c.percent.value);
  EXPECT_FALSE(c.cohen.value);
  EXPECT_EQ(c.units, 0);
}

std::vector<std::vector<int>> random_rows(std::mt19937& rng, int units, int coders, int q,
                                          bool missing) {
  std::uniform_int_distribution<int> value(1, q), miss(0, 5);
  std::vector<std::vector<int>> rows(units, std::vector<int>(coders));
  for (auto& row : rows)
    for (int& v : row) v = missing && miss(rng) == 0 ? 0 : value(rng);
  return rows;
}

void expect_same(const Coefficient& a, const Coefficient& b) {
  ASSERT_EQ(a.value.has_value(), b.value.has_value());
  if (a.value) EXPECT_NEAR(*a.value, *b.value, 1e-12);
}

void expect_same(const Coefficients& a, const Coefficients& b) {
  expect_same(a.percent, b.percent);
  expect_same(a.cohen, b.cohen);
  expect_same(a.scott, b.scott);
  expect_same(a.fleiss, b.fleiss);
  expect_same(a.alpha, b.alpha);
  expect_same(a.brennan_prediger, b.brennan_prediger);
  expect_same(a.gwet_ac1, b.gwet_ac1);
}

TEST(AgreementProperties, PerfectAgreementGivesOne) {
  std::mt19937 rng(7);
  for (int coders : {2, 3, 5}) {
    auto rows = random_rows(rng, 25, 1, 3, false);
    for (auto& row : rows) row.assign(coders, row[0]);
    rows[0].assign(coders, 1);
    rows[1].assign(coders, 2);  // at least two distinct values
    const Coefficients c = compute_coefficients(table(rows, 3));
    for (const Coefficient* k :
         {&c.percent, &c.fleiss, &c.alpha, &c.brennan_prediger, &c.gwet_ac1}) {
      ASSERT_TRUE(k->value) << k->undefined;
      EXPECT_NEAR(*k->value, 1.0, 1e-12);
    }
    if (coders == 2) {
      EXPECT_NEAR(*c.cohen.value, 1.0, 1e-12);
      EXPECT_NEAR(*c.scott.value, 1.0, 1e-12);
    }
  }
}

TEST(AgreementProperties, RelabellingCategoriesChangesNothing) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    const int coders = 2 + trial % 3;
    const auto rows = random_rows(rng, 30, coders, 4, true);
    std::vector<int> relabel = {1, 2, 3, 4};
    std::shuffle(relabel.begin(), relabel.end(), rng);
    auto renamed = rows;
    for (auto& row : renamed)
      for (int& v : row)
        if (v) v = relabel[v - 1];
    expect_same(compute_coefficients(table(rows, 4)), compute_coefficients(table(renamed, 4)));
  }
}

TEST(AgreementProperties, CoderOrderChangesNothing) {
  std::mt19937 rng(13);
  for (int trial = 0; trial < 20; ++trial) {
    const int coders = 2 + trial % 3;
    const auto rows = random_rows(rng, 30, coders, 3, true);
    auto swapped = rows;
    for (auto& row : swapped) std::reverse(row.begin(), row.end());
    expect_same(compute_coefficients(table(rows, 3)), compute_coefficients(table(swapped, 3)));
  }
}

TEST(AgreementProperties, UnitsEveryoneAgreesOnNeverLowerPercentAgreement) {
  std::mt19937 rng(17);
  for (int trial = 0; trial < 20; ++trial) {
    const int coders = 2 + trial % 3;
    auto rows = random_rows(rng, 20, coders, 3, true);
    double before = *compute_coefficients(table(rows, 3)).percent.value;
    for (int added = 0; added < 5; ++added) {
      rows.push_back(std::vector<int>(coders, 1 + added % 3));
      const double after = *compute_coefficients(table(rows, 3)).percent.value;
      EXPECT_GE(after, before - 1e-12);
      before = after;
    }
  }
}

TEST(AgreementProperties, WeightsAreRepeatedUnits) {
  std::mt19937 rng(19);
  auto rows = random_rows(rng, 10, 3, 3, true);
  ReliabilityData weighted = table(rows, 3), repeated = table(rows, 3);
  weighted.units[3].weight = 4;
  for (int i = 0; i < 3; ++i) repeated.units.push_back(repeated.units[3]);
  expect_same(compute_coefficients(weighted), compute_coefficients(repeated));
}

TEST(AgreementBootstrap, SeededIntervalsAroundTheEstimate) {
  const ReliabilityData d = contingency({{20, 10}, {20, 50}});
  Coefficients a = compute_coefficients(d), b = a, other = a;
  bootstrap(d, a, {500, 42});
  bootstrap(d, b, {500, 42});
  bootstrap(d, other, {500, 43});
  ASSERT_TRUE(a.cohen.low && a.cohen.high);
  EXPECT_EQ(*a.cohen.low, *b.cohen.low);  // same seed, same interval
  EXPECT_EQ(*a.alpha.high, *b.alpha.high);
  EXPECT_NE(*a.alpha.low, *other.alpha.low);
  EXPECT_LT(*a.cohen.low, *a.cohen.value);
  EXPECT_GT(*a.cohen.high, *a.cohen.value);
  // 100 units: a kappa of 0.35 is known to roughly +-0.18.
  EXPECT_GT(*a.cohen.low, 0.1);
  EXPECT_LT(*a.cohen.high, 0.6);
  EXPECT_EQ(a.cohen.resamples_defined, 500);
}

TEST(AgreementBootstrap, ClustersAreResampledWhole) {
  // Each cluster (a turn) has one agreed item and one disagreed item: however turns are drawn,
  // percent agreement stays 50%. Drawn as items, it would vary.
  ReliabilityData d = table({{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}, {2, 1}}, 2);
  for (size_t u = 0; u < d.units.size(); ++u) d.units[u].cluster = static_cast<int64_t>(u / 2);
  Coefficients c = compute_coefficients(d);
  bootstrap(d, c, {300, 5});
  EXPECT_DOUBLE_EQ(*c.percent.low, 0.5);
  EXPECT_DOUBLE_EQ(*c.percent.high, 0.5);
  for (auto& u : d.units) u.cluster = -1;
  Coefficients items = compute_coefficients(d);
  bootstrap(d, items, {300, 5});
  EXPECT_LT(*items.percent.low, 0.5);
  EXPECT_GT(*items.percent.high, 0.5);
}

TEST(AgreementBootstrap, PatternWeightsGiveTheSameFiguresAndLeaveTheEstimate) {
  // The bootstrap computes each resample over one weighted unit per rating pattern: that must be
  // the figure of the units themselves, and the point estimates must stay exactly as computed.
  std::mt19937 rng(23);
  for (int coders : {2, 3}) {
    const ReliabilityData d = table(random_rows(rng, 400, coders, 3, true), 3);
    ReliabilityData patterns = d;
    patterns.units.clear();
    for (const ReliabilityUnit& u : d.units) {
      auto same = std::find_if(patterns.units.begin(), patterns.units.end(),
                               [&](const ReliabilityUnit& p) { return p.values == u.values; });
      if (same == patterns.units.end())
        patterns.units.push_back(u);
      else
        same->weight += u.weight;
    }
    ASSERT_LT(patterns.units.size(), d.units.size() / 4);
    const Coefficients before = compute_coefficients(d);
    expect_same(before, compute_coefficients(patterns));
    Coefficients after = before;
    bootstrap(d, after, {200, 3});
    for (auto member :
         {&Coefficients::percent, &Coefficients::cohen, &Coefficients::scott, &Coefficients::fleiss,
          &Coefficients::alpha, &Coefficients::brennan_prediger, &Coefficients::gwet_ac1}) {
      EXPECT_EQ((before.*member).value, (after.*member).value);
      if (!(after.*member).value) continue;
      ASSERT_TRUE((after.*member).low && (after.*member).high);
      EXPECT_LE(*(after.*member).low, *(after.*member).value);
      EXPECT_GE(*(after.*member).high, *(after.*member).value);
    }
  }
}

TEST(AgreementBootstrap, IntervalWidthIsTheSamplingErrorOfUnitsOrClusters) {
  // Percent agreement over n independent units is a proportion: its 95% interval is about
  // p +- 1.96 sqrt(p (1 - p) / n). 70 agreeing and 30 disagreeing units: 0.70 +- 0.090.
  const ReliabilityData units = contingency({{35, 15}, {15, 35}});
  Coefficients c = compute_coefficients(units);
  bootstrap(units, c, {2000, 11});
  EXPECT_NEAR(*c.percent.low, 0.70 - 0.090, 0.02);
  EXPECT_NEAR(*c.percent.high, 0.70 + 0.090, 0.02);
  // The same 100 rows each twice (200 items): drawn as items the interval narrows to +- 0.064;
  // with each row's two items one cluster, clusters are what is drawn and it stays +- 0.090.
  ReliabilityData items = units;
  for (const ReliabilityUnit& u : units.units) items.units.push_back(u);
  Coefficients loose = compute_coefficients(items), whole = loose;
  bootstrap(items, loose, {2000, 11});
  EXPECT_NEAR(*loose.percent.low, 0.70 - 0.064, 0.015);
  EXPECT_NEAR(*loose.percent.high, 0.70 + 0.064, 0.015);
  for (size_t u = 0; u < items.units.size(); ++u)
    items.units[u].cluster = static_cast<int64_t>(u % units.units.size());
  bootstrap(items, whole, {2000, 11});
  EXPECT_NEAR(*whole.percent.low, 0.70 - 0.090, 0.02);
  EXPECT_NEAR(*whole.percent.high, 0.70 + 0.090, 0.02);
  Coefficients again = compute_coefficients(items);
  bootstrap(items, again, {2000, 11});
  EXPECT_EQ(*again.alpha.low, *whole.alpha.low);  // same seed, same interval
  EXPECT_EQ(*again.alpha.high, *whole.alpha.high);
}

TEST(AgreementBootstrap, CancelStopsIt) {
  const ReliabilityData d = contingency({{20, 10}, {20, 50}});
  Coefficients c = compute_coefficients(d);
  SilentProgress progress;
  progress.cancel = true;
  EXPECT_THROW(bootstrap(d, c, {100, 1}, &progress), Cancelled);
}

TEST(AgreementCsv, ReadsLongFormatWithMissingValues) {
  const std::string csv =
      "unit,coder,value\r\n1,A,yes\r\n1,B,yes\r\n2,A,no\r\n2,B,\r\n\"3, late\",A,no\r\n"
      "\"3, late\",B,\"no\"\r\n";
  const ReliabilityData d = read_reliability_csv(csv, "ratings.csv");
  ASSERT_EQ(d.units.size(), 3u);
  EXPECT_EQ(d.coders, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(d.categories, (std::vector<std::string>{"yes", "no"}));
  EXPECT_EQ(d.units[1].values, (std::vector<int>{1, kMissing}));
  EXPECT_EQ(d.units[2].label, "3, late");
  const Coefficients c = compute_coefficients(d);
  EXPECT_EQ(c.units, 2);
  EXPECT_DOUBLE_EQ(*c.percent.value, 1.0);
}

TEST(AgreementCsv, ErrorsNameTheFileAndLine) {
  try {
    read_reliability_csv("unit,coder,value\n1,A,x\n1,A,y\n", "ratings.csv");
    FAIL();
  } catch (const BadInput& e) {
    EXPECT_NE(std::string(e.what()).find("ratings.csv: line 3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_reliability_csv("a,b\n1,2\n", "r.csv"), BadInput);
  EXPECT_THROW(read_reliability_csv("unit,coder,value\n1,A\n", "r.csv"), BadInput);
}

}  // namespace
