#include "experimentfileio.h"

#include "initlab/csv.h"
#include "initlab/runrecord.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace initlab::ui {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ExperimentFileIo", text);
}

bool readText(const std::string& path, std::string& out)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    out = buffer.str();
    return true;
}

bool hasFile(const RunRecord& record, const std::string& name)
{
    return std::find(record.resultFiles.begin(), record.resultFiles.end(), name) != record.resultFiles.end();
}

// The content of one result file of a record; an absent optional file reads as empty.
bool readResult(const RunRecord& record, const std::string& name, bool required, std::string& out, QString& error)
{
    out.clear();
    if (!hasFile(record, name)) {
        if (required)
            error = tr("the run record has no %1").arg(QString::fromStdString(name));
        return !required;
    }
    if (!readText(record.folder + "/" + name, out)) {
        error = tr("cannot read %1").arg(QString::fromStdString(record.folder + "/" + name));
        return false;
    }
    return true;
}

} // namespace

bool loadExperimentFile(const QString& path, ExperimentFile& out, QString& error, QStringList& warnings)
{
    std::string problem;
    std::vector<std::string> unknown;
    const bool ok = readExperimentFile(QFile::encodeName(path).toStdString(), out, problem, unknown);
    warnings.clear();
    for (const std::string& w : unknown)
        warnings << QString::fromStdString(w);
    error = QString::fromStdString(problem);
    return ok;
}

QString saveExperimentFile(const QString& path, const std::string& json)
{
    return QString::fromStdString(writeFileAtomically(QFile::encodeName(path).toStdString(), json));
}

QString experimentName(ExperimentKind kind)
{
    return QString::fromLatin1(name(kind).data(), qsizetype(name(kind).size()));
}

QString experimentTitle(ExperimentKind kind)
{
    switch (kind) {
    case ExperimentKind::Deep:
        return tr("Deep signal propagation");
    case ExperimentKind::Circles:
        return tr("Circles lab");
    case ExperimentKind::Dropout:
        return tr("Dropout & ensembles");
    }
    return QString();
}

QString runsFolder()
{
    return QFile::decodeName(QByteArray::fromStdString(configuredRunsFolder()));
}

QString writeRunRecordFor(const QString& folder, ExperimentKind kind, const RunOutcome& outcome, const BlasInfo& blas,
                          const std::string& started, QString& error)
{
    std::string problem;
    const std::string written =
        writeRunOutcome(QFile::encodeName(folder).toStdString(), kind, outcome, blas, started, problem);
    error = QString::fromStdString(problem);
    return QString::fromStdString(written);
}

bool readDeepRecord(const RunRecord& record, DeepResult& out, QString& error)
{
    std::string csv;
    if (!readResult(record, "deep.csv", true, csv, error))
        return false;
    std::string problem;
    if (!parseDeepCsv(csv, out, problem)) {
        error = QStringLiteral("deep.csv: ") + QString::fromStdString(problem);
        return false;
    }
    // The per-layer histograms: records made before they were measured have none.
    std::string histograms;
    if (!readResult(record, "deep_hist.csv", false, histograms, error))
        return false;
    if (!histograms.empty() && !parseDeepHistogramCsv(histograms, out, problem)) {
        error = QStringLiteral("deep_hist.csv: ") + QString::fromStdString(problem);
        return false;
    }
    return true;
}

bool readCirclesRecord(const RunRecord& record, CirclesResult& out, QString& error)
{
    std::string history, summary;
    if (!readResult(record, "circles_history.csv", true, history, error)
        || !readResult(record, "circles_summary.csv", true, summary, error))
        return false;
    std::string problem;
    if (!parseCirclesCsv(history, summary, out, problem)) {
        error = QString::fromStdString(problem);
        return false;
    }
    return true;
}

bool readDropoutRecord(const RunRecord& record, DropoutResult& out, QString& error)
{
    std::string history, ensemble, curve;
    if (!readResult(record, "dropout_history.csv", true, history, error)
        || !readResult(record, "ensemble.csv", true, ensemble, error)
        || !readResult(record, "ensemble_curve.csv", true, curve, error))
        return false;
    std::string problem;
    if (!parseDropoutCsv(history, ensemble, curve, out, problem)) {
        error = QString::fromStdString(problem);
        return false;
    }
    return true;
}

} // namespace initlab::ui
