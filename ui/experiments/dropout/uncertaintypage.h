#pragma once
// UncertaintyPage is the dropout tab's "Uncertainty" page: for one scored p (chosen in a combo; the
// latest until the user picks one) the test images the MC-dropout ensemble is least sure about, and
// the confusion matrix of its one dropout-off pass or of one of its ensembles.

#include "dropoutworker.h"

#include "initlab/dropout.h"

#include <QColor>
#include <QString>
#include <QWidget>

#include <vector>

QT_BEGIN_NAMESPACE
class QComboBox;
class QHBoxLayout;
class QLabel;
QT_END_NAMESPACE

namespace initlab::ui {

class ConfusionMatrixView;
class GalleryView;

class UncertaintyPage : public QWidget
{
    Q_OBJECT

public:
    explicit UncertaintyPage(QWidget* parent = nullptr);

    // A run on these data begins: nothing is shown until its first p is scored.
    void beginRun(const DataSummary& data, bool averageProbabilities);
    // What the gallery and the matrix say while they have nothing to show.
    void setPlaceholders(const QString& gallery, const QString& confusion);
    // p number run (named and coloured so) is scored; it is offered when it has confusion matrices.
    void addResult(int run, double p, const QString& name, const QColor& color, const initlab::DropoutRunResult& result);

    ConfusionMatrixView* confusionMatrix() const;

private:
    // What one scored p has to show.
    struct Scored {
        int run = 0;
        double p = 0.0;
        QString name;
        QColor color;
        initlab::DropoutRunResult result;
    };

    QHBoxLayout* buildChoices();
    QWidget* buildViews();
    void updateChoices();
    const Scored* chosen() const;
    void showUncertainty();
    void showConfusion();

    QComboBox* m_p = nullptr;
    QComboBox* m_passes = nullptr;
    GalleryView* m_gallery = nullptr;
    QLabel* m_galleryCaption = nullptr;
    ConfusionMatrixView* m_confusion = nullptr;
    QLabel* m_confusionCaption = nullptr;

    std::vector<Scored> m_scored;
    DataSummary m_data;
    bool m_averageProbabilities = true;
    bool m_pChosen = false; // the user picked the p in this run
};

} // namespace initlab::ui
