#include "circlescurvechart.h"

#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QEvent>
#include <QLegend>
#include <QLineSeries>
#include <QPainter>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace initlab::ui {
namespace {

// More points than pixels across buys nothing; this many keep replace() cheap at 30 Hz.
constexpr int kMaxPoints = 600;

// 1, 2 or 5 times a power of ten, at least `value`.
double niceCeiling(double value)
{
    if (!(value > 0.0) || !std::isfinite(value))
        return 1.0;
    const double power = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (step * power >= value * (1.0 - 1e-9))
            return step * power;
    return 10.0 * power;
}

} // namespace

CirclesCurveChart::CirclesCurveChart(const QString& title, const QString& valueTitle, Kind kind, QWidget* parent)
    : ChartFigure(title, parent)
    , m_kind(kind)
{
    m_epochAxis = new QValueAxis;
    m_epochAxis->setTitleText(tr("epoch"));
    m_epochAxis->setLabelFormat(QStringLiteral("%d"));
    m_epochAxis->setTickCount(6);
    m_chart->addAxis(m_epochAxis, Qt::AlignBottom);

    m_valueAxis = new QValueAxis;
    m_valueAxis->setTitleText(valueTitle);
    m_valueAxis->setLabelFormat(kind == Kind::Accuracy ? QStringLiteral("%.1f") : QStringLiteral("%.2g"));
    m_valueAxis->setTickCount(kind == Kind::Accuracy ? 6 : 5);
    m_valueAxis->setMinorTickCount(1);
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);
    QFont axisTitleFont = m_valueAxis->titleFont();
    axisTitleFont.setPointSizeF(axisTitleFont.pointSizeF() * 0.9);
    axisTitleFont.setBold(false);
    m_valueAxis->setTitleFont(axisTitleFont);
    m_epochAxis->setTitleFont(axisTitleFont);

    createView(QSize(260, 180));

    // Not a curve: no legend entry, no CSV rows; drawn over the curves.
    m_cursor = new QLineSeries;
    m_cursor->setObjectName(QStringLiteral("epochCursor"));
    QPen cursorPen(QColor(60, 60, 60));
    cursorPen.setWidthF(1.2);
    cursorPen.setStyle(Qt::DashLine);
    m_cursor->setPen(cursorPen);
    m_chart->addSeries(m_cursor);
    m_cursor->attachAxis(m_epochAxis);
    m_cursor->attachAxis(m_valueAxis);
    m_cursor->setVisible(false);

    setEpochs(1);
    updateValueRange();
}

void CirclesCurveChart::setKeyColumns(const QStringList& columns)
{
    m_keyColumns = columns;
}

void CirclesCurveChart::setCurveKeys(int curve, const QStringList& keys)
{
    m_curves.at(std::size_t(curve)).keys = keys;
}

QList<chartexport::LegendEntry> CirclesCurveChart::legendEntries() const
{
    // The tab's shared legend is not in the figure: one of its own goes under the chart.
    QList<chartexport::LegendEntry> entries;
    for (const Curve& curve : m_curves)
        entries.append({curve.name, curve.color, Qt::SolidLine});
    return entries;
}

void CirclesCurveChart::beginExport(const QRectF& chartArea)
{
    updateEpochTicks(chartArea.width() - 70.0);
}

void CirclesCurveChart::endExport()
{
    updateEpochTicks(m_view->width() - 70.0);
}

QList<CsvTable> CirclesCurveChart::figureTables() const
{
    CsvTable table;
    table.header = m_keyColumns.isEmpty() ? QStringList{QStringLiteral("curve")} : m_keyColumns;
    table.header << QStringLiteral("epoch") << QStringLiteral("value");
    for (const Curve& curve : m_curves) {
        if (!curve.series)
            continue;
        const QStringList keys = curve.keys.isEmpty() ? QStringList{curve.name} : curve.keys;
        const QList<QPointF> points = curve.series->points();
        for (const QPointF& point : points)
            table.rows.append(keys + QStringList{QString::number(qRound64(point.x())), QString::number(point.y(), 'g', 9)});
    }
    return {table};
}

void CirclesCurveChart::updateEpochTicks(double plotWidth)
{
    // About 55 px per label ("5000" and a gap); integer epochs only, so a short run gets fewer ticks
    // rather than repeated labels.
    const double range = double(std::max(2, m_epochs));
    const int ticks = std::clamp(int(plotWidth / 55.0) + 1, 3, 6);
    double interval = std::max(1.0, niceCeiling(range / double(ticks - 1)));
    if (interval < 10.0)
        interval = std::ceil(interval); // 2.5 epochs is no tick
    m_epochAxis->setTickType(QValueAxis::TicksDynamic);
    m_epochAxis->setTickAnchor(0.0);
    m_epochAxis->setTickInterval(interval);
}

void CirclesCurveChart::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updateEpochTicks(m_view->width() - 70.0);
}

void CirclesCurveChart::setTitle(const QString& title)
{
    m_chart->setTitle(title);
}

QString CirclesCurveChart::title() const
{
    return m_chart->title();
}

void CirclesCurveChart::setEpochs(int epochs)
{
    m_epochs = std::max(1, epochs);
    // A one-epoch run still needs a non-empty x range.
    m_epochAxis->setRange(0.0, std::max(2, m_epochs));
    updateEpochTicks(m_view->width() - 70.0);
    for (Curve& curve : m_curves)
        curve.changed = true;
    m_dirty = true;
}

int CirclesCurveChart::epochs() const
{
    return m_epochs;
}

int CirclesCurveChart::addCurve(const QString& name, const QColor& color)
{
    Curve curve;
    curve.name = name;
    curve.color = color;
    auto* series = new QLineSeries;
    series->setName(name);
    QPen pen(color);
    pen.setWidthF(2.0);
    series->setPen(pen);
    m_chart->addSeries(series);
    series->attachAxis(m_epochAxis);
    series->attachAxis(m_valueAxis);
    const int id = int(m_curves.size());
    connect(series, &QLineSeries::hovered, this, [this, id](const QPointF& point, bool entered) {
        if (!entered || id >= int(m_curves.size())) {
            QToolTip::hideText();
            return;
        }
        const Curve& c = m_curves[std::size_t(id)];
        const int epoch = std::clamp(int(std::lround(point.x())), 1, std::max<int>(1, int(c.values.size())));
        if (c.values.isEmpty())
            return;
        QToolTip::showText(QCursor::pos(),
                           QStringLiteral("%1\n%2 %3: %4")
                               .arg(c.name, tr("epoch"))
                               .arg(epoch)
                               .arg(double(c.values[epoch - 1]), 0, 'g', 4),
                           m_view);
    });
    curve.series = series;
    m_curves.push_back(std::move(curve));
    m_dirty = true;
    return id;
}

void CirclesCurveChart::setCurveValues(int curve, const QVector<float>& values)
{
    Curve& c = m_curves.at(std::size_t(curve));
    c.values = values;
    c.changed = true;
    m_dirty = true;
}

void CirclesCurveChart::clearCurves()
{
    for (Curve& curve : m_curves) {
        m_chart->removeSeries(curve.series); // gives ownership back
        delete curve.series;
    }
    m_curves.clear();
    m_dirty = true;
}

void CirclesCurveChart::refresh()
{
    if (!m_dirty)
        return;
    m_dirty = false;
    // The stride depends on the run's length only, so a growing curve keeps its sample epochs
    // and does not shimmer while it grows.
    const int stride = std::max(1, (m_epochs + kMaxPoints - 1) / kMaxPoints);
    for (Curve& curve : m_curves) {
        if (!curve.changed)
            continue;
        curve.changed = false;
        QList<QPointF> points;
        const int known = int(curve.values.size());
        int last = 0; // epochs up to the first NaN
        while (last < known && std::isfinite(curve.values[last]))
            ++last;
        points.reserve(last / stride + 2);
        for (int i = 0; i < last; i += stride)
            points.append(QPointF(i + 1, curve.values[i]));
        if (last > 0 && (last - 1) % stride != 0)
            points.append(QPointF(last, curve.values[last - 1]));
        // A lone point draws no line; a marker keeps it visible.
        curve.series->setPointsVisible(points.size() == 1);
        curve.series->replace(points);
    }
    updateValueRange();
}

void CirclesCurveChart::updateValueRange()
{
    if (m_kind == Kind::Accuracy) {
        m_valueAxis->setRange(0.0, 1.0);
    } else {
        double highest = 0.0;
        for (const Curve& curve : m_curves)
            for (const QPointF& p : curve.series->points())
                highest = std::max(highest, p.y());
        m_valueAxis->setRange(0.0, niceCeiling(std::max(highest, 0.1)));
    }
    placeCursor();
}

void CirclesCurveChart::setCursorEpoch(int epoch)
{
    epoch = std::max(0, epoch);
    if (epoch == m_cursorEpoch)
        return;
    m_cursorEpoch = epoch;
    placeCursor();
}

void CirclesCurveChart::placeCursor()
{
    if (m_cursorEpoch <= 0) {
        m_cursor->setVisible(false);
        return;
    }
    m_cursor->replace(QList<QPointF>{{double(m_cursorEpoch), m_valueAxis->min()}, {double(m_cursorEpoch), m_valueAxis->max()}});
    m_cursor->setVisible(true);
}

int CirclesCurveChart::curveCount() const
{
    return int(m_curves.size());
}

QString CirclesCurveChart::curveName(int curve) const
{
    return m_curves.at(std::size_t(curve)).name;
}

QColor CirclesCurveChart::curveColor(int curve) const
{
    return m_curves.at(std::size_t(curve)).color;
}

int CirclesCurveChart::plottedPointCount(int curve) const
{
    return int(m_curves.at(std::size_t(curve)).series->count());
}

int CirclesCurveChart::valueCount(int curve) const
{
    return int(m_curves.at(std::size_t(curve)).values.size());
}

QValueAxis* CirclesCurveChart::epochAxis() const
{
    return m_epochAxis;
}

QValueAxis* CirclesCurveChart::valueAxis() const
{
    return m_valueAxis;
}

} // namespace initlab::ui
