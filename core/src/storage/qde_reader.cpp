// Reads a project.qde: the one our project folders hold, and other tools' (.qdpx imports). Our own
// file is read strictly: any problem throws, naming the file and element. Another tool's file is
// read by that tool's conventions (../shared/refi/README.md): offsets in the unit its origin or its
// quotes show, CRLF and BOM accounted for, and what can't be read is reported and skipped.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>
#include <unordered_set>

#include "marginalia/error.h"
#include "marginalia/text.h"
#include "storage/refi_xml.h"
#include "storage/storage_io.h"

namespace marginalia::storage {

namespace {

struct Reader {
  const std::filesystem::path& file;
  QdpxReport* report;  // nullptr: our own file

  [[noreturn]] void fail(const pugi::xml_node& node, const std::string& problem) const {
    throw BadInput(file.string() + ": " + problem + " (<" + std::string(local_name(node)) +
                   "> at byte " + std::to_string(node.offset_debug()) + ")");
  }
  // Our file: throws. Another tool's: reported as skipped.
  void skip(const pugi::xml_node& node, const std::string& problem) const {
    if (!report) fail(node, problem);
    report->skipped.push_back(problem);
  }
  void warn(const std::string& problem) const {
    if (report) report->warnings.push_back(problem);
  }

  std::string guid(const pugi::xml_node& node, std::string_view attribute = "guid") const {
    const std::string raw = attribute_named(node, attribute).value();
    std::string checked = checked_guid(raw);
    if (checked.empty())
      fail(node, "missing or malformed " + std::string(attribute) + " \"" + raw + "\"");
    return checked;
  }

  std::optional<int64_t> integer(const pugi::xml_node& node, std::string_view attribute) const {
    const std::string_view raw = attribute_named(node, attribute).value();
    // from_chars, not stoll: two per coding, and no string or exception for the good ones.
    // stoll took leading spaces and a '+': so does this.
    const char* first = raw.data();
    const char* last = raw.data() + raw.size();
    while (first != last && std::isspace(static_cast<unsigned char>(*first))) ++first;
    if (first != last && *first == '+' && first + 1 != last && *(first + 1) != '-') ++first;
    int64_t value = 0;
    const auto [end, error] = std::from_chars(first, last, value);
    if (first != last && error == std::errc() && end == last) return value;
    skip(node, "selection " + std::string(attribute_named(node, "guid").value()) +
                   ": missing or malformed " + std::string(attribute) + " \"" + std::string(raw) +
                   "\"");
    return std::nullopt;
  }
};

bool contains_nocase(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [](char a, char b) { return std::tolower(a) == std::tolower(b); }) !=
         haystack.end();
}

// A source's text as a REFI file gives it, and what is needed to read offsets counted on it.
struct SourceText {
  std::string text;           // ours: LF, no BOM
  std::string raw;            // BOM stripped, line endings as in the file
  std::vector<int64_t> crlf;  // raw code point index of the CR of each CRLF (dropped from text)
  OffsetMap text_map, raw_map;
};

// Throws BadInput (from OffsetMap) when the bytes are not UTF-8.
SourceText prepare_text(std::string bytes) {
  SourceText t;
  if (bytes.rfind("\xEF\xBB\xBF", 0) == 0) bytes.erase(0, 3);
  if (bytes.find('\r') == std::string::npos) {
    t.text = bytes;  // no line ends to translate: most texts, and a copy is far quicker
  } else {
    t.text.reserve(bytes.size());
    int64_t cp = 0;
    for (size_t i = 0; i < bytes.size(); ++i) {
      const char c = bytes[i];
      if (c == '\r') {
        if (i + 1 < bytes.size() && bytes[i + 1] == '\n') {
          t.crlf.push_back(cp);
        } else {
          t.text += '\n';
        }
      } else {
        t.text += c;
      }
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++cp;
    }
  }
  t.text_map = OffsetMap(t.text);
  if (!t.crlf.empty()) t.raw_map = OffsetMap(bytes);
  t.raw = std::move(bytes);
  return t;
}

struct Convention {
  bool utf16 = false;
  bool raw = false;  // counted on the file with its CRLFs
  bool operator==(const Convention&) const = default;
};

std::string describe(const Convention& c) {
  return std::string(c.utf16 ? "UTF-16 units" : "code points") +
         (c.raw ? ", CRLF counted as 2" : "");
}

// A position in the convention -> a code point of our text; nullopt with `why` when it lies
// outside the text, inside a surrogate pair or between the CR and LF of a line break.
std::optional<int64_t> to_code_point(const SourceText& t, int64_t position, const Convention& c,
                                     std::string& why) {
  const bool raw = c.raw && !t.crlf.empty();
  const OffsetMap& map = raw ? t.raw_map : t.text_map;
  const int64_t length = c.utf16 ? map.utf16_units() : map.code_points();
  if (position < 0 || position > length) {
    why = "lies outside the text of " + std::to_string(length) + " " + describe(c);
    return std::nullopt;
  }
  int64_t cp = position;
  if (c.utf16) {
    try {
      cp = map.code_point_of_utf16(position);
    } catch (const BadInput&) {
      why = "falls inside a surrogate pair (an emoji or other character outside the BMP)";
      return std::nullopt;
    }
  }
  if (raw) {
    const auto before = std::lower_bound(t.crlf.begin(), t.crlf.end(), cp) - t.crlf.begin();
    if (before > 0 && t.crlf[before - 1] == cp - 1) {
      why = "falls between the CR and LF of a line break";
      return std::nullopt;
    }
    cp -= before;
  }
  return cp;
}

// Runs of white space as one space, trimmed: XML turns line breaks in attributes into spaces.
std::string collapse_space(std::string_view s) {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const bool nbsp = c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || nbsp) {
      space = true;
      if (nbsp) ++i;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += static_cast<char>(c);
  }
  return out;
}

// Whether a selection's name quotes its text: equal, or a prefix (tools shorten long quotes,
// ATLAS.ti with "…").
bool quote_matches(std::string_view name, std::string_view text) {
  std::string quote = collapse_space(name);
  for (std::string_view ellipsis : {std::string_view("\xE2\x80\xA6"), std::string_view("...")})
    if (quote.size() >= ellipsis.size() &&
        quote.compare(quote.size() - ellipsis.size(), ellipsis.size(), ellipsis) == 0) {
      quote.resize(quote.size() - ellipsis.size());
      quote = collapse_space(quote);
      break;
    }
  if (quote.empty()) return false;
  const std::string passage = collapse_space(text);
  return passage.compare(0, quote.size(), quote) == 0;
}

std::string shorten(std::string_view s, int64_t code_points = 60) {
  const std::string cut = utf8_prefix(s, 0, code_points);
  return cut.size() < s.size() ? cut + "\xE2\x80\xA6" : cut;
}

struct Selection {
  pugi::xml_node node;
  std::string guid;
  int64_t start = 0, end = 0;  // as the file says
  std::string name;
};

struct TextSourceRead {
  Source source;
  SourceText text;
  std::vector<Selection> selections;
  Convention convention;
  std::string why;  // how the convention was chosen
  int64_t named = 0, matched = 0;
  pugi::xml_node element;
};

const char* const kNonText[][2] = {{"PDFSource", "PDF"},
                                   {"PictureSource", "picture"},
                                   {"AudioSource", "audio"},
                                   {"VideoSource", "video"}};

}  // namespace

std::string internal_name(std::string_view path) {
  constexpr std::string_view kInternal = "internal://";
  if (path.size() >= kInternal.size() &&
      std::equal(kInternal.begin(), kInternal.end(), path.begin(),
                 [](char a, char b) { return a == std::tolower(b); }))
    return std::string(path.substr(kInternal.size()));
  if (path.find("://") != std::string_view::npos) return {};
  return std::string(path);
}

Project read_qde(std::string_view bytes, const std::filesystem::path& file, const QdeInput& input) {
  pugi::xml_document document;
  parse_xml(document, bytes, file);
  const pugi::xml_node root = document.document_element();
  const Reader reader{file, input.report};
  QdpxReport* report = input.report;
  if (local_name(root) != "Project")
    throw BadInput(file.string() + ": not a REFI-QDA project (the root element is <" +
                   std::string(root.name()) + ">, not <Project>)");
  require_refi_namespace(root, "project", file);

  Project project;
  project.name = attribute_named(root, "name").value();
  project.created = attribute_named(root, "creationDateTime").value();
  const std::string origin = attribute_named(root, "origin").value();
  if (report) report->origin = origin;

  std::map<std::string, std::pair<MemoTarget, std::string>> note_targets;
  auto collect_notes = [&](const pugi::xml_node& parent, MemoTarget kind,
                           const std::string& target) {
    for (const pugi::xml_node& ref : children_named(parent, "NoteRef"))
      note_targets[reader.guid(ref, "targetGUID")] = {kind, target};
  };

  std::set<std::string> user_guids;
  for (const pugi::xml_node& user : children_named(child_named(root, "Users"), "User")) {
    Coder coder{reader.guid(user), attribute_named(user, "name").value()};
    if (!user_guids.insert(coder.guid).second)
      reader.fail(user, "two users share the guid " + coder.guid);
    if (coder.name.empty()) coder.name = attribute_named(user, "id").value();
    if (coder.name.empty()) coder.name = "user " + coder.guid.substr(0, 8);
    project.coders.push_back(std::move(coder));
  }

  if (const pugi::xml_node codes = child_named(child_named(root, "CodeBook"), "Codes"))
    read_code_tree(codes, file, project.codes,
                   [&](const pugi::xml_node& element, const Code& code) {
                     collect_notes(element, MemoTarget::Code, code.guid);
                   });
  if (report && contains_nocase(origin, "Taguette")) split_backslash_paths(project.codes);
  std::set<std::string> code_guids;
  for (const Code& code : project.codes) code_guids.insert(code.guid);

  std::map<std::string, std::string> variable_names;
  for (const pugi::xml_node& v : children_named(child_named(root, "Variables"), "Variable"))
    variable_names[reader.guid(v)] = attribute_named(v, "name").value();
  // Values of any REFI type are kept as their text.
  auto read_values = [&](const pugi::xml_node& parent, const std::string& owner,
                         std::map<std::string, std::string>& out) {
    for (const pugi::xml_node& value : children_named(parent, "VariableValue")) {
      const pugi::xml_node ref = child_named(value, "VariableRef");
      const auto name =
          variable_names.find(checked_guid(attribute_named(ref, "targetGUID").value()));
      if (name == variable_names.end()) {
        reader.skip(value, owner + ": a VariableValue names no Variable");
        continue;
      }
      for (pugi::xml_node child = value.first_child(); child; child = child.next_sibling())
        if (child.type() == pugi::node_element && child != ref)
          out[name->second] = child.text().get();
    }
  };

  for (const pugi::xml_node& element : children_named(child_named(root, "Cases"), "Case")) {
    Case c;
    c.guid = reader.guid(element);
    c.name = attribute_named(element, "name").value();
    read_values(element, "case \"" + c.name + "\"", c.attributes);
    for (const pugi::xml_node& ref : children_named(element, "SourceRef"))
      c.sources.push_back(reader.guid(ref, "targetGUID"));
    project.cases.push_back(std::move(c));
  }

  // Sources: texts first, then each one's offset convention, then its codings.
  const pugi::xml_node sources_element = child_named(root, "Sources");
  std::set<std::string> source_guids;
  std::vector<TextSourceRead> texts;
  // Text sources, and the transcripts of audio and video sources (text with sync points).
  // ATLAS.ti lists a media transcript as a TextSource too, with the same text file: read it once.
  std::set<std::string> text_paths;
  for (const pugi::xml_node& element : children_named(sources_element, "TextSource")) {
    std::string path = attribute_named(element, "plainTextPath").value();
    for (char& c : path) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!path.empty()) text_paths.insert(path);
  }
  std::vector<std::pair<pugi::xml_node, std::string>> text_elements;
  for (pugi::xml_node element : sources_element.children()) {
    if (element.type() != pugi::node_element) continue;
    const std::string_view kind = local_name(element);
    const std::string name = attribute_named(element, "name").value();
    if (kind == "TextSource") {
      text_elements.emplace_back(element, name);
      continue;
    }
    if (!report) reader.fail(element, "unexpected source type");
    const char* what = nullptr;
    for (const auto& [tag, label] : kNonText)
      if (kind == tag) what = label;
    const std::vector<pugi::xml_node> transcripts = children_named(element, "Transcript");
    size_t codings = element.select_nodes(".//*[local-name()='Coding']").size();
    size_t read_as_text_source = 0;
    for (const pugi::xml_node& t : transcripts) {
      std::string path = attribute_named(t, "plainTextPath").value();
      for (char& c : path) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (text_paths.count(path)) {
        ++read_as_text_source;
        continue;
      }
      codings -= t.select_nodes(".//*[local-name()='Coding']").size();
      std::string transcript_name = attribute_named(t, "name").value();
      if (transcript_name.empty() || transcript_name == name)
        transcript_name = name + " (transcript)";
      text_elements.emplace_back(t, transcript_name);
    }
    report->skipped.push_back(
        (what ? std::string(what) : std::string(kind)) + " source \"" + name + "\": not text" +
        (codings ? ", with its " + std::to_string(codings) + " codings" : std::string()) +
        (transcripts.size() > read_as_text_source ? " (its transcript is imported as a text source)"
         : read_as_text_source ? " (its transcript is the text source with the same file)"
                               : std::string()));
  }
  for (const auto& [element, name] : text_elements) {
    TextSourceRead read;
    read.element = element;
    Source& source = read.source;
    source.guid = reader.guid(element);
    if (!source_guids.insert(source.guid).second)
      reader.fail(element, "two sources share the guid " + source.guid);
    std::string path = attribute_named(element, "plainTextPath").value();
    source.name = name;
    if (source.name.empty())
      source.name = std::filesystem::path(internal_name(path)).stem().string();
    if (source.name.empty()) source.name = source.guid;
    source.created = attribute_named(element, "creationDateTime").value();
    read_values(element, "source \"" + source.name + "\"", source.attributes);

    std::optional<std::string> bytes;
    if (const pugi::xml_node inline_text = child_named(element, "PlainTextContent")) {
      bytes = inline_text.text().get();
    } else {
      if (path.empty()) path = "internal://" + source.guid + ".txt";
      if (!report) {
        const std::string file_name = internal_name(path);
        if (file_name.empty() || file_name.find('/') != std::string::npos ||
            file_name.find("..") != std::string::npos)
          reader.fail(element, "plainTextPath \"" + path + "\" leaves the sources folder");
      }
      bytes = input.load_text(source.guid, path);
    }
    if (!bytes) {
      if (!report) reader.fail(element, "the text of source \"" + source.name + "\" is missing");
      report->missing_texts.push_back(source.name);
      const size_t codings = element.select_nodes(".//*[local-name()='Coding']").size();
      report->skipped.push_back(
          "text source \"" + source.name + "\": its text (" + path + ") is missing" +
          (codings ? ", with its " + std::to_string(codings) + " codings" : std::string()));
      continue;
    }
    try {
      read.text = prepare_text(std::move(*bytes));
    } catch (const BadInput& e) {
      reader.skip(element,
                  "text source \"" + source.name + "\": its text is not UTF-8 (" + e.what() + ")");
      continue;
    }
    source.origin_file = internal_name(path);
    if (report) {
      source.origin_format = "REFI-QDA" + (origin.empty() ? std::string() : " from " + origin);
      source.encoding = "UTF-8";
    }

    std::map<std::string, int64_t> sync_points;  // a transcript's: guid -> character position
    for (const pugi::xml_node& point : children_named(element, "SyncPoint"))
      sync_points[checked_guid(attribute_named(point, "guid").value())] =
          attribute_named(point, "position").as_llong(-1);
    for (const pugi::xml_node& selection : element.children()) {
      if (selection.type() != pugi::node_element) continue;
      const std::string_view tag = local_name(selection);
      if (tag == "TranscriptSelection") {
        Selection s;
        s.node = selection;
        s.guid = checked_guid(attribute_named(selection, "guid").value());
        if (s.guid.empty()) s.guid = new_guid();
        const auto from =
            sync_points.find(checked_guid(attribute_named(selection, "fromSyncPoint").value()));
        const auto to =
            sync_points.find(checked_guid(attribute_named(selection, "toSyncPoint").value()));
        if (from == sync_points.end() || to == sync_points.end()) {
          reader.skip(selection, "transcript \"" + source.name + "\": selection " + s.guid +
                                     " names a sync point the transcript does not have");
          continue;
        }
        s.start = from->second;
        s.end = to->second;
        s.name = attribute_named(selection, "name").value();
        read.selections.push_back(std::move(s));
        continue;
      }
      if (tag != "PlainTextSelection") continue;
      Selection s;
      s.node = selection;
      s.guid = checked_guid(attribute_named(selection, "guid").value());
      if (s.guid.empty()) {
        if (!report) reader.guid(selection);  // throws
        s.guid = new_guid();
        reader.warn("source \"" + source.name + "\": a selection without a valid guid got " +
                    s.guid);
      }
      const auto start = reader.integer(selection, "startPosition");
      const auto end = reader.integer(selection, "endPosition");
      if (!start || !end) continue;
      s.start = *start;
      s.end = *end;
      s.name = attribute_named(selection, "name").value();
      read.selections.push_back(std::move(s));
    }

    // Which unit the offsets count: the producing tool says, the quotes decide when there are any.
    const bool utf16_tool =
        contains_nocase(origin, "NVivo") || contains_nocase(origin, "QualCoder");
    read.convention = Convention{utf16_tool, !read.text.crlf.empty()};
    read.why = utf16_tool ? "as " + origin + " counts" : "the standard's unit";
    if (report) {
      std::vector<Convention> candidates = {read.convention};
      for (bool utf16 : {false, true})
        for (bool raw : {false, true})
          if ((!raw || !read.text.crlf.empty()) &&
              std::find(candidates.begin(), candidates.end(), Convention{utf16, raw}) ==
                  candidates.end())
            candidates.push_back(Convention{utf16, raw});
      int64_t best = 0;
      for (const Convention& c : candidates) {
        int64_t named = 0, matched = 0;
        std::string why;
        for (const Selection& s : read.selections) {
          if (s.name.empty()) continue;
          ++named;
          const auto a = to_code_point(read.text, s.start, c, why);
          const auto b = to_code_point(read.text, s.end, c, why);
          if (a && b && *a < *b && quote_matches(s.name, substring_cp(read.text.text, *a, *b)))
            ++matched;
        }
        read.named = named;
        if (matched > best) {
          best = matched;
          if (!(c == read.convention))
            read.why = "the quotes in the selections' names match in this unit";
          read.convention = c;
        }
        if (c == read.convention) read.matched = matched;
      }
      report->offsets.push_back("\"" + source.name + "\": " + describe(read.convention) + " (" +
                                read.why + ")");
    }
    texts.push_back(std::move(read));
  }

  // Whether the selections' names quote the text at all (QualCoder-like tools write "line:6").
  int64_t named = 0, matched = 0;
  std::string example;
  for (const TextSourceRead& read : texts) {
    named += read.named;
    matched += read.matched;
    for (const Selection& s : read.selections)
      if (example.empty() && !s.name.empty()) example = s.name;
  }
  const bool names_are_quotes = matched > 0;
  if (report && named > 0 && !names_are_quotes)
    report->warnings.push_back("the selections' names do not quote their text (e.g. \"" +
                               shorten(example) + "\"): offsets taken as " +
                               (texts.empty() ? "" : describe(texts.front().convention)) +
                               ", not checked against quotes");

  std::unordered_set<std::string> coding_guids;  // one per coding: hashed, not ordered
  size_t selections = 0;
  for (const TextSourceRead& read : texts) selections += read.selections.size();
  coding_guids.reserve(selections);
  std::set<std::string> unknown_users;
  std::vector<std::string> mismatches;
  for (TextSourceRead& read : texts) {
    Source& source = read.source;
    for (const Selection& s : read.selections) {
      // Built only for a message: one per coding cost a tenth of opening a large project.
      const auto where = [&] {
        return "source \"" + source.name + "\": selection " + s.guid + " [" +
               std::to_string(s.start) + ", " + std::to_string(s.end) + ")";
      };
      std::string why;
      const auto a = to_code_point(read.text, s.start, read.convention, why);
      if (!a) {
        reader.skip(s.node, where() + ": its start " + why);
        continue;
      }
      const auto b = to_code_point(read.text, s.end, read.convention, why);
      if (!b) {
        reader.skip(s.node, where() + ": its end " + why);
        continue;
      }
      if (*a >= *b) {
        reader.skip(s.node, where() + (*a > *b ? ": inverted (ends before it starts)" : ": empty"));
        continue;
      }
      if (report && names_are_quotes && !s.name.empty()) {
        const std::string passage = substring_cp(read.text.text, *a, *b);
        if (!quote_matches(s.name, passage))
          mismatches.push_back(where() + " reads \"" + shorten(passage) +
                               "\" but its name says \"" + shorten(s.name) + "\"");
      }
      const std::string memo = child_named(s.node, "Description").text().get();
      bool first = true;
      for (const pugi::xml_node& refi_coding : children_named(s.node, "Coding")) {
        Coding coding;
        // We write one Coding per selection and the selection carries the coding's guid.
        if (first) {
          coding.guid = s.guid;
        } else {
          coding.guid = checked_guid(attribute_named(refi_coding, "guid").value());
          if (coding.guid.empty()) coding.guid = report ? new_guid() : reader.guid(refi_coding);
        }
        first = false;
        if (coding_guids.count(coding.guid)) {
          if (!report) reader.fail(refi_coding, "two codings share the guid " + coding.guid);
          const std::string fresh = new_guid();
          reader.warn(where() + ": its guid " + coding.guid + " is used twice; imported as " +
                      fresh);
          coding.guid = fresh;
        }
        coding.source = source.guid;
        coding.start = *a;
        coding.end = *b;
        coding.code = checked_guid(
            attribute_named(child_named(refi_coding, "CodeRef"), "targetGUID").value());
        if (!code_guids.count(coding.code)) {
          reader.skip(
              refi_coding,
              where() + ": a coding refers to an unknown code \"" +
                  std::string(
                      attribute_named(child_named(refi_coding, "CodeRef"), "targetGUID").value()) +
                  "\"");
          continue;
        }
        const char* user = attribute_named(refi_coding, "creatingUser").value();
        coding.coder = checked_guid(*user ? user : attribute_named(s.node, "creatingUser").value());
        if (report && !coding.coder.empty() && !user_guids.count(coding.coder) &&
            unknown_users.insert(coding.coder).second) {
          project.coders.push_back(Coder{coding.coder, "user " + coding.coder.substr(0, 8)});
          report->warnings.push_back("codings by user " + coding.coder +
                                     ", who is not among the project's users, are credited to \"" +
                                     project.coders.back().name + "\"");
        }
        const char* when = attribute_named(refi_coding, "creationDateTime").value();
        coding.created = *when ? when : attribute_named(s.node, "creationDateTime").value();
        coding.memo = memo;
        coding_guids.insert(coding.guid);
        collect_notes(s.node, MemoTarget::Coding, coding.guid);
        project.codings.push_back(std::move(coding));
      }
    }
    collect_notes(read.element, MemoTarget::Source, source.guid);
    source.text = std::move(read.text.text);
    project.sources.push_back(std::move(source));
  }
  if (report) {
    constexpr size_t kListed = 20;
    for (size_t i = 0; i < mismatches.size() && i < kListed; ++i)
      report->warnings.push_back(mismatches[i]);
    if (mismatches.size() > kListed)
      report->warnings.push_back("... and " + std::to_string(mismatches.size() - kListed) +
                                 " more selections whose text differs from their quote");
  }

  std::set<std::string> memo_guids;
  for (const pugi::xml_node& note : children_named(child_named(root, "Notes"), "Note")) {
    Memo memo;
    memo.guid = reader.guid(note);
    if (!memo_guids.insert(memo.guid).second) {
      if (!report) reader.fail(note, "two notes share the guid " + memo.guid);
      memo.guid = new_guid();
    }
    if (const pugi::xml_node content = child_named(note, "PlainTextContent")) {
      memo.text = content.text().get();
    } else if (const std::string path = attribute_named(note, "plainTextPath").value();
               !path.empty() && report) {
      if (auto bytes = input.load_text(memo.guid, path)) {
        memo.text = normalize_line_endings(*bytes);
        if (memo.text.rfind("\xEF\xBB\xBF", 0) == 0) memo.text.erase(0, 3);
      } else {
        reader.warn("note \"" + std::string(attribute_named(note, "name").value()) +
                    "\": its text (" + path + ") is not in the archive; imported empty");
      }
    }
    memo.created = attribute_named(note, "creationDateTime").value();
    project.memos.push_back(std::move(memo));
  }
  collect_notes(root, MemoTarget::Project, std::string());
  for (Memo& memo : project.memos) {
    auto it = note_targets.find(memo.guid);
    if (it != note_targets.end()) std::tie(memo.target_kind, memo.target) = it->second;
  }

  std::set<std::string> imported_sources;
  for (const Source& source : project.sources) imported_sources.insert(source.guid);
  for (const pugi::xml_node& element : children_named(child_named(root, "Sets"), "Set")) {
    CodeSet set;
    set.guid = reader.guid(element);
    set.name = attribute_named(element, "name").value();
    set.description = child_named(element, "Description").text().get();
    size_t left_out = 0;
    for (const pugi::xml_node& member : children_named(element, "MemberCode")) {
      const std::string guid = checked_guid(attribute_named(member, "targetGUID").value());
      if (code_guids.count(guid))
        set.codes.push_back(guid);
      else
        ++left_out;
    }
    for (const pugi::xml_node& member : children_named(element, "MemberSource")) {
      const std::string guid = checked_guid(attribute_named(member, "targetGUID").value());
      if (imported_sources.count(guid))
        set.sources.push_back(guid);
      else
        ++left_out;
    }
    left_out += children_named(element, "MemberNote").size();
    if (left_out)
      reader.skip(element, "set \"" + set.name + "\": " + std::to_string(left_out) +
                               " members that were not imported (see above)");
    project.sets.push_back(std::move(set));
  }

  if (report) {
    for (Case& c : project.cases)
      std::erase_if(c.sources, [&](const std::string& g) { return !imported_sources.count(g); });
    for (Memo& memo : project.memos) {
      const bool exists = memo.target_kind == MemoTarget::Project ||
                          (memo.target_kind == MemoTarget::Source && project.source(memo.target)) ||
                          (memo.target_kind == MemoTarget::Code && project.code(memo.target)) ||
                          (memo.target_kind == MemoTarget::Coding && project.coding(memo.target));
      if (!exists) {
        report->warnings.push_back("note " + memo.guid +
                                   " was attached to something not imported; it is a project memo");
        memo.target_kind = MemoTarget::Project;
        memo.target.clear();
      }
    }
    for (const char* kind : {"Link", "Graph"})
      if (const size_t n = children_named(child_named(root, std::string(kind) + "s"), kind).size())
        report->skipped.push_back(std::to_string(n) + " " + kind +
                                  "s: Marginalia has no place for them");
    if (input.strict && !report->missing_texts.empty()) {
      std::string names;
      for (const std::string& name : report->missing_texts)
        names += (names.empty() ? "\"" : ", \"") + name + "\"";
      throw BadInput(file.string() + ": " + std::to_string(report->missing_texts.size()) +
                     " text sources have no text in the archive: " + names);
    }
  }
  return project;
}

}  // namespace marginalia::storage
