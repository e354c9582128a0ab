// .marginalia/model.cache: a derived copy of the snapshot (see storage_io.h). Every field of the
// model is listed once, in a fields() used both to write and to read, so the two cannot disagree;
// the size checks below fail the build when a model struct gains a field that is not listed.
#include <sys/stat.h>

#include <cstring>
#include <fstream>
#include <type_traits>

#include "marginalia/error.h"
#include "storage/storage_io.h"

namespace marginalia::storage {

namespace {

constexpr std::string_view kMagic = "marginalia-model-cache\n";
constexpr uint64_t kFormat = 1;

#if defined(__GLIBCXX__) && defined(__x86_64__)
// A new field in a model struct must be added to its fields() here, or the cache would lose it and
// the next snapshot would write the project back without it. Then update the size.
constexpr size_t kString = sizeof(std::string), kVector = sizeof(std::vector<int>);
constexpr size_t kMap = sizeof(std::map<std::string, std::string>);
static_assert(sizeof(Utterance) == kString + 8 + 2 * 8 + sizeof(std::optional<int64_t>));
static_assert(sizeof(Source) == 7 * kString + kVector + kMap);
static_assert(sizeof(Code) == 5 * kString + 8);
static_assert(sizeof(Coder) == 2 * kString);
static_assert(sizeof(Coding) == 6 * kString + 2 * 8);
static_assert(sizeof(Memo) == 4 * kString + 8);
static_assert(sizeof(DoneMark) == 2 * kString);
static_assert(sizeof(Case) == 2 * kString + kMap + kVector);
static_assert(sizeof(CodeSet) == 3 * kString + 2 * kVector);
static_assert(sizeof(Project) == 4 * kString + 8 * kVector + kMap);
#endif

template <typename Io, typename U>
void fields(Io& io, U& u) {
  using T = std::remove_const_t<U>;
  if constexpr (std::is_same_v<T, Utterance>) {
    io(u.speaker), io(u.role), io(u.start), io(u.end), io(u.timestamp_ms);
  } else if constexpr (std::is_same_v<T, Source>) {
    io(u.guid), io(u.name), io.text(u.text), io(u.utterances), io(u.attributes), io(u.origin_file);
    io(u.origin_format), io(u.encoding), io(u.created);
  } else if constexpr (std::is_same_v<T, Code>) {
    io(u.guid), io(u.name), io(u.color), io(u.description), io(u.parent), io(u.codable);
  } else if constexpr (std::is_same_v<T, Coder>) {
    io(u.guid), io(u.name);
  } else if constexpr (std::is_same_v<T, Coding>) {
    io(u.guid), io(u.source), io(u.start), io(u.end), io(u.code), io(u.coder), io(u.created);
    io(u.memo);
  } else if constexpr (std::is_same_v<T, Memo>) {
    io(u.guid), io(u.target_kind), io(u.target), io(u.text), io(u.created);
  } else if constexpr (std::is_same_v<T, DoneMark>) {
    io(u.coder), io(u.source);
  } else if constexpr (std::is_same_v<T, Case>) {
    io(u.guid), io(u.name), io(u.attributes), io(u.sources);
  } else if constexpr (std::is_same_v<T, CodeSet>) {
    io(u.guid), io(u.name), io(u.description), io(u.codes), io(u.sources);
  } else {
    static_assert(std::is_same_v<T, Project>);
    io(u.guid), io(u.name), io(u.language), io(u.created), io(u.coders), io(u.codes);
    io(u.sources), io(u.codings), io(u.cases), io(u.memos), io(u.done), io(u.sets);
    io(u.settings);
  }
}

// A source's text stays in sources/<guid>.txt, where other tools read it: the cache holds its
// hash, and opening reads the file and checks it (project_store.cpp).
struct Writer {
  std::string out;
  void text(const std::string& t) { (*this)(text_hash(t)); }
  void operator()(uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void operator()(int64_t v) { (*this)(static_cast<uint64_t>(v)); }
  void operator()(bool v) { out += v ? '\1' : '\0'; }
  template <typename E>
  requires std::is_enum_v<E>
  void operator()(E v) { (*this)(static_cast<uint64_t>(v)); }
  void operator()(const std::string& s) {
    (*this)(static_cast<uint64_t>(s.size()));
    out += s;
  }
  void operator()(const std::optional<int64_t>& v) {
    (*this)(v.has_value());
    if (v) (*this)(*v);
  }
  void operator()(const std::map<std::string, std::string>& m) {
    (*this)(static_cast<uint64_t>(m.size()));
    for (const auto& [k, v] : m) (*this)(k), (*this)(v);
  }
  void operator()(const std::vector<std::string>& items) {
    (*this)(static_cast<uint64_t>(items.size()));
    for (const std::string& s : items) (*this)(s);
  }
  template <typename T>
  void operator()(const std::vector<T>& items) {
    (*this)(static_cast<uint64_t>(items.size()));
    for (const T& item : items) fields(*this, item);
  }
};

struct Truncated {};  // or otherwise not a cache this code wrote

constexpr Role last_value(Role) {
  return Role::Other;
}
constexpr MemoTarget last_value(MemoTarget) {
  return MemoTarget::Coding;
}

struct Reader {
  std::string_view in;
  size_t at = 0;
  std::vector<uint64_t>* text_hashes = nullptr;
  void text(std::string& t) {
    t.clear();
    (*this)(text_hashes->emplace_back());
  }
  std::string_view take(uint64_t n) {
    if (n > in.size() - at) throw Truncated{};
    const std::string_view bytes = in.substr(at, n);
    at += n;
    return bytes;
  }
  uint64_t count() {  // an element count: each element takes at least one byte
    uint64_t n = 0;
    (*this)(n);
    if (n > in.size() - at) throw Truncated{};
    return n;
  }
  void operator()(uint64_t& v) { std::memcpy(&v, take(sizeof v).data(), sizeof v); }
  void operator()(int64_t& v) {
    uint64_t u = 0;
    (*this)(u);
    v = static_cast<int64_t>(u);
  }
  void operator()(bool& v) { v = take(1)[0] != '\0'; }
  template <typename E>
  requires std::is_enum_v<E>
  void operator()(E& v) {
    uint64_t u = 0;
    (*this)(u);
    if (u > static_cast<uint64_t>(last_value(E{}))) throw Truncated{};  // not one of its values
    v = static_cast<E>(u);
  }
  void operator()(std::string& s) {
    uint64_t n = 0;
    (*this)(n);
    s = take(n);
  }
  void operator()(std::optional<int64_t>& v) {
    bool present = false;
    (*this)(present);
    v.reset();
    if (present) (*this)(v.emplace());
  }
  void operator()(std::map<std::string, std::string>& m) {
    m.clear();
    for (uint64_t n = count(); n > 0; --n) {
      std::string k, v;
      (*this)(k), (*this)(v);
      m.emplace_hint(m.end(), std::move(k), std::move(v));
    }
  }
  void operator()(std::vector<std::string>& items) {
    items.resize(count());
    for (std::string& s : items) (*this)(s);
  }
  template <typename T>
  void operator()(std::vector<T>& items) {
    const uint64_t n = count();
    // Room to grow: the journal replayed next adds codings, and moving 130,000 of them to a larger
    // block cost more than the rest of opening.
    items.reserve(n + n / 8);
    items.resize(n);
    for (T& item : items) fields(*this, item);
  }
};

void put_stamp(Writer& w, const FileStamp& s) {
  w(s.size), w(s.inode), w(s.modified_ns), w(s.changed_ns);
}
FileStamp get_stamp(Reader& r) {
  FileStamp s;
  r(s.size), r(s.inode), r(s.modified_ns), r(s.changed_ns);
  return s;
}

uint64_t checksum(std::string_view bytes) {
  return std::hash<std::string_view>{}(bytes);
}

}  // namespace

uint64_t text_hash(std::string_view text) {
  return checksum(text);
}

std::optional<FileStamp> stamp_of(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return std::nullopt;
  return FileStamp{static_cast<uint64_t>(st.st_size), static_cast<uint64_t>(st.st_ino),
                   static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
                   static_cast<int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec};
}

void write_model_cache(const std::filesystem::path& file, const Project& project,
                       std::string_view undo_json, std::string_view redo_json, int64_t sequence,
                       const FileStamp& qde, const FileStamp& model) {
  Writer w;
  w.out.reserve(64 << 20);
  w.out += kMagic;
  w(kFormat);
  put_stamp(w, qde);
  put_stamp(w, model);
  w(sequence);
  w(std::string(undo_json));
  w(std::string(redo_json));
  fields(w, project);
  w(checksum(w.out));
  // Not synced: a copy torn by a crash fails its checksum and the snapshot is read instead.
  const std::filesystem::path temporary = file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(w.out.data(), static_cast<std::streamsize>(w.out.size()));
    if (!out) throw EnvironmentError("cannot write " + temporary.string());
  }
  std::error_code ec;
  std::filesystem::rename(temporary, file, ec);
  if (ec) throw EnvironmentError("cannot write " + file.string() + ": " + ec.message());
}

std::optional<CachedSnapshot> read_model_cache(const std::filesystem::path& file,
                                               const FileStamp& qde, const FileStamp& model) {
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    if (size < static_cast<std::streamoff>(kMagic.size() + 8)) return std::nullopt;
    bytes.resize(static_cast<size_t>(size));
    in.seekg(0);
    if (!in.read(bytes.data(), size)) return std::nullopt;
  }
  if (!std::string_view(bytes).starts_with(kMagic)) return std::nullopt;
  try {
    Reader r{bytes};
    r.take(kMagic.size());
    uint64_t format = 0;
    r(format);
    // The stamps first: a copy of other files is refused before anything else is read.
    if (format != kFormat || get_stamp(r) != qde || get_stamp(r) != model) return std::nullopt;
    uint64_t sum = 0;
    Reader tail{std::string_view(bytes).substr(bytes.size() - sizeof sum)};
    tail(sum);
    if (sum != checksum(std::string_view(bytes).substr(0, bytes.size() - sizeof sum)))
      return std::nullopt;
    r.in = std::string_view(bytes).substr(0, bytes.size() - sizeof sum);
    CachedSnapshot cached;
    r.text_hashes = &cached.text_hashes;
    r(cached.sequence);
    r(cached.undo_json);
    r(cached.redo_json);
    fields(r, cached.project);
    if (r.at != r.in.size()) return std::nullopt;
    return cached;
  } catch (const Truncated&) {
    return std::nullopt;
  }
}

}  // namespace marginalia::storage
