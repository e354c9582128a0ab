// The unitized alpha family on small continua worked out by hand, and its identities with nominal
// alpha over characters.
#include <gtest/gtest.h>

#include <random>

#include "marginalia/agreement.h"

using namespace marginalia;

namespace {

constexpr int X = 0, Y = 1, G = kGap;

TEST(UnitizedAlpha, OneCodeShiftedByOneCharacter) {
  // Ten characters; A codes [2,6) X, B codes [3,7) X.
  // l_XX = 2*3 = 6, l_Xg = l_gX = 1 + 1 = 2, l_gg = 2*(2 + 3) = 10; l.. = 20.
  // S_X = 4^2 + 4^2 = 32, S_g = 2^2 + 4^2 + 3^2 + 3^2 = 38; l.. - S/l.. = 20 - 70/20 = 16.5.
  // sum_{c!=k} e = 2 * 8 * 12 / 16.5; alpha = 1 - 4 * 16.5 / 192 = 21/32.
  const Continuum c{10, {{{0, 2, G}, {2, 6, X}, {6, 10, G}}, {{0, 3, G}, {3, 7, X}, {7, 10, G}}}};
  const UnitizedAlphas a = unitized_alphas({c});
  ASSERT_TRUE(a.Cu.value);
  EXPECT_NEAR(*a.Cu.value, 21.0 / 32.0, 1e-9);
  EXPECT_NEAR(*a.binary.value, 21.0 / 32.0, 1e-9);  // one code: binary is the same reading
  EXPECT_FALSE(a.cu.value);  // one value where both coded: no chance-corrected figure
  EXPECT_EQ(a.length, 10);
}

TEST(UnitizedAlpha, TwoCodesAndAGap) {
  // A: X[0,4) Y[4,8) gap[8,10); B: X[0,5) Y[5,10).
  // Cu: l_XX = 8, l_XY = l_YX = 1, l_YY = 6, l_Yg = l_gY = 2; rows X 9, Y 9, g 2; S = 41+41+4 = 86,
  //     l.. - S/l.. = 15.7; sum_{c!=k} e = (400 - 166) / 15.7; alpha = 1 - 6*15.7/234 = 233/390.
  // binary (A's two stretches stay two): l_cc = 16, l_cg = l_gc = 2; S = 82 + 4; alpha = 1 -
  //     4*15.7/72 = 23/180.
  // cu: both coded [0,8): A X[0,4) Y[4,8), B X[0,5) Y[5,8); l_XX = 8, l_XY = l_YX = 1, l_YY = 6;
  //     rows X 9, Y 7; S = 41 + 25 = 66; 16 - 66/16 = 11.875; alpha = 1 - 2*11.875/126 = 409/504.
  const Continuum c{10, {{{0, 4, X}, {4, 8, Y}, {8, 10, G}}, {{0, 5, X}, {5, 10, Y}}}};
  const UnitizedAlphas a = unitized_alphas({c});
  EXPECT_NEAR(*a.Cu.value, 233.0 / 390.0, 1e-9);
  EXPECT_NEAR(*a.binary.value, 23.0 / 180.0, 1e-9);
  EXPECT_NEAR(*a.cu.value, 409.0 / 504.0, 1e-9);
}

TEST(UnitizedAlpha, ContinuaAddUpAndLoneCodersAreLeftOut) {
  const Continuum one{10, {{{0, 2, G}, {2, 6, X}, {6, 10, G}}, {{0, 3, G}, {3, 7, X}, {7, 10, G}}}};
  const Continuum lone{50, {{{0, 50, X}}}};  // one coder: no pairs
  EXPECT_NEAR(*unitized_alpha({one, lone}).value, 21.0 / 32.0, 1e-9);
  EXPECT_EQ(unitized_alphas({one, lone}).length, 10);
  EXPECT_FALSE(unitized_alpha({lone}).value);
}

TEST(UnitizedAlpha, PerfectAgreementIsOne) {
  const Continuum c{12,
                    {{{0, 3, G}, {3, 7, X}, {7, 9, Y}, {9, 12, G}},
                     {{0, 3, G}, {3, 7, X}, {7, 9, Y}, {9, 12, G}},
                     {{0, 3, G}, {3, 7, X}, {7, 9, Y}, {9, 12, G}}}};
  const UnitizedAlphas a = unitized_alphas({c});
  EXPECT_NEAR(*a.Cu.value, 1.0, 1e-12);
  EXPECT_NEAR(*a.binary.value, 1.0, 1e-12);
  EXPECT_NEAR(*a.cu.value, 1.0, 1e-12);
}

// Random per-character values for `coders` coders, and the same data as one-character stretches.
struct Chars {
  std::vector<std::vector<int>> values;  // [coder][position]
  Continuum continuum;
};

Chars random_chars(std::mt19937& rng, int coders, int length, bool gaps) {
  std::uniform_int_distribution<int> value(gaps ? -1 : 0, 1);
  Chars out;
  out.continuum.length = length;
  for (int c = 0; c < coders; ++c) {
    std::vector<int> row;
    std::vector<Stretch> stretches;
    for (int p = 0; p < length; ++p) {
      row.push_back(value(rng));
      stretches.push_back({p, p + 1, row.back()});
    }
    out.values.push_back(row);
    out.continuum.coders.push_back(stretches);
  }
  return out;
}

// Nominal alpha over characters, each character a unit; `collapse` maps a value to a category.
double character_alpha(const Chars& chars, int categories, int (*collapse)(int)) {
  ReliabilityData d;
  for (size_t c = 0; c < chars.values.size(); ++c) d.coders.push_back(std::to_string(c));
  for (int k = 0; k < categories; ++k) d.categories.push_back(std::to_string(k));
  for (size_t p = 0; p < chars.values.front().size(); ++p) {
    ReliabilityUnit u;
    for (const auto& row : chars.values) u.values.push_back(collapse(row[p]));
    d.units.push_back(u);
  }
  return *compute_coefficients(d).alpha.value;
}

TEST(UnitizedAlpha, OneCharacterStretchesGiveNominalAlphaOverCharacters) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 10; ++trial) {
    const Chars chars = random_chars(rng, 2 + trial % 3, 40, true);
    const UnitizedAlphas a = unitized_alphas({chars.continuum});
    // alpha-binary: coded (X or Y) versus gap.
    EXPECT_NEAR(*a.binary.value, character_alpha(chars, 2, [](int v) { return v == kGap ? 0 : 1; }),
                1e-9);
    // Cu-alpha: X, Y and the gap as three values.
    EXPECT_NEAR(*a.Cu.value, character_alpha(chars, 3, [](int v) { return v + 1; }), 1e-9);
  }
}

TEST(UnitizedAlpha, CuAlphaWithEveryPositionCodedIsOrdinaryAlpha) {
  std::mt19937 rng(9);
  for (int trial = 0; trial < 10; ++trial) {
    // Longer stretches, no gaps: cu-alpha keeps every position and equals the unitized alpha.
    Continuum c{60, {}};
    std::uniform_int_distribution<int> len(1, 9), value(0, 2);
    for (int coder = 0; coder < 2 + trial % 2; ++coder) {
      std::vector<Stretch> stretches;
      for (int64_t at = 0; at < c.length;) {
        const int64_t end = std::min<int64_t>(c.length, at + len(rng));
        stretches.push_back({at, end, value(rng)});
        at = end;
      }
      c.coders.push_back(stretches);
    }
    const UnitizedAlphas a = unitized_alphas({c});
    ASSERT_TRUE(a.Cu.value);
    EXPECT_NEAR(*a.cu.value, *a.Cu.value, 1e-12);

    // And with one-character stretches, both are nominal alpha over the characters.
    const Chars chars = random_chars(rng, 3, 40, false);
    const UnitizedAlphas b = unitized_alphas({chars.continuum});
    const double nominal = character_alpha(chars, 2, [](int v) { return v; });
    EXPECT_NEAR(*b.cu.value, nominal, 1e-9);
    EXPECT_NEAR(*b.Cu.value, nominal, 1e-9);
  }
}

}  // namespace
