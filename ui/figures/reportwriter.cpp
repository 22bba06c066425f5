#include "reportwriter.h"

#include "common/formatting.h"
#include "common/names.h"
#include "figures/boundarycanvas.h"
#include "figures/chartexport.h"
#include "figures/circlescurvechart.h"
#include "figures/circlesfigures.h"
#include "figures/deepdistributionfigures.h"
#include "figures/deepfigures.h"
#include "figures/dropoutchart.h"
#include "figures/dropoutfigures.h"
#include "figures/layerchart.h"

#include "initlab/csv.h"
#include "initlab/runoutcome.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QList>

#include <algorithm>
#include <cmath>
#include <vector>

namespace initlab::ui {
namespace {

enum class Section { Deep, Circles, Dropout };

// One figure of the report: its label (the homework report's number, or a letter for the figures
// that go past it), file name, caption, and how to get the drawing ready.
struct FigureSpec {
    QString label; // "Fig. 5", "Fig. A"
    Section section = Section::Deep;
    QString baseName;
    QString caption;
    std::function<ExportableFigure*()> prepare;
};

struct WrittenFigure {
    FigureSpec spec;
    QString png, svg;       // relative paths
    QStringList csvs;       // relative paths
    QByteArray pngBytes;    // embedded in report.html
};

// A table for both documents: rows of cells, the first row the header.
struct Table {
    QStringList header;
    QList<QStringList> rows;

    QString html() const
    {
        QString out = QStringLiteral("<table>\n<thead><tr>");
        for (const QString& cell : header)
            out += QStringLiteral("<th>") + cell.toHtmlEscaped() + QStringLiteral("</th>");
        out += QStringLiteral("</tr></thead>\n<tbody>\n");
        for (const QStringList& row : rows) {
            out += QStringLiteral("<tr>");
            for (const QString& cell : row)
                out += QStringLiteral("<td>") + cell.toHtmlEscaped() + QStringLiteral("</td>");
            out += QStringLiteral("</tr>\n");
        }
        return out + QStringLiteral("</tbody>\n</table>\n");
    }

    QString markdown() const
    {
        const auto line = [](const QStringList& cells) {
            QStringList escaped;
            for (QString cell : cells)
                escaped << cell.replace(QLatin1Char('|'), QStringLiteral("\\|"));
            return QStringLiteral("| ") + escaped.join(QStringLiteral(" | ")) + QStringLiteral(" |\n");
        };
        QString out = line(header);
        QStringList rule;
        for (int i = 0; i < header.size(); ++i)
            rule << QStringLiteral("---");
        out += line(rule);
        for (const QStringList& row : rows)
            out += line(row);
        return out;
    }
};

// The two documents are written side by side from the same pieces.
struct Documents {
    QString html;
    QString markdown;

    void heading(int level, const QString& text)
    {
        html += QStringLiteral("<h%1>%2</h%1>\n").arg(level).arg(text.toHtmlEscaped());
        markdown += QString(level, QLatin1Char('#')) + QLatin1Char(' ') + text + QStringLiteral("\n\n");
    }
    void paragraph(const QString& text)
    {
        html += QStringLiteral("<p>") + text.toHtmlEscaped() + QStringLiteral("</p>\n");
        markdown += text + QStringLiteral("\n\n");
    }
    void bullets(const QStringList& items)
    {
        html += QStringLiteral("<ul>\n");
        for (const QString& item : items) {
            html += QStringLiteral("<li>") + item.toHtmlEscaped() + QStringLiteral("</li>\n");
            markdown += QStringLiteral("- ") + item + QLatin1Char('\n');
        }
        html += QStringLiteral("</ul>\n");
        markdown += QLatin1Char('\n');
    }
    void table(const Table& table, const QString& caption)
    {
        html += QStringLiteral("<figure class=\"table\">\n") + table.html() + QStringLiteral("<figcaption>")
                + caption.toHtmlEscaped() + QStringLiteral("</figcaption>\n</figure>\n");
        markdown += table.markdown() + QLatin1Char('\n') + QStringLiteral("*") + caption + QStringLiteral("*\n\n");
    }
    void figure(const WrittenFigure& figure)
    {
        const QString caption = figure.spec.label + QStringLiteral(": ") + figure.spec.caption;
        QStringList links{QStringLiteral("<a href=\"%1\">PNG</a>").arg(figure.png.toHtmlEscaped()),
                          QStringLiteral("<a href=\"%1\">SVG</a>").arg(figure.svg.toHtmlEscaped())};
        QStringList mdLinks{QStringLiteral("[PNG](%1)").arg(figure.png), QStringLiteral("[SVG](%1)").arg(figure.svg)};
        for (const QString& csv : figure.csvs) {
            const QString name = QFileInfo(csv).fileName();
            links << QStringLiteral("<a href=\"%1\">%2</a>").arg(csv.toHtmlEscaped(), name.toHtmlEscaped());
            mdLinks << QStringLiteral("[%1](%2)").arg(name, csv);
        }
        html += QStringLiteral("<figure id=\"%1\">\n<img alt=\"%2\" src=\"data:image/png;base64,%3\">\n"
                               "<figcaption><b>%4</b> %5<br><span class=\"files\">%6</span></figcaption>\n"
                               "</figure>\n")
                    .arg(figure.spec.baseName, caption.toHtmlEscaped(),
                         QString::fromLatin1(figure.pngBytes.toBase64()),
                         (figure.spec.label + QLatin1Char(':')).toHtmlEscaped(), figure.spec.caption.toHtmlEscaped(),
                         links.join(QStringLiteral(" · ")));
        markdown += QStringLiteral("![%1](%2)\n\n*%1* (%3)\n\n").arg(caption, figure.png, mdLinks.join(QStringLiteral(", ")));
    }
};

const char* const kStyle = R"(body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1d1d1f;
  max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.5; background: #ffffff; }
h1 { font-size: 1.9rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.4rem; margin-top: 2.5rem; border-bottom: 1px solid #d0d0d0; padding-bottom: 0.2rem; }
h3 { font-size: 1.1rem; margin-top: 1.8rem; }
p.lead { color: #555555; margin-top: 0; }
figure { margin: 1.5rem 0; }
figure img { width: 100%; height: auto; border: 1px solid #e4e4e4; }
figcaption { font-size: 0.92rem; color: #333333; margin-top: 0.4rem; }
span.files { font-size: 0.82rem; color: #666666; }
table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.92rem; }
th, td { border: 1px solid #cccccc; padding: 0.25rem 0.7rem; text-align: left; white-space: nowrap; }
th { background: #f0f2f5; }
tbody tr:nth-child(even) { background: #fafafa; }
code { background: #f0f2f5; padding: 0.05rem 0.3rem; border-radius: 3px; }
)";

} // namespace

bool writeReportRecords(const ReportResults& results, const BlasInfo& machine, const QString& folder,
                     QStringList* records, QStringList* written, QString* error)
{
    QStringList recordFolders;
    const auto fail = [&](const QString& message) {
        for (const QString& record : std::as_const(recordFolders))
            QDir(QDir(folder).filePath(record)).removeRecursively();
        if (error)
            *error = message;
        return false;
    };
    const QDir dir(folder);
    const ReportPlan& plan = results.plan;
    const std::string runsFolder = QFile::encodeName(dir.filePath(QStringLiteral("runs"))).toStdString();
    struct Record {
        ExperimentKind kind;
        RunOutcome outcome;
        const ReportTiming& timing;
    };
    const Record recordList[] = {
        {ExperimentKind::Deep, deepOutcome(plan.deep, results.deep), results.deepTiming},
        {ExperimentKind::Circles, circlesOutcome(plan.circles, plan.circlesExtras, results.circles),
         results.circlesTiming},
        {ExperimentKind::Dropout, dropoutOutcome(plan.dropout, plan.dropoutExtras, results.dropout),
         results.dropoutTiming},
    };
    for (const Record& record : recordList) {
        std::string problem;
        const std::string written =
            writeRunOutcome(runsFolder, record.kind, record.outcome, machine, record.timing.started, problem);
        if (written.empty())
            return fail(QStringLiteral("cannot write the run record: ") + QString::fromStdString(problem));
        recordFolders << QStringLiteral("runs/") + QFileInfo(QFile::decodeName(written.c_str())).fileName();
    }
    if (records)
        *records = recordFolders;
    if (written)
        for (const QString& record : std::as_const(recordFolders))
            *written << dir.filePath(record);
    return true;
}

struct ReportWriter::State {
    const ReportResults& results;
    BlasInfo machine;
    QString folder;
    QStringList runRecords;

    std::unique_ptr<DeepFigures> deepFigures;
    std::unique_ptr<DeepDistributionFigures> distributionFigures;
    std::unique_ptr<ExportableFigure> histogramComparison;
    std::unique_ptr<CirclesFigures> circlesFigures;
    std::unique_ptr<DropoutFigures> dropoutFigures;
    std::vector<std::unique_ptr<BoundaryCanvas>> canvases;
    bool circlesShown = false;

    QList<FigureSpec> figures;
    QList<WrittenFigure> written;
    QStringList files; // absolute
    int step = 0;
    bool failed = false;
    QString error;

    State(const ReportResults& r, const BlasInfo& m, const QString& f) : results(r), machine(m), folder(f) {}

    int stepCount() const { return int(figures.size()) + 2; }
    QString path(const QString& relative) const { return QDir(folder).filePath(relative); }

    bool write(const QString& relative, const QByteArray& bytes)
    {
        QString problem;
        const QString target = path(relative);
        if (!chartexport::writeFileAtomically(target, bytes, &problem)) {
            error = problem;
            return false;
        }
        files << target;
        return true;
    }

    bool makeFolders()
    {
        for (const QString& sub : {QString(), QStringLiteral("figures")}) {
            const QString target = sub.isEmpty() ? folder : path(sub);
            if (!QDir().mkpath(target)) {
                error = QStringLiteral("cannot create the folder %1").arg(target);
                return false;
            }
        }
        return true;
    }

    void ensureCirclesShown()
    {
        if (circlesShown)
            return;
        circlesShown = true;
        circlesFigures->setViewedNormalization(Normalization::Standard);
        circlesFigures->showResult(results.plan.circles, results.circles);
    }

    // The model of (normalization, init) with the best test accuracy, or the worst.
    int pickModel(Normalization normalization, InitScheme init, bool best) const
    {
        int chosen = -1;
        for (std::size_t m = 0; m < results.circles.models.size(); ++m) {
            const ModelResult& model = results.circles.models[m];
            if (model.key.normalization != normalization || model.key.init != init)
                continue;
            if (chosen < 0)
                chosen = int(m);
            const double acc = model.testAcc;
            const double chosenAcc = results.circles.models[std::size_t(chosen)].testAcc;
            if (best ? acc > chosenAcc : acc < chosenAcc)
                chosen = int(m);
        }
        return chosen;
    }

    ExportableFigure* boundaryFigure(int model)
    {
        canvases.push_back(ui::boundaryFigure(results.plan.circles, results.circles, model));
        return canvases.back().get();
    }

    void planFigures();
    void planDeepFigures();
    void planCirclesCurves();
    void planBoundaryFigures();
    void planDropoutFigures();
    void writeDocuments();
    void addFigures(Documents& doc, Section section) const;
    void writeIntroduction(Documents& doc) const;
    void writeDeepSection(Documents& doc) const;
    void writeCirclesSection(Documents& doc) const;
    void writeDropoutSection(Documents& doc) const;
    void writeFilesSection(Documents& doc) const;
};

void ReportWriter::State::planFigures()
{
    planDeepFigures();
    planCirclesCurves();
    planBoundaryFigures();
    planDropoutFigures();
}

// Figures 1-4: the four per-layer charts; A and B, beyond the report: what their std hides.
void ReportWriter::State::planDeepFigures()
{
    const auto deepChart = [this](DeepFigures::Chart chart) {
        return [this, chart]() -> ExportableFigure* { return deepFigures->chart(chart); };
    };
    const QString strategies = QStringLiteral("for the report's seven initialization strategies (%1 layers of %2, "
                                              "batch %3)")
                                   .arg(results.plan.deep.depth)
                                   .arg(results.plan.deep.width)
                                   .arg(results.plan.deep.batch);
    figures << FigureSpec{QStringLiteral("Fig. 1"), Section::Deep, QStringLiteral("fig01_deep_activation_mean"),
                          QStringLiteral("Activation mean |μ| per layer ") + strategies,
                          deepChart(DeepFigures::Chart::ActivationMean)}
            << FigureSpec{QStringLiteral("Fig. 2"), Section::Deep, QStringLiteral("fig02_deep_activation_std"),
                          QStringLiteral("Activation standard deviation σ per layer ") + strategies
                              + QStringLiteral("; dashed: the mean-field prediction"),
                          deepChart(DeepFigures::Chart::ActivationStd)}
            << FigureSpec{QStringLiteral("Fig. 3"), Section::Deep, QStringLiteral("fig03_deep_gradient_mean"),
                          QStringLiteral("Weight-gradient mean |μ| per layer ") + strategies,
                          deepChart(DeepFigures::Chart::GradientMean)}
            << FigureSpec{QStringLiteral("Fig. 4"), Section::Deep, QStringLiteral("fig04_deep_gradient_std"),
                          QStringLiteral("Weight-gradient standard deviation σ per layer ") + strategies,
                          deepChart(DeepFigures::Chart::GradientStd)}
            << FigureSpec{QStringLiteral("Fig. A"), Section::Deep, QStringLiteral("figA_deep_tanh_histograms"),
                          QStringLiteral("Beyond the report: histograms of the tanh activations of layers 1, 10, 25 "
                                         "and 50 (as far as the depth goes), the original heuristic against Xavier "
                                         "uniform, after Glorot & Bengio (2010), Fig. 6"),
                          [this]() -> ExportableFigure* {
                              histogramComparison = distributionFigures->comparisonFigure(
                                  {InitScheme::Heuristic, Activation::Tanh}, {InitScheme::XavierUniform, Activation::Tanh});
                              return histogramComparison.get();
                          }}
            << FigureSpec{QStringLiteral("Fig. B"), Section::Deep, QStringLiteral("figB_deep_saturated_fraction"),
                          QStringLiteral("Beyond the report: fraction of saturated units per layer (activation "
                                         "derivative below 5 % of its largest value; for ReLU, exactly zero) ")
                              + strategies,
                          [this]() -> ExportableFigure* {
                              return distributionFigures->chart(DeepDistributionFigures::Chart::Saturated);
                          }};
}

// Figures 5-7: the training curves of standardized data.
void ReportWriter::State::planCirclesCurves()
{
    const CirclesConfig& circles = results.plan.circles;
    const auto circlesChart = [this](CirclesFigures::Chart chart) {
        return [this, chart]() -> ExportableFigure* {
            ensureCirclesShown();
            return circlesFigures->chart(chart);
        };
    };
    const QString meanOver = QStringLiteral(" (each line the mean over %1 seeds)").arg(circles.seeds);
    figures << FigureSpec{QStringLiteral("Fig. 5"), Section::Circles, QStringLiteral("fig05_circles_train_loss"),
                          QStringLiteral("Evolution of training loss for standardized data") + meanOver,
                          circlesChart(CirclesFigures::Chart::TrainLoss)}
            << FigureSpec{QStringLiteral("Fig. 6"), Section::Circles,
                          QStringLiteral("fig06_circles_train_accuracy"),
                          QStringLiteral("Evolution of training accuracy for standardized data") + meanOver,
                          circlesChart(CirclesFigures::Chart::TrainAccuracy)}
            << FigureSpec{QStringLiteral("Fig. 7"), Section::Circles,
                          QStringLiteral("fig07_circles_validation_accuracy"),
                          QStringLiteral("Evolution of validation accuracy for standardized data") + meanOver,
                          circlesChart(CirclesFigures::Chart::ValidationAccuracy)};
}

// Figures 8-11: the decision boundaries the report chose, best (or worst) of the seeds.
void ReportWriter::State::planBoundaryFigures()
{
    const CirclesConfig& circles = results.plan.circles;
    struct BoundaryChoice {
        int number;
        Normalization normalization;
        InitScheme init;
        bool best;
        QString caption;
    };
    const QList<BoundaryChoice> boundaries{
        {8, Normalization::Raw, InitScheme::XavierNormal, true,
         QStringLiteral("Decision boundary for unnormalized data trained after Xavier normal initialization")},
        {9, Normalization::Standard, InitScheme::XavierUniform, true,
         QStringLiteral("Decision boundary for standardized data trained after Xavier uniform initialization")},
        {10, Normalization::Scaled, InitScheme::XavierNormal, true,
         QStringLiteral("Decision boundary for standardized data scaled by %1 trained after Xavier normal "
                        "initialization")
             .arg(circles.scaledFactor)},
        {11, Normalization::Standard, InitScheme::KaimingNormal, false,
         QStringLiteral("Failed decision boundary for standardized data trained after Kaiming normal "
                        "initialization")},
    };
    for (const BoundaryChoice& choice : boundaries) {
        const int model = pickModel(choice.normalization, choice.init, choice.best);
        if (model < 0)
            continue;
        QString caption = choice.caption;
        const double accuracy = results.circles.models[std::size_t(model)].testAcc;
        const double threshold = results.plan.circlesExtras.successThreshold;
        if (choice.best)
            caption += QStringLiteral(" (the best of %1 seeds)").arg(circles.seeds);
        else if (accuracy >= threshold)
            caption = QStringLiteral("The worst of %1 seeds for standardized data after Kaiming normal "
                                     "initialization; none of them failed in this run (test accuracy %2)")
                          .arg(circles.seeds)
                          .arg(percentText(accuracy));
        else
            caption += QStringLiteral(" (the worst of %1 seeds)").arg(circles.seeds);
        const QString base = QStringLiteral("fig%1_circles_boundary_%2_%3")
                                 .arg(choice.number, 2, 10, QLatin1Char('0'))
                                 .arg(toQString(name(choice.normalization)), toQString(name(choice.init)));
        figures << FigureSpec{QStringLiteral("Fig. %1").arg(choice.number), Section::Circles, base,
                              caption, [this, model]() { return boundaryFigure(model); }};
    }
}

// Figures 12-14, C and D: the dropout curves and the ensembles against T.
void ReportWriter::State::planDropoutFigures()
{
    const auto dropoutChart = [this](DropoutFigures::Chart chart) {
        return [this, chart]() -> ExportableFigure* { return dropoutFigures->chart(chart); };
    };
    figures << FigureSpec{QStringLiteral("Fig. 12"), Section::Dropout,
                          QStringLiteral("fig12_dropout_train_accuracy"),
                          QStringLiteral("Evolution of training accuracy for various dropout probabilities"),
                          dropoutChart(DropoutFigures::Chart::TrainingAccuracy)}
            << FigureSpec{QStringLiteral("Fig. 13"), Section::Dropout, QStringLiteral("fig13_dropout_validation_loss"),
                          QStringLiteral("Evolution of validation loss for various dropout probabilities"),
                          dropoutChart(DropoutFigures::Chart::ValidationLoss)}
            << FigureSpec{QStringLiteral("Fig. 14"), Section::Dropout,
                          QStringLiteral("fig14_dropout_validation_accuracy"),
                          QStringLiteral("Evolution of validation accuracy for various dropout probabilities"),
                          dropoutChart(DropoutFigures::Chart::ValidationAccuracy)}
            << FigureSpec{QStringLiteral("Fig. C"), Section::Dropout, QStringLiteral("figC_dropout_ensemble_accuracy"),
                          QStringLiteral("Beyond the report: test accuracy of the MC-dropout ensemble against the "
                                         "number of passes T (log axis); dashed: one pass with dropout off"),
                          dropoutChart(DropoutFigures::Chart::EnsembleAccuracy)}
            << FigureSpec{QStringLiteral("Fig. D"), Section::Dropout, QStringLiteral("figD_dropout_training_loss"),
                          QStringLiteral("Beyond the report: training loss for various dropout probabilities"),
                          dropoutChart(DropoutFigures::Chart::TrainingLoss)};
}

void ReportWriter::State::addFigures(Documents& doc, Section section) const
{
    for (const WrittenFigure& figure : written)
        if (figure.spec.section == section)
            doc.figure(figure);
}

// The page's head, title and the lead: what was run, on what machine, in how long.
void ReportWriter::State::writeIntroduction(Documents& doc) const
{
    const ReportPlan& plan = results.plan;
    doc.html = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                              "<title>InitLab: weight initialization, normalization and dropout</title>\n<style>\n")
               + QString::fromLatin1(kStyle) + QStringLiteral("</style>\n</head>\n<body>\n");
    doc.heading(1, QStringLiteral("Weight initialization, input normalization and dropout"));
    const QString kind = plan.quick ? QStringLiteral("quick version (reduced sizes)") : QStringLiteral("full report");
    doc.html += QStringLiteral("<p class=\"lead\">Reproduced by InitLab %1 · %2 · %3</p>\n")
                    .arg(QStringLiteral(INITLAB_VERSION), kind, toQString(results.deepTiming.started).toHtmlEscaped());
    doc.markdown += QStringLiteral("*Reproduced by InitLab %1 · %2 · %3*\n\n")
                        .arg(QStringLiteral(INITLAB_VERSION), kind, toQString(results.deepTiming.started));
    doc.paragraph(QStringLiteral(
        "This report repeats the three experiments of the homework report on weight initialization: how the "
        "initialization scheme shapes the signal in a deep net, how data normalization decides whether a small "
        "net learns at all, and what dropout and MC-dropout ensembles do to a classifier of 28×28 images. Every "
        "number below was measured in this run; the CSV files beside the figures hold exactly what each figure "
        "shows."));
    if (plan.quick)
        doc.paragraph(QStringLiteral(
            "This is the quick version: the deep net sees a batch of %1 instead of 10000, the dropout nets train "
            "for %2 epochs instead of 10, and the ensembles go up to %3 passes over the first %4 test images. Run "
            "without --quick for the full report.")
                          .arg(plan.deep.batch)
                          .arg(plan.dropout.epochs)
                          .arg(plan.dropout.ensembleSizes.empty() ? 0 : plan.dropout.ensembleSizes.back())
                          .arg(plan.dropout.testLimit));
    // "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ..." -> "OpenBLAS 0.3.21": the build flags tell a reader nothing.
    QString blas = toQString(machine.library).section(QLatin1Char(' '), 0, 1);
    if (!machine.coreName.empty())
        blas += QStringLiteral(" (%1 kernels)").arg(toQString(machine.coreName));
    doc.bullets({QStringLiteral("Machine: %1 hardware threads, LibTorch %2, %3")
                     .arg(machine.hardwareThreads)
                     .arg(toQString(machine.torchVersion), blas),
                 QStringLiteral("Run time: deep %1, circles %2, dropout %3")
                     .arg(runTimeText(results.deepTiming.seconds), runTimeText(results.circlesTiming.seconds),
                          runTimeText(results.dropoutTiming.seconds))});
}

void ReportWriter::State::writeDeepSection(Documents& doc) const
{
    const ReportPlan& plan = results.plan;
    doc.heading(2, QStringLiteral("I. Deep signal propagation"));
    const DeepConfig& deep = plan.deep;
    doc.paragraph(QStringLiteral(
        "A fully connected net of %1 layers of %2 units, biases zero, the activation after every layer. A batch "
        "of %3 vectors drawn from N(0, I) goes through it; the cross-entropy against random class targets on the "
        "last layer's output is differentiated back. Per layer: the mean and standard deviation of the activations "
        "and of the weight gradients (seed %4). A value that vanished to zero cannot be drawn on a log axis; the "
        "note under a chart names such curves and layers. Figs. A and B show what a standard deviation hides: the "
        "histograms of the activations (64 bins over tanh's range [-1, 1]) and the share of saturated units.")
                      .arg(deep.depth)
                      .arg(deep.width)
                      .arg(deep.batch)
                      .arg(deep.seed));
    Table deepTable{{QStringLiteral("combination"), QStringLiteral("act σ layer 1"),
                     QStringLiteral("act σ layer %1").arg(deep.depth), QStringLiteral("weight-grad σ layer 1"),
                     QStringLiteral("weight-grad σ layer %1").arg(deep.depth)},
                    {}};
    for (const CombinationResult& combination : results.deep.combinations) {
        if (combination.layers.empty())
            continue;
        const LayerStats& first = combination.layers.front();
        const LayerStats& last = combination.layers.back();
        deepTable.rows << QStringList{combinationTitle(combination.combination, deep.normalStd),
                                      compactNumber(first.actStd), compactNumber(last.actStd),
                                      compactNumber(first.gradStd), compactNumber(last.gradStd)};
    }
    addFigures(doc, Section::Deep);
    doc.table(deepTable, QStringLiteral("Table: standard deviations at the first and the last layer (0 = vanished)."));
}

void ReportWriter::State::writeCirclesSection(Documents& doc) const
{
    const ReportPlan& plan = results.plan;
    doc.heading(2, QStringLiteral("II. A shallow net and data normalization"));
    const CirclesConfig& circles = plan.circles;
    doc.paragraph(QStringLiteral(
        "Two rings centred at (%1, %2) with radii %3 (class 0) and %4 (class 1), each point's radius perturbed by "
        "U(−%5, %5); %6 training, %7 validation and %8 test points. A %9 net with ReLU after the hidden layers is "
        "trained by full-batch AdamW (learning rate %10) for %11 epochs, keeping the weights of the best validation "
        "accuracy. Three cases: raw data, data standardized with the training mean and standard deviation, and "
        "standardized data scaled by %12. Every case and init scheme is trained from %13 seeds (%14 models).")
                      .arg(circles.data.centerX)
                      .arg(circles.data.centerY)
                      .arg(circles.data.innerRadius)
                      .arg(circles.data.outerRadius)
                      .arg(circles.data.noise)
                      .arg(circles.data.trainSize)
                      .arg(circles.data.validationSize)
                      .arg(circles.data.testSize)
                      .arg(QStringLiteral("2-%1-2").arg([&] {
                               QStringList sizes;
                               for (int size : circles.hidden)
                                   sizes << QString::number(size);
                               return sizes.join(QLatin1Char('-'));
                           }()))
                      .arg(circles.learningRate)
                      .arg(results.circles.epochsRun)
                      .arg(circles.scaledFactor)
                      .arg(circles.seeds)
                      .arg(results.circles.models.size()));
    addFigures(doc, Section::Circles);
    // One row per init scheme, one column per normalization: the comparison the figures make.
    const double threshold = plan.circlesExtras.successThreshold;
    const std::vector<CirclesSummaryRow> summary = summarize(results.circles, threshold);
    Table circlesTable{{QStringLiteral("init scheme")}, {}};
    for (Normalization normalization : circles.normalizations)
        circlesTable.header << normalizationTitle(normalization, circles.scaledFactor);
    for (InitScheme init : circles.inits) {
        QStringList row{schemeTitle(init, circles.normalStd)};
        for (Normalization normalization : circles.normalizations) {
            const auto found = std::find_if(summary.begin(), summary.end(), [&](const CirclesSummaryRow& r) {
                return r.normalization == normalization && r.init == init;
            });
            row << (found == summary.end()
                        ? QStringLiteral("–")
                        : QStringLiteral("%1 ± %2 (%3/%4)")
                              .arg(percentText(found->meanTestAcc))
                              .arg(QString::number(100.0 * found->sdTestAcc, 'f', 1))
                              .arg(std::lround(found->successRate * found->seeds))
                              .arg(found->seeds));
        }
        circlesTable.rows << row;
    }
    doc.table(circlesTable, QStringLiteral("Table: mean test accuracy ± standard deviation (in percentage points) "
                                           "over %1 seeds, and in brackets the seeds that reached %2.")
                                .arg(circles.seeds)
                                .arg(percentText(threshold, 0)));
}

void ReportWriter::State::writeDropoutSection(Documents& doc) const
{
    const ReportPlan& plan = results.plan;
    doc.heading(2, QStringLiteral("III. Dropout and MC-dropout ensembles"));
    const DropoutConfig& dropout = plan.dropout;
    const QString dataName = toQString(displayName(results.dataKind));
    QStringList ps;
    for (double p : dropout.ps)
        ps << QString::number(p);
    doc.paragraph(QStringLiteral(
        "%1 images from %2, pixels divided by 255 and flattened to 784 inputs. Dropout(p) before each of the "
        "linear layers 784→800, 800→800 and 800→10, ReLU between them, weights N(0, σ = %3), biases 0. AdamW with "
        "learning rate %4 and batches of %5; images %6–%7 of the training file train, %8–%9 validate, and the "
        "test file (%10) tests. p ∈ {%11}, %12 epochs each. The weights of the best validation accuracy are then "
        "evaluated with dropout on, averaging the predicted probabilities of T passes, against one pass with "
        "dropout off.")
                      .arg(dataName, QDir::toNativeSeparators(toQString(results.dataFolder)))
                      .arg(dropout.normalStd)
                      .arg(dropout.learningRate)
                      .arg(dropout.batch)
                      .arg(dropout.trainBegin)
                      .arg(dropout.trainEnd - 1)
                      .arg(dropout.validationBegin)
                      .arg(dropout.validationEnd - 1)
                      .arg(dropout.testLimit > 0 ? QStringLiteral("its first %1 images").arg(dropout.testLimit)
                                                 : QStringLiteral("all of it"))
                      .arg(ps.join(QStringLiteral(", ")))
                      .arg(dropout.epochs));
    Table tableOne{{QStringLiteral("dropout probability p"), QStringLiteral("ensemble size"),
                    QStringLiteral("test accuracy")},
                   {}};
    for (const DropoutRunResult& run : results.dropout.runs) {
        if (run.ensembleAcc.empty())
            continue;
        tableOne.rows << QStringList{QString::number(run.p), QStringLiteral("None (one pass, dropout off)"),
                                     percentText(run.singlePassAcc, 2)};
        for (int t : dropout.ensembleSizes)
            if (t >= 1 && std::size_t(t) <= run.ensembleAcc.size())
                tableOne.rows << QStringList{QString::number(run.p), QString::number(t),
                                             percentText(run.ensembleAcc[std::size_t(t) - 1], 2)};
    }
    addFigures(doc, Section::Dropout);
    doc.table(tableOne, QStringLiteral("TABLE I: Achieved test accuracy for various dropout probabilities and "
                                       "ensemble sizes (%1).")
                            .arg(dataName));
}

// What is in the folder besides the page, and how it was made.
void ReportWriter::State::writeFilesSection(Documents& doc) const
{
    const ReportPlan& plan = results.plan;
    doc.heading(2, QStringLiteral("Files"));
    QStringList items{
        QStringLiteral("figures/: every figure as PNG (16 cm at 300 dpi) and SVG, with the CSV of exactly what it "
                       "shows"),
        QStringLiteral("checkpoints/: the best weights of each dropout net (initlab-cli dropout --checkpoint FILE "
                       "evaluates one again)")};
    const QStringList resultFiles[] = {
        {QStringLiteral("deep.csv")},
        {QStringLiteral("circles_history.csv"), QStringLiteral("circles_summary.csv")},
        {QStringLiteral("dropout_history.csv"), QStringLiteral("ensemble.csv"), QStringLiteral("ensemble_curve.csv")}};
    for (qsizetype r = 0; r < runRecords.size(); ++r)
        items << QStringLiteral("%1/: run record with %2 and experiment.json (the settings with the seeds: "
                                "initlab-cli %3 --config %1/experiment.json repeats the run; the Runs tab shows it)")
                     .arg(runRecords[r], r < 3 ? resultFiles[r].join(QStringLiteral(", ")) : QString(),
                          QStringList{QStringLiteral("deep"), QStringLiteral("circles"),
                                      QStringLiteral("dropout")}.value(int(r)));
    doc.bullets(items);
    doc.paragraph(QStringLiteral("Made with: initlab-cli reproduce%1 --out DIR (or File > Reproduce the report in "
                                 "InitLab).")
                      .arg(plan.quick ? QStringLiteral(" --quick") : QString()));
}

void ReportWriter::State::writeDocuments()
{
    Documents doc;
    writeIntroduction(doc);
    writeDeepSection(doc);
    writeCirclesSection(doc);
    writeDropoutSection(doc);
    writeFilesSection(doc);
    doc.html += QStringLiteral("</body>\n</html>\n");
    if (write(htmlName(), doc.html.toUtf8()))
        write(markdownName(), doc.markdown.toUtf8());
}

ReportWriter::ReportWriter(const ReportResults& results, const BlasInfo& machine, const QString& folder)
    : m_state(std::make_unique<State>(results, machine, folder))
{
    State& s = *m_state;
    s.deepFigures = std::make_unique<DeepFigures>();
    s.distributionFigures = std::make_unique<DeepDistributionFigures>();
    // A combination has the same colour on the saturation curves as on Figs. 1-4.
    s.distributionFigures->setColorSource(
        [figures = s.deepFigures.get()](const Combination& combination) { return figures->colorOf(combination); });
    s.circlesFigures = std::make_unique<CirclesFigures>();
    s.dropoutFigures = std::make_unique<DropoutFigures>();
    s.planFigures();
}

ReportWriter::~ReportWriter() = default;

void ReportWriter::setRunRecords(const QStringList& relativeFolders)
{
    m_state->runRecords = relativeFolders;
}

int ReportWriter::stepCount() const
{
    return m_state->stepCount();
}

int ReportWriter::stepsDone() const
{
    return m_state->step;
}

QString ReportWriter::nextStepText() const
{
    const State& s = *m_state;
    if (s.step == 0)
        return QStringLiteral("Preparing the charts");
    if (s.step <= s.figures.size())
        return QStringLiteral("Drawing %1").arg(s.figures[s.step - 1].label);
    return QStringLiteral("Writing report.html and report.md");
}

bool ReportWriter::step()
{
    State& s = *m_state;
    if (s.failed || isFinished())
        return !s.failed;
    bool ok = true;
    if (s.step == 0) {
        ok = s.makeFolders();
        if (ok) {
            // The report goes past the homework here: the mean-field prediction beside the measurement.
            s.deepFigures->setTheoryVisible(true);
            s.deepFigures->showResult(s.results.plan.deep, s.results.deep);
            s.distributionFigures->showResult(s.results.plan.deep, s.results.deep);
            s.dropoutFigures->showResult(s.results.plan.dropout, s.results.dropout);
        }
    } else if (s.step <= s.figures.size()) {
        const FigureSpec& spec = s.figures[s.step - 1];
        ExportableFigure* figure = spec.prepare();
        WrittenFigure out{spec, QStringLiteral("figures/%1.png").arg(spec.baseName),
                          QStringLiteral("figures/%1.svg").arg(spec.baseName), {}, {}};
        out.pngBytes = chartexport::renderPng(*figure, PngSize());
        ok = !out.pngBytes.isEmpty() && s.write(out.png, out.pngBytes) && s.write(out.svg, chartexport::renderSvg(*figure));
        for (const CsvTable& table : figure->figureTables()) {
            if (!ok)
                break;
            const QString csv = QStringLiteral("figures/%1%2.csv").arg(spec.baseName, table.suffix);
            ok = s.write(csv, table.toCsv());
            out.csvs << csv;
        }
        if (ok)
            s.written << out;
    } else {
        s.writeDocuments();
        ok = s.error.isEmpty();
    }
    if (!ok) {
        if (s.error.isEmpty())
            s.error = QStringLiteral("could not draw %1").arg(s.figures[s.step - 1].label);
        s.failed = true;
        for (const QString& file : std::as_const(s.files))
            QFile::remove(file);
        s.files.clear();
        return false;
    }
    ++s.step;
    return true;
}

bool ReportWriter::isFinished() const
{
    return m_state->step >= m_state->stepCount();
}

QString ReportWriter::error() const
{
    return m_state->error;
}

QStringList ReportWriter::writtenFiles() const
{
    return m_state->files;
}

bool ReportWriter::writeAll(const std::function<void(int, int)>& progress)
{
    while (!isFinished()) {
        if (!step())
            return false;
        if (progress)
            progress(stepsDone(), stepCount());
    }
    return true;
}

} // namespace initlab::ui
