// A stand-in for `icanscan run STUDY -o OUT ...` in the batch tests. STUDY/fake.json says what to do:
//   {"exit": 0, "sleep": 0.2, "report": {...}, "error": "message", "signal": 0, "allocate_mb": 0, "trace": "FILE"}
// It appends "start ID" and "end ID" lines to `trace`, sleeps, allocates and touches `allocate_mb` MiB, writes
// OUT/report.json when it exits 0 or 7 (through OUT's staging folder .partial-ID-PID, as icanscan run does), prints
// "icanscan: error: <error>" otherwise, and raises `signal` when not 0 (after making its staging folder when
// "signal_while_staging" is true, as a killed run leaves it). Its command line is written to OUT/argv.txt.
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

int main(int argc, char ** argv)
{
  if (argc < 5 || std::string(argv[1]) != "run" || std::string(argv[3]) != "-o")
  {
    std::cerr << "icanscan: error: fake run: expected run STUDY -o OUT\n";
    return 2;
  }
  const fs::path study = argv[2], out = argv[4];
  std::ifstream in(study / "fake.json");
  if (!in)
  {
    std::cerr << "icanscan: error: " << study.string() << ": path missing\n";
    return 4;
  }
  const auto spec = nlohmann::json::parse(in);
  const std::string id = out.filename().string();
  auto trace = [&](const std::string & what)
  {
    if (spec.contains("trace"))
      std::ofstream(spec["trace"].get<std::string>(), std::ios::app) << what << " " << id << "\n";
  };
  trace("start");
  std::this_thread::sleep_for(std::chrono::duration<double>(spec.value("sleep", 0.0)));
  const std::size_t mb = spec.value("allocate_mb", 0);
  std::vector<char> memory(mb * 1024 * 1024);
  for (std::size_t k = 0; k < memory.size(); k += 4096)
    memory[k] = static_cast<char>(k);
  const fs::path staging = out.parent_path() / (".partial-" + id + "-" + std::to_string(::getpid()));
  if (const int s = spec.value("signal", 0))
  {
    if (spec.value("signal_while_staging", false))
      fs::create_directories(staging / "volumes");
    std::raise(s);
  }
  const int code = spec.value("exit", 0);
  if (code == 0 || code == 7)
  {
    fs::create_directories(staging);
    std::ofstream(staging / "report.json") << spec.value("report", nlohmann::json::object()).dump(2);
    std::ofstream args(staging / "argv.txt");
    for (int k = 0; k < argc; ++k)
      args << argv[k] << "\n";
    args.close();
    fs::remove_all(out);
    fs::rename(staging, out);
  }
  else
    std::cerr << "some progress line\nicanscan: error: " << spec.value("error", std::string("failed")) << "\n";
  trace("end");
  std::cout << "fake summary, " << memory.size() << " bytes\n";
  return code;
}
