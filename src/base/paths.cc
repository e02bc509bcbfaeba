#include "base/paths.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <vector>

#ifndef SITREP_SOURCE_DATA_DIR
#define SITREP_SOURCE_DATA_DIR ""
#endif
#ifndef SITREP_BUILD_GAZETTEER
#define SITREP_BUILD_GAZETTEER ""
#endif

namespace sitrep {
namespace {

std::mutex g_mu;
std::string g_data_dir;
std::string g_gazetteer;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

}  // namespace

bool FileExists(const std::string& path) {
  struct stat st;
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

void SetDataDir(std::string dir) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_data_dir = std::move(dir);
}

void SetGazetteerPath(std::string path) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_gazetteer = std::move(path);
}

std::string ExecutableDir() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  std::string path(buf, static_cast<size_t>(n));
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string DataDir() {
  {
    std::lock_guard<std::mutex> lock(g_mu);
    if (!g_data_dir.empty()) return g_data_dir;
  }
  if (std::string env = Env("SITREP_DATA"); !env.empty()) return env;
  const std::string exe = ExecutableDir();
  const std::vector<std::string> candidates = {exe + "/../data", exe + "/../share/sitrep/data",
                                               exe + "/data", SITREP_SOURCE_DATA_DIR};
  for (const std::string& c : candidates) {
    if (IsDirectory(c + "/lexicons")) return c;
  }
  return "";
}

std::string DefaultGazetteerOutput() { return ExecutableDir() + "/sitrep.gaz"; }

std::string GazetteerPath() {
  {
    std::lock_guard<std::mutex> lock(g_mu);
    if (!g_gazetteer.empty()) return g_gazetteer;
  }
  if (std::string env = Env("SITREP_GAZETTEER"); !env.empty()) return env;
  const std::string exe = ExecutableDir();
  std::vector<std::string> candidates = {exe + "/sitrep.gaz", exe + "/../share/sitrep/sitrep.gaz"};
  if (const std::string data = DataDir(); !data.empty()) candidates.push_back(data + "/sitrep.gaz");
  candidates.push_back(SITREP_BUILD_GAZETTEER);  // the build tree this binary came from
  for (const std::string& c : candidates) {
    if (FileExists(c)) return c;
  }
  return DefaultGazetteerOutput();
}

}  // namespace sitrep
