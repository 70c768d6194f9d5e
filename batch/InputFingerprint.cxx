#include "batch/InputFingerprint.h"

#include "pipeline/report/StudyReport.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

namespace icanscan::batch
{
namespace fs = std::filesystem;

namespace
{
std::string FileLine(const fs::path & file, const std::string & name)
{
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  const auto time = fs::last_write_time(file, ec);
  std::ostringstream line;
  line << name << '\t' << (ec ? 0 : size) << '\t'
       << (ec ? 0 : std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count()) << '\n';
  return line.str();
}

std::string FileContent(const fs::path & file)
{
  if (file.empty())
    return "(none)";
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return "(unreadable " + file.string() + ")";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}
} // namespace

std::string DescribeFiles(const fs::path & root)
{
  std::error_code ec;
  if (root.empty())
    return "(none)\n";
  if (!fs::exists(root, ec))
    return "missing\n";
  if (!fs::is_directory(root, ec))
    return FileLine(root, root.filename().string());
  std::vector<std::string> lines;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec))
  {
    std::error_code typeError;
    if (it->is_regular_file(typeError))
      lines.push_back(FileLine(it->path(), it->path().lexically_relative(root).generic_string()));
  }
  if (ec)
    lines.push_back("(listing stopped: " + ec.message() + ")\n");
  std::sort(lines.begin(), lines.end());
  std::string text;
  for (const auto & l : lines)
    text += l;
  return text;
}

std::string InputFingerprint(const StudyEntry & study, const fs::path & configFile, const std::string & version)
{
  std::ostringstream all;
  all << "icanscan " << version << "\n[study]\n"
      << DescribeFiles(study.study) << "[baseline]\n"
      << DescribeFiles(study.baseline) << "[clinical]\n"
      << pipeline::Sha256Hex(FileContent(study.clinical)) << "\n[config]\n"
      << pipeline::Sha256Hex(FileContent(configFile)) << "\n[roles]\n";
  for (const auto & r : study.roles)
    all << r << '\n';
  return pipeline::Sha256Hex(all.str());
}

} // namespace icanscan::batch
