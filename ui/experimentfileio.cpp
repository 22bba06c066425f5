#include "experimentfileio.h"

#include "initlab/csv.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace initlab::ui {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ExperimentFileIo", text);
}

std::string failedStatus(const std::string& error)
{
    return "failed: " + error;
}

std::string percentText(double fraction)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f %%", 100.0 * fraction);
    return buffer;
}

std::string numberList(const std::vector<double>& values)
{
    std::string text;
    for (double v : values)
        text += (text.empty() ? "" : ", ") + formatNumber(v);
    return text;
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
    const QString custom = qEnvironmentVariable("INITLAB_RUNS_FOLDER");
    if (!custom.isEmpty())
        return custom;
    return QString::fromStdString(defaultRunsFolder());
}

RunOutcome deepOutcome(const DeepConfig& config, const DeepResult& result)
{
    RunOutcome outcome;
    outcome.experimentJson = experimentFileJson(config);
    outcome.threads = config.threads;
    outcome.status = !result.error.empty() ? failedStatus(result.error)
                     : result.cancelled    ? std::string("cancelled")
                                           : std::string("finished");
    if (!result.combinations.empty())
        outcome.results.emplace_back("deep.csv", deepCsv(result));
    std::string what = config.combinations.size() == 1
        ? label(config.combinations.front())
        : std::to_string(config.combinations.size()) + " combinations";
    outcome.summary = what + ", depth " + std::to_string(config.depth) + ", width " + std::to_string(config.width)
                      + ", batch " + std::to_string(config.batch) + ", seed " + std::to_string(config.seed);
    if (result.cancelled)
        outcome.summary += " (" + std::to_string(result.combinations.size()) + " done)";
    return outcome;
}

RunOutcome circlesOutcome(const CirclesConfig& config, const CirclesExtras& extras, const CirclesResult& result)
{
    RunOutcome outcome;
    // Saved as the user set it up: the interval and live models are the panel's business.
    CirclesConfig saved = config;
    saved.liveBoundaryModels.clear();
    outcome.experimentJson = experimentFileJson(saved, extras);
    outcome.threads = config.threads;
    outcome.status = !result.error.empty() ? failedStatus(result.error)
                     : result.cancelled    ? std::string("cancelled")
                                           : std::string("finished");
    if (!result.models.empty()) {
        outcome.results.emplace_back("circles_history.csv", circlesHistoryCsv(result));
        outcome.results.emplace_back("circles_summary.csv", circlesSummaryCsv(result));
    }
    const std::size_t models = config.inits.size() * config.normalizations.size() * std::size_t(config.seeds);
    outcome.summary = std::to_string(models) + (models == 1 ? " model" : " models") + " x "
                      + std::to_string(result.epochsRun) + " epochs, seed " + std::to_string(config.firstSeed);
    const std::vector<CirclesSummaryRow> rows = summarize(result, extras.successThreshold);
    const auto best = std::max_element(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return a.meanTestAcc < b.meanTestAcc;
    });
    if (best != rows.end())
        outcome.summary += "; best " + std::string(name(best->normalization)) + " + " + std::string(name(best->init))
                           + " " + percentText(best->meanTestAcc);
    return outcome;
}

RunOutcome dropoutOutcome(const DropoutConfig& config, const DropoutExtras& extras, const DropoutResult& result)
{
    RunOutcome outcome;
    outcome.experimentJson = experimentFileJson(config, extras);
    outcome.threads = config.threads;
    outcome.status = !result.error.empty() ? failedStatus(result.error)
                     : result.cancelled    ? std::string("cancelled")
                                           : std::string("finished");
    if (!result.runs.empty()) {
        outcome.results.emplace_back("dropout_history.csv", dropoutHistoryCsv(result));
        outcome.results.emplace_back("ensemble.csv", ensembleCsv(result, config.ensembleSizes));
        outcome.results.emplace_back("ensemble_curve.csv", ensembleCurveCsv(result));
    }
    outcome.summary = "p = " + numberList(config.ps) + ", " + std::to_string(config.epochs)
                      + (config.epochs == 1 ? " epoch" : " epochs") + ", seed " + std::to_string(config.seed);
    double best = -1.0;
    for (const DropoutRunResult& run : result.runs)
        if (!run.ensembleAcc.empty())
            best = std::max(best, run.ensembleAcc.back());
    if (best >= 0.0)
        outcome.summary += "; best ensemble " + percentText(best);
    return outcome;
}

QString writeRunRecordFor(const QString& folder, ExperimentKind kind, const RunOutcome& outcome, const BlasInfo& blas,
                          const std::string& started, QString& error)
{
    RunInfo info;
    info.kind = kind;
    info.initlabVersion = INITLAB_VERSION;
    info.torchVersion = blas.torchVersion;
    info.blas = blas.library;
    if (!blas.coreName.empty())
        info.blas += " (" + blas.coreName + " kernels)";
    info.threads = outcome.threads > 0 ? outcome.threads : blas.hardwareThreads;
    info.started = started;
    info.finished = isoTimeNow();
    info.status = outcome.status;
    info.summary = outcome.summary;
    std::string problem;
    const std::string written = writeRunRecord(QFile::encodeName(folder).toStdString(), outcome.experimentJson, info,
                                               outcome.results, problem);
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
