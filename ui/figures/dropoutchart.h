#pragma once
// DropoutChart is one chart of the Dropout tab: a few curves (one per dropout probability p, in
// that p's colour) against epochs or against the ensemble size T on a log axis, plus dashed
// horizontal reference lines (each p's one-pass accuracy). Changes are collected and pushed to Qt
// Charts by refresh(), which the owner calls on a timer, so a run costs a few repaints per second
// instead of one per value. The value axis follows the data; NaN and infinities are never handed
// to it (a diverged run's curve simply stops).

#include "chartfigure.h"

#include <QColor>
#include <QPointF>
#include <QString>
#include <QVector>
#include <QWidget>

#include <vector>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace initlab::ui {

class DropoutChart : public ChartFigure
{
    Q_OBJECT

public:
    enum class XScale { Linear, Log };

    // xName and yName word the hover tooltip ("epoch 3, validation accuracy 87.2 %").
    DropoutChart(const QString& title, const QString& xTitle, const QString& yTitle, XScale xScale,
                 QWidget* parent = nullptr);

    void setXRange(double minimum, double maximum);
    // Values shown with this suffix in tooltips (" %"), and this many decimals.
    void setValueFormat(const QString& suffix, int decimals);
    // Keeps the value axis within [minimum, maximum] (accuracies within 0-100 %).
    void setValueLimits(double minimum, double maximum);

    int addCurve(const QString& name, const QColor& color);
    void appendPoint(int curve, const QPointF& point);
    void setPoints(int curve, const QVector<QPointF>& points);
    // A dashed horizontal line at y over the x range, not in the legend (the chart's note says
    // what dashed lines are).
    int addReferenceLine(const QString& name, const QColor& color, double y);
    void clear();
    // How the CSV names things: key columns (each curve's values set by setCurveKeys; default a
    // "curve" column with its name), the x and value columns, and a factor for the values (0.01
    // writes a percentage as a fraction). A reference line is a row whose x is referenceX (left
    // out when that is empty).
    void setDataColumns(const QStringList& keyColumns, const QString& xColumn, const QString& valueColumn,
                        double valueScale = 1.0, const QString& referenceX = QString());
    // curve: an id from addCurve() or addReferenceLine().
    void setCurveKeys(int curve, const QStringList& keys);

    // Pushes what changed since the last call to the chart.
    void refresh() override;

    QAbstractAxis* xAxis() const;
    QValueAxis* valueAxis() const;

    int curveCount() const;
    QString curveName(int curve) const;
    QColor curveColor(int curve) const;
    // Points the curve shows (after the last refresh()).
    int plottedPointCount(int curve) const;
    QVector<QPointF> points(int curve) const;
    int referenceLineCount() const;
    double referenceValue(int line) const;
    QColor referenceColor(int line) const;

    // ExportableFigure (with ChartFigure): the chart in the print look, the dashed lines named in
    // its legend.
    QList<CsvTable> figureTables() const override;

protected:
    QList<chartexport::LegendEntry> legendEntries() const override;
    // Qt's legend (squares, no dashed lines) is left out of the figure.
    void beginExport(const QRectF& chartArea) override;
    void endExport() override;

private:
    struct Curve {
        QString name;
        QColor color;
        QVector<QPointF> points;
        QLineSeries* series = nullptr;
        bool reference = false;
        double referenceY = 0.0;
        QStringList keys;
    };

    int addSeries(Curve curve);
    void showValueTip(const Curve& curve, const QPointF& point);
    void updateXAxis();
    void updateValueRange();

    QAbstractAxis* m_xAxis = nullptr;
    QValueAxis* m_valueAxis = nullptr;
    XScale m_xScale;
    QString m_xTitle;
    QString m_yTitle;
    QString m_suffix;
    int m_decimals = 3;
    double m_limitLow = -1e300;
    double m_limitHigh = 1e300;
    double m_xMin = 0.0;
    double m_xMax = 1.0;
    std::vector<Curve> m_curves;
    QStringList m_keyColumns;
    QString m_xColumn = QStringLiteral("x");
    QString m_valueColumn = QStringLiteral("value");
    double m_valueScale = 1.0;
    QString m_referenceX;
    bool m_dirty = true;
    bool m_legendShown = false; // while a figure is exported
};

} // namespace initlab::ui
