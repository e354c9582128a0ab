// Agreement figures and disagreement lists as tables (tables.h renders them).
#include <cstdio>

#include "marginalia/agreement.h"

namespace marginalia {

namespace {

struct Named {
  const char* name;
  Coefficient Coefficients::*member;
  bool percent;
};

const std::vector<Named>& coefficient_columns() {
  static const std::vector<Named> columns = {
      {"Agreement %", &Coefficients::percent, true},
      {"Cohen's kappa", &Coefficients::cohen, false},
      {"Scott's pi", &Coefficients::scott, false},
      {"Fleiss' kappa", &Coefficients::fleiss, false},
      {"Krippendorff's alpha", &Coefficients::alpha, false},
      {"Brennan-Prediger kappa", &Coefficients::brennan_prediger, false},
      {"Gwet's AC1", &Coefficients::gwet_ac1, false},
  };
  return columns;
}

std::string fixed(double value, int decimals) {
  return TableCell::number(value, decimals).text;
}

// "0.746 [0.689, 0.801]", "70.0", "undefined (reason)".
TableCell figure(const Coefficient& c, bool percent) {
  if (!c.value) return TableCell::of("undefined (" + c.undefined + ")");
  const double scale = percent ? 100.0 : 1.0;
  const int decimals = percent ? 1 : 3;
  std::string text = fixed(*c.value * scale, decimals);
  if (c.low && c.high)
    text += " [" + fixed(*c.low * scale, decimals) + ", " + fixed(*c.high * scale, decimals) + "]";
  return {text, !c.low};
}

// The share of "coded" for a code's data; every category's share for other data.
std::string prevalence(const ReliabilityData* data, const Coefficients& c) {
  if (c.values == 0) return "";
  std::vector<std::string> categories;
  if (data) categories = data->categories;
  if (categories.size() == 2 && categories[1] == "coded")
    return fixed(c.prevalence[1] * 100.0, 1) + "%";
  std::string out;
  for (size_t i = 0; i < c.prevalence.size(); ++i) {
    if (!out.empty()) out += "; ";
    out += (i < categories.size() ? categories[i] : std::to_string(i)) + " " +
           fixed(c.prevalence[i] * 100.0, 1) + "%";
  }
  return out;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

Table agreement_table(const std::vector<AgreementRow>& rows, const std::string& unit_name,
                      const std::string& unit_note, const std::vector<std::string>& coder_names,
                      const BootstrapOptions& bootstrap, bool long_layout) {
  Table t;
  t.title = "Inter-coder agreement (unit: " + unit_name + ")";
  t.label = "tab:agreement";
  t.notes.push_back(unit_note);
  t.notes.push_back("Coders: " + join(coder_names) +
                    ". Units: units with values from two or more coders; a coder's units in a "
                    "source they did not code (no coding, not marked done) are missing.");
  t.notes.push_back(
      "Prevalence: the share of values that are \"coded\"; kappa-type figures fall for rare codes "
      "even when agreement is high.");
  if (bootstrap.resamples > 0)
    t.notes.push_back("In brackets: bootstrap 95% percentile intervals, " +
                      std::to_string(bootstrap.resamples) + " resamples of units (seed " +
                      std::to_string(bootstrap.seed) + ").");
  if (long_layout) {
    t.columns = {"code",    "unit",  "coefficient", "value",    "ci_low",
                 "ci_high", "units", "prevalence",  "undefined"};
    for (const AgreementRow& row : rows)
      for (const Named& n : coefficient_columns()) {
        const Coefficient& c = row.coefficients.*n.member;
        std::vector<TableCell> cells = {TableCell::of(row.label), TableCell::of(unit_name),
                                        TableCell::of(n.name)};
        cells.push_back(c.value ? TableCell::number(*c.value, 6) : TableCell{"", true});
        cells.push_back(c.low ? TableCell::number(*c.low, 6) : TableCell{"", true});
        cells.push_back(c.high ? TableCell::number(*c.high, 6) : TableCell{"", true});
        cells.push_back(TableCell::number(row.coefficients.units));
        cells.push_back(row.coefficients.prevalence.size() == 2
                            ? TableCell::number(row.coefficients.prevalence[1], 6)
                            : TableCell{"", true});
        cells.push_back(TableCell::of(c.value ? "" : c.undefined));
        t.rows.push_back(std::move(cells));
      }
    return t;
  }
  t.columns = {"Code", "Units", "Prevalence"};
  for (const Named& n : coefficient_columns()) t.columns.push_back(n.name);
  for (const AgreementRow& row : rows) {
    std::vector<TableCell> cells = {TableCell::of(row.label),
                                    TableCell::number(row.coefficients.units)};
    const ReliabilityData two{{}, {"not coded", "coded"}, {}};
    cells.push_back(
        {prevalence(row.coefficients.prevalence.size() == 2 ? &two : nullptr, row.coefficients),
         false});
    for (const Named& n : coefficient_columns())
      cells.push_back(figure(row.coefficients.*n.member, n.percent));
    t.rows.push_back(std::move(cells));
  }
  return t;
}

Table reliability_data_table(const ReliabilityData& data, const Coefficients& c,
                             const BootstrapOptions& bootstrap, bool long_layout) {
  AgreementRow row{"All units", c};
  Table t = agreement_table({row}, "as given", "Unit: the units of the data as given.", data.coders,
                            bootstrap, long_layout);
  t.title = "Agreement over the reliability data";
  if (!long_layout) t.rows[0][2] = TableCell::of(prevalence(&data, c));
  return t;
}

Table unitized_table(const std::vector<UnitizedRow>& rows,
                     const std::vector<std::string>& coder_names, bool long_layout) {
  Table t;
  t.title = "Unitized agreement over the character continuum";
  t.label = "tab:unitized-agreement";
  t.notes.push_back(describe_unit(AgreementUnit::Unitized, 0));
  t.notes.push_back(
      "alpha-binary: codes collapsed to coded versus gap; cu-alpha: the codes, over positions "
      "every "
      "coder coded; Cu-alpha: the codes with the gap a value of its own. A code's own row is that "
      "code against the gap. Coders: " +
      join(coder_names) + "; a coder who did not code a source is left out of its continuum.");
  const std::vector<std::pair<const char*, Coefficient UnitizedAlphas::*>> alphas = {
      {"alpha-binary", &UnitizedAlphas::binary},
      {"cu-alpha", &UnitizedAlphas::cu},
      {"Cu-alpha", &UnitizedAlphas::Cu}};
  if (long_layout) {
    t.columns = {"code", "unit", "coefficient", "value", "characters", "undefined"};
    for (const UnitizedRow& row : rows)
      for (const auto& [name, member] : alphas) {
        const Coefficient& c = row.alphas.*member;
        t.rows.push_back({TableCell::of(row.label), TableCell::of("unitized"), TableCell::of(name),
                          c.value ? TableCell::number(*c.value, 6) : TableCell{"", true},
                          TableCell::number(row.alphas.length),
                          TableCell::of(c.value ? "" : c.undefined)});
      }
    return t;
  }
  t.columns = {"Code", "Characters", "alpha-binary", "cu-alpha", "Cu-alpha"};
  for (const UnitizedRow& row : rows) {
    std::vector<TableCell> cells = {TableCell::of(row.label), TableCell::number(row.alphas.length)};
    for (const auto& [name, member] : alphas) cells.push_back(figure(row.alphas.*member, false));
    t.rows.push_back(std::move(cells));
  }
  return t;
}

Table disagreement_table(const Project& project, const ProjectReliability& reliability,
                         const std::vector<Disagreement>& list) {
  Table t;
  t.title = "Disagreements";
  t.label = "tab:disagreements";
  t.notes.push_back(describe_unit(reliability.unit, reliability.overlap));
  t.notes.push_back(
      "Each coder's choice: coded, not coded, or empty when the coder did not code the source. "
      "Adjudicate with: marginalia-cli consensus PROJECT --code CODE --source SOURCE --start START "
      "--accept CODER|all|none.");
  t.columns = {"Code", "Source", "Start", "End", "Speaker"};
  for (const std::string& coder : reliability.coders)
    t.columns.push_back(project.coder(coder)->name);
  t.columns.push_back("Text");
  for (const Disagreement& d : list) {
    const Code* code = project.code(d.code);
    const Source* source = project.source(d.span.source);
    std::vector<TableCell> cells = {TableCell::of(code ? project.code_path(*code) : d.code),
                                    TableCell::of(source ? source->name : d.span.source),
                                    TableCell::number(d.span.start), TableCell::number(d.span.end),
                                    TableCell::of(d.speaker)};
    for (int v : d.values)
      cells.push_back(TableCell::of(v == 1 ? "coded" : v == 0 ? "not coded" : ""));
    cells.push_back(TableCell::of(d.text));
    t.rows.push_back(std::move(cells));
  }
  return t;
}

}  // namespace marginalia
