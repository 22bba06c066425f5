#pragma once
// CirclesSettingsForm is the circles lab's column of settings: the data (two rings, with a preview
// of the first seed's points), the normalizations to train, and the net with its training. It
// reads and writes them as a CirclesConfig and says why when they cannot be run.
//
// Its fields are laid out a given number of items a row, an item being a label with its field or a
// lone check box: on a wide window two "label field" pairs a row keep the column short; below that
// one a row keeps it narrow, so that the tab's views fit beside it (1280 x 800). The tab chooses
// with arrange().

#include "initlab/circles.h"

#include <QTimer>
#include <QWidget>

#include <array>
#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;
QT_END_NAMESPACE

namespace initlab::ui {

class BoundaryCanvas;

class CirclesSettingsForm : public QWidget
{
    Q_OBJECT

public:
    // How often a run started from the form reports: ~12 boundary images a second, history in
    // blocks of that age.
    static constexpr int kReportIntervalMs = 80;

    explicit CirclesSettingsForm(QWidget* parent = nullptr);

    // The config the fields describe, or nullopt with the reason in *error. lastGoodValues: a spin
    // box holding what is not a number in its range gives its last one that was (to save the
    // settings with), rather than make the config unreadable.
    std::optional<CirclesConfig> config(QString* error = nullptr, bool lastGoodValues = false) const;
    // Sets every field from a config (as read from an experiment file).
    void setConfig(const CirclesConfig& config);
    void setSeeds(int seeds);
    int epochs() const;
    double scaledFactor() const;
    double normalStd() const;
    // The next run as far as a preview needs it, whatever the rest of the fields say: the data, the
    // checked inits and normalizations, the factor and σ.
    CirclesConfig previewConfig() const;
    BoundaryCanvas* dataView() const;

    // One item a row, or as many as the wide arrangement has.
    void arrange(bool narrow);
    bool isNarrow() const;

public Q_SLOTS:
    // Draws the first seed's data as the fields describe it. The fields call it themselves shortly
    // after they change.
    void updateDataView();

Q_SIGNALS:
    // The preview shows valid data again: the first seed's, of the settings previewConfig() gives.
    void dataPreviewed(const initlab::CirclesData& firstSeed);
    // Return was pressed in the hidden sizes.
    void submitted();

private:
    struct FlowGrid {
        QGridLayout* layout = nullptr;
        QList<QList<QWidget*>> items;
        int wideColumns = 2;
        int narrowColumns = 1;
    };

    QGroupBox* buildDataBox();
    QGroupBox* buildNormalizationBox();
    QGroupBox* buildNetBox();
    void makeDataFields();
    void makeDataView();
    void makeNetFields();
    void makeTrainingFields();
    FlowGrid makeInitFlow();
    void connectFields();
    static void addFlowField(FlowGrid& grid, const QString& text, QWidget* field);
    void arrangeFlow(FlowGrid& flow, bool narrow);
    void fitDataBoxHeight();
    CirclesDataConfig dataConfig() const;

    // data
    QDoubleSpinBox* m_centerX = nullptr;
    QDoubleSpinBox* m_centerY = nullptr;
    QDoubleSpinBox* m_innerRadius = nullptr;
    QDoubleSpinBox* m_outerRadius = nullptr;
    QDoubleSpinBox* m_noise = nullptr;
    QSpinBox* m_trainSize = nullptr;
    QSpinBox* m_validationSize = nullptr;
    QSpinBox* m_testSize = nullptr;
    QSpinBox* m_seed = nullptr;
    QComboBox* m_dataSpace = nullptr;
    BoundaryCanvas* m_dataView = nullptr;
    QLabel* m_dataNote = nullptr;
    // normalization
    std::array<QCheckBox*, 3> m_normalizations{}; // in allNormalizations() order
    QDoubleSpinBox* m_factor = nullptr;
    // net and training
    QLineEdit* m_hidden = nullptr;
    QComboBox* m_activation = nullptr;
    std::vector<QCheckBox*> m_inits; // in allInitSchemes() order
    QDoubleSpinBox* m_sigma = nullptr;
    QDoubleSpinBox* m_learningRate = nullptr;
    QDoubleSpinBox* m_weightDecay = nullptr;
    QSpinBox* m_epochs = nullptr;
    QSpinBox* m_seeds = nullptr;
    QSpinBox* m_resolution = nullptr;

    std::vector<FlowGrid> m_flowGrids;
    bool m_narrow = false;
    QTimer m_dataTimer;
};

} // namespace initlab::ui
