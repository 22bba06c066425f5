#pragma once
// CirclesViews is what the circles lab shows of a run: CirclesFigures' training curves for one
// normalization, a comparison grid with a small decision-boundary canvas per (init, normalization),
// the big canvas of one setting, and the summary table over seeds once the run has ended. While a
// run goes on, the grid shows the first seed of every setting live and the big canvas one of them;
// afterwards, each setting's best seed with its best-validation weights. Before the first run the
// grid and the big canvas preview the settings the form describes.
//
// "Looking at" a setting (normalization, init) ties the views together: the charts show that
// normalization, the grid and the table mark the setting, and the big canvas shows its model -
// the first seed while training, the best seed afterwards.

#include "initlab/circles.h"
#include "initlab/circlessnapshots.h"

#include "figures/chartexport.h"

#include <QWidget>

#include <optional>
#include <utility>
#include <vector>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLayout;
QT_END_NAMESPACE

namespace initlab::ui {

class BoundaryCanvas;
class CirclesComparisonGrid;
class CirclesPlayback;
class CirclesFigures;
class CirclesSettingsForm;
class CirclesSummaryTable;
class UnitMapsFigure;

class CirclesViews : public QWidget
{
    Q_OBJECT

public:
    // The form gives the settings of the next run, which the views preview before the first one;
    // exportButton goes at the end of the row above the views.
    CirclesViews(const CirclesSettingsForm& form, QWidget* exportButton, QWidget* parent = nullptr);

    // Before the first run: the grid and the big canvas preview the form's next run on the first
    // seed's data. Afterwards nothing.
    void previewNextRun(const CirclesData& firstSeed);
    // A run of config begins: empty curves, a grid of its settings, no table.
    void beginRun(const CirclesConfig& config);
    void appendHistory(const HistoryBlock& block);
    // A live boundary image of the running config: the grid shows the first seeds', the big canvas
    // the one looked at. Kept until refresh() draws it (a newer image of the same model replaces it):
    // the worker sends them in bursts, and drawing each as it comes would hold up the window. False
    // when the model is not in the run.
    bool showLiveBoundary(const BoundaryImage& image);
    // False when the model is not in the run.
    bool modelDiverged(int model, int epoch);
    // The run ended with result: the table, and the best seeds' final boundaries.
    void showResult(std::shared_ptr<const CirclesResult> result);
    // The run ended with an error.
    void showFailure();
    // A recorded run of config, whose boundaries were not recorded.
    void showRecordedResult(const CirclesConfig& config, const CirclesResult& result);
    // Pushes the curves' changes to the charts and draws the live boundaries kept, as many as fit
    // into budgetMs (the rest at the next refresh); a negative budget draws them all.
    void refresh(int budgetMs = -1);

    void lookAt(Normalization normalization, InitScheme init);
    Normalization viewedNormalization() const;
    InitScheme viewedInit() const;
    // The model of the run the big canvas shows (also while its next frame is being drawn), -1 for
    // none.
    int shownModel() const;
    // The model the big canvas shows, or would show, for the setting looked at; -1 for none.
    int modelToShow() const;

    // The config of the running or last run.
    const CirclesConfig& runConfig() const;
    // The result of the last run, once it has ended.
    const CirclesResult* result() const;
    std::shared_ptr<const CirclesResult> sharedResult() const { return m_result; }
    // The recorded run shown, now with its boundaries (drawn from its snapshots).
    void showRecordedBoundaries(std::shared_ptr<const CirclesResult> completed);
    const std::vector<CirclesSummaryRow>& summary() const;
    // Models of the run that diverged so far.
    int divergedCount() const;
    // A setting of the run by its index (normalization-major): "Standardized + Xavier uniform".
    QString settingTitle(int group) const;
    double successThreshold() const;
    void setSuccessThreshold(double threshold);

    CirclesFigures* figures() const;
    CirclesPlayback* playback() const { return m_playback; }
    // The models a playback frame draws: each grid cell's best seed, and the big canvas's model.
    std::vector<int> frameModels() const;
    // A playback frame: the models' boundaries at one recorded epoch, in the cells and the canvas.
    void showFrame(const std::vector<BoundaryImage>& images);
    // Back from playback: each model at its best epoch after a run; while training, as it trains.
    void showBest();
    // The hidden units of the model on the big canvas (ignored for another model).
    void showUnits(const UnitMaps& maps, const std::vector<int>& diedAt);
    void clearUnits(const QString& why);
    UnitMapsFigure* unitMaps() const;
    // The curves, the big canvas, the form's data preview and every cell of the grid.
    QList<NamedFigure> exportFigures() const;

Q_SIGNALS:
    // The big canvas drew a new boundary image.
    void canvasUpdated();
    // A setting was looked at: the big canvas's model (and so the hidden units') may have changed.
    void viewedModelChanged();

private:
    QLayout* buildViewRow(QWidget* exportButton);
    QGroupBox* buildGridBox();
    QGroupBox* buildCanvasBox();
    QGroupBox* buildSummaryBox();
    QGroupBox* buildUnitsBox();
    void connectViews();

    void startShowing(const CirclesConfig& config);
    std::pair<Normalization, InitScheme> settingToView(const CirclesConfig& config) const;
    void fillViewCombo(const std::vector<Normalization>& normalizations, double scaledFactor);
    void resetGrid(const CirclesConfig& config, const CirclesData& firstSeed);
    int groupIndex(Normalization normalization, InitScheme init) const; // -1 when not in the run
    int groupCount() const;
    int modelOf(int group, int seedIndex) const;
    BoundaryCanvas* cellOfGroup(int group) const;
    // The cell showing model: its setting's best seed after a run, the first seed while training.
    BoundaryCanvas* cellShowing(int model) const;
    void showOnCanvas();
    void showNothingOnCanvas();
    void showFinalOnCanvas(int model);
    void showLiveOnCanvas(int model);
    void showFinalBoundaries();
    void updateCellCaption(int group);
    void showCellVerdict(int group, const CirclesSummaryRow& row);
    void updateSummary();
    NormalizationMap liveMap(Normalization normalization) const;

    const CirclesSettingsForm& m_form;
    QComboBox* m_view = nullptr;
    QComboBox* m_canvasSpace = nullptr;
    QCheckBox* m_testPoints = nullptr;
    CirclesFigures* m_figures = nullptr;
    BoundaryCanvas* m_canvas = nullptr;
    CirclesPlayback* m_playback = nullptr;
    UnitMapsFigure* m_units = nullptr;
    CirclesComparisonGrid* m_grid = nullptr;
    CirclesSummaryTable* m_table = nullptr;
    QDoubleSpinBox* m_threshold = nullptr;
    QLabel* m_summaryNote = nullptr;

    CirclesConfig m_runConfig;
    bool m_hasRun = false;
    CirclesData m_firstSeedData; // the data of the run's first seed, for the live canvases
    std::vector<int> m_divergedEpoch; // per model, 0 = not diverged
    std::map<int, BoundaryImage> m_pendingBoundaries; // per model, the newest live image not drawn yet
    void drawLiveBoundary(const BoundaryImage& image);
    std::shared_ptr<const CirclesResult> m_result;
    std::vector<CirclesSummaryRow> m_summary;
    InitScheme m_viewInit = InitScheme::XavierUniform;
    int m_canvasModel = -1;
    bool m_canvasFinal = false;
};

} // namespace initlab::ui
