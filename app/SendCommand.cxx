#include "app/Commands.h"

#include "pipeline/export/DicomSend.h"

namespace icanscan::app
{
namespace
{
struct SendOptions
{
  std::string output;
  std::string to;
  std::string callingAet = "ICANSCAN";
  int timeout = 30;
  bool all = false;
};

int Send(const SendOptions & o, std::ostream & out)
{
  auto destination = dicom::ParseStoreDestination(o.to);
  destination.callingAet = o.callingAet;
  destination.timeoutSeconds = o.timeout;
  dicom::CheckStoreDestination(destination);
  const auto summary = pipeline::SendExportedDicom(o.output, destination, o.all);
  out << "icanscan send: " << destination.ToString() << "\n";
  for (const auto & file : summary.alreadyStored)
    out << "  " << file << ": already stored there (send_log.tsv; --all sends it again)\n";
  for (const auto & r : summary.results)
    out << "  " << std::filesystem::path(r.file).filename().string() << ": " << r.status << "\n";
  if (summary.results.empty())
    out << "nothing to send\n";
  return 0;
}
} // namespace

void AddSendCommand(CLI::App & cli, CommandAction & action)
{
  auto o = std::make_shared<SendOptions>();
  CLI::App * sub = cli.add_subcommand(
    "send", "Send OUT/dicom (written by export-dicom or run --dicom-out) to a PACS by DICOM C-STORE. Objects the send "
            "log records as stored at the same destination are skipped, so a rerun sends what is missing. Network "
            "failures (unreachable peer, rejected association, object not stored) exit with code 8");
  sub->add_option("OUT", o->output, "Output folder of `icanscan run` holding dicom/")->required();
  sub->add_option("--to", o->to, "Destination AET@HOST:PORT, e.g. ORTHANC@127.0.0.1:4242")->required();
  sub->add_option("--calling-aet", o->callingAet, "Our AE title")->capture_default_str();
  sub->add_option("--timeout", o->timeout, "Connection, association and per-object timeout (s)")
    ->capture_default_str()
    ->check(CLI::Range(1, 3600));
  sub->add_flag("--all", o->all, "Send every object again, even those already stored at the destination");
  sub->callback([o, &action] { action = [o](std::ostream & out, std::ostream &) { return Send(*o, out); }; });
}

} // namespace icanscan::app
