#pragma once
// ChartFigure is what the Qt Charts figures (LayerChart, CirclesCurveChart, DropoutChart) share: a
// titled chart without animation (live data replace its series many times a second) in a view that
// follows the widget's palette and offers the export menu on a right click, and the export itself:
// the chart drawn in the print palette above a legend of its own (a tab's shared legend is not in
// the figure), with room for a note under the legend. A subclass adds its axes and curves, places
// the view with createView(), and names the legend's entries.

#include "chartexport.h"

#include <QWidget>

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QVBoxLayout;
QT_END_NAMESPACE

namespace initlab::ui {

class ChartFigure : public QWidget, public ExportableFigure
{
    Q_OBJECT

public:
    QChart* chart() const;
    QChartView* view() const;
    // Pushes what changed since the last call to the chart (a run calls it on a timer).
    virtual void refresh() = 0;

    // ExportableFigure: the chart's title; the chart, its legend and its note in the print look.
    QString figureTitle() const override;
    void renderFigure(QPainter& painter, const QRectF& target) override;

protected:
    ChartFigure(const QString& title, QWidget* parent);
    // The chart's view at this minimum size in a margin-free layout, which is returned for whatever
    // goes under the view.
    QVBoxLayout* createView(const QSize& minimumSize);
    void changeEvent(QEvent* event) override;

    // The export's legend, and a note under it (none by default).
    virtual QList<chartexport::LegendEntry> legendEntries() const = 0;
    virtual double noteHeight(double width) const;
    virtual void drawNote(QPainter& painter, const QRectF& area) const;
    // Around the drawing at the export's size: what the chart shows differently on paper.
    virtual void beginExport(const QRectF& chartArea);
    virtual void endExport();

    QChart* const m_chart;
    QChartView* m_view = nullptr;
};

} // namespace initlab::ui
