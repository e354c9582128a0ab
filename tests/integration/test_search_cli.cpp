// search and reindex through the CLI, as a researcher runs them, and the same search against the
// index served by xapian-tcpsrv.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "cli_fixture.h"

namespace fs = std::filesystem;
using namespace marginalia::cli_testing;

namespace {

class SearchCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(run("init " + project_).exit_code, 0);
    CliResult r =
        run("import " + project_ + " " + quoted((kFixtures / "first_session.txt").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run("codebook " + project_ + " load " + quoted((kFixtures / "mini.qdc").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    text_ = slurp(kFixtures / "first_session.txt");
  }
  nlohmann::json search_json(const std::string& query, const std::string& extra = "") {
    CliResult r = run("search " + project_ + " " + quoted(query) + " --format json " + extra);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json();
  }

  // Code points of `needle` in the fixture, which is ASCII up to the emoji after "twenty minutes".
  int64_t offset_of(const std::string& needle) const {
    return static_cast<int64_t>(text_.find(needle));
  }

  std::string text_;
};

TEST_F(SearchCli, TextShowsHitsSpansSnippetsAndCounts) {
  CliResult r = run("search " + project_ + " frightening");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const int64_t at = offset_of("frightened");
  EXPECT_NE(r.out.find("first_session #1  Client (client)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("matches " + std::to_string(at) + "-" + std::to_string(at + 10)),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Honestly I was [[frightened]]."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 utterance matches\nPer source:\n  first_session  1\n"), std::string::npos)
      << r.out;
}

TEST_F(SearchCli, JsonAndCsv) {
  nlohmann::json j = search_json("she", "--order transcript");
  ASSERT_EQ(j["total"], 2);
  ASSERT_EQ(j["hits"].size(), 2u);
  EXPECT_EQ(j["hits"][0]["utterance"], 1);
  EXPECT_EQ(j["hits"][1]["utterance"], 3);
  EXPECT_EQ(j["hits"][1]["role"], "client");
  EXPECT_EQ(j["hits"][1]["snippet"].get<std::string>().substr(0, 19), "[[She]] smiled and ");
  // After the emoji, code points are one less than bytes... and the CLI counts code points.
  const int64_t she = static_cast<int64_t>(text_.find("She smiled")) - 3;
  EXPECT_EQ(j["hits"][1]["matches"][0]["start"], she);
  EXPECT_EQ(j["per_source"][0]["source"], "first_session");
  EXPECT_EQ(j["per_source"][0]["count"], 2);

  CliResult r = run("search " + project_ + " 'bearable OR boring' --format csv --order transcript");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(
      r.out.substr(0, r.out.find("\r\n")),
      "source,utterance,speaker,role,timestamp_ms,turn_start,turn_end,matches,snippet,weight");
  EXPECT_NE(r.out.find("\r\nfirst_session,1,Client,client,,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\r\nfirst_session,3,Client,client,,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"She smiled and explained how it would work, the fifty minutes, what she "
                       "writes down, who reads it. That made it [[bearable]], I think.\""),
            std::string::npos)
      << r.out;
}

TEST_F(SearchCli, CodingShowsInSearchAtOnce) {
  EXPECT_EQ(search_json("code:\"Early anxiety\"")["total"], 0);
  const int64_t at = offset_of("Honestly I was frightened.");
  CliResult r = run("code " + project_ + " --source first_session --start " + std::to_string(at) +
                    " --end " + std::to_string(at + 26) + " --code 'Early anxiety'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string coding = r.out.substr(0, r.out.find('\n'));
  nlohmann::json j = search_json("code:\"Alliance formation/Early anxiety\" coder:ana");
  ASSERT_EQ(j["total"], 1);
  EXPECT_EQ(j["hits"][0]["utterance"], 1);
  EXPECT_EQ(j["per_code"][0]["code"], "Alliance formation/Early anxiety");

  ASSERT_EQ(run("uncode " + project_ + " --coding " + coding).exit_code, 0);
  EXPECT_EQ(search_json("code:\"Early anxiety\"")["total"], 0);
  ASSERT_EQ(run("undo " + project_).exit_code, 0);
  EXPECT_EQ(search_json("code:\"Early anxiety\"")["total"], 1);
}

TEST_F(SearchCli, ReindexAndRecovery) {
  CliResult r = run("reindex " + project_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 37), "Indexed 4 utterances of 1 sources in ") << r.out;
  EXPECT_NE(r.err.find("Indexing first_session: 4 of 4 utterances"), std::string::npos) << r.err;

  fs::remove_all(fs::path(project_) / ".marginalia" / "index");
  EXPECT_EQ(search_json("frightened")["total"], 1);
}

TEST_F(SearchCli, MalformedQueriesExitOne) {
  CliResult r = run("search " + project_ + " '\"nearly drove'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("unbalanced quote"), std::string::npos) << r.err;
  r = run("search " + project_ + " 'colour:red'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("unknown field 'colour:'"), std::string::npos) << r.err;
  r = run("search " + project_ + " x --order random");
  EXPECT_EQ(r.exit_code, 2);
}

// A port nothing listens on now (the kernel's choice).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return -1;
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// Stops the server at the end of the test, whatever happens: SIGTERM, then SIGKILL after 5 s.
struct Server {
  pid_t pid = -1;
  ~Server() {
    if (pid <= 0) return;
    ::kill(pid, SIGTERM);
    for (int i = 0; i < 50; ++i) {
      if (::waitpid(pid, nullptr, WNOHANG) == pid) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
};

TEST_F(SearchCli, RemoteIndexGivesTheSameHits) {
  if (std::system("command -v xapian-tcpsrv >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "xapian-tcpsrv is not installed (Debian package xapian-tools)";
  ASSERT_EQ(run("reindex " + project_).exit_code, 0);
  const int port = free_port();
  ASSERT_GT(port, 0);
  const std::string index = (fs::path(project_) / ".marginalia" / "index").string();
  Server server;
  server.pid = ::fork();
  ASSERT_GE(server.pid, 0);
  ::setpgid(server.pid, server.pid);
  if (server.pid == 0) {
    // Its own process group: on SIGTERM xapian-tcpsrv signals its whole group, which must not
    // include this test.
    ::setpgid(0, 0);
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    const std::string p = std::to_string(port);
    ::execlp("xapian-tcpsrv", "xapian-tcpsrv", "--port", p.c_str(), "--interface", "127.0.0.1",
             "--quiet", index.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  bool up = false;
  for (int i = 0; i < 100 && !up; ++i) {
    up = accepts(port);
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(up) << "xapian-tcpsrv did not listen on port " << port;

  const std::string remote = "--index tcp://127.0.0.1:" + std::to_string(port);
  for (const std::string query : {"she", "frighten*", "\"nearly drove home\"", "role:client",
                                  "minutes NEAR/8 home", "thinking OR smiled"}) {
    SCOPED_TRACE(query);
    nlohmann::json local = search_json(query, "--order transcript");
    nlohmann::json served = search_json(query, "--order transcript " + remote);
    EXPECT_GT(local["total"].get<int>(), 0);
    EXPECT_EQ(served, local);
    EXPECT_EQ(search_json(query, remote), search_json(query));  // ranked alike too
  }
  CliResult r = run("search " + project_ + " 'colour:red' " + remote);
  EXPECT_EQ(r.exit_code, 1);
  r = run("search " + project_ + " she --index tcp://127.0.0.1:1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot reach the index at tcp://127.0.0.1:1"), std::string::npos) << r.err;
}

}  // namespace
