#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace icanscan::test
{

/** \brief A fresh folder under the system temp folder, removed with everything in it when destroyed. */
class TempFolder
{
public:
  TempFolder();
  ~TempFolder();
  TempFolder(const TempFolder &) = delete;
  TempFolder & operator=(const TempFolder &) = delete;
  const std::filesystem::path & Path() const { return m_Path; }

private:
  std::filesystem::path m_Path;
};

void WriteFile(const std::filesystem::path & file, const std::string & text);
std::string ReadFile(const std::filesystem::path & file);

/** \brief A study folder for FakeIcanscan: STUDY/fake.json holds `behaviour`. Returns the folder. */
std::filesystem::path MakeFakeStudy(const std::filesystem::path & folder, const nlohmann::json & behaviour);

/** \brief A small report.json of schema version 1: reference T2 series 2, oedema `flag`, `warnings`, thalamus_left
 * involved on T2/FLAIR, a FLAIR registration with QC `flairQc`. */
nlohmann::json SampleReport(const std::string & flag = "focal",
                            const nlohmann::json & warnings = nlohmann::json::array(),
                            const std::string & flairQc = "ok");

} // namespace icanscan::test
