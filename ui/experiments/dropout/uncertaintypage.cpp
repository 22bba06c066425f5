#include "uncertaintypage.h"

#include "common/formatting.h"
#include "common/palette.h"
#include "figures/confusionmatrixview.h"
#include "figures/galleryview.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>

namespace initlab::ui {
namespace {

QString passesText(int passes)
{
    return passes == 0 ? UncertaintyPage::tr("one pass with dropout off") : UncertaintyPage::tr("T = %1 passes").arg(passes);
}

} // namespace

UncertaintyPage::UncertaintyPage(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buildChoices());
    layout->addWidget(buildViews(), 1);
    connect(m_p, &QComboBox::currentIndexChanged, this, &UncertaintyPage::showUncertainty);
    connect(m_p, &QComboBox::activated, this, [this] { m_pChosen = true; });
    connect(m_passes, &QComboBox::currentIndexChanged, this, &UncertaintyPage::showConfusion);
    m_gallery->setPlaceholder(tr("Run the experiment to see the test images the ensemble is least sure about."));
}

QHBoxLayout* UncertaintyPage::buildChoices()
{
    m_p = new QComboBox;
    m_p->setObjectName(QStringLiteral("uncertaintyPCombo"));
    m_p->setToolTip(tr("Whose best checkpoint the gallery and the confusion matrix show."));
    m_p->setMinimumContentsLength(10);
    m_passes = new QComboBox;
    m_passes->setObjectName(QStringLiteral("confusionPassesCombo"));
    m_passes->setToolTip(tr("The confusion matrix of one dropout-off pass or of an MC-dropout ensemble of T "
                            "passes (one of the ensemble sizes)."));
    m_passes->setMinimumContentsLength(18);

    auto* choices = new QHBoxLayout;
    auto* pLabel = new QLabel(tr("Dropout p"));
    pLabel->setBuddy(m_p);
    auto* passesLabel = new QLabel(tr("Confusion matrix of"));
    passesLabel->setBuddy(m_passes);
    choices->addWidget(pLabel);
    choices->addWidget(m_p);
    choices->addSpacing(16);
    choices->addWidget(passesLabel);
    choices->addWidget(m_passes);
    choices->addStretch(1);
    return choices;
}

QWidget* UncertaintyPage::buildViews()
{
    m_gallery = new GalleryView;
    m_gallery->setToolTip(tr("The test images with the highest entropy of the ensemble's mean prediction: where the "
                             "passes disagree or each is unsure. Bars: mean probability per class (outlined: the "
                             "true class; filled green or red: the prediction, right or wrong)."));
    m_galleryCaption = new QLabel(tr("Most uncertain test images"));
    m_galleryCaption->setObjectName(QStringLiteral("galleryCaption"));
    m_galleryCaption->setWordWrap(true);
    m_confusion = new ConfusionMatrixView;
    m_confusion->setPlaceholder(tr("Run the experiment to see which classes the net confuses."));
    m_confusionCaption = new QLabel(tr("Confusion matrix"));
    m_confusionCaption->setObjectName(QStringLiteral("confusionCaption"));
    m_confusionCaption->setWordWrap(true);

    auto* galleryColumn = new QWidget;
    auto* galleryLayout = new QVBoxLayout(galleryColumn);
    galleryLayout->setContentsMargins(0, 0, 0, 0);
    galleryLayout->addWidget(m_galleryCaption);
    galleryLayout->addWidget(m_gallery, 1);
    auto* confusionColumn = new QWidget;
    auto* confusionLayout = new QVBoxLayout(confusionColumn);
    confusionLayout->setContentsMargins(0, 0, 0, 0);
    confusionLayout->addWidget(m_confusionCaption);
    confusionLayout->addWidget(m_confusion, 1);
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(galleryColumn);
    splitter->addWidget(confusionColumn);
    // The matrix would take every pixel it is offered; the gallery needs room for a few columns.
    splitter->setSizes({600, 440});
    splitter->setChildrenCollapsible(false);
    return splitter;
}

void UncertaintyPage::beginRun(const DataSummary& data, bool averageProbabilities)
{
    m_scored.clear();
    m_data = data;
    m_averageProbabilities = averageProbabilities;
    m_pChosen = false;
    {
        const QSignalBlocker blockP(m_p);
        const QSignalBlocker blockPasses(m_passes);
        m_p->clear();
        m_passes->clear();
    }
    m_gallery->clear();
    m_confusion->clear();
    m_galleryCaption->setText(tr("Most uncertain test images"));
    m_confusionCaption->setText(tr("Confusion matrix"));
}

void UncertaintyPage::setPlaceholders(const QString& gallery, const QString& confusion)
{
    m_gallery->setPlaceholder(gallery);
    m_confusion->setPlaceholder(confusion);
}

void UncertaintyPage::addResult(int run, double p, const QString& name, const QColor& color,
                                const DropoutRunResult& result)
{
    m_scored.push_back({run, p, name, color, result});
    updateChoices();
}

ConfusionMatrixView* UncertaintyPage::confusionMatrix() const
{
    return m_confusion;
}

void UncertaintyPage::updateChoices()
{
    const QVariant current = m_p->currentData();
    {
        const QSignalBlocker block(m_p);
        m_p->clear();
        for (const Scored& scored : m_scored)
            if (!scored.result.confusion.empty())
                m_p->addItem(swatchIcon(scored.color), scored.name, scored.run);
        // Until the user picks a p, the latest finished one is shown, so the gallery follows the run.
        const int index = current.isValid() && m_pChosen ? m_p->findData(current) : -1;
        m_p->setCurrentIndex(index >= 0 ? index : m_p->count() - 1);
    }
    if (m_p->currentData() != current || m_gallery->thumbnailCount() == 0)
        showUncertainty();
}

const UncertaintyPage::Scored* UncertaintyPage::chosen() const
{
    const QVariant data = m_p->currentData();
    if (!data.isValid())
        return nullptr;
    const auto scored = std::find_if(m_scored.begin(), m_scored.end(),
                                     [run = data.toInt()](const Scored& s) { return s.run == run; });
    return scored == m_scored.end() ? nullptr : &*scored;
}

void UncertaintyPage::showUncertainty()
{
    const Scored* scored = chosen();
    if (!scored) {
        m_gallery->clear();
        m_confusion->clear();
        return;
    }
    const DropoutRunResult& r = scored->result;
    m_gallery->setImages(r.gallery, m_data.rows, m_data.cols, m_data.classNames);
    QString caption = tr("The %1 test images with the highest predictive entropy for %2, MC dropout with T = %3 "
                         "passes (averaging %4). Hover over an image for its probabilities.")
                          .arg(r.gallery.size())
                          .arg(scored->name)
                          .arg(int(r.ensembleAcc.size()))
                          .arg(m_averageProbabilities ? tr("probabilities") : tr("logits"));
    if (scored->p == 0.0)
        caption += tr(" With p = 0 every pass is the same net: this is the plain net's own uncertainty.");
    m_galleryCaption->setText(caption);

    // The passes offered are the matrices the run has; the same choice is kept when p changes.
    const QVariant previous = m_passes->currentData();
    {
        const QSignalBlocker block(m_passes);
        m_passes->clear();
        for (const ConfusionMatrix& matrix : r.confusion)
            m_passes->addItem(matrix.passes == 0 ? tr("one pass, dropout off") : tr("T = %1 passes").arg(matrix.passes),
                              matrix.passes);
        int index = previous.isValid() ? m_passes->findData(previous) : -1;
        if (index < 0)
            index = m_passes->count() - 1; // the largest ensemble
        m_passes->setCurrentIndex(index);
    }
    showConfusion();
}

void UncertaintyPage::showConfusion()
{
    const Scored* scored = chosen();
    const QVariant passesData = m_passes->currentData();
    if (!scored || !passesData.isValid()) {
        m_confusion->clear();
        return;
    }
    const int passes = passesData.toInt();
    const auto matrix = std::find_if(scored->result.confusion.begin(), scored->result.confusion.end(),
                                     [passes](const ConfusionMatrix& m) { return m.passes == passes; });
    if (matrix == scored->result.confusion.end()) {
        m_confusion->clear();
        return;
    }
    m_confusion->setMatrix(matrix->counts, m_data.classNames);
    m_confusion->setTitle(tr("Confusion matrix of %1, %2").arg(scored->name, passesText(passes)));
    m_confusionCaption->setText(tr("Confusion matrix of %1, %2: %3 % of %4 test images right.")
                                    .arg(scored->name, passesText(passes))
                                    .arg(percentNumber(m_confusion->accuracy(), 2))
                                    .arg(QLocale().toString(m_confusion->total())));
}

} // namespace initlab::ui
