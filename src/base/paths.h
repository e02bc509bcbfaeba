// Where sitrep finds its knowledge (data/) and its compiled gazetteer.
// Order: an explicit setting (--data, --gazetteer), then $SITREP_DATA /
// $SITREP_GAZETTEER, then beside the executable, then the source tree it was built from.
#pragma once

#include <string>

namespace sitrep {

void SetDataDir(std::string dir);
void SetGazetteerPath(std::string path);

// The data directory (holds lexicons/ and gazetteer/); "" when none is found.
std::string DataDir();
// Path of the compiled gazetteer to open; the first existing candidate, or the
// default place `gazetteer build` writes to when none exists yet.
std::string GazetteerPath();
// Where `gazetteer build` writes by default.
std::string DefaultGazetteerOutput();
// Directory of the running executable.
std::string ExecutableDir();

bool FileExists(const std::string& path);
bool IsDirectory(const std::string& path);

}  // namespace sitrep
