#pragma once
// LayerChart is one of the Deep tab's charts: a quantity per layer (x = layer 1..depth) on a log10
// axis, one curve per experiment, filled in live. A log axis cannot show zeros or NaN/Inf, so a
// curve is broken at such layers and a note under the chart names the curve and the layers
// ("Zeros + tanh: vanished from layer 1"): nothing is dropped silently and the axis only ever sees
// positive finite numbers. Changes are collected and pushed to Qt Charts by refresh(), which the
// owner calls on a timer, so a run costs a few repaints per second instead of one per value.
// The chart draws no legend of its own: the Deep tab's charts share one (CurveLegend), because a
// combination has the same colour on all of them and Qt's one-row legend would cut the names.
// Exported figures (see chartexport.h) draw a legend of their own under the chart, since the shared
// one is not in them.

#include "chartfigure.h"

#include <QColor>
#include <QList>
#include <QString>
#include <QVector>
#include <QWidget>

#include <vector>

QT_BEGIN_NAMESPACE
class QLabel;
class QLineSeries;
class QLogValueAxis;
class QValueAxis;
QT_END_NAMESPACE

namespace initlab::ui {

class LayerChart : public ChartFigure
{
    Q_OBJECT

public:
    enum class LineStyle { Solid, Dashed, Dotted };

    LayerChart(const QString& title, const QString& valueTitle, QWidget* parent = nullptr);

    void setLayerCount(int layers);
    int layerCount() const;

    // Returns the curve's id.
    int addCurve(const QString& name, const QColor& color, LineStyle style = LineStyle::Solid);
    void setCurveVisible(int curve, bool visible);
    // layer counts from 1; value is a magnitude (|mean| or std), so <= 0 means it vanished.
    void setValue(int curve, int layer, double value);
    void resetValues(int curve);
    void clearCurves();
    // What the CSV calls a curve: column names, and each curve's values for them (default: a
    // "curve" column with the curve's name). The CSV is keys..., layer, value, trailing keys...;
    // a curve's keys list the leading ones, then the trailing ones.
    void setKeyColumns(const QStringList& columns, const QStringList& trailingColumns = {});
    void setCurveKeys(int curve, const QStringList& keys);

    // Pushes what changed since the last call to the chart.
    void refresh() override;

    QValueAxis* layerAxis() const;
    QLogValueAxis* valueAxis() const;
    QLabel* noteLabel() const;

    int curveCount() const;
    QString curveName(int curve) const;
    LineStyle curveStyle(int curve) const;
    QColor curveColor(int curve) const;
    bool isCurveVisible(int curve) const;
    // Points of the curve on the chart (its positive finite values), over all its segments.
    int plottedPointCount(int curve) const;
    int visibleCurveCount(LineStyle style) const;
    // The note under the chart as plain text, one line per curve with a gap.
    QString noteText() const;

    // ExportableFigure (with ChartFigure): the chart, a legend of its visible curves and the note.
    // keys..., layer, value: every known value of every visible curve (0 where it vanished).
    QList<CsvTable> figureTables() const override;

protected:
    QList<chartexport::LegendEntry> legendEntries() const override;
    double noteHeight(double width) const override;
    void drawNote(QPainter& painter, const QRectF& area) const override;

private:
    struct Curve {
        QString name;
        QColor color;
        LineStyle style = LineStyle::Solid;
        bool visible = true;
        bool changed = true; // values changed since the series were last replaced
        QVector<double> values; // per layer; meaningful where known
        QVector<bool> known;
        QStringList keys;
        std::vector<QLineSeries*> segments; // one per unbroken run of plottable layers
    };

    QLineSeries* createSeries(int curve);
    void showValueTip(int curve, const QPointF& point);
    void removeSeries(QLineSeries* series);
    void updateRange(double lowest, double highest);
    void updateNote();

    QValueAxis* m_layerAxis = nullptr;
    QLogValueAxis* m_valueAxis = nullptr;
    QLabel* m_note = nullptr;
    QString m_noteText;
    QStringList m_keyColumns;
    QStringList m_trailingKeyColumns;
    std::vector<Curve> m_curves;
    int m_layers = 1;
    bool m_dirty = true;
};

} // namespace initlab::ui
