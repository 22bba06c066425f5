#include "chartfigure.h"

#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QLegend>
#include <QVBoxLayout>

namespace initlab::ui {

ChartFigure::ChartFigure(const QString& title, QWidget* parent)
    : QWidget(parent)
    , m_chart(new QChart)
{
    m_chart->setTitle(title);
    QFont titleFont = m_chart->titleFont();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() + 1);
    m_chart->setTitleFont(titleFont);
    // Live data replace the series many times a second; animating each replacement would lag.
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setBackgroundRoundness(0);
    m_chart->setMargins(QMargins(4, 2, 4, 2));
    m_chart->legend()->hide();
}

QVBoxLayout* ChartFigure::createView(const QSize& minimumSize)
{
    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumSize(minimumSize);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    chartexport::applyChartPalette(m_chart, palette());
    chartexport::installContextMenu(m_view, this, [this] { return chartexport::exportName(this, figureTitle()); });
    return layout;
}

QChart* ChartFigure::chart() const
{
    return m_chart;
}

QChartView* ChartFigure::view() const
{
    return m_view;
}

QString ChartFigure::figureTitle() const
{
    return m_chart->title();
}

void ChartFigure::renderFigure(QPainter& painter, const QRectF& target)
{
    refresh();
    const QList<chartexport::LegendEntry> entries = legendEntries();
    const double legendHeight = chartexport::legendHeight(entries, target.width(), font());
    const double noteSpace = noteHeight(target.width());
    QRectF chartArea = target;
    chartArea.setBottom(target.bottom() - legendHeight - noteSpace);

    beginExport(chartArea);
    chartexport::applyChartPalette(m_chart, chartexport::printPalette());
    chartexport::renderChart(m_chart, painter, chartArea, chartArea.size());
    chartexport::applyChartPalette(m_chart, palette());
    endExport();

    chartexport::drawLegend(painter, QRectF(target.left(), chartArea.bottom(), target.width(), legendHeight), entries,
                            font());
    if (noteSpace > 0.0)
        drawNote(painter, QRectF(target.left(), chartArea.bottom() + legendHeight, target.width(), noteSpace));
}

double ChartFigure::noteHeight(double) const
{
    return 0.0;
}

void ChartFigure::drawNote(QPainter&, const QRectF&) const {}

void ChartFigure::beginExport(const QRectF&) {}

void ChartFigure::endExport() {}

void ChartFigure::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        chartexport::applyChartPalette(m_chart, palette());
    QWidget::changeEvent(event);
}

} // namespace initlab::ui
