// The consensus coder's codings, from a team's decisions on disagreements, as one undoable command.
#include <algorithm>
#include <set>
#include <tuple>

#include "marginalia/agreement.h"
#include "marginalia/error.h"

namespace marginalia {

Command consensus_command(const Project& project, const std::vector<std::string>& coders,
                          const std::vector<ConsensusChoice>& choices,
                          const std::string& consensus_coder_name) {
  Batch batch;
  std::string consensus;
  if (const Coder* existing = project.coder_named(consensus_coder_name)) {
    consensus = existing->guid;
  } else {
    consensus = new_guid();
    batch.actions.push_back(AddCoder{{consensus, consensus_coder_name}});
  }
  if (std::find(coders.begin(), coders.end(), consensus) != coders.end())
    throw BadInput("the consensus coder \"" + consensus_coder_name +
                   "\" cannot be one of the coders adjudicated");

  using Key = std::tuple<std::string, std::string, int64_t, int64_t>;  // source, code, span
  std::set<Key> wanted;
  std::vector<Coding> added;
  std::vector<Coding> removed;
  std::set<std::string> removed_guids;
  std::set<std::pair<std::string, std::string>> done;
  for (const ConsensusChoice& choice : choices) {
    if (!project.code(choice.code)) throw BadInput("no code with GUID " + choice.code);
    const Source* source = project.source(choice.span.source);
    if (!source) throw BadInput("no source with GUID " + choice.span.source);
    if (choice.accept == ConsensusChoice::Accept::Coder &&
        std::find(coders.begin(), coders.end(), choice.coder) == coders.end())
      throw BadInput("the accepted coder is not one of the coders compared");
    auto in_unit = [&](const Coding& c) {
      return c.source == choice.span.source && c.code == choice.code && c.start < choice.span.end &&
             c.end > choice.span.start;
    };
    std::set<Key> unit_wanted;
    for (const Coding& c : project.codings) {
      if (!in_unit(c)) continue;
      const bool accepted =
          (choice.accept == ConsensusChoice::Accept::Coder && c.coder == choice.coder) ||
          (choice.accept == ConsensusChoice::Accept::All &&
           std::find(coders.begin(), coders.end(), c.coder) != coders.end());
      if (!accepted) continue;
      const Key key{c.source, c.code, c.start, c.end};
      unit_wanted.insert(key);
      if (!wanted.insert(key).second) continue;
      Coding copy = c;
      copy.guid.clear();
      copy.created.clear();
      copy.coder = consensus;
      added.push_back(std::move(copy));
    }
    // The consensus coder's earlier codings of the code in this unit that the decision drops.
    for (const Coding& c : project.codings)
      if (c.coder == consensus && in_unit(c)) {
        const Key key{c.source, c.code, c.start, c.end};
        if (!unit_wanted.count(key) && removed_guids.insert(c.guid).second) removed.push_back(c);
      }
    done.emplace(consensus, choice.span.source);
  }
  // A span the consensus coder has already stays as it is.
  std::erase_if(added, [&](const Coding& c) {
    return std::any_of(project.codings.begin(), project.codings.end(), [&](const Coding& p) {
      return p.coder == consensus && p.source == c.source && p.code == c.code &&
             p.start == c.start && p.end == c.end && !removed_guids.count(p.guid);
    });
  });
  if (!removed.empty()) batch.actions.push_back(RemoveCodings{removed, {}});
  if (!added.empty()) batch.actions.push_back(AddCodings{added, {}});
  SetDone marks;
  for (const auto& [coder, source] : done) marks.marks.push_back({coder, source});
  batch.actions.push_back(marks);
  const std::string label = choices.size() == 1
                                ? "Adjudicate a disagreement"
                                : "Adjudicate " + std::to_string(choices.size()) + " disagreements";
  return Command{std::move(batch), label};
}

}  // namespace marginalia
