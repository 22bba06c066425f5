#include "ensemblepage.h"

#include "common/formatting.h"
#include "common/palette.h"
#include "figures/dropoutchart.h"
#include "figures/dropoutfigures.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace initlab::ui {
namespace {

// "87.31": accuracies in Table I are percentages.
QString percentCell(double fraction)
{
    return percentNumber(fraction, 2);
}

} // namespace

EnsemblePage::EnsemblePage(const DropoutFigures& figures, QWidget* parent)
    : QWidget(parent)
    , m_figures(figures)
{
    auto* note = new QLabel(
        tr("<b>Solid</b>: MC dropout — dropout stays on at test time and the predictions of the first T passes are "
           "averaged. <b>Dashed</b>: one pass with dropout off (inverted dropout already scaled the weights). With "
           "p = 0 every pass is the same net, so its curve is flat."));
    note->setObjectName(QStringLiteral("ensembleNote"));
    note->setWordWrap(true);
    note->setTextFormat(Qt::RichText);
    m_caption = new QLabel;
    m_caption->setObjectName(QStringLiteral("ensembleCaption"));
    m_caption->setWordWrap(true);
    m_caption->setTextFormat(Qt::RichText);
    m_table = new QTableWidget;
    m_table->setObjectName(QStringLiteral("ensembleTable"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::ContiguousSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_table->setToolTip(tr("Table I: test accuracy of each p's best-validation checkpoint, with one dropout-off pass "
                           "and with MC-dropout ensembles of T passes."));
    setAveraging(true);
    fitTable();

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(figures.chart(DropoutFigures::Chart::EnsembleAccuracy), 1);
    layout->addWidget(note);
    layout->addSpacing(6);
    layout->addWidget(m_caption);
    layout->addWidget(m_table);
}

void EnsemblePage::clear()
{
    m_sizes.clear();
    m_table->clear();
    m_table->setRowCount(0);
    m_table->setColumnCount(0);
    fitTable();
}

void EnsemblePage::setUpTable(const DropoutConfig& config)
{
    m_sizes = config.ensembleSizes;
    m_table->setColumnCount(1 + int(m_sizes.size()));
    m_table->setRowCount(m_figures.pCount());
    auto* single = new QTableWidgetItem(tr("one pass\n(dropout off)"));
    single->setToolTip(tr("Dropout off at test time: one deterministic pass. Inverted dropout scaled the kept "
                          "units by 1/(1−p) in training, so the weights need no rescaling (weight scaling)."));
    m_table->setHorizontalHeaderItem(0, single);
    for (std::size_t i = 0; i < m_sizes.size(); ++i) {
        auto* header = new QTableWidgetItem(tr("T = %1").arg(m_sizes[i]));
        header->setToolTip(tr("MC dropout: dropout on, the mean of %1 passes' %2.")
                               .arg(m_sizes[i])
                               .arg(config.averageProbabilities ? tr("softmax probabilities") : tr("logits")));
        m_table->setHorizontalHeaderItem(1 + int(i), header);
    }
    for (int run = 0; run < m_figures.pCount(); ++run) {
        auto* header = new QTableWidgetItem(swatchIcon(DropoutFigures::colorOf(run)), m_figures.pName(run));
        m_table->setVerticalHeaderItem(run, header);
        for (int column = 0; column < m_table->columnCount(); ++column)
            setCell(run, column, QString(), QString());
    }
    fitTable();
}

void EnsemblePage::setEnsembleAccuracy(int run, int passes, double accuracy)
{
    const auto column = std::find(m_sizes.begin(), m_sizes.end(), passes);
    if (column == m_sizes.end())
        return;
    setCell(run, 1 + int(column - m_sizes.begin()), percentCell(accuracy),
            tr("%1, MC dropout with T = %2 passes: %3 % of the test images right.")
                .arg(m_figures.pName(run))
                .arg(passes)
                .arg(percentCell(accuracy)));
}

void EnsemblePage::fillRow(int run, const DropoutRunResult& r)
{
    if (r.bestEpoch == 0 || r.ensembleAcc.empty()) {
        // Nothing to score: the run diverged at once or was cancelled before an epoch finished.
        const QString why = !r.message.empty() ? QString::fromStdString(r.message) : tr("no checkpoint to score");
        const QString text = r.divergedEpoch > 0 ? tr("diverged") : tr("—");
        for (int column = 0; column < m_table->columnCount(); ++column)
            setCell(run, column, text, why);
        return;
    }
    const QString name = m_figures.pName(run);
    setCell(run, 0, percentCell(r.singlePassAcc),
            tr("%1, one pass with dropout off (best epoch %2): %3 % of the test images right.")
                .arg(name)
                .arg(r.bestEpoch)
                .arg(percentCell(r.singlePassAcc)));
    for (std::size_t i = 0; i < m_sizes.size(); ++i) {
        const int passes = m_sizes[i];
        if (std::size_t(passes) > r.ensembleAcc.size()) {
            setCell(run, 1 + int(i), tr("—"), tr("Cancelled before %1 passes.").arg(passes));
            continue;
        }
        const double accuracy = r.ensembleAcc[std::size_t(passes) - 1];
        const double gain = accuracy - r.singlePassAcc;
        setCell(run, 1 + int(i), percentCell(accuracy),
                tr("%1, MC dropout with T = %2 passes: %3 % (%4%5 points against one pass).")
                    .arg(name)
                    .arg(passes)
                    .arg(percentCell(accuracy))
                    .arg(gain >= 0 ? QStringLiteral("+") : QString())
                    .arg(100.0 * gain, 0, 'f', 2));
    }
}

void EnsemblePage::markUnscored(int run)
{
    for (int column = 0; column < m_table->columnCount(); ++column)
        setCell(run, column, tr("—"), tr("Cancelled before this p was scored."));
}

void EnsemblePage::setAveraging(bool averageProbabilities)
{
    m_caption->setText(averageProbabilities
                           ? tr("<b>Table I.</b> Test accuracy (%) of each p's best-validation checkpoint. The "
                                "ensembles average the <b>softmax probabilities</b> of T passes (Gal &amp; "
                                "Ghahramani).")
                           : tr("<b>Table I.</b> Test accuracy (%) of each p's best-validation checkpoint. The "
                                "ensembles average the <b>logits</b> of T passes (as the report did)."));
}

const std::vector<int>& EnsemblePage::columnSizes() const
{
    return m_sizes;
}

void EnsemblePage::fitTable()
{
    // Exactly as tall as its rows (room for three before a run), so no empty band sits under them
    // and the chart above gets the rest.
    m_table->resizeRowsToContents();
    const int rows = m_table->rowCount() > 0 ? m_table->rowCount() : 3;
    const int rowHeight
        = m_table->rowCount() > 0 ? m_table->rowHeight(0) : m_table->verticalHeader()->defaultSectionSize();
    const int header = m_table->columnCount() > 0 ? m_table->horizontalHeader()->sizeHint().height() : 0;
    m_table->setFixedHeight(header + rows * rowHeight + 2 * m_table->frameWidth());
}

void EnsemblePage::setCell(int run, int column, const QString& text, const QString& toolTip)
{
    if (run < 0 || run >= m_table->rowCount() || column < 0 || column >= m_table->columnCount())
        return;
    QTableWidgetItem* item = m_table->item(run, column);
    if (!item) {
        item = new QTableWidgetItem;
        item->setTextAlignment(Qt::AlignCenter);
        m_table->setItem(run, column, item);
    }
    item->setText(text);
    item->setToolTip(toolTip);
}

} // namespace initlab::ui
