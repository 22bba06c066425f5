#pragma once
// CirclesPanel is the "Circles lab" tab (experiment 2): two concentric rings, a small net, and the
// question whether input normalization and weight initialization let it learn them. One "Train
// all" click trains every selected init scheme × normalization × seed on the CirclesWorker's thread
// and shows, live: training loss and training/validation accuracy per scheme (for the
// normalization being looked at), a big decision-boundary canvas, and a grid of small canvases,
// one per (init, normalization). When the run ends a summary table gives mean ± sd test accuracy,
// success rate, best seed, dead units and divergences per setting.
//
// "Looking at" a setting (normalization, init) ties the views together: the charts show that
// normalization, the grid and the table mark the setting, and the big canvas shows its model -
// the first seed while training, the best seed afterwards.

#include "experiments/experimentpanel.h"
#include "experiments/metatypes.h"

#include "initlab/circles.h"
#include "initlab/experimentfile.h"

#include <QTimer>

#include <array>
#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QGridLayout;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QScrollArea;
class QSpinBox;
QT_END_NAMESPACE

namespace initlab::ui {

class BoundaryCanvas;
class CirclesComparisonGrid;
class CirclesCurveChart;
class CirclesSummaryTable;
class CirclesWorker;
class CurveLegend;

class CirclesPanel : public ExperimentPanel {
    Q_OBJECT

public:
    enum class Chart { TrainLoss, TrainAccuracy, ValidationAccuracy };

    // The worker lives on another thread and outlives the panel's runs; the panel does not own it.
    explicit CirclesPanel(CirclesWorker* worker, QWidget* parent = nullptr);

    // ExperimentPanel: Train all.
    bool start() override;
    QList<NamedFigure> exportFigures() const override;
    std::string experimentJson() const override;
    void applyExperiment(const ExperimentFile& file) override;
    bool showRecord(const RunRecord& record, QString* error = nullptr) override;
    bool rerun(const RunRecord& record) override;

    // Trains every selected init × normalization × seed with the settings in the controls. False
    // (with the reason in the status line) when a run is going on or the settings are invalid.
    bool trainAll();
    // Runs exactly this config. The panel shows live boundaries of the first seed of every setting.
    bool runConfig(const CirclesConfig& config);

    // The config the controls describe, or nullopt with the reason in *error.
    std::optional<CirclesConfig> configFromControls(QString* error = nullptr) const;
    // Settings of the tab that are not the runner's (the success threshold).
    CirclesExtras extras() const;
    // Sets every setting control from a config (as read from an experiment file).
    void setConfig(const CirclesConfig& config, const CirclesExtras& extras = {});
    // The config of the running or last run.
    const CirclesConfig& runConfig() const;
    // Runs per setting of the next run.
    void setSeeds(int seeds);
    // Draws a recorded run's curves and summary table as a run of this config would, without
    // running; the boundaries are not recorded and need a re-run. False (with the reason on the
    // status line) while a run goes on or when the result does not fit the config.
    bool showRecordedResult(const CirclesConfig& config, const CirclesResult& result);
    // The setting the charts and the big canvas are about.
    Normalization viewedNormalization() const;
    InitScheme viewedInit() const;
    void lookAt(Normalization normalization, InitScheme init);
    // The model of the last or current run the big canvas shows, -1 for none.
    int shownModel() const;
    const std::optional<CirclesResult>& lastResult() const;

    // Controls, for tests and the application's command-line options.
    QSpinBox* epochsSpin() const;
    QSpinBox* seedsSpin() const;
    QSpinBox* resolutionSpin() const;
    QLineEdit* hiddenEdit() const;
    QDoubleSpinBox* thresholdSpin() const;
    QCheckBox* initCheckBox(InitScheme scheme) const;
    QCheckBox* normalizationCheckBox(Normalization normalization) const;
    QComboBox* viewCombo() const;
    QComboBox* canvasSpaceCombo() const;
    QCheckBox* testPointsToggle() const;
    QPushButton* trainAllButton() const;
    CirclesCurveChart* chart(Chart which) const;
    CurveLegend* legend() const;
    BoundaryCanvas* canvas() const;
    BoundaryCanvas* dataView() const;
    CirclesComparisonGrid* grid() const;
    CirclesSummaryTable* summaryTable() const;

Q_SIGNALS:
    void runFinished(const initlab::CirclesResult& result);
    // The big canvas drew a new boundary image.
    void canvasUpdated();

protected:
    void resizeEvent(QResizeEvent* event) override;
    void refreshViews() override;
    void updateControls() override;

private:
    // Settings laid out a given number of items a row, an item being a label with its field or a
    // lone check box: on a wide window two "label field" pairs a row keep the controls column short;
    // below that one a row keeps it narrow, so that the views fit beside it (1280 x 800).
    struct FlowGrid {
        QGridLayout* layout = nullptr;
        QList<QList<QWidget*>> items;
        int wideColumns = 2;
        int narrowColumns = 1;
    };
    // Per (normalization, init) of the running or last run: the curves, mean over seeds.
    struct Group {
        Normalization normalization = Normalization::Raw;
        InitScheme init = InitScheme::Heuristic;
        QVector<float> trainLoss, trainAccuracy, validationAccuracy;
        bool changed = false;
    };

    QWidget* buildControls();
    QWidget* buildViews();
    static void addFlowField(FlowGrid& grid, const QString& text, QWidget* field);
    void arrangeControls(bool narrow);
    // Sets up the views for a run (or a recorded run) of config.
    void prepareViews(const CirclesConfig& config);
    void onHistory(const HistoryBlock& block);
    void appendHistory(const HistoryBlock& block);
    void onBoundary(const BoundaryImage& image);
    void onDiverged(int model, int epoch);
    void onFinished(const CirclesResult& result);

    int groupIndex(Normalization normalization, InitScheme init) const; // -1 when not in the run
    int modelOf(int group, int seedIndex) const;
    // The model the big canvas should show for the viewed setting.
    int modelToShow() const;
    void showOnCanvas();
    void showFinalBoundaries();
    void updateCellCaption(int group);
    void rebuildCharts();
    void refreshCharts();
    void updateDataView();
    void updateSummary();
    NormalizationMap liveMap(Normalization normalization) const;
    QString groupTitle(int group) const;

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
    std::array<QCheckBox*, 3> m_normalizations{};
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
    // run
    QPushButton* m_trainAll = nullptr;
    // views
    QComboBox* m_view = nullptr;
    QLabel* m_curveNote = nullptr;
    QComboBox* m_canvasSpace = nullptr;
    QCheckBox* m_testPoints = nullptr;
    std::array<CirclesCurveChart*, 3> m_charts{};
    CurveLegend* m_legend = nullptr;
    BoundaryCanvas* m_canvas = nullptr;
    CirclesComparisonGrid* m_grid = nullptr;
    CirclesSummaryTable* m_table = nullptr;
    QDoubleSpinBox* m_threshold = nullptr;
    QLabel* m_summaryNote = nullptr;
    // layout
    std::vector<FlowGrid> m_flowGrids;
    QScrollArea* m_controlsScroll = nullptr;
    QWidget* m_runBox = nullptr; // below the scrolled settings, so that Train all is always in sight
    QScrollArea* m_viewsScroll = nullptr;
    bool m_narrowControls = false;
    int m_wideControlsWidth = 0;

    QTimer m_dataTimer;
    CirclesConfig m_runConfig;
    CirclesData m_firstSeedData; // the data of the run's first seed, for the live canvases
    std::vector<Group> m_groups; // normalization-major, as the runner orders models
    std::vector<int> m_chartCurves; // per group, its curve on the charts; -1 when not shown
    std::vector<int> m_divergedEpoch; // per model, 0 = not diverged
    int m_epochsDone = 0;
    std::optional<CirclesResult> m_result;
    std::vector<CirclesSummaryRow> m_summary;
    Normalization m_viewNormalization = Normalization::Standard;
    InitScheme m_viewInit = InitScheme::XavierUniform;
    int m_canvasModel = -1;
    bool m_canvasFinal = false;
};

} // namespace initlab::ui
