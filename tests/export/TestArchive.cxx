#include "tests/export/TestArchive.h"

#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcfilefo.h"
#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmnet/dstorscp.h"

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <chrono>
#include <cstring>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char ** environ;

namespace icanscan::test
{
namespace
{
namespace fs = std::filesystem;

std::string ReadText(const fs::path & file)
{
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/** Orthanc in its own process with a generated configuration. */
class OrthancArchive : public TestArchive
{
public:
  OrthancArchive(const ArchiveOptions & o, const fs::path & folder)
    : m_Aet(o.aet)
    , m_DicomPort(o.dicomPort ? o.dicomPort : FreeTcpPort())
    , m_HttpPort(o.httpPort ? o.httpPort : FreeTcpPort())
    , m_Log(folder / "orthanc.log")
  {
    fs::create_directories(folder);
    const fs::path storage = o.storage.empty() ? folder / "storage" : o.storage;
    fs::create_directories(storage);
    nlohmann::json config{ { "Name", "icanscan-test" },
                           { "StorageDirectory", storage.string() },
                           { "IndexDirectory", storage.string() },
                           { "HttpPort", m_HttpPort },
                           { "DicomPort", m_DicomPort },
                           { "DicomAet", o.aet },
                           { "DicomCheckCalledAet", o.checkCalledAet },
                           { "RemoteAccessAllowed", false },
                           { "AuthenticationEnabled", false },
                           { "HttpServerEnabled", true },
                           { "DicomServerEnabled", true },
                           { "Plugins", nlohmann::json::array() },
                           { "StorageCompression", false },
                           { "SyncStorageArea", false }, // no fsync per instance: a test archive
                           { "SaveJobs", false },
                           { "ConcurrentJobs", 1 },
                           { "HttpThreadsCount", 4 } };
    if (o.rejectSr)
    {
      const fs::path lua = folder / "reject_sr.lua";
      // An error in the filter makes Orthanc answer the C-STORE with a failure status (A700); returning false
      // would discard the object silently with a success status.
      std::ofstream(lua) << "function ReceivedInstanceFilter(dicom, origin, info)\n"
                            "  if dicom.Modality == 'SR' then error('SR refused by the test archive') end\n"
                            "  return true\n"
                            "end\n";
      config["LuaScripts"] = { lua.string() };
    }
    const fs::path configFile = folder / "orthanc.json";
    std::ofstream(configFile) << config.dump(2);

    const std::string exe = FindOrthanc().string(), configArg = configFile.string();
    char * argv[] = { const_cast<char *>(exe.c_str()), const_cast<char *>(configArg.c_str()), nullptr };
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, m_Log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const int spawned = posix_spawn(&m_Pid, exe.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
      throw std::runtime_error("cannot start " + exe + ": " + std::strerror(spawned));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (HttpGet(m_HttpPort, "/system", 2).status != 200)
    {
      int status = 0;
      if (waitpid(m_Pid, &status, WNOHANG) == m_Pid)
      {
        m_Pid = 0;
        throw std::runtime_error("Orthanc exited at start-up; its log:\n" + ReadText(m_Log));
      }
      if (std::chrono::steady_clock::now() > deadline)
      {
        Stop();
        throw std::runtime_error("Orthanc did not answer on port " + std::to_string(m_HttpPort) +
                                 " within 30 s; its log:\n" + ReadText(m_Log));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    m_Version = nlohmann::json::parse(HttpGet(m_HttpPort, "/system").body).value("Version", "?");
  }

  ~OrthancArchive() override { Stop(); }

  void Stop()
  {
    if (m_Pid <= 0)
      return;
    kill(m_Pid, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100 && waitpid(m_Pid, &status, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (waitpid(m_Pid, &status, WNOHANG) == 0)
    {
      kill(m_Pid, SIGKILL);
      waitpid(m_Pid, &status, 0);
    }
    m_Pid = 0;
  }

  int DicomPort() const override { return m_DicomPort; }
  std::string Aet() const override { return m_Aet; }
  std::string Kind() const override { return "Orthanc " + m_Version; }

  std::string StudyId(const std::string & studyInstanceUid)
  {
    const auto studies = nlohmann::json::parse(HttpGet(m_HttpPort, "/studies?expand").body);
    for (const auto & s : studies)
      if (s.at("MainDicomTags").value("StudyInstanceUID", "") == studyInstanceUid)
        return s.at("ID").get<std::string>();
    return {};
  }

  std::vector<std::string> SeriesOf(const std::string & studyInstanceUid) override
  {
    std::vector<std::string> series;
    const std::string id = StudyId(studyInstanceUid);
    if (id.empty())
      return series;
    for (const auto & s : nlohmann::json::parse(HttpGet(m_HttpPort, "/studies/" + id + "/series").body))
      series.push_back(s.at("MainDicomTags").value("Modality", "") + " " +
                       s.at("MainDicomTags").value("SeriesInstanceUID", ""));
    return series;
  }

  std::vector<fs::path> Retrieve(const std::string & studyInstanceUid, const fs::path & folder) override
  {
    std::vector<fs::path> files;
    fs::create_directories(folder);
    const std::string id = StudyId(studyInstanceUid);
    if (id.empty())
      return files;
    for (const auto & instance : nlohmann::json::parse(HttpGet(m_HttpPort, "/studies/" + id + "/instances").body))
    {
      const std::string instanceId = instance.at("ID").get<std::string>();
      const auto reply = HttpGet(m_HttpPort, "/instances/" + instanceId + "/file", 30);
      if (reply.status != 200)
        throw std::runtime_error("Orthanc: GET /instances/" + instanceId + "/file answered " +
                                 std::to_string(reply.status));
      files.push_back(folder / (instanceId + ".dcm"));
      std::ofstream(files.back(), std::ios::binary)
        .write(reply.body.data(), static_cast<std::streamsize>(reply.body.size()));
    }
    return files;
  }

private:
  std::string m_Aet;
  int m_DicomPort;
  int m_HttpPort;
  fs::path m_Log;
  pid_t m_Pid = 0;
  std::string m_Version;
};

/** Set by SIGTERM in the SCP's child process. */
volatile sig_atomic_t g_StopScp = 0;

/** DCMTK's storage SCP; stops within a second of SIGTERM. */
class ChildScp : public DcmStorageSCP
{
public:
  std::string aet;
  bool checkCalledAet = false;
  bool rejectSr = false;

protected:
  OFBool stopAfterConnectionTimeout() override { return g_StopScp != 0; }
  OFBool stopAfterCurrentAssociation() override { return g_StopScp != 0; }
  OFBool checkCalledAETitleAccepted(const OFString & calledAE) override
  {
    return !checkCalledAet || aet == calledAE.c_str();
  }
  Uint16 checkAndProcessSTORERequest(const T_DIMSE_C_StoreRQ & request, DcmFileFormat & file) override
  {
    OFString modality;
    file.getDataset()->findAndGetOFString(DCM_Modality, modality);
    if (rejectSr && modality == "SR")
      return STATUS_STORE_Refused_OutOfResources;
    return DcmStorageSCP::checkAndProcessSTORERequest(request, file);
  }
};

/** DCMTK's DcmStorageSCP in a child process of the test (fork): DCMTK's listening loop changes global state of the
 * process it runs in (string VR checks fail afterwards), so it must not share the process that reads the results. */
class ScpArchive : public TestArchive
{
public:
  ScpArchive(const ArchiveOptions & o, const fs::path & folder)
    : m_Aet(o.aet)
    , m_Port(o.dicomPort ? o.dicomPort : FreeTcpPort())
    , m_Storage(o.storage.empty() ? folder / "storage" : o.storage)
  {
    fs::create_directories(m_Storage);
    m_Pid = fork();
    if (m_Pid < 0)
      throw std::runtime_error("cannot fork the DcmStorageSCP process");
    if (m_Pid == 0)
    {
      std::signal(SIGTERM, [](int) { g_StopScp = 1; });
      ChildScp scp;
      scp.aet = o.aet;
      scp.checkCalledAet = o.checkCalledAet;
      scp.rejectSr = o.rejectSr;
      scp.setAETitle(o.aet.c_str());
      scp.setRespondWithCalledAETitle(OFFalse);
      scp.setPort(static_cast<Uint16>(m_Port));
      scp.setConnectionBlockingMode(DUL_NOBLOCK);
      scp.setConnectionTimeout(1);
      scp.setOutputDirectory(m_Storage.c_str());
      const OFList<OFString> syntaxes{ UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax };
      for (int i = 0; i < numberOfDcmAllStorageSOPClassUIDs; ++i)
        scp.addPresentationContext(dcmAllStorageSOPClassUIDs[i], syntaxes);
      scp.listen();
      _exit(0);
    }
    // Ready when the port accepts a connection.
    for (int i = 0; i < 100; ++i)
    {
      const int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      address.sin_port = htons(static_cast<uint16_t>(m_Port));
      const bool up = connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) == 0;
      close(fd);
      if (up)
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    Stop();
    throw std::runtime_error("DcmStorageSCP did not listen on port " + std::to_string(m_Port) + " within 10 s");
  }
  ~ScpArchive() override { Stop(); }
  void Stop()
  {
    if (m_Pid <= 0)
      return;
    kill(m_Pid, SIGTERM);
    int status = 0;
    for (int i = 0; i < 50 && waitpid(m_Pid, &status, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (waitpid(m_Pid, &status, WNOHANG) == 0)
    {
      kill(m_Pid, SIGKILL);
      waitpid(m_Pid, &status, 0);
    }
    m_Pid = 0;
  }
  int DicomPort() const override { return m_Port; }
  std::string Aet() const override { return m_Aet; }
  std::string Kind() const override { return "DCMTK DcmStorageSCP in a child process (Orthanc not installed)"; }

  std::vector<fs::path> Retrieve(const std::string & studyInstanceUid, const fs::path & folder) override
  {
    std::vector<fs::path> files;
    for (const auto & entry : fs::recursive_directory_iterator(m_Storage))
    {
      DcmFileFormat file;
      OFString study;
      if (entry.is_regular_file() && file.loadFile(entry.path().c_str()).good() &&
          file.getDataset()->findAndGetOFString(DCM_StudyInstanceUID, study).good() &&
          study == studyInstanceUid.c_str())
        files.push_back(entry.path());
    }
    return files;
  }

  std::vector<std::string> SeriesOf(const std::string & studyInstanceUid) override
  {
    std::set<std::string> series;
    for (const auto & file : Retrieve(studyInstanceUid, {}))
    {
      DcmFileFormat f;
      OFString modality, uid;
      f.loadFile(file.c_str());
      f.getDataset()->findAndGetOFString(DCM_Modality, modality);
      f.getDataset()->findAndGetOFString(DCM_SeriesInstanceUID, uid);
      series.insert(std::string(modality.c_str()) + " " + uid.c_str());
    }
    return { series.begin(), series.end() };
  }

private:
  std::string m_Aet;
  int m_Port;
  fs::path m_Storage;
  pid_t m_Pid = 0;
};
} // namespace

int FreeTcpPort()
{
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
  {
    if (fd >= 0)
      close(fd);
    throw std::runtime_error("no free TCP port on 127.0.0.1");
  }
  const int port = ntohs(address.sin_port);
  close(fd);
  return port;
}

HttpReply HttpGet(int port, const std::string & path, int timeoutSeconds)
{
  HttpReply reply;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return reply;
  timeval timeout{ timeoutSeconds, 0 };
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) != 0)
  {
    close(fd);
    return reply;
  }
  const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (send(fd, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size()))
  {
    close(fd);
    return reply;
  }
  std::string raw;
  char buffer[65536];
  for (ssize_t n; (n = recv(fd, buffer, sizeof(buffer), 0)) > 0;)
    raw.append(buffer, static_cast<std::size_t>(n));
  close(fd);
  const auto space = raw.find(' ');
  const auto headerEnd = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/", 0) != 0 || space == std::string::npos || headerEnd == std::string::npos)
    return reply;
  reply.status = std::atoi(raw.c_str() + space + 1);
  reply.body = raw.substr(headerEnd + 4);
  return reply;
}

fs::path FindOrthanc()
{
  if (const char * off = std::getenv("ICANSCAN_TEST_NO_ORTHANC"); off && std::string(off) == "1")
    return {};
  std::vector<fs::path> folders;
  if (const char * path = std::getenv("PATH"))
  {
    std::istringstream parts(path);
    std::string part;
    while (std::getline(parts, part, ':'))
      folders.push_back(part);
  }
  folders.push_back("/usr/sbin");
  folders.push_back("/usr/bin");
  for (const auto & folder : folders)
    if (access((folder / "Orthanc").c_str(), X_OK) == 0)
      return folder / "Orthanc";
  return {};
}

std::unique_ptr<TestArchive> StartArchive(const ArchiveOptions & options, const fs::path & folder)
{
  if (!FindOrthanc().empty())
    return std::make_unique<OrthancArchive>(options, folder);
  return std::make_unique<ScpArchive>(options, folder);
}

} // namespace icanscan::test
