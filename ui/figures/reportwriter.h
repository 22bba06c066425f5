#pragma once
// ReportWriter turns the results of "reproduce the report" (core's runReportExperiments) into a
// folder a reader opens in a browser: report.html (self-contained: the figures are embedded) and
// report.md, the homework report's figures 1-14 (and a few that go past it) as PNG, SVG and the CSV
// of exactly what each shows, and Table I; the experiments' CSV files are in the run records.
//
// The figures are drawn by the experiments' Figures classes (DeepFigures, CirclesFigures,
// DropoutFigures) fed the whole results: the code the tabs draw with, without any tab, so the report
// looks like the application and a figure exported from a tab matches the report's. Drawing needs
// the GUI thread; the work is split into steps so that the GUI can do one
// per event-loop turn and stay responsive, while the CLI simply runs them all.

#include "initlab/blas.h"
#include "initlab/report.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace initlab::ui {

// The part of a report that needs no drawing: a run record per experiment in DIR/runs (settings with
// seeds, versions, machine, and the experiment's CSV files of the CLI contract), so the report carries
// its own data and provenance. Any thread may call it (the GUI does so on its worker: the circles
// history alone is tens of megabytes). records receives the records' folders relative to DIR
// ("runs/20261127-101010-deep"), written their absolute paths. On failure the records written are
// removed again and error says what went wrong.
bool writeReportRecords(const ReportResults& results, const BlasInfo& machine, const QString& folder,
                     QStringList* records, QStringList* written, QString* error);

class ReportWriter
{
public:
    // Nothing is drawn or written before step(). results must outlive the writer.
    ReportWriter(const ReportResults& results, const BlasInfo& machine, const QString& folder);
    ~ReportWriter();
    ReportWriter(const ReportWriter&) = delete;
    ReportWriter& operator=(const ReportWriter&) = delete;

    // Run records of the three experiments, as paths relative to the folder, for the report's
    // list of files (set before the last step).
    void setRunRecords(const QStringList& relativeFolders);

    int stepCount() const;
    int stepsDone() const;
    // What the next step does ("Figure 5: training loss"), for a progress line.
    QString nextStepText() const;
    // Does the next step. False when it failed: error() says why, and every file the writer had
    // written is removed again, so a failed report leaves no half report behind.
    bool step();
    bool isFinished() const;
    QString error() const;
    // Files written so far, as absolute paths.
    QStringList writtenFiles() const;

    // Every step; progress(done, total) after each. Stops at the first failure.
    bool writeAll(const std::function<void(int, int)>& progress = {});

    // The report's file names, relative to the folder (for tests and the CLI's summary).
    static QString htmlName() { return QStringLiteral("report.html"); }
    static QString markdownName() { return QStringLiteral("report.md"); }

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace initlab::ui
