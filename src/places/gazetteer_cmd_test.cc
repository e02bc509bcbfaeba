// `sitrep gazetteer build|lookup|update` through the command-line layer
// (cli/gazetteer_cmd.cc), on the fixture GeoNames files. `update` must fail with a
// clear message when curl cannot download (no network here) or is not installed.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/gazetteer_cmd.h"
#include "places/gazetteer.h"
#include "places/places_test_util.h"

namespace sitrep {
namespace {

namespace fs = std::filesystem;

// Runs `sitrep <args...>` with the gazetteer command only; returns its exit code.
int RunCli(std::vector<std::string> args) {
  CLI::App app{"sitrep"};
  app.require_subcommand(1);
  int exit_code = 0;
  AddGazetteerCommand(app, exit_code);
  args.insert(args.begin(), "sitrep");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}

class GazetteerCommand : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(testing::FixtureGazetteer::Get().ok()) << testing::FixtureGazetteer::Get().error(); }
  std::string Root() const { return fs::path(testing::FixtureGazetteer::Get().path()).parent_path().string(); }
};

TEST_F(GazetteerCommand, BuildThenLookup) {
  const std::string out = Root() + "/cli.gaz";
  ASSERT_EQ(RunCli({"gazetteer", "build", "--quiet", "--geonames", Root() + "/geonames", "--data",
                    testing::FixtureGazetteer::Get().data_dir(), "--words", Root() + "/words.txt", "-o", out}),
            0);
  std::string error;
  auto g = Gazetteer::Open(out, &error);
  ASSERT_TRUE(g) << error;
  EXPECT_NE(g->FindName("Kupiansk"), Gazetteer::kNoNode);
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(RunCli({"gazetteer", "lookup", "-q", "--gazetteer", out, "Kupyansk", "Kharkov"}), 0);
  const std::string printed = ::testing::internal::GetCapturedStdout();
  EXPECT_NE(printed.find("Kupiansk"), std::string::npos);
  EXPECT_NE(printed.find("geonames:706483"), std::string::npos);
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(RunCli({"gazetteer", "lookup", "-q", "--gazetteer", out, "Nowhereville"}), 2);
  ::testing::internal::GetCapturedStdout();
}

TEST_F(GazetteerCommand, BuildReportsMissingInputs) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(RunCli({"gazetteer", "build", "--quiet", "--geonames", "/nonexistent", "--data",
                    testing::FixtureGazetteer::Get().data_dir(), "-o", Root() + "/x.gaz"}),
            1);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("not a directory"), std::string::npos);
}

// Replaces PATH for the scope of a test.
class PathGuard {
 public:
  explicit PathGuard(const std::string& path) {
    const char* old = std::getenv("PATH");
    old_ = old == nullptr ? "" : old;
    ::setenv("PATH", path.c_str(), 1);
  }
  ~PathGuard() { ::setenv("PATH", old_.c_str(), 1); }

 private:
  std::string old_;
};

TEST_F(GazetteerCommand, UpdateFailsClearlyWithoutNetwork) {
  // A curl that fails like curl without a network (exit 6: could not resolve host).
  const fs::path bin = fs::path(Root()) / "fakebin";
  fs::create_directories(bin);
  testing::WriteFile(bin / "curl", "#!/bin/sh\nexit 6\n");
  fs::permissions(bin / "curl", fs::perms::owner_all);
  const std::string dir = Root() + "/update";
  const std::string out = Root() + "/update.gaz";
  {
    PathGuard path(bin.string());
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(RunCli({"gazetteer", "update", "--quiet", "--dir", dir, "-o", out}), 1);
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("could not download https://download.geonames.org/export/dump/UA.zip"), std::string::npos)
        << err;
    EXPECT_NE(err.find("Nothing was changed"), std::string::npos) << err;
  }
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(dir + "/UA.zip"));
  {
    PathGuard path((fs::path(Root()) / "empty-bin").string());
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(RunCli({"gazetteer", "update", "--quiet", "--dir", dir, "-o", out}), 1);
    EXPECT_NE(::testing::internal::GetCapturedStderr().find("curl program is not installed"), std::string::npos);
  }
}

}  // namespace
}  // namespace sitrep
