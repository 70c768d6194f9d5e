#include "pipeline/report/OutputFiles.h"

#include "core/Error.h"
#include "core/FolderLock.h"
#include "core/RemoveOnSignal.h"

#include <algorithm>
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

std::string SanitizeFileName(const std::string & text, std::size_t maxLength)
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
  if (out.size() > maxLength)
    out.resize(maxLength);
  return out.empty() ? "unnamed" : out;
}

void CheckOutputOutsideInputs(const std::filesystem::path & output, const std::vector<std::string> & inputs)
{
  std::error_code ec;
  const auto out = std::filesystem::weakly_canonical(std::filesystem::absolute(output, ec), ec);
  for (const auto & input : inputs)
  {
    if (input.empty())
      continue;
    std::error_code inputError;
    if (!std::filesystem::is_directory(input, inputError))
      continue;
    const auto in = std::filesystem::weakly_canonical(std::filesystem::absolute(input, inputError), inputError);
    if (inputError || ec)
      continue;
    const auto mismatch = std::mismatch(in.begin(), in.end(), out.begin(), out.end());
    if (mismatch.first == in.end())
      throw UsageError("output folder " + output.string() + " is the input folder " + input +
                       " or lies inside it: choose an output folder outside the study");
  }
}

} // namespace icanscan::pipeline

namespace icanscan::pipeline
{

namespace
{
/** `-o .`, `-o out/` and `-o out` name the same folder: absolute, normal, without a trailing separator. */
std::filesystem::path OutputPath(const std::filesystem::path & given)
{
  std::error_code ec;
  std::filesystem::path path = std::filesystem::absolute(given, ec).lexically_normal();
  if (ec)
    path = given;
  while (!path.has_filename() && path.has_parent_path() && path != path.root_path())
    path = path.parent_path();
  return path;
}
} // namespace

OutputFolderLock::OutputFolderLock(const std::filesystem::path & given)
{
  const std::filesystem::path destination = OutputPath(given);
  std::error_code ec;
  if (std::filesystem::exists(destination, ec) && !std::filesystem::is_directory(destination, ec))
    throw OutputError(destination.string() + ": exists and is not a folder");
  std::filesystem::path parent = destination.parent_path();
  if (parent.empty())
    parent = ".";
  const std::string name = destination.filename().string();
  if (name.empty())
    throw OutputError(given.string() + ": the file system root cannot be an output folder");
  try
  {
    EnsureWritableFolder(parent);
  }
  catch (const OutputError & e)
  {
    throw OutputError(destination.string() + ": the output folder cannot be made here (" + e.what() + ")");
  }
  const std::filesystem::path lockFile = parent / (".icanscan-lock-" + name);
  std::string holder;
  m_Lock = FileLock::TryAcquire(lockFile, &holder);
  if (!m_Lock)
    throw OutputError(destination.string() + ": in use by another icanscan run (" + holder +
                      "); wait for it to end or choose another output folder");
  m_Cleanup = std::make_unique<RemoveOnSignal>(lockFile);
}

OutputFolderLock::~OutputFolderLock()
{
  m_Cleanup.reset();
  m_Lock.reset();
}

StagedOutputFolder::StagedOutputFolder(std::filesystem::path destination)
  : m_Destination(OutputPath(destination))
{
  m_Lock = std::make_unique<OutputFolderLock>(m_Destination);
  std::filesystem::path parent = m_Destination.parent_path();
  if (parent.empty())
    parent = ".";
  const std::string prefix = ".partial-" + m_Destination.filename().string() + "-";
  RemoveStaleFolders(parent, prefix); // left by runs into this OUT that were killed
  m_Staging = parent / (prefix + std::to_string(::getpid()));
  std::error_code ec;
  std::filesystem::remove_all(m_Staging, ec);
  m_Cleanup = std::make_unique<RemoveOnSignal>(m_Staging);
  EnsureWritableFolder(m_Staging);
  m_StagingLock = FileLock::TryAcquire(m_Staging / kFolderLockName);
}

StagedOutputFolder::~StagedOutputFolder()
{
  if (!m_Committed)
  {
    std::error_code ec;
    std::filesystem::remove_all(m_Staging, ec);
  }
  m_Cleanup.reset();
  m_StagingLock.reset();
}

void StagedOutputFolder::Commit()
{
  std::error_code ec;
  m_StagingLock.reset(); // its lock file must not travel into OUT
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
