#include "BatchTestFiles.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace icanscan::test
{

TempFolder::TempFolder()
{
  std::string pattern = (std::filesystem::temp_directory_path() / "icanscan-batch-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data()))
    throw std::runtime_error("cannot create a temporary folder");
  m_Path = pattern;
}

TempFolder::~TempFolder()
{
  std::error_code ec;
  std::filesystem::remove_all(m_Path, ec);
}

void WriteFile(const std::filesystem::path & file, const std::string & text)
{
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

std::string ReadFile(const std::filesystem::path & file)
{
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::filesystem::path MakeFakeStudy(const std::filesystem::path & folder, const nlohmann::json & behaviour)
{
  WriteFile(folder / "fake.json", behaviour.dump());
  return folder;
}

nlohmann::json SampleReport(const std::string & flag, const nlohmann::json & warnings, const std::string & flairQc)
{
  nlohmann::json structures = nlohmann::json::object();
  structures["thalamus_left"] = { { "volume_ml", 8.25 },
                                  { "t2flair_involved", true },
                                  { "diffusion_restricted", false } };
  structures["thalamus_right"] = { { "volume_ml", 8.5 },
                                   { "t2flair_involved", false },
                                   { "diffusion_restricted", nullptr } };
  structures["lateral_ventricles"] = { { "volume_ml", 30.0 },
                                       { "t2flair_involved", nullptr },
                                       { "diffusion_restricted", nullptr } };
  return { { "schema_version", 2 },
           { "reference", { { "role", "T2" }, { "series_number", 2 }, { "series_id", "2" } } },
           { "oedema", { { "flag", flag }, { "reasons", nlohmann::json::array() } } },
           { "icans", { { "oedema_domain_grade", flag == "none" ? 0 : 3 }, { "grade", nullptr } } },
           { "findings", nlohmann::json::array({ { { "id", 1 } } }) },
           { "structures", structures },
           { "registration", nlohmann::json::array({ { { "moving", "FLAIR" }, { "status", flairQc } },
                                                     { { "moving", "atlas" }, { "status", "ok" } } }) },
           { "series", nlohmann::json::array(
                         { { { "qc", { { "status", "ok" } } } }, { { "qc", { { "status", "rejected" } } } } }) },
           { "warnings", warnings } };
}

} // namespace icanscan::test
