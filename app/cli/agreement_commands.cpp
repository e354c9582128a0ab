// Inter-coder agreement: agree (coefficients per code and pooled, on a project or on reliability
// data in a CSV), disagreements (the units to adjudicate), consensus (adjudicate them), merge
// (another coder's project into this one) and mark-done (a coder finished a source).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_commands.h"
#include "marginalia/agreement.h"
#include "marginalia/error.h"
#include "marginalia/naming.h"
#include "marginalia/project_store.h"
#include "marginalia/qdpx.h"
#include "marginalia/tables.h"

namespace marginalia::cli {

namespace {

struct Options {
  std::string project, other, data;
  std::vector<std::string> coders, codes, sources;
  std::string unit = "utterance";
  double overlap = 0.9;
  int64_t bootstrap = 0;
  uint64_t seed = 1;
  std::string format = "text";
  std::string sort = "source";
  std::string accept, coder;
  int64_t start = -1;
  bool all = false, undone = false;
};

const std::vector<std::string> kFormats = {"text", "csv", "md", "latex", "html", "json"};

bool long_layout(const std::string& format) {
  return format == "csv" || format == "json";
}

// Bootstrapping a character-level table can take a while: say how far it is when someone watches.
class BootstrapProgress : public ProgressSink {
 public:
  explicit BootstrapProgress(std::string what) : what_(std::move(what)) {}
  void progress(int64_t done, int64_t total, std::string_view) override {
    if (!::isatty(STDERR_FILENO) || (done % 100 != 0 && done != total)) return;
    std::cerr << "\rBootstrap " << what_ << ": " << done << "/" << total << "\033[K"
              << (done == total ? "\n" : "") << std::flush;
  }

 private:
  std::string what_;
};

std::string resolve_coder(const Project& project, const std::string& reference) {
  if (const Coder* c = project.coder_named(reference)) return c->guid;
  if (const Coder* c = project.coder(normalize_guid(reference))) return c->guid;
  std::string names;
  for (const Coder& c : project.coders) names += (names.empty() ? "" : ", ") + c.name;
  throw BadInput("no coder named \"" + reference + "\" (coders: " + names + ")");
}

AgreementOptions agreement_options(const Project& p, const Options& o) {
  AgreementOptions options;
  const auto unit = parse_agreement_unit(o.unit);
  if (!unit) throw UsageError("--unit must be utterance, sentence, character, segment or unitized");
  options.unit = *unit;
  if (!(o.overlap > 0 && o.overlap <= 1)) throw UsageError("--overlap must lie in (0, 1]");
  options.overlap = o.overlap;
  for (const std::string& c : o.coders)
    if (!c.empty()) options.coders.push_back(resolve_coder(p, c));
  for (const std::string& c : o.codes)
    if (!c.empty()) options.codes.push_back(resolve_code(p, c));
  return options;
}

std::vector<std::string> coder_names(const Project& p, const std::vector<std::string>& guids) {
  std::vector<std::string> names;
  for (const std::string& g : guids) names.push_back(p.coder(g)->name);
  return names;
}

std::string unit_name(const std::string& unit, double overlap) {
  if (unit != "segment") return unit;
  std::ostringstream s;
  s << "segment, overlap >= " << overlap;
  return s.str();
}

int agree_on_data(const Options& o) {
  std::ifstream in(o.data, std::ios::binary);
  if (!in) throw BadInput(o.data + ": cannot read the file");
  std::stringstream bytes;
  bytes << in.rdbuf();
  const ReliabilityData data = read_reliability_csv(bytes.str(), o.data);
  Coefficients c = compute_coefficients(data);
  BootstrapProgress progress(o.data);
  const BootstrapOptions b{o.bootstrap, o.seed};
  bootstrap(data, c, b, &progress);
  std::cout << render_table(reliability_data_table(data, c, b, long_layout(o.format)), o.format);
  return 0;
}

int cmd_agree(const Options& o) {
  if (!o.data.empty() && !o.project.empty())
    throw UsageError("agree takes either PROJECT or --data FILE.csv, not both");
  if (!o.data.empty()) return agree_on_data(o);
  if (o.project.empty()) throw UsageError("agree needs PROJECT or --data FILE.csv");
  auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
  const Project& p = store->project();
  const AgreementOptions options = agreement_options(p, o);
  const std::vector<std::string> coders = agreement_coders(p, options);
  const std::vector<std::string> codes = agreement_codes(p, options);
  if (codes.empty()) throw BadInput(o.project + ": no code has a coding yet");

  if (options.unit == AgreementUnit::Unitized) {
    if (o.bootstrap > 0)
      std::cerr << "marginalia-cli: note: no bootstrap intervals for the unitized alphas\n";
    std::vector<UnitizedRow> rows;
    for (const std::string& code : codes)
      rows.push_back(
          {p.code_path(*p.code(code)), unitized_alphas(project_continua(p, coders, {code}))});
    if (codes.size() > 1)
      rows.push_back({"All codes", unitized_alphas(project_continua(p, coders, codes))});
    std::cout << render_table(unitized_table(rows, coder_names(p, coders), long_layout(o.format)),
                              o.format);
    return 0;
  }

  const ProjectReliability reliability = project_reliability(p, options);
  const BootstrapOptions b{o.bootstrap, o.seed};
  std::vector<AgreementRow> rows;
  for (const CodeReliability& code : reliability.codes) {
    Coefficients c = compute_coefficients(code.data);
    const std::string label = p.code_path(*p.code(code.code));
    BootstrapProgress progress(label);
    bootstrap(code.data, c, b, &progress);
    rows.push_back({label, std::move(c)});
  }
  if (reliability.codes.size() > 1) {
    const ReliabilityData all = pooled(reliability);
    Coefficients c = compute_coefficients(all);
    BootstrapProgress progress("pooled");
    bootstrap(all, c, b, &progress);
    rows.push_back({"All codes (pooled)", std::move(c)});
  }
  Table t =
      agreement_table(rows, unit_name(o.unit, o.overlap), describe_unit(options.unit, o.overlap),
                      coder_names(p, coders), b, long_layout(o.format));
  if (reliability.codes.size() > 1)
    t.notes.push_back("Pooled: every unit x code item of the codes above in one table.");
  std::cout << render_table(t, o.format);
  return 0;
}

DisagreementOrder order_of(const std::string& sort) {
  if (sort == "code") return DisagreementOrder::Code;
  if (sort == "speaker") return DisagreementOrder::Speaker;
  return DisagreementOrder::Source;
}

int cmd_disagreements(const Options& o) {
  auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
  const Project& p = store->project();
  const AgreementOptions options = agreement_options(p, o);
  if (options.unit == AgreementUnit::Unitized)
    throw UsageError(
        "disagreements are listed per unit: utterance, sentence, character or segment");
  const ProjectReliability r = project_reliability(p, options);
  std::cout << render_table(disagreement_table(p, r, disagreements(p, r, order_of(o.sort))),
                            o.format);
  return 0;
}

int cmd_consensus(const Options& o) {
  const bool one = !o.sources.empty() || o.start >= 0;
  if (one == o.all)
    throw UsageError("consensus takes either --source S --start N (one unit) or --all");
  if (one && (o.sources.size() != 1 || o.start < 0))
    throw UsageError("one unit is named by --source S and --start N (an offset inside it)");
  if (o.codes.empty()) throw UsageError("consensus needs --code");
  Session store = open_for_writing(o.project);
  const Project& p = store->project();
  const AgreementOptions options = agreement_options(p, o);
  if (options.unit == AgreementUnit::Unitized)
    throw UsageError("consensus works on utterance, sentence, character or segment units");
  const ProjectReliability r = project_reliability(p, options);

  ConsensusChoice::Accept accept = ConsensusChoice::Accept::Coder;
  std::string accepted;
  if (o.accept == "all" || o.accept == "both") {
    accept = ConsensusChoice::Accept::All;
  } else if (o.accept == "none" || o.accept == "neither") {
    accept = ConsensusChoice::Accept::None;
  } else {
    accepted = resolve_coder(p, o.accept);
    if (std::find(r.coders.begin(), r.coders.end(), accepted) == r.coders.end())
      throw BadInput("coder \"" + o.accept + "\" is not one of the coders compared");
  }
  const std::string source = one ? resolve_source(p, o.sources.front()) : std::string();
  std::vector<ConsensusChoice> choices;
  for (const Disagreement& d : disagreements(p, r)) {
    if (one && (d.span.source != source || o.start < d.span.start || o.start >= d.span.end))
      continue;
    choices.push_back({d.code, d.span, accept, accepted});
  }
  if (choices.empty())
    throw BadInput(one ? "no disagreement on that code at offset " + std::to_string(o.start) +
                             " of \"" + p.source(source)->name + "\" (list them with disagreements)"
                       : std::string("no disagreements left on that code"));
  const bool changed = store->execute(consensus_command(p, r.coders, choices));
  store->snapshot();
  const std::string how = accept == ConsensusChoice::Accept::All    ? "every coder's codings"
                          : accept == ConsensusChoice::Accept::None ? "no coding"
                                                                    : "the codings of " + o.accept;
  std::cout << (changed ? "Adjudicated " + std::to_string(choices.size()) +
                              " disagreement(s): consensus takes " + how
                        : std::string("Nothing changed"))
            << "\n";
  return 0;
}

int cmd_merge(const Options& o) {
  // OTHER: a project folder, or a REFI-QDA .qdpx (or .qde) from another tool or coder.
  const std::filesystem::path other_path(o.other);
  Project other;
  std::vector<std::string> skipped;
  if (std::filesystem::is_directory(other_path)) {
    other = ProjectStore::open(other_path, OpenMode::ReadOnly)->project();
  } else if (std::filesystem::is_regular_file(other_path)) {
    QdpxImport imported = read_qdpx(other_path);
    other = std::move(imported.project);
    skipped = imported.report.skipped;
    for (const std::string& w : imported.report.warnings)
      std::cerr << "marginalia-cli: warning: " << o.other << ": " << w << "\n";
  } else {
    throw BadInput(o.other + ": neither a project folder nor a .qdpx file");
  }
  Session store = open_for_writing(o.project);
  MergePlan plan = plan_merge(store->project(), other);
  for (const std::string& line : skipped)
    plan.summary.left_out.push_back("not read from " + other_path.filename().string() + ": " +
                                    line);
  const bool changed = store->execute(plan.command);
  store->snapshot();
  const MergeSummary& s = plan.summary;
  std::cout << "Merged " << o.other << (changed ? "" : " (nothing new)") << "\n"
            << "  sources: " << s.sources_matched << " matched, " << s.sources_added << " added\n"
            << "  codes:   " << s.codes_matched << " matched, " << s.codes_added << " added\n"
            << "  coders:  " << s.coders_matched << " matched, " << s.coders_added << " added\n"
            << "  codings: " << s.codings_added << " added, " << s.codings_present
            << " already here\n"
            << "  done marks: " << s.done_added << " added\n";
  for (const std::string& line : s.left_out) std::cout << "  left out: " << line << "\n";
  return 0;
}

int cmd_mark_done(const Options& o) {
  Session store = open_for_writing(o.project);
  const std::string coder = store->coder_guid(default_coder(o.coder));
  SetDone marks{{}, !o.undone};
  std::string names;
  for (const std::string& s : o.sources) {
    const std::string guid = resolve_source(store->project(), s);
    marks.marks.push_back({coder, guid});
    names += (names.empty() ? "\"" : ", \"") + store->project().source(guid)->name + "\"";
  }
  const std::string who = store->project().coder(coder)->name;
  const bool changed =
      store->execute({marks, (o.undone ? "Mark not done " : "Mark done ") + names});
  store->snapshot();
  std::cout << (changed ? who + (o.undone ? " has not finished " : " has finished ") + names
                        : std::string("Nothing changed"))
            << "\n";
  return 0;
}

void add_unit_options(CLI::App* cmd, Options& o, bool unitized) {
  cmd->add_option("--coders", o.coders,
                  "Coders to compare (names), comma-separated; default: all "
                  "with codings except \"consensus\"")
      ->delimiter(',');
  cmd->add_option("--unit", o.unit,
                  std::string("utterance (default), sentence, character, segment") +
                      (unitized ? " or unitized" : ""));
  cmd->add_option("--overlap", o.overlap,
                  "Segments match when |A∩B|/|A∪B| is at least this (default 0.9)");
}

}  // namespace

void add_agreement_commands(CLI::App& app, Runner& run) {
  static Options o;

  auto* agree = app.add_subcommand(
      "agree", "Inter-coder agreement per code and pooled, with the unit beside every figure");
  agree->add_option("PROJECT", o.project, "Project folder");
  agree->add_option("--data", o.data,
                    "Reliability data coded elsewhere: a CSV in long format unit,coder,value "
                    "(empty value = missing)");
  add_unit_options(agree, o, true);
  agree->add_option("--codes", o.codes, "Only these codes (names or paths), comma-separated")
      ->delimiter(',');
  agree
      ->add_option("--bootstrap", o.bootstrap,
                   "Bootstrap 95% intervals from this many resamples of units (e.g. 1000)")
      ->check(CLI::NonNegativeNumber);
  agree->add_option("--seed", o.seed,
                    "Seed of the bootstrap (default 1): same seed, same interval");
  agree->add_option("--format", o.format, "text (default), csv (tidy), md, latex, html or json")
      ->check(CLI::IsMember(kFormats));
  agree->callback([&] { run = [&] { return cmd_agree(o); }; });

  auto* dis = app.add_subcommand(
      "disagreements", "The units where coders differ, with text, source, speaker and choices");
  dis->add_option("PROJECT", o.project, "Project folder")->required();
  add_unit_options(dis, o, false);
  dis->add_option("--codes", o.codes, "Only these codes (names or paths), comma-separated")
      ->delimiter(',');
  dis->add_option("--sort", o.sort, "source (default), code or speaker")
      ->check(CLI::IsMember({"source", "code", "speaker"}));
  dis->add_option("--format", o.format, "text (default), csv, md, latex, html or json")
      ->check(CLI::IsMember(kFormats));
  dis->callback([&] { run = [&] { return cmd_disagreements(o); }; });

  auto* consensus = app.add_subcommand(
      "consensus", "Adjudicate disagreements into the \"consensus\" coder (undoable)");
  consensus->add_option("PROJECT", o.project, "Project folder")->required();
  consensus->add_option("--code", o.codes, "The code(s) whose disagreements are decided")
      ->delimiter(',');
  add_unit_options(consensus, o, false);
  consensus->add_option("--source", o.sources, "The source of the one unit decided");
  consensus->add_option("--start", o.start, "An offset inside that unit (as disagreements lists)");
  consensus->add_flag("--all", o.all, "Decide every listed disagreement of the code(s) alike");
  consensus
      ->add_option("--accept", o.accept,
                   "A coder's name (their version), all (both versions) or none (neither)")
      ->required();
  consensus->callback([&] { run = [&] { return cmd_consensus(o); }; });

  auto* merge = app.add_subcommand(
      "merge", "Bring another coder's project into this one (matched by GUID, text or name)");
  merge->add_option("PROJECT", o.project, "Project folder to merge into")->required();
  merge->add_option("OTHER", o.other, "The other coder's project folder, or a .qdpx (.qde)")
      ->required();
  merge->callback([&] { run = [&] { return cmd_merge(o); }; });

  auto* done = app.add_subcommand(
      "mark-done", "Say a coder has finished a source: its uncoded units then count as not coded");
  done->add_option("PROJECT", o.project, "Project folder")->required();
  done->add_option("--source", o.sources, "Source(s) finished (name or GUID)")->required();
  done->add_option("--coder", o.coder, "Coder name (default $MARGINALIA_CODER, else login)");
  done->add_flag("--undo", o.undone, "Take the mark back");
  done->callback([&] { run = [&] { return cmd_mark_done(o); }; });
}

}  // namespace marginalia::cli
