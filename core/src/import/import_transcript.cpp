// import_transcript: one plain-text transcript file -> a Source, and a report for the person.
#include <cctype>
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

namespace {

std::string lower_extension(const std::filesystem::path& file) {
  std::string ext = file.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

bool starts_like_srt(std::string_view text) {
  const size_t first = text.find_first_not_of(" \n");
  if (first == std::string_view::npos || !std::isdigit(static_cast<unsigned char>(text[first])))
    return false;
  const size_t eol = text.find('\n', first);
  if (eol == std::string_view::npos) return false;
  const size_t next = text.find('\n', eol + 1);
  return text.substr(eol + 1, next - eol - 1).find("-->") != std::string_view::npos;
}

}  // namespace

TranscriptImport import_transcript(const std::filesystem::path& file, const RoleMap& roles,
                                   std::optional<std::string> encoding) {
  const std::string bytes = read_file(file);
  const std::string file_name = file.filename().string();
  const std::string ext = lower_extension(file);
  const bool zip = bytes.size() >= 4 && bytes.compare(0, 4, "PK\x03\x04", 4) == 0;

  DecodedText decoded;
  std::string format;
  if (zip || ext == ".docx" || ext == ".odt") {
    if (!zip)
      throw BadInput(file.string() + ": a " + ext +
                     " file should be a zip archive, and this is not");
    const bool odt = ext == ".odt" || bytes.find("application/vnd.oasis.opendocument.text") < 200;
    FormattedTranscript formatted = odt ? parse_odt(bytes, file) : parse_docx(bytes, file);
    decoded.text = std::move(formatted.text);
    decoded.encoding = "UTF-8";
    format = formatted.format;
  } else {
    decoded = decode_text(bytes, file.string(), std::move(encoding));
    std::string_view text = decoded.text;
    FormattedTranscript formatted;
    if (ext == ".vtt" || text.rfind("WEBVTT", 0) == 0)
      formatted = parse_vtt(text);
    else if (ext == ".srt" || starts_like_srt(text))
      formatted = parse_srt(text);
    else if (ext == ".md" || ext == ".markdown")
      formatted = parse_markdown(text);
    else if (looks_like_zoom_text(text))
      formatted = parse_zoom_text(text);
    if (!formatted.format.empty()) {
      decoded.text = std::move(formatted.text);
      format = formatted.format;
    }
  }

  TranscriptImport result;
  result.turns = parse_turns(decoded.text, roles);
  result.report = build_report(file_name, decoded, result.turns);
  if (!format.empty()) result.report.insert(file_name.size() + 2, format + ", ");

  Source& source = result.source;
  source.guid = new_guid();
  source.name = file.stem().string();
  source.utterances = result.turns.utterances;
  source.origin_file = file_name;
  source.origin_format = (format.empty() ? "text/plain" : format) + "; " + result.turns.layout;
  source.encoding = decoded.encoding;
  source.created = now_iso8601();
  source.text = std::move(decoded.text);
  return result;
}

}  // namespace marginalia
