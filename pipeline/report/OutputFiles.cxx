#include "pipeline/report/OutputFiles.h"

#include "core/Error.h"

#include <atomic>
#include <cctype>
#include <fstream>
#include <unistd.h>

namespace icanscan::pipeline
{

void EnsureWritableFolder(const std::filesystem::path & folder)
{
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec || !std::filesystem::is_directory(folder))
  {
    throw OutputError(folder.string() + ": cannot create output folder" + (ec ? ": " + ec.message() : std::string()));
  }
  const std::filesystem::path probe = TemporarySibling(folder / ".icanscan-write-test");
  {
    std::ofstream out(probe);
    if (!out)
    {
      throw OutputError(folder.string() + ": output folder is not writable");
    }
  }
  std::filesystem::remove(probe, ec);
}

std::filesystem::path TemporarySibling(const std::filesystem::path & file)
{
  static std::atomic<unsigned> counter{ 0 };
  const std::string name = file.filename().string();
  const auto dot = name.find('.', 1);
  const std::string stem = dot == std::string::npos ? name : name.substr(0, dot);
  const std::string extension = dot == std::string::npos ? std::string() : name.substr(dot);
  return file.parent_path() /
         (".tmp-" + stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + extension);
}

void CommitFile(const std::filesystem::path & temporary, const std::filesystem::path & file)
{
  std::error_code ec;
  std::filesystem::rename(temporary, file, ec);
  if (ec)
  {
    std::filesystem::remove(temporary, ec);
    throw OutputError(file.string() + ": cannot move finished output into place: " + ec.message());
  }
}

void WriteTextFileAtomically(const std::filesystem::path & file, const std::string & text)
{
  const std::filesystem::path temporary = TemporarySibling(file);
  {
    std::ofstream out(temporary, std::ios::binary);
    out << text;
    out.close();
    if (!out)
    {
      std::error_code ec;
      std::filesystem::remove(temporary, ec);
      throw OutputError(file.string() + ": cannot write");
    }
  }
  CommitFile(temporary, file);
}

std::string SanitizeFileName(const std::string & text)
{
  std::string out;
  bool pendingSeparator = false;
  for (unsigned char c : text)
  {
    if (std::isalnum(c) || c == '-')
    {
      if (pendingSeparator && !out.empty())
        out += '_';
      pendingSeparator = false;
      out += static_cast<char>(c);
    }
    else
    {
      pendingSeparator = true;
    }
  }
  return out.empty() ? "unnamed" : out;
}

} // namespace icanscan::pipeline

namespace icanscan::pipeline
{

StagedOutputFolder::StagedOutputFolder(std::filesystem::path destination)
  : m_Destination(std::move(destination))
{
  std::filesystem::path parent = m_Destination.parent_path();
  if (parent.empty())
    parent = ".";
  EnsureWritableFolder(parent);
  m_Staging = parent / (".partial-" + m_Destination.filename().string() + "-" + std::to_string(::getpid()));
  std::error_code ec;
  std::filesystem::remove_all(m_Staging, ec);
  EnsureWritableFolder(m_Staging);
}

StagedOutputFolder::~StagedOutputFolder()
{
  if (!m_Committed)
  {
    std::error_code ec;
    std::filesystem::remove_all(m_Staging, ec);
  }
}

void StagedOutputFolder::Commit()
{
  std::error_code ec;
  if (!std::filesystem::exists(m_Destination, ec))
  {
    std::filesystem::rename(m_Staging, m_Destination, ec);
    if (ec)
      throw OutputError(m_Destination.string() + ": cannot move the finished output into place: " + ec.message());
    m_Committed = true;
    return;
  }
  if (!std::filesystem::is_directory(m_Destination))
    throw OutputError(m_Destination.string() + ": exists and is not a folder");
  for (const auto & entry : std::filesystem::directory_iterator(m_Staging))
  {
    const auto target = m_Destination / entry.path().filename();
    std::filesystem::remove_all(target, ec);
    std::filesystem::rename(entry.path(), target, ec);
    if (ec)
      throw OutputError(target.string() + ": cannot move the finished output into place: " + ec.message());
  }
  std::filesystem::remove_all(m_Staging, ec);
  m_Committed = true;
}

} // namespace icanscan::pipeline
