#include "batch/ReportDigest.h"

#include "core/Error.h"

#include <fstream>

namespace icanscan::batch
{
namespace
{
using nlohmann::json;

/** The value at a '/'-separated path, or nullptr when a step is missing or not an object. */
const json * At(const json & root, const std::string & path)
{
  const json * node = &root;
  std::size_t start = 0;
  while (start <= path.size())
  {
    const auto end = path.find('/', start);
    const std::string key = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!node->is_object() || !node->contains(key))
      return nullptr;
    node = &(*node)[key];
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
  return node;
}

/** Reads one field: absent and null are "no value" (null is a documented value); another type is a problem. */
class FieldReader
{
public:
  FieldReader(const json & root, std::vector<std::string> & problems)
    : m_Root(root)
    , m_Problems(problems)
  {
  }

  std::string String(const json & node, const std::string & path, bool required = true)
  {
    const json * v = At(node, path);
    if (v && v->is_string())
      return v->get<std::string>();
    Note(v, path, "a string", required);
    return {};
  }
  std::optional<int> Int(const json & node, const std::string & path, bool required = true)
  {
    const json * v = At(node, path);
    if (v && v->is_number_integer())
      return v->get<int>();
    Note(v, path, "an integer", required);
    return std::nullopt;
  }
  std::optional<double> Number(const json & node, const std::string & path, bool required = true)
  {
    const json * v = At(node, path);
    if (v && v->is_number())
      return v->get<double>();
    Note(v, path, "a number", required);
    return std::nullopt;
  }
  std::optional<bool> Bool(const json & node, const std::string & path, bool required = true)
  {
    const json * v = At(node, path);
    if (v && v->is_boolean())
      return v->get<bool>();
    Note(v, path, "true/false", required);
    return std::nullopt;
  }
  const json * Array(const std::string & path, bool required = true)
  {
    const json * v = At(m_Root, path);
    if (v && v->is_array())
      return v;
    Note(v, path, "an array", required);
    return nullptr;
  }
  const json & Root() const { return m_Root; }

private:
  void Note(const json * v, const std::string & path, const char * expected, bool required)
  {
    if (v && v->is_null())
      return;
    if (v)
      m_Problems.push_back(path + ": expected " + expected + ", found " + v->type_name());
    else if (required)
      m_Problems.push_back(path + ": missing");
  }
  const json & m_Root;
  std::vector<std::string> & m_Problems;
};

int Severity(const std::string & status)
{
  return status == "failed" ? 2 : status == "suspect" ? 1 : status == "ok" ? 0 : -1;
}
} // namespace

std::string ReportDigest::WorstRegistration() const
{
  std::string worst;
  for (const auto & r : registrations)
    if (Severity(r.status) > Severity(worst))
      worst = r.status;
  return worst;
}

std::string ReportDigest::RegistrationStatus(const std::string & moving) const
{
  for (const auto & r : registrations)
    if (r.moving == moving)
      return r.status;
  return {};
}

ReportDigest DigestReport(const json & report)
{
  ReportDigest d;
  if (!report.is_object())
  {
    d.problems.push_back("the report is not a JSON object");
    return d;
  }
  FieldReader read(report, d.problems);
  d.schemaVersion = read.Int(report, "schema_version");
  d.referenceRole = read.String(report, "reference/role");
  d.referenceSeriesId = read.String(report, "reference/series_id");
  d.oedemaFlag = read.String(report, "oedema/flag");
  d.oedemaDomainGrade = read.Int(report, "icans/oedema_domain_grade");
  d.icansGrade = read.Int(report, "icans/grade");
  if (const json * findings = read.Array("findings"))
    d.findings = findings->size();
  if (const json * structures = At(report, "structures"); structures && structures->is_object())
  {
    for (const auto & [key, value] : structures->items())
    {
      StructureDigest s;
      s.key = key;
      s.volumeMl = read.Number(value, "volume_ml");
      s.t2flairInvolved = read.Bool(value, "t2flair_involved");
      s.diffusionRestricted = read.Bool(value, "diffusion_restricted");
      d.structures.push_back(s);
    }
  }
  else
    d.problems.push_back("structures: missing or not an object");
  if (const json * registrations = read.Array("registration"))
    for (const auto & r : *registrations)
      d.registrations.push_back({ read.String(r, "moving"), read.String(r, "status") });
  if (const json * baseline = At(report, "baseline/registration"); baseline && baseline->is_object())
    d.registrations.push_back({ "baseline", read.String(*baseline, "status") });
  if (const json * series = read.Array("series"))
    for (const auto & s : *series)
      if (read.String(s, "qc/status") == "rejected")
        ++d.rejectedSeries;
  if (const json * warnings = read.Array("warnings"))
    for (const auto & w : *warnings)
      d.warnings.push_back(w.is_string() ? w.get<std::string>() : w.dump());
  return d;
}

ReportDigest ReadReportDigest(const std::filesystem::path & file)
{
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw InputError(file.string() + ": cannot read the report");
  const json report = json::parse(in, nullptr, false);
  if (report.is_discarded())
    throw InputError(file.string() + ": not valid JSON");
  return DigestReport(report);
}

} // namespace icanscan::batch
