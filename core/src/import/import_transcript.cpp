// import_transcript: one plain-text transcript file -> a Source, and a report for the person.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "marginalia/error.h"
#include "marginalia/text.h"
#include "marginalia/transcript.h"

namespace marginalia {
namespace {

std::string read_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    throw BadInput("cannot read " + file.string() + ": it is a directory");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw BadInput("cannot read " + file.string() + ": " + std::strerror(errno));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw BadInput("cannot read " + file.string() + ": " + std::strerror(errno));
  return std::move(bytes).str();
}

std::string plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string build_report(const std::string& file_name, const DecodedText& decoded,
                         const Turns& turns) {
  std::string report = file_name + ": " + decoded.encoding;
  if (decoded.had_bom) report += ", BOM";
  report += decoded.had_crlf ? ", CRLF converted" : ", LF";
  report += ", layout \"" + turns.layout + "\"";
  report += turns.has_timestamps ? ", timestamps" : ", no timestamps";
  report += ", " + plural(turns.utterances.size(), "turn", "turns") + "\n";

  // Speakers in order of their first turn.
  std::vector<std::string> order;
  std::map<std::string, std::pair<Role, size_t>> speakers;
  for (const auto& utterance : turns.utterances) {
    auto [it, inserted] = speakers.try_emplace(utterance.speaker, utterance.role, 0);
    if (inserted) order.push_back(utterance.speaker);
    ++it->second.second;
  }
  for (const auto& speaker : order) {
    const auto [role, count] = speakers[speaker];
    report += "  " + (speaker.empty() ? std::string("(no speaker label)") : speaker) + " (";
    if (role != Role::Unknown) {
      report += std::string(role_name(role));
    } else if (speaker.empty()) {
      report += "unknown role";
    } else {
      report += "unknown role: map it with --role \"" + speaker + "=ROLE\"";
    }
    report += ") " + plural(count, "turn", "turns") + "\n";
  }
  return report;
}

}  // namespace

TranscriptImport import_transcript(const std::filesystem::path& file, const RoleMap& roles,
                                   std::optional<std::string> encoding) {
  const std::string bytes = read_file(file);
  const std::string file_name = file.filename().string();
  DecodedText decoded = decode_text(bytes, file.string(), std::move(encoding));

  TranscriptImport result;
  result.turns = parse_turns(decoded.text, roles);
  result.report = build_report(file_name, decoded, result.turns);

  Source& source = result.source;
  source.guid = new_guid();
  source.name = file.stem().string();
  source.utterances = result.turns.utterances;
  source.origin_file = file_name;
  source.origin_format = "text/plain; " + result.turns.layout;
  source.encoding = decoded.encoding;
  source.created = now_iso8601();
  source.text = std::move(decoded.text);
  return result;
}

}  // namespace marginalia
