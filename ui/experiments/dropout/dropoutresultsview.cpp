#include "dropoutresultsview.h"

#include "ensemblepage.h"
#include "uncertaintypage.h"

#include "figures/confusionmatrixview.h"
#include "figures/dropoutchart.h"
#include "figures/dropoutfigures.h"

#include <QGridLayout>

#include <algorithm>

namespace initlab::ui {
namespace {

const QString kConfusionExportName = QStringLiteral("dropout_confusion_matrix");

} // namespace

DropoutResultsView::DropoutResultsView(QWidget* parent)
    : QTabWidget(parent)
    , m_figures(new DropoutFigures(this))
{
    setObjectName(QStringLiteral("dropoutPages"));
    m_ensembles = new EnsemblePage(*m_figures);
    m_uncertainty = new UncertaintyPage;
    chartexport::setExportName(m_uncertainty->confusionMatrix(), kConfusionExportName);
    addTab(buildTrainingPage(), tr("Training curves"));
    addTab(m_ensembles, tr("Ensembles (Table I)"));
    addTab(m_uncertainty, tr("Uncertainty"));
    setTabToolTip(0, tr("Loss and accuracy per epoch, training and validation, one colour per p."));
    setTabToolTip(1, tr("One pass with dropout off against MC-dropout ensembles of T passes."));
    setTabToolTip(2, tr("The test images the ensemble is least sure about, and the confusion matrix."));
}

QWidget* DropoutResultsView::buildTrainingPage()
{
    using Chart = DropoutFigures::Chart;
    auto* page = new QWidget;
    auto* grid = new QGridLayout(page);
    grid->setSpacing(6);
    grid->addWidget(m_figures->chart(Chart::TrainingLoss), 0, 0);
    grid->addWidget(m_figures->chart(Chart::TrainingAccuracy), 0, 1);
    grid->addWidget(m_figures->chart(Chart::ValidationLoss), 1, 0);
    grid->addWidget(m_figures->chart(Chart::ValidationAccuracy), 1, 1);
    return page;
}

void DropoutResultsView::beginRun(const DropoutConfig& config, const DataSummary& data)
{
    m_figures->beginRun(config);
    prepare(config, data);
}

void DropoutResultsView::addEpoch(const DropoutEpoch& epoch)
{
    m_figures->addEpoch(epoch);
}

void DropoutResultsView::addEnsemblePoint(int run, int passes, double accuracy)
{
    m_figures->addEnsemblePoint(run, passes, accuracy);
    m_ensembles->setEnsembleAccuracy(run, passes, accuracy);
}

void DropoutResultsView::addRunResult(int run, const DropoutRunResult& result)
{
    if (run < 0 || run >= int(m_results.size()))
        return;
    m_figures->addRunResult(run, result);
    keepResult(run, result);
}

void DropoutResultsView::showResult(const DropoutConfig& config, const DropoutResult& result)
{
    DropoutConfig shown = config;
    shown.ps.clear();
    for (const DropoutRunResult& run : result.runs)
        shown.ps.push_back(run.p);
    m_figures->showResult(shown, result);
    prepare(shown, m_data);
    for (std::size_t run = 0; run < result.runs.size(); ++run)
        keepResult(int(run), result.runs[run]);
}

void DropoutResultsView::markUnscored()
{
    for (std::size_t run = 0; run < m_results.size(); ++run)
        if (!m_results[run])
            m_ensembles->markUnscored(int(run));
}

void DropoutResultsView::refresh()
{
    m_figures->refresh();
}

void DropoutResultsView::setAveraging(bool averageProbabilities)
{
    if (m_empty)
        m_ensembles->setAveraging(averageProbabilities);
}

void DropoutResultsView::setPlaceholders(const QString& gallery, const QString& confusion)
{
    m_uncertainty->setPlaceholders(gallery, confusion);
}

bool DropoutResultsView::isEmpty() const
{
    return m_empty;
}

int DropoutResultsView::completedCount() const
{
    const std::vector<int>& sizes = m_ensembles->columnSizes();
    const std::size_t passes = std::size_t(sizes.empty() ? 0 : sizes.back());
    return int(std::count_if(m_results.begin(), m_results.end(),
                             [passes](const auto& result) { return result && result->ensembleAcc.size() == passes; }));
}

const DataSummary& DropoutResultsView::runData() const
{
    return m_data;
}

DropoutFigures* DropoutResultsView::figures() const
{
    return m_figures;
}

QList<NamedFigure> DropoutResultsView::exportFigures() const
{
    QList<NamedFigure> figures = m_figures->exportFigures();
    figures.append({kConfusionExportName, m_uncertainty->confusionMatrix()});
    return figures;
}

void DropoutResultsView::prepare(const DropoutConfig& config, const DataSummary& data)
{
    m_empty = false;
    m_data = data;
    m_results.assign(config.ps.size(), std::nullopt);
    m_ensembles->clear();
    m_ensembles->setUpTable(config);
    m_ensembles->setAveraging(config.averageProbabilities);
    m_uncertainty->beginRun(data, config.averageProbabilities);
}

void DropoutResultsView::keepResult(int run, const DropoutRunResult& result)
{
    m_results[std::size_t(run)] = result;
    m_ensembles->fillRow(run, result);
    m_uncertainty->addResult(run, result.p, m_figures->pName(run), DropoutFigures::colorOf(run), result);
}

} // namespace initlab::ui
