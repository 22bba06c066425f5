#include "dropoutchart.h"

#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QEvent>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPainter>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace initlab::ui {
namespace {

bool finitePoint(const QPointF& point)
{
    return std::isfinite(point.x()) && std::isfinite(point.y());
}

} // namespace

DropoutChart::DropoutChart(const QString& title, const QString& xTitle, const QString& yTitle, XScale xScale,
                           QWidget* parent)
    : ChartFigure(title, parent)
    , m_xScale(xScale)
    , m_xTitle(xTitle)
    , m_yTitle(yTitle)
{
    m_chart->legend()->setAlignment(Qt::AlignBottom); // shown once there is a curve

    QFont axisTitleFont = m_chart->titleFont();
    axisTitleFont.setPointSizeF(m_chart->titleFont().pointSizeF() * 0.8);
    axisTitleFont.setBold(false);

    if (xScale == XScale::Log) {
        auto* axis = new QLogValueAxis;
        axis->setLabelFormat(QStringLiteral("%g"));
        m_xAxis = axis;
    } else {
        auto* axis = new QValueAxis;
        axis->setLabelFormat(QStringLiteral("%d"));
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0.0);
        m_xAxis = axis;
    }
    m_xAxis->setTitleText(xTitle);
    m_xAxis->setTitleFont(axisTitleFont);
    m_chart->addAxis(m_xAxis, Qt::AlignBottom);

    m_valueAxis = new QValueAxis;
    m_valueAxis->setTitleText(yTitle);
    m_valueAxis->setTitleFont(axisTitleFont);
    m_valueAxis->setLabelFormat(QStringLiteral("%.3g"));
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);

    createView(QSize(280, 200));

    setXRange(1.0, xScale == XScale::Log ? 10.0 : 2.0);
    refresh();
}

void DropoutChart::setDataColumns(const QStringList& keyColumns, const QString& xColumn, const QString& valueColumn,
                                  double valueScale, const QString& referenceX)
{
    m_keyColumns = keyColumns;
    m_xColumn = xColumn;
    m_valueColumn = valueColumn;
    m_valueScale = valueScale;
    m_referenceX = referenceX;
}

void DropoutChart::setCurveKeys(int curve, const QStringList& keys)
{
    m_curves.at(std::size_t(curve)).keys = keys;
}

QList<chartexport::LegendEntry> DropoutChart::legendEntries() const
{
    // Line samples, the dashed reference lines included: on screen the tab's note explains them;
    // the figure has no such note, so they are named here.
    QList<chartexport::LegendEntry> entries;
    for (const Curve& curve : m_curves)
        entries.append({curve.name, curve.color, curve.reference ? Qt::DashLine : Qt::SolidLine});
    return entries;
}

void DropoutChart::beginExport(const QRectF&)
{
    m_legendShown = m_chart->legend()->isVisible();
    m_chart->legend()->hide();
}

void DropoutChart::endExport()
{
    m_chart->legend()->setVisible(m_legendShown);
}

QList<CsvTable> DropoutChart::figureTables() const
{
    CsvTable table;
    table.header = m_keyColumns.isEmpty() ? QStringList{QStringLiteral("curve")} : m_keyColumns;
    table.header << m_xColumn << m_valueColumn;
    const auto value = [this](double y) { return QString::number(y * m_valueScale, 'g', 9); };
    for (const Curve& curve : m_curves) {
        const QStringList keys = curve.keys.isEmpty() ? QStringList{curve.name} : curve.keys;
        if (curve.reference) {
            if (!m_referenceX.isEmpty())
                table.rows.append(keys + QStringList{m_referenceX, value(curve.referenceY)});
            continue;
        }
        if (!curve.series)
            continue;
        const QList<QPointF> points = curve.series->points();
        for (const QPointF& point : points)
            table.rows.append(keys + QStringList{QString::number(point.x(), 'g', 9), value(point.y())});
    }
    return {table};
}

void DropoutChart::setXRange(double minimum, double maximum)
{
    m_xMin = minimum;
    m_xMax = std::max(maximum, minimum + 1.0);
    updateXAxis();
    for (Curve& curve : m_curves)
        if (curve.reference)
            curve.points = {QPointF(m_xMin, curve.referenceY), QPointF(m_xMax, curve.referenceY)};
    m_dirty = true;
}

void DropoutChart::setValueFormat(const QString& suffix, int decimals)
{
    m_suffix = suffix;
    m_decimals = decimals;
}

void DropoutChart::setValueLimits(double minimum, double maximum)
{
    m_limitLow = minimum;
    m_limitHigh = maximum;
    m_dirty = true;
}

int DropoutChart::addCurve(const QString& name, const QColor& color)
{
    Curve curve;
    curve.name = name;
    curve.color = color;
    return addSeries(std::move(curve));
}

void DropoutChart::appendPoint(int curve, const QPointF& point)
{
    Curve& c = m_curves.at(curve);
    if (!finitePoint(point))
        return;
    c.points.append(point);
    m_dirty = true;
}

void DropoutChart::setPoints(int curve, const QVector<QPointF>& points)
{
    Curve& c = m_curves.at(curve);
    c.points.clear();
    c.points.reserve(points.size());
    for (const QPointF& point : points)
        if (finitePoint(point))
            c.points.append(point);
    m_dirty = true;
}

int DropoutChart::addReferenceLine(const QString& name, const QColor& color, double y)
{
    Curve curve;
    curve.name = name;
    curve.color = color;
    curve.reference = true;
    curve.referenceY = y;
    if (std::isfinite(y))
        curve.points = {QPointF(m_xMin, y), QPointF(m_xMax, y)};
    return addSeries(std::move(curve));
}

void DropoutChart::clear()
{
    for (Curve& curve : m_curves) {
        m_chart->removeSeries(curve.series); // gives ownership back
        delete curve.series;
    }
    m_curves.clear();
    m_chart->legend()->hide();
    m_dirty = true;
}

void DropoutChart::refresh()
{
    if (!m_dirty)
        return;
    m_dirty = false;
    for (Curve& curve : m_curves) {
        if (curve.series->count() != curve.points.size() || curve.series->points() != curve.points)
            curve.series->replace(curve.points);
    }
    updateValueRange();
}

QAbstractAxis* DropoutChart::xAxis() const
{
    return m_xAxis;
}

QValueAxis* DropoutChart::valueAxis() const
{
    return m_valueAxis;
}

int DropoutChart::curveCount() const
{
    return int(std::count_if(m_curves.begin(), m_curves.end(), [](const Curve& c) { return !c.reference; }));
}

QString DropoutChart::curveName(int curve) const
{
    return m_curves.at(curve).name;
}

QColor DropoutChart::curveColor(int curve) const
{
    return m_curves.at(curve).color;
}

int DropoutChart::plottedPointCount(int curve) const
{
    return int(m_curves.at(curve).series->count());
}

QVector<QPointF> DropoutChart::points(int curve) const
{
    return m_curves.at(curve).series->points();
}

int DropoutChart::referenceLineCount() const
{
    return int(m_curves.size()) - curveCount();
}

double DropoutChart::referenceValue(int line) const
{
    int seen = 0;
    for (const Curve& curve : m_curves)
        if (curve.reference && seen++ == line)
            return curve.referenceY;
    return std::nan("");
}

QColor DropoutChart::referenceColor(int line) const
{
    int seen = 0;
    for (const Curve& curve : m_curves)
        if (curve.reference && seen++ == line)
            return curve.color;
    return {};
}

int DropoutChart::addSeries(Curve curve)
{
    auto* series = new QLineSeries;
    series->setName(curve.name);
    QPen pen(curve.color);
    pen.setWidthF(curve.reference ? 1.6 : 2.0);
    pen.setStyle(curve.reference ? Qt::DashLine : Qt::SolidLine);
    series->setPen(pen);
    series->setColor(curve.color);
    // Per-epoch curves have few points: markers show where the measurements are. Qt Charts 6.4
    // takes the size as the dot's radius, so 4 gives dots of 8 px that leave the line visible
    // (7 made 14 px dots that merged into a band over 30 epochs).
    series->setPointsVisible(m_xScale == XScale::Linear && !curve.reference);
    series->setMarkerSize(4.0);
    m_chart->addSeries(series);
    series->attachAxis(m_xAxis);
    series->attachAxis(m_valueAxis);
    if (curve.reference) {
        const QList<QLegendMarker*> markers = m_chart->legend()->markers(series);
        for (QLegendMarker* marker : markers)
            marker->setVisible(false);
    }
    m_chart->legend()->show();
    curve.series = series;
    m_curves.push_back(std::move(curve));
    const int index = int(m_curves.size()) - 1;
    connect(series, &QLineSeries::hovered, this, [this, index](const QPointF& point, bool entered) {
        if (!entered) {
            QToolTip::hideText();
            return;
        }
        if (index < int(m_curves.size()))
            showValueTip(m_curves[index], point);
    });
    m_dirty = true;
    return index;
}

void DropoutChart::showValueTip(const Curve& curve, const QPointF& point)
{
    QString text;
    if (curve.reference) {
        text = QStringLiteral("%1\n%2: %3%4")
                   .arg(curve.name, m_yTitle)
                   .arg(curve.referenceY, 0, 'f', m_decimals)
                   .arg(m_suffix);
    } else {
        // The data point nearest the cursor along x.
        const auto nearest = std::min_element(curve.points.begin(), curve.points.end(),
                                              [&](const QPointF& a, const QPointF& b) {
                                                  return std::abs(a.x() - point.x()) < std::abs(b.x() - point.x());
                                              });
        if (nearest == curve.points.end())
            return;
        text = QStringLiteral("%1\n%2 %3: %4 %5%6")
                   .arg(curve.name, m_xTitle)
                   .arg(nearest->x(), 0, 'g', 6)
                   .arg(m_yTitle)
                   .arg(nearest->y(), 0, 'f', m_decimals)
                   .arg(m_suffix);
    }
    QToolTip::showText(QCursor::pos(), text, m_view);
}

void DropoutChart::updateXAxis()
{
    if (m_xScale == XScale::Log) {
        auto* axis = static_cast<QLogValueAxis*>(m_xAxis);
        // A log axis labels only powers of its base: base 2 for a few passes (1, 2, 4, 8), else base
        // 10 up to the next power of ten, so the last T sits under a labelled decade.
        const double base = m_xMax <= 16.0 ? 2.0 : 10.0;
        const double top = std::pow(base, std::ceil(std::log(m_xMax) / std::log(base) - 1e-9));
        axis->setBase(base);
        axis->setMinorTickCount(base == 10.0 ? 8 : 0);
        // Qt places the first tick at ceil(log(min) / log(base)); the ends are widened by a hair so
        // rounding cannot drop the end labels.
        axis->setRange(m_xMin * (1.0 - 1e-9), std::max(top, m_xMax) * (1.0 + 1e-9));
    } else {
        auto* axis = static_cast<QValueAxis*>(m_xAxis);
        // Whole epochs at 1, 2 or 5 times a power of ten, at most about ten labels.
        const double raw = std::max(1.0, (m_xMax - m_xMin) / 10.0);
        const double power = std::pow(10.0, std::floor(std::log10(raw)));
        double interval = 10.0 * power;
        for (const double step : {1.0, 2.0, 5.0})
            if (step * power >= raw) {
                interval = step * power;
                break;
            }
        // Qt lays out the ticks on every change: the old interval over a new, much wider range
        // would mean a tick per epoch for a moment, so the coarser of the two goes first.
        axis->setTickInterval(std::max(interval, axis->tickInterval()));
        axis->setTickAnchor(interval == 1.0 ? m_xMin : 0.0);
        // A little room past the first and last epoch, so the markers there are drawn whole rather
        // than cut in half by the plot's edge.
        const double pad = 0.03 * (m_xMax - m_xMin);
        axis->setRange(m_xMin - pad, m_xMax + pad);
        axis->setTickInterval(interval);
    }
}

void DropoutChart::updateValueRange()
{
    double lowest = std::numeric_limits<double>::infinity();
    double highest = -std::numeric_limits<double>::infinity();
    for (const Curve& curve : m_curves)
        for (const QPointF& point : curve.points) {
            lowest = std::min(lowest, point.y());
            highest = std::max(highest, point.y());
        }
    if (!std::isfinite(lowest)) {
        // No data yet: the whole allowed range (0-100 %), or 0-1 for an unbounded quantity.
        lowest = std::max(m_limitLow, 0.0);
        highest = std::isfinite(m_limitHigh) ? m_limitHigh : 1.0;
        m_valueAxis->setRange(lowest, highest);
        // Qt's nice numbers start from the current tick count: six keeps the labels fine enough.
        m_valueAxis->setTickCount(6);
        m_valueAxis->applyNiceNumbers();
        return;
    }
    // A little room above and below the data, never beyond the limits; a flat curve still gets a
    // range.
    const double span = highest - lowest;
    const double pad = span > 0 ? span * 0.08 : std::max(std::abs(highest) * 0.05, 1e-3);
    double low = std::max(m_limitLow, lowest - pad);
    double high = std::min(m_limitHigh, highest + pad);
    if (high <= low)
        high = low + 1.0;
    m_valueAxis->setRange(low, high);
    m_valueAxis->setTickCount(6);
    m_valueAxis->applyNiceNumbers();
    if (m_valueAxis->min() < m_limitLow || m_valueAxis->max() > m_limitHigh)
        m_valueAxis->setRange(std::max(m_valueAxis->min(), m_limitLow), std::min(m_valueAxis->max(), m_limitHigh));
}

} // namespace initlab::ui
