#pragma once

#include <stdexcept>
#include <string>

namespace icanscan
{

/** \brief Documented process exit codes; only app's RunCli maps errors to them. */
enum class ExitCode : int
{
  Ok = 0,
  Usage = 2,
  Config = 3,
  NoUsableDicom = 4,
  CorruptInput = 5,
  OutputNotWritable = 6,
  PartialSuccess = 7,
  Network = 8,
};

/** \brief Base of every error icanscan throws; carries the exit code it maps to. */
class Error : public std::runtime_error
{
public:
  Error(const std::string & message, ExitCode code)
    : std::runtime_error(message)
    , m_Code(code)
  {
  }
  ExitCode Code() const { return m_Code; }

private:
  ExitCode m_Code;
};

/** \brief Bad command line: unknown option, missing argument, conflicting flags. */
class UsageError : public Error
{
public:
  explicit UsageError(const std::string & message)
    : Error(message, ExitCode::Usage)
  {
  }
};

/** \brief Bad configuration: unknown key, out-of-range value, unreadable config file. */
class ConfigError : public Error
{
public:
  explicit ConfigError(const std::string & message)
    : Error(message, ExitCode::Config)
  {
  }
};

/** \brief Input that cannot be used. NoUsableDicom when nothing usable was found, CorruptInput when a file is
 * damaged or in a form that cannot be decoded. */
class InputError : public Error
{
public:
  explicit InputError(const std::string & message, ExitCode code = ExitCode::CorruptInput)
    : Error(message, code)
  {
  }
};

/** \brief The output location cannot be created or written. */
class OutputError : public Error
{
public:
  explicit OutputError(const std::string & message)
    : Error(message, ExitCode::OutputNotWritable)
  {
  }
};

/** \brief A DICOM network peer could not be reached, refused the association, or did not store what was sent. */
class NetworkError : public Error
{
public:
  explicit NetworkError(const std::string & message)
    : Error(message, ExitCode::Network)
  {
  }
};

} // namespace icanscan
