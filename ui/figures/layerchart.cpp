#include "layerchart.h"

#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QEvent>
#include <QLabel>
#include <QLegend>
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

Qt::PenStyle penStyle(LayerChart::LineStyle style)
{
    switch (style) {
    case LayerChart::LineStyle::Dashed:
        return Qt::DashLine;
    case LayerChart::LineStyle::Dotted:
        return Qt::DotLine;
    case LayerChart::LineStyle::Solid:
        break;
    }
    return Qt::SolidLine;
}

bool plottable(double value)
{
    return std::isfinite(value) && value > 0.0;
}

// "1", "1–49", "3, 7–9": layers as ranges.
QString describeLayers(const QVector<int>& layers)
{
    QStringList parts;
    for (qsizetype i = 0; i < layers.size();) {
        qsizetype j = i;
        while (j + 1 < layers.size() && layers[j + 1] == layers[j] + 1)
            ++j;
        parts << (j == i ? QString::number(layers[i])
                         : QStringLiteral("%1–%2").arg(layers[i]).arg(layers[j]));
        i = j + 1;
    }
    constexpr int kMaxParts = 4;
    if (parts.size() > kMaxParts) {
        const qsizetype more = parts.size() - kMaxParts;
        parts = parts.mid(0, kMaxParts);
        parts << QStringLiteral("… (%1 more)").arg(more);
    }
    return parts.join(QStringLiteral(", "));
}

// "vanished from layer 12" when every layer from 12 to the last is zero, else the layers. A
// divergence that lasts to the end is named by where it began: "diverged (NaN/Inf) at layer 12".
enum class Wording { From, AtFirst };
QString describeGap(const QString& what, const QVector<int>& layers, int lastLayer, Wording wording)
{
    const bool toTheEnd = layers.last() == lastLayer && layers.last() - layers.first() + 1 == layers.size();
    if (toTheEnd && layers.size() > 1)
        return (wording == Wording::From ? QStringLiteral("%1 from layer %2") : QStringLiteral("%1 at layer %2"))
            .arg(what)
            .arg(layers.first());
    if (layers.size() == 1)
        return QStringLiteral("%1 at layer %2").arg(what).arg(layers.first());
    return QStringLiteral("%1 at layers %2").arg(what, describeLayers(layers));
}

// Ticks at least every `layers / 10` layers, at 1, 2 or 5 times a power of ten.
double niceLayerInterval(int layers)
{
    const double raw = std::max(1.0, layers / 10.0);
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double step : {1.0, 2.0, 5.0, 10.0})
        if (step * power >= raw)
            return step * power;
    return 10.0 * power;
}

} // namespace

LayerChart::LayerChart(const QString& title, const QString& valueTitle, QWidget* parent)
    : ChartFigure(title, parent)
{
    m_layerAxis = new QValueAxis;
    m_layerAxis->setTitleText(tr("layer"));
    m_layerAxis->setLabelFormat(QStringLiteral("%d"));
    m_layerAxis->setTickType(QValueAxis::TicksDynamic);
    m_layerAxis->setTickAnchor(0.0);
    m_chart->addAxis(m_layerAxis, Qt::AlignBottom);

    m_valueAxis = new QLogValueAxis;
    m_valueAxis->setTitleText(valueTitle);
    m_valueAxis->setBase(10.0);
    m_valueAxis->setLabelFormat(QStringLiteral("%.0e"));
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);
    QFont axisTitleFont = m_valueAxis->titleFont();
    axisTitleFont.setPointSizeF(axisTitleFont.pointSizeF() * 0.9);
    axisTitleFont.setBold(false);
    m_valueAxis->setTitleFont(axisTitleFont);
    m_layerAxis->setTitleFont(axisTitleFont);

    QVBoxLayout* layout = createView(QSize(320, 240));
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("chartNote"));
    m_note->setTextFormat(Qt::RichText);
    m_note->setWordWrap(true);
    m_note->setToolTip(tr("A logarithmic axis cannot show zero, NaN or infinity. The curves listed here are broken "
                          "at those layers; nothing is left out without a word."));
    m_note->hide();

    layout->setSpacing(2);
    layout->addWidget(m_note);

    setLayerCount(1);
    refresh();
}

void LayerChart::setKeyColumns(const QStringList& columns, const QStringList& trailingColumns)
{
    m_keyColumns = columns;
    m_trailingKeyColumns = trailingColumns;
}

void LayerChart::setCurveKeys(int curve, const QStringList& keys)
{
    m_curves.at(curve).keys = keys;
}

QList<chartexport::LegendEntry> LayerChart::legendEntries() const
{
    // The visible curves: the tab's shared legend is not in the figure.
    QList<chartexport::LegendEntry> entries;
    for (const Curve& curve : m_curves)
        if (curve.visible)
            entries.append({curve.name, curve.color, penStyle(curve.style)});
    return entries;
}

namespace {
// A long line (many curves broken at scattered layers) wraps rather than running off the edge.
constexpr int kNoteFlags = Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap;
} // namespace

double LayerChart::noteHeight(double width) const
{
    if (m_noteText.isEmpty())
        return 0.0;
    const QFontMetricsF metrics(chartexport::printFont(font()));
    return metrics.boundingRect(QRectF(0, 0, width - 16.0, 1e6), kNoteFlags, m_noteText).height() + 6.0;
}

// The note ("vanished from layer 3") under the legend.
void LayerChart::drawNote(QPainter& painter, const QRectF& area) const
{
    painter.save();
    painter.setFont(chartexport::printFont(font()));
    painter.setPen(chartexport::printPalette().color(QPalette::Text));
    painter.drawText(QRectF(area.left() + 8.0, area.top() + 4.0, area.width() - 16.0, area.height()), kNoteFlags,
                     m_noteText);
    painter.restore();
}

QList<CsvTable> LayerChart::figureTables() const
{
    CsvTable table;
    table.header = m_keyColumns.isEmpty() ? QStringList{QStringLiteral("curve")} : m_keyColumns;
    table.header << QStringLiteral("layer") << QStringLiteral("value");
    const qsizetype leading = table.header.size() - 2;
    if (!m_keyColumns.isEmpty())
        table.header << m_trailingKeyColumns;
    for (const Curve& curve : m_curves) {
        if (!curve.visible)
            continue;
        const QStringList keys = curve.keys.isEmpty() ? QStringList{curve.name} : curve.keys;
        for (int layer = 1; layer <= m_layers; ++layer) {
            if (!curve.known[layer - 1])
                continue;
            table.rows.append(keys.mid(0, leading)
                              + QStringList{QString::number(layer), QString::number(curve.values[layer - 1], 'g', 9)}
                              + keys.mid(leading));
        }
    }
    return {table};
}

void LayerChart::setLayerCount(int layers)
{
    m_layers = std::max(1, layers);
    for (Curve& curve : m_curves) {
        curve.values.resize(m_layers);
        curve.known.resize(m_layers);
        curve.changed = true;
    }
    // A one-layer net still needs a non-empty x range.
    m_layerAxis->setRange(1.0, std::max(2, m_layers));
    m_layerAxis->setTickInterval(niceLayerInterval(m_layers));
    m_dirty = true;
}

int LayerChart::layerCount() const
{
    return m_layers;
}

int LayerChart::addCurve(const QString& name, const QColor& color, LineStyle style)
{
    Curve curve;
    curve.name = name;
    curve.color = color;
    curve.style = style;
    curve.values.fill(0.0, m_layers);
    curve.known.fill(false, m_layers);
    m_curves.push_back(std::move(curve));
    m_dirty = true;
    return int(m_curves.size()) - 1;
}

void LayerChart::setCurveVisible(int curve, bool visible)
{
    Curve& c = m_curves.at(curve);
    if (c.visible == visible)
        return;
    c.visible = visible;
    for (QLineSeries* series : c.segments)
        series->setVisible(visible);
    m_dirty = true;
}

void LayerChart::setValue(int curve, int layer, double value)
{
    Curve& c = m_curves.at(curve);
    if (layer < 1 || layer > m_layers)
        return;
    c.values[layer - 1] = value;
    c.known[layer - 1] = true;
    c.changed = true;
    m_dirty = true;
}

void LayerChart::resetValues(int curve)
{
    Curve& c = m_curves.at(curve);
    c.known.fill(false);
    c.changed = true;
    m_dirty = true;
}

void LayerChart::clearCurves()
{
    for (Curve& curve : m_curves)
        for (QLineSeries* series : curve.segments)
            removeSeries(series);
    m_curves.clear();
    m_dirty = true;
}

void LayerChart::refresh()
{
    if (!m_dirty)
        return;
    m_dirty = false;

    double lowest = std::numeric_limits<double>::infinity();
    double highest = 0.0;
    for (Curve& curve : m_curves) {
        if (!curve.visible)
            continue;
        for (int layer = 1; layer <= m_layers; ++layer) {
            const double value = curve.values[layer - 1];
            if (curve.known[layer - 1] && plottable(value)) {
                lowest = std::min(lowest, value);
                highest = std::max(highest, value);
            }
        }
    }

    for (Curve& curve : m_curves) {
        if (!curve.changed)
            continue;
        curve.changed = false;
        // Split at every layer that is unknown yet or cannot sit on a log axis.
        std::vector<QList<QPointF>> pieces;
        QList<QPointF> piece;
        for (int layer = 1; layer <= m_layers; ++layer) {
            const double value = curve.values[layer - 1];
            if (curve.known[layer - 1] && plottable(value)) {
                piece.append(QPointF(layer, value));
            } else if (!piece.isEmpty()) {
                pieces.push_back(piece);
                piece.clear();
            }
        }
        if (!piece.isEmpty())
            pieces.push_back(piece);

        while (curve.segments.size() > pieces.size()) {
            removeSeries(curve.segments.back());
            curve.segments.pop_back();
        }
        while (curve.segments.size() < pieces.size()) {
            QLineSeries* series = createSeries(int(&curve - m_curves.data()));
            series->setVisible(curve.visible);
            curve.segments.push_back(series);
        }
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            // A lone point draws no line; a marker keeps it visible.
            curve.segments[i]->setPointsVisible(pieces[i].size() == 1);
            curve.segments[i]->replace(pieces[i]);
        }
    }
    updateRange(lowest, highest);
    updateNote();
}

QValueAxis* LayerChart::layerAxis() const
{
    return m_layerAxis;
}

QLogValueAxis* LayerChart::valueAxis() const
{
    return m_valueAxis;
}

QLabel* LayerChart::noteLabel() const
{
    return m_note;
}

int LayerChart::curveCount() const
{
    return int(m_curves.size());
}

QString LayerChart::curveName(int curve) const
{
    return m_curves.at(curve).name;
}

LayerChart::LineStyle LayerChart::curveStyle(int curve) const
{
    return m_curves.at(curve).style;
}

QColor LayerChart::curveColor(int curve) const
{
    return m_curves.at(curve).color;
}

bool LayerChart::isCurveVisible(int curve) const
{
    return m_curves.at(curve).visible;
}

int LayerChart::plottedPointCount(int curve) const
{
    int count = 0;
    for (const QLineSeries* series : m_curves.at(curve).segments)
        count += int(series->count());
    return count;
}

int LayerChart::visibleCurveCount(LineStyle style) const
{
    return int(std::count_if(m_curves.begin(), m_curves.end(),
                             [style](const Curve& c) { return c.visible && c.style == style; }));
}

QString LayerChart::noteText() const
{
    return m_noteText;
}

QLineSeries* LayerChart::createSeries(int curve)
{
    const Curve& c = m_curves.at(curve);
    auto* series = new QLineSeries;
    series->setName(c.name);
    QPen pen(c.color);
    pen.setWidthF(c.style == LineStyle::Solid ? 2.0 : 1.8);
    pen.setStyle(penStyle(c.style));
    pen.setCapStyle(Qt::FlatCap);
    series->setPen(pen);
    series->setColor(c.color);
    series->setMarkerSize(6.0);
    m_chart->addSeries(series);
    series->attachAxis(m_layerAxis);
    series->attachAxis(m_valueAxis);
    connect(series, &QLineSeries::hovered, this, [this, curve](const QPointF& point, bool entered) {
        if (entered)
            showValueTip(curve, point);
        else
            QToolTip::hideText();
    });
    return series;
}

void LayerChart::showValueTip(int curve, const QPointF& point)
{
    if (curve < 0 || curve >= int(m_curves.size()))
        return;
    const Curve& c = m_curves[curve];
    const int layer = std::clamp(int(std::lround(point.x())), 1, m_layers);
    if (!c.known[layer - 1])
        return;
    QToolTip::showText(QCursor::pos(),
                       QStringLiteral("%1\n%2 %3: %4")
                           .arg(c.name, tr("layer"))
                           .arg(layer)
                           .arg(c.values[layer - 1], 0, 'g', 4),
                       m_view);
}

void LayerChart::removeSeries(QLineSeries* series)
{
    m_chart->removeSeries(series); // gives ownership back
    delete series;
}

void LayerChart::updateRange(double lowest, double highest)
{
    // Whole decades around the data; without data, a neutral range.
    double lowExponent = -3.0;
    double highExponent = 1.0;
    if (highest > 0.0) {
        lowExponent = std::floor(std::log10(lowest));
        highExponent = std::ceil(std::log10(highest));
        if (highExponent <= lowExponent)
            highExponent = lowExponent + 1.0;
    }
    // A label per decade would overlap over a wide range: step by several decades instead, so
    // there are at most about ten labels (the base stays a power of ten).
    const double decades = highExponent - lowExponent;
    const double step = std::max(1.0, std::ceil(decades / 10.0));
    lowExponent = std::floor(lowExponent / step) * step;
    highExponent = std::ceil(highExponent / step) * step;
    m_valueAxis->setBase(std::pow(10.0, step));
    m_valueAxis->setMinorTickCount(step == 1.0 ? 8 : 0);
    // Qt places the first tick at ceil(log(min) / log(base)); log10(pow(10, -9)) can come out a hair
    // above -9, which would drop the bottom label, so the ends are widened by a hair.
    m_valueAxis->setRange(std::pow(10.0, lowExponent) * (1.0 - 1e-9), std::pow(10.0, highExponent) * (1.0 + 1e-9));
}

void LayerChart::updateNote()
{
    QStringList plain;
    QStringList rich;
    for (const Curve& curve : m_curves) {
        if (!curve.visible)
            continue;
        QVector<int> zeros;
        QVector<int> notFinite;
        for (int layer = 1; layer <= m_layers; ++layer) {
            if (!curve.known[layer - 1])
                continue;
            const double value = curve.values[layer - 1];
            if (!std::isfinite(value))
                notFinite << layer;
            else if (value <= 0.0)
                zeros << layer;
        }
        QStringList problems;
        if (!notFinite.isEmpty())
            problems << describeGap(tr("diverged (NaN/Inf)"), notFinite, m_layers, Wording::AtFirst);
        if (!zeros.isEmpty())
            problems << describeGap(tr("vanished"), zeros, m_layers, Wording::From);
        if (problems.isEmpty())
            continue;
        const QString line = curve.name + QStringLiteral(": ") + problems.join(QStringLiteral("; "));
        plain << line;
        const QString swatch = curve.style == LineStyle::Solid ? QStringLiteral("■") : QStringLiteral("┅");
        rich << QStringLiteral("<span style=\"color:%1\">%2</span> %3")
                    .arg(curve.color.name(), swatch, line.toHtmlEscaped());
    }
    m_noteText = plain.join(QLatin1Char('\n'));
    m_note->setText(rich.join(QStringLiteral("<br>")));
    m_note->setVisible(!rich.isEmpty());
}

} // namespace initlab::ui
