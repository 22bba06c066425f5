#pragma once
// CirclesCurveChart is one of the circles lab's training charts: a quantity per epoch (training
// loss, training or validation accuracy), one line per init scheme in the scheme's colour. The
// owner hands it whole per-epoch vectors; refresh(), called on a ~30 Hz timer, thins them to a
// few hundred points and pushes them with QXYSeries::replace(), so a run of thousands of epochs
// costs a few repaints per second. A NaN ends a line: the model (or all seeds of the setting)
// diverged there. No legend of its own: the tab's charts share one (CurveLegend).

#include "chartfigure.h"

#include <QColor>
#include <QString>
#include <QVector>
#include <QWidget>

#include <vector>

QT_BEGIN_NAMESPACE
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace initlab::ui {

class CirclesCurveChart : public ChartFigure
{
    Q_OBJECT

public:
    enum class Kind { Loss, Accuracy };

    CirclesCurveChart(const QString& title, const QString& valueTitle, Kind kind, QWidget* parent = nullptr);

    void setTitle(const QString& title);
    QString title() const;
    // The x range: epochs 1..epochs.
    void setEpochs(int epochs);
    int epochs() const;

    // Returns the curve's id.
    int addCurve(const QString& name, const QColor& color);
    // Values for epochs 1..values.size().
    void setCurveValues(int curve, const QVector<float>& values);
    void clearCurves();
    // What the CSV calls a curve: column names and each curve's values for them (default: a
    // "curve" column with its name). The CSV is keys..., epoch, value, one row per plotted point.
    void setKeyColumns(const QStringList& columns);
    void setCurveKeys(int curve, const QStringList& keys);
    // Pushes what changed since the last call to the chart.
    void refresh() override;
    // A vertical line at epoch, the epoch the tab's playback shows; 0 hides it.
    void setCursorEpoch(int epoch);
    int cursorEpoch() const { return m_cursorEpoch; }

    int curveCount() const;
    QString curveName(int curve) const;
    QColor curveColor(int curve) const;
    // Points of the curve on the chart after thinning.
    int plottedPointCount(int curve) const;
    // Epochs the curve has values for, before thinning.
    int valueCount(int curve) const;
    QValueAxis* epochAxis() const;
    QValueAxis* valueAxis() const;

    // ExportableFigure (with ChartFigure): the chart with its own legend, in the print look.
    QList<CsvTable> figureTables() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;
    QList<chartexport::LegendEntry> legendEntries() const override;
    // The epoch ticks follow the export's width.
    void beginExport(const QRectF& chartArea) override;
    void endExport() override;

private:
    // Ticks at a round interval, as many as labels of this width of plot hold without Qt eliding
    // them ("10…" for 1000 on a narrow chart).
    void updateEpochTicks(double plotWidth);

    struct Curve {
        QString name;
        QColor color;
        QVector<float> values;
        QStringList keys;
        bool changed = true;
        QLineSeries* series = nullptr;
    };

    void updateValueRange();
    void placeCursor();

    QValueAxis* m_epochAxis = nullptr;
    QLineSeries* m_cursor = nullptr;
    int m_cursorEpoch = 0;
    QValueAxis* m_valueAxis = nullptr;
    Kind m_kind = Kind::Loss;
    int m_epochs = 1;
    bool m_dirty = true;
    std::vector<Curve> m_curves;
    QStringList m_keyColumns;
};

} // namespace initlab::ui
