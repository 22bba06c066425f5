#include "boundarycanvas.h"

#include "boundarydrawing.h"
#include "contour.h"

// qcustomplot.h uses Qt's signals/slots keywords; this file is compiled without QT_NO_KEYWORDS
// (see ui/figures/CMakeLists.txt) and is the only kind of place that may include it.
#include <qcustomplot.h>

#include <QEvent>
#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <vector>

namespace initlab::ui {
namespace {

QString wrapAtSeparators(const QString& text, const QFontMetricsF& metrics, double width)
{
    if (metrics.horizontalAdvance(text) <= width)
        return text;
    const QString separator = QStringLiteral(" · ");
    QStringList lines;
    QString line;
    for (const QString& part : text.split(separator)) {
        const QString longer = line.isEmpty() ? part : line + separator + part;
        if (!line.isEmpty() && metrics.horizontalAdvance(longer) > width) {
            lines << line;
            line = part;
        } else {
            line = longer;
        }
    }
    lines << line;
    return lines.join(QLatin1Char('\n'));
}

// A diverging blue-white-red map (ColorBrewer RdBu): the two classes at the ends, undecided white,
// so the eye finds the boundary; the points use darker shades of the same two hues.
const QColor kClass0Point(0x21, 0x66, 0xac);
const QColor kClass1Point(0xb2, 0x18, 0x2b);
const QColor kClass0Map(0x92, 0xc5, 0xde);
const QColor kUndecidedMap(0xf7, 0xf7, 0xf7);
const QColor kClass1Map(0xf4, 0xa5, 0x82);
const QColor kNanMap(0xbd, 0xbd, 0xbd);

enum Split { Train = 0, Validation = 1, Test = 2 };

QCPScatterStyle pointStyle(Split split, int label, bool compact)
{
    const QColor color = label == 0 ? kClass0Point : kClass1Point;
    switch (split) {
    case Train:
        return QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::white, compact ? 0.5 : 0.8), QBrush(color),
                               compact ? 4.0 : 7.0);
    case Validation:
        return QCPScatterStyle(QCPScatterStyle::ssTriangle, QPen(Qt::white, 0.8), QBrush(color), compact ? 5.0 : 8.0);
    case Test:
        break;
    }
    QColor faded = color;
    faded.setAlphaF(0.75);
    return QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(faded, 1.0), Qt::NoBrush, compact ? 2.5 : 4.0);
}

QCPColorGradient probabilityGradient()
{
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setColorStopAt(0.0, kClass0Map);
    gradient.setColorStopAt(0.5, kUndecidedMap);
    gradient.setColorStopAt(1.0, kClass1Map);
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    gradient.setNanHandling(QCPColorGradient::nhNanColor);
    gradient.setNanColor(kNanMap);
    return gradient;
}

QPen contourPen(bool compact)
{
    QPen pen(QColor(20, 20, 20));
    pen.setWidthF(compact ? 1.4 : 2.2);
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    return pen;
}

// During playback every canvas gets a new image 30 times a second. Its map and contour are on a
// layer with a buffer of its own (and a compact canvas's caption on another), so a new image
// redraws those alone, not the points, axes and legend - unless a full replot is due anyway.
class LayeredPlot : public QCustomPlot
{
public:
    using QCustomPlot::QCustomPlot;
    bool canReplotLayers() { return !mReplotQueued && !mReplotting && !hasInvalidatedPaintBuffers(); }
};

} // namespace

struct BoundaryCanvas::Plot {
    LayeredPlot* plot = nullptr;
    QCPColorMap* colorMap = nullptr;
    QCPColorScale* colorScale = nullptr;
    QCPTextElement* title = nullptr;
    QCPTextElement* subtitle = nullptr; // the caption of a full-size canvas, under the title
    QCPItemText* caption = nullptr; // the caption of a compact canvas, inside the plot
    std::array<QCPGraph*, 6> points{}; // split * 2 + label
    QCPGraph* validationKey = nullptr; // legend entries for the marker shapes, without data
    QCPGraph* testKey = nullptr;
    QCPCurve* contourKey = nullptr;
    std::vector<QCPCurve*> contours; // a pool: one per polyline, surplus ones kept empty
    QSize squaredArea; // the axis rect size the ranges were last squared for
    int corrections = 0; // extra replots since then (bounded: tick labels can change the size)
};

BoundaryCanvas::BoundaryCanvas(bool compact, QWidget* parent)
    : QFrame(parent)
    , m_plot(std::make_unique<Plot>())
    , m_compact(compact)
{
    setFrameStyle(QFrame::Box | QFrame::Plain);
    setLineWidth(2);
    setSelected(false);

    createPlot();
    if (compact) {
        stripForCompact();
    } else {
        addTitleAndColorScale();
        addLegend();
        addSubtitle();
    }
    addCaption();
    connectPlot();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot->plot);

    applyPalette(palette());
    chartexport::installContextMenu(m_plot->plot, this,
                                    [this] { return chartexport::exportName(this, figureTitle()); });

    rebuildPoints();
    updateRanges();
}

// The plot with its colour map (hidden until an image comes) and a graph per split and class.
void BoundaryCanvas::createPlot()
{
    auto* plot = new LayeredPlot(this);
    m_plot->plot = plot;
    plot->layer(QStringLiteral("main"))->setMode(QCPLayer::lmBuffered);
    plot->layer(QStringLiteral("overlay"))->setMode(QCPLayer::lmBuffered);
    plot->setNoAntialiasingOnDrag(true);
    plot->setAntialiasedElements(QCP::aePlottables | QCP::aeItems);
    plot->setCursor(Qt::PointingHandCursor);
    // The points go above the colour map and its contour.
    plot->addLayer(QStringLiteral("points"), plot->layer(QStringLiteral("main")), QCustomPlot::limAbove);

    m_plot->colorMap = createRecordableColorMap(plot->xAxis, plot->yAxis);
    m_plot->colorMap->setGradient(probabilityGradient());
    m_plot->colorMap->setDataRange(QCPRange(0.0, 1.0));
    m_plot->colorMap->setInterpolate(true);
    m_plot->colorMap->setTightBoundary(false);
    m_plot->colorMap->setVisible(false);
    m_plot->colorMap->setName(tr("P(class 1)"));
    m_plot->colorMap->removeFromLegend(); // the colour scale explains it

    const auto addPoints = [&](Split split, int label, const QString& name) {
        QCPGraph* graph = plot->addGraph(plot->xAxis, plot->yAxis);
        graph->setLayer(QStringLiteral("points"));
        graph->setLineStyle(QCPGraph::lsNone);
        graph->setScatterStyle(pointStyle(split, label, m_compact));
        graph->setName(name);
        graph->setAdaptiveSampling(false); // every point is drawn, also in dense clusters
        m_plot->points[split * 2 + label] = graph;
    };
    addPoints(Train, 0, tr("class 0 (inner)"));
    addPoints(Train, 1, tr("class 1 (outer)"));
    addPoints(Validation, 0, tr("validation"));
    addPoints(Validation, 1, tr("validation"));
    addPoints(Test, 0, tr("test"));
    addPoints(Test, 1, tr("test"));
}

// A cell of the comparison grid: the picture only, edge to edge.
void BoundaryCanvas::stripForCompact()
{
    QCustomPlot* plot = m_plot->plot;
    plot->legend->setVisible(false);
    for (QCPAxis* axis : {plot->xAxis, plot->yAxis}) {
        axis->setTickLabels(false);
        axis->setTicks(false);
        axis->grid()->setVisible(false);
    }
    plot->axisRect()->setAutoMargins(QCP::msNone);
    plot->axisRect()->setMargins(QMargins(1, 1, 1, 1));
    plot->setMinimumSize(60, 60);
}

QFont BoundaryCanvas::smallFont(double scale) const
{
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * scale);
    return small;
}

// Axis labels, the title above the plot and the colour scale on its right.
void BoundaryCanvas::addTitleAndColorScale()
{
    QCustomPlot* plot = m_plot->plot;
    plot->xAxis->setLabel(tr("x"));
    plot->yAxis->setLabel(tr("y"));
    const QFont tickFont = smallFont(0.85);
    plot->xAxis->setTickLabelFont(tickFont);
    plot->yAxis->setTickLabelFont(tickFont);

    m_plot->title = new QCPTextElement(plot, QString(), QFont(font().family(), font().pointSize(), QFont::Bold));
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, m_plot->title);

    m_plot->colorScale = new QCPColorScale(plot);
    m_plot->colorScale->setType(QCPAxis::atRight);
    m_plot->colorScale->setGradient(probabilityGradient());
    m_plot->colorScale->setDataRange(QCPRange(0.0, 1.0));
    m_plot->colorScale->axis()->setLabel(tr("P(class 1)"));
    m_plot->colorScale->axis()->setTickLabelFont(tickFont);
    m_plot->colorScale->setBarWidth(10);
    m_plot->colorScale->setVisible(false);
    plot->plotLayout()->addElement(1, 1, m_plot->colorScale);
    auto* margins = new QCPMarginGroup(plot);
    plot->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_plot->colorScale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
}

// The legend under the plot, with entries for the marker shapes (the split) in a neutral grey and
// for the contour.
void BoundaryCanvas::addLegend()
{
    QCustomPlot* plot = m_plot->plot;
    const auto addKey = [&](Split split, const QString& name) {
        QCPGraph* key = plot->addGraph(plot->xAxis, plot->yAxis);
        QCPScatterStyle style = pointStyle(split, 0, false);
        if (split == Test)
            style.setPen(QPen(QColor(90, 90, 90), 1.0));
        else
            style.setBrush(QColor(120, 120, 120));
        key->setScatterStyle(style);
        key->setLineStyle(QCPGraph::lsNone);
        key->setName(name);
        return key;
    };
    m_plot->validationKey = addKey(Validation, tr("validation"));
    m_plot->testKey = addKey(Test, tr("test"));
    m_plot->contourKey = new QCPCurve(plot->xAxis, plot->yAxis);
    m_plot->contourKey->setPen(contourPen(false));
    m_plot->contourKey->setName(tr("P = 0.5"));
    m_plot->contourKey->removeFromLegend(); // until there is a contour
    m_plot->colorMap->setColorScale(m_plot->colorScale);

    // The legend goes under the plot, where it hides no points.
    plot->legend->setVisible(true);
    plot->axisRect()->insetLayout()->take(plot->legend);
    plot->plotLayout()->insertRow(2);
    plot->plotLayout()->addElement(2, 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(2, 0.001);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot->legend->setWrap(2); // two entries a row fit a narrow canvas
    plot->legend->setFont(smallFont(0.85));
    plot->legend->setIconSize(14, 10);
    plot->legend->setRowSpacing(-2);
    plot->legend->setMargins(QMargins(4, 0, 4, 2));
}

// The full-size canvas's caption, under the title.
void BoundaryCanvas::addSubtitle()
{
    QCustomPlot* plot = m_plot->plot;
    m_plot->subtitle = new QCPTextElement(plot, QStringLiteral(" "), smallFont(0.9));
    m_plot->subtitle->setMargins(QMargins(2, 0, 2, 2));
    plot->plotLayout()->insertRow(1);
    plot->plotLayout()->addElement(1, 0, m_plot->subtitle);
    plot->setMinimumSize(200, 200);
    // The caption's lines follow the width its column gets, once the layout has given it one.
    connect(plot, &QCustomPlot::afterLayout, this, [this] {
        if (m_exportingFigure)
            return;
        const QString before = m_plot->subtitle->text();
        fitSubtitle(m_plot->subtitle->font(), subtitleWidth(m_plot->plot->width()));
        if (m_plot->subtitle->text() != before)
            m_plot->plot->replot(QCustomPlot::rpQueuedReplot);
    });
}

// The compact canvas's caption, on a badge inside the plot.
void BoundaryCanvas::addCaption()
{
    m_plot->caption = new QCPItemText(m_plot->plot);
    m_plot->caption->setLayer(QStringLiteral("overlay"));
    m_plot->caption->setClipToAxisRect(false);
    m_plot->caption->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_plot->caption->position->setCoords(0.02, 0.02);
    m_plot->caption->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_plot->caption->setBrush(QColor(255, 255, 255, 215));
    m_plot->caption->setPadding(QMargins(3, 1, 3, 1));
    QFont captionFont = smallFont(m_compact ? 0.8 : 0.9);
    // A small cell's verdict ("98.7 %" in green or red) sits on a translucent badge over the heat map;
    // bold strokes keep the colour legible on the dark palette's badge too.
    captionFont.setBold(m_compact);
    m_plot->caption->setFont(captionFont);
    m_plot->caption->setVisible(false);
}

void BoundaryCanvas::connectPlot()
{
    QCustomPlot* plot = m_plot->plot;
    // Equal units on both axes, so rings look round whatever the widget's shape.
    connect(plot, &QCustomPlot::afterLayout, this, &BoundaryCanvas::squareAxes);
    connect(plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (event->button() == Qt::LeftButton)
            Q_EMIT clicked();
    });
    if (!m_compact) {
        plot->setMouseTracking(true);
        connect(plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) { showValueTip(event->pos()); });
    }
}

BoundaryCanvas::~BoundaryCanvas() = default;

void BoundaryCanvas::applyPalette(const QPalette& palette)
{
    QCustomPlot* plot = m_plot->plot;
    const QColor background = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    const bool dark = background.lightnessF() < 0.5;
    const QColor grid = dark ? background.lighter(170) : background.darker(118);
    plot->setBackground(background);
    plot->axisRect()->setBackground(background);
    QList<QCPAxis*> axes{plot->xAxis, plot->yAxis, plot->xAxis2, plot->yAxis2};
    if (m_plot->colorScale)
        axes << m_plot->colorScale->axis();
    for (QCPAxis* axis : axes) {
        axis->setBasePen(QPen(text, 1.0));
        axis->setTickPen(QPen(text, 1.0));
        axis->setSubTickPen(QPen(text, 1.0));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(grid, 1.0, Qt::DotLine));
    }
    plot->legend->setBrush(background);
    plot->legend->setTextColor(text);
    if (m_plot->title)
        m_plot->title->setTextColor(text);
    const QColor captionColor = m_captionColor.isValid() ? m_captionColor : text;
    if (m_plot->subtitle)
        m_plot->subtitle->setTextColor(captionColor);
    m_plot->caption->setColor(captionColor);
    QColor captionBrush = background;
    captionBrush.setAlpha(215);
    m_plot->caption->setBrush(captionBrush);
}

void BoundaryCanvas::changeEvent(QEvent* event)
{
    if ((event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        && !m_applyingPalette && m_plot && m_plot->plot) {
        m_applyingPalette = true;
        setSelected(m_selected); // the frame's colour comes from the palette
        applyPalette(palette());
        m_plot->plot->replot(QCustomPlot::rpQueuedReplot);
        m_applyingPalette = false;
    }
    QFrame::changeEvent(event);
}

double BoundaryCanvas::subtitleWidth(double plotWidth) const
{
    const double column = m_plot->subtitle->outerRect().width();
    const double reserved = column > 0.0 ? m_plot->plot->width() - column : 0.0;
    return plotWidth - std::max(reserved, 0.0) - 8.0;
}

void BoundaryCanvas::fitSubtitle(const QFont& font, double width)
{
    if (!m_plot->subtitle)
        return;
    // A blank keeps the line's height, so the plot does not jump when a caption comes and goes.
    m_plot->subtitle->setText(m_caption.isEmpty() ? QStringLiteral(" ")
                                                  : wrapAtSeparators(m_caption, QFontMetricsF(font), width));
}

bool BoundaryCanvas::event(QEvent* event)
{

    if (event->type() == QEvent::Show || event->type() == QEvent::ScreenChangeInternal) {
        QCustomPlot* plot = m_plot->plot;
        if (plot && !qFuzzyCompare(plot->bufferDevicePixelRatio(), devicePixelRatioF())) {
            plot->setBufferDevicePixelRatio(devicePixelRatioF());
            plot->replot(QCustomPlot::rpQueuedReplot);
        }
    }
    return QFrame::event(event);
}

QString BoundaryCanvas::figureTitle() const
{
    return m_title.isEmpty() ? tr("Decision boundary") : m_title;
}

double BoundaryCanvas::figureAspect() const
{
    return m_compact ? 1.05 : 0.9;
}

void BoundaryCanvas::renderFigure(QPainter& painter, const QRectF& target)
{
    takeDrawing(target.size())->draw(painter, target);
}

std::shared_ptr<const FigureDrawing> BoundaryCanvas::takeDrawing(const QSizeF& logical)
{
    double titleHeight = 0.0;
    QFont titleFont;
    if (m_compact) {
        // A cell of the comparison grid has no title of its own; the figure needs one.
        titleFont = chartexport::printFont(font());
        titleFont.setBold(true);
        titleHeight = QFontMetricsF(titleFont).lineSpacing() * 1.6;
    }
    std::shared_ptr<BoundaryDrawing> drawing = recordPrintLook(QSizeF(logical.width(), logical.height() - titleHeight));
    if (m_compact)
        drawing->setTitle(figureTitle(), titleFont, chartexport::printPalette().color(QPalette::Text), titleHeight);
    return drawing;
}

// QCustomPlot lays text out with QFontMetrics, at the screen's logical dpi for fonts in points:
// the export uses the fonts' print versions, in pixels, so the figure does not depend on the
// screen (on a 144-dpi screen the text came out 1.5 times too large). The returned function gives
// the screen's back.
std::function<void()> BoundaryCanvas::usePrintFonts()
{
    struct SavedFont {
        std::function<void(const QFont&)> set;
        QFont font;
    };
    auto savedFonts = std::make_shared<std::vector<SavedFont>>();
    const auto usePrintFont = [&savedFonts](const QFont& font, std::function<void(const QFont&)> set) {
        set(chartexport::printFont(font));
        savedFonts->push_back({std::move(set), font});
    };
    QCustomPlot* plot = m_plot->plot;
    QList<QCPAxis*> axes{plot->xAxis, plot->yAxis};
    if (m_plot->colorScale)
        axes << m_plot->colorScale->axis();
    for (QCPAxis* axis : axes) {
        usePrintFont(axis->tickLabelFont(), [axis](const QFont& font) { axis->setTickLabelFont(font); });
        usePrintFont(axis->labelFont(), [axis](const QFont& font) { axis->setLabelFont(font); });
    }
    for (QCPTextElement* text : {m_plot->title, m_plot->subtitle})
        if (text)
            usePrintFont(text->font(), [text](const QFont& font) { text->setFont(font); });
    usePrintFont(plot->legend->font(), [plot](const QFont& font) { plot->legend->setFont(font); });
    QCPItemText* caption = m_plot->caption;
    usePrintFont(caption->font(), [caption](const QFont& font) { caption->setFont(font); });
    return [savedFonts] {
        for (const SavedFont& saved : *savedFonts)
            saved.set(saved.font);
    };
}

// The plot in the print look, laid out at size (logical units); the screen's look comes back after.
std::shared_ptr<BoundaryDrawing> BoundaryCanvas::recordPrintLook(const QSizeF& size)
{
    QCustomPlot* plot = m_plot->plot;
    applyPalette(chartexport::printPalette());
    const std::function<void()> restoreFonts = usePrintFonts();
    m_exportingFigure = true;
    if (m_plot->subtitle)
        fitSubtitle(m_plot->subtitle->font(), subtitleWidth(size.width()));
    // The colour scale answers its margin group (top and bottom, shared with the plot) with the
    // margins it has, so the group's margins never shrink: those made for the screen's fonts (larger
    // on a 144-dpi screen) would stay in every export after the first. From zero, the group takes
    // the plot's margins for the print fonts.
    if (m_plot->colorScale)
        m_plot->colorScale->setMargins(QMargins());
    // The screen's legend overlaps its rows a little to save room on a narrow canvas; on paper
    // the rows get their full height and the last one a margin under it.
    const int rowSpacing = plot->legend->rowSpacing();
    const QMargins legendMargins = plot->legend->margins();
    plot->legend->setRowSpacing(0);
    plot->legend->setMargins(QMargins(legendMargins.left(), legendMargins.top(), legendMargins.right(), 6));

    // Recorded as vector drawing (the colour map as its image); see boundarydrawing.h.
    const QColor background = chartexport::printPalette().color(QPalette::Window);
    std::shared_ptr<BoundaryDrawing> drawing
        = recordPlot(plot, m_plot->colorMap, QSize(int(std::lround(size.width())), int(std::lround(size.height()))),
                     QBrush(background));
    restoreFonts();
    m_exportingFigure = false;
    plot->legend->setRowSpacing(rowSpacing);
    plot->legend->setMargins(legendMargins);
    applyPalette(palette());
    plot->replot(); // the export laid the axes out at its own size
    return drawing;
}

QList<CsvTable> BoundaryCanvas::figureTables() const
{
    QList<CsvTable> tables;
    if (m_hasImage) {
        CsvTable grid;
        grid.header = {QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("p_class1")};
        const int n = m_image.resolution;
        const double dx = (m_image.xMax - m_image.xMin) / n;
        const double dy = (m_image.yMax - m_image.yMin) / n;
        for (int row = 0; row < n; ++row)
            for (int col = 0; col < n; ++col)
                grid.rows.append({QString::number(toShownX(m_image.xMin + (col + 0.5) * dx), 'g', 9),
                                  QString::number(toShownY(m_image.yMin + (row + 0.5) * dy), 'g', 9),
                                  QString::number(m_image.probability[std::size_t(row) * n + col], 'g', 9)});
        tables << grid;
    }
    CsvTable points;
    points.suffix = QStringLiteral("_points");
    points.header = {QStringLiteral("split"), QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("label")};
    const auto addSet = [&](const QString& split, const PointSet& set) {
        for (int i = 0; i < set.size(); ++i)
            points.rows.append({split, QString::number(toShownX(set.x[std::size_t(i)]), 'g', 9),
                                QString::number(toShownY(set.y[std::size_t(i)]), 'g', 9),
                                QString::number(set.label[std::size_t(i)])});
    };
    addSet(QStringLiteral("train"), m_train);
    if (m_showValidation)
        addSet(QStringLiteral("validation"), m_validation);
    if (m_showTest)
        addSet(QStringLiteral("test"), m_test);
    if (!m_hasImage)
        points.suffix.clear(); // the points are all there is
    tables << points;
    return tables;
}

void BoundaryCanvas::setPoints(const PointSet& train, const PointSet& validation, const PointSet& test)
{
    m_train = train;
    m_validation = validation;
    m_test = test;
    rebuildPoints();
    updateRanges();
}

void BoundaryCanvas::clearPoints()
{
    setPoints({}, {}, {});
}

void BoundaryCanvas::setBounds(const QRectF& inputBounds)
{
    m_inputBounds = inputBounds.normalized();
    updateRanges();
}

void BoundaryCanvas::setImage(const BoundaryImage& image)
{
    if (image.resolution < 2 || image.probability.size() != std::size_t(image.resolution) * image.resolution)
        return;
    // The same square as the image before, and the legend unchanged: only the map's layer changes.
    const bool sameSquare = m_hasImage && image.resolution == m_image.resolution && image.xMin == m_image.xMin
                            && image.xMax == m_image.xMax && image.yMin == m_image.yMin && image.yMax == m_image.yMax;
    const bool hadContour = m_contourLines > 0;
    m_image = image;
    m_hasImage = true;
    ++m_updates;
    rebuildImage();
    if (sameSquare && hadContour == (m_contourLines > 0) && m_plot->plot->canReplotLayers())
        m_plot->plot->layer(QStringLiteral("main"))->replot();
    else
        updateRanges();
    Q_EMIT imageShown();
}

void BoundaryCanvas::clearImage()
{
    m_hasImage = false;
    m_image = BoundaryImage{};
    rebuildImage();
    updateRanges();
}

void BoundaryCanvas::setNormalization(const NormalizationMap& map)
{
    m_map = map;
    if (m_space == Space::Normalized) {
        rebuildPoints();
        rebuildImage();
        updateRanges();
    }
}

void BoundaryCanvas::setSpace(Space space)
{
    if (m_space == space)
        return;
    m_space = space;
    if (!m_compact) {
        const bool normalized = space == Space::Normalized;
        m_plot->plot->xAxis->setLabel(normalized ? tr("x′ (as the net sees it)") : tr("x"));
        m_plot->plot->yAxis->setLabel(normalized ? tr("y′ (as the net sees it)") : tr("y"));
    }
    rebuildPoints();
    rebuildImage();
    updateRanges();
}

void BoundaryCanvas::setShowValidation(bool show)
{
    m_showValidation = show;
    rebuildPoints();
    m_plot->plot->replot(QCustomPlot::rpQueuedReplot);
}

void BoundaryCanvas::setShowTest(bool show)
{
    m_showTest = show;
    rebuildPoints();
    m_plot->plot->replot(QCustomPlot::rpQueuedReplot);
}

void BoundaryCanvas::setTitle(const QString& title)
{
    m_title = title;
    if (m_plot->title)
        m_plot->title->setText(title);
    m_plot->plot->replot(QCustomPlot::rpQueuedReplot);
}

void BoundaryCanvas::setCaption(const QString& text, const QColor& color)
{
    m_caption = text;
    m_captionColor = color;
    const QColor textColor = color.isValid() ? color : palette().color(QPalette::Text);
    if (m_plot->subtitle) {
        fitSubtitle(m_plot->subtitle->font(), subtitleWidth(m_plot->plot->width()));
        m_plot->subtitle->setTextColor(textColor);
    } else {
        m_plot->caption->setText(text);
        m_plot->caption->setColor(textColor);
        m_plot->caption->setVisible(!text.isEmpty());
        if (m_plot->plot->canReplotLayers()) {
            m_plot->plot->layer(QStringLiteral("overlay"))->replot();
            return;
        }
    }
    m_plot->plot->replot(QCustomPlot::rpQueuedReplot);
}

void BoundaryCanvas::setSelected(bool selected)
{
    m_selected = selected;
    // A frame in the highlight colour marks the model the big canvas and the curves are about.
    QPalette framePalette = palette();
    framePalette.setColor(QPalette::WindowText,
                          selected ? palette().color(QPalette::Highlight) : palette().color(QPalette::Window));
    setPalette(framePalette);
}

QCustomPlot* BoundaryCanvas::plot() const
{
    return m_plot->plot;
}

QWidget* BoundaryCanvas::plotWidget() const
{
    return m_plot->plot;
}

double BoundaryCanvas::toShownX(double x) const
{
    return m_space == Space::Normalized ? m_map.mapX(x) : x;
}

double BoundaryCanvas::toShownY(double y) const
{
    return m_space == Space::Normalized ? m_map.mapY(y) : y;
}

void BoundaryCanvas::rebuildPoints()
{
    const std::array<const PointSet*, 3> sets{&m_train, &m_validation, &m_test};
    const std::array<bool, 3> shown{true, m_showValidation, m_showTest};
    for (int split = 0; split < 3; ++split) {
        for (int label = 0; label < 2; ++label) {
            QVector<double> xs, ys;
            const PointSet& set = *sets[split];
            if (shown[split]) {
                for (int i = 0; i < set.size(); ++i) {
                    if (set.label[i] != label)
                        continue;
                    xs.append(toShownX(set.x[i]));
                    ys.append(toShownY(set.y[i]));
                }
            }
            QCPGraph* graph = m_plot->points[split * 2 + label];
            graph->setData(xs, ys);
            // Each split-and-class graph is in the legend only when it has points; the shapes of
            // validation and test have keys of their own.
            if (split == Train && !xs.isEmpty())
                graph->addToLegend();
            else
                graph->removeFromLegend();
        }
    }
    if (m_plot->validationKey) {
        if (shown[Validation] && m_validation.size() > 0)
            m_plot->validationKey->addToLegend();
        else
            m_plot->validationKey->removeFromLegend();
        if (shown[Test] && m_test.size() > 0)
            m_plot->testKey->addToLegend();
        else
            m_plot->testKey->removeFromLegend();
    }
}

void BoundaryCanvas::rebuildImage()
{
    QCustomPlot* plot = m_plot->plot;
    QCPColorMap* colorMap = m_plot->colorMap;
    for (QCPCurve* curve : m_plot->contours)
        curve->data()->clear();
    m_contourLines = 0;
    if (!m_hasImage) {
        colorMap->setVisible(false);
        if (m_plot->colorScale)
            m_plot->colorScale->setVisible(false);
        if (m_plot->contourKey)
            m_plot->contourKey->removeFromLegend();
        return;
    }
    const int n = m_image.resolution;
    const double dx = (m_image.xMax - m_image.xMin) / n;
    const double dy = (m_image.yMax - m_image.yMin) / n;
    // Cell centres, which is where the runner evaluated the net.
    const QCPRange keys(toShownX(m_image.xMin + dx / 2), toShownX(m_image.xMax - dx / 2));
    const QCPRange values(toShownY(m_image.yMin + dy / 2), toShownY(m_image.yMax - dy / 2));
    QCPColorMapData* data = colorMap->data();
    if (data->keySize() != n || data->valueSize() != n)
        data->setSize(n, n);
    data->setRange(keys, values);
    for (int row = 0; row < n; ++row)
        for (int col = 0; col < n; ++col)
            data->setCell(col, row, m_image.probability[std::size_t(row) * n + col]);
    colorMap->setVisible(true);
    if (m_plot->colorScale)
        m_plot->colorScale->setVisible(true);

    const QList<QPolygonF> lines = contourLines(m_image, 0.5);
    while (m_plot->contours.size() < std::size_t(lines.size())) {
        auto* curve = new QCPCurve(plot->xAxis, plot->yAxis);
        curve->setPen(contourPen(m_compact));
        curve->removeFromLegend();
        m_plot->contours.push_back(curve);
    }
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QVector<double> xs, ys;
        xs.reserve(lines[i].size());
        ys.reserve(lines[i].size());
        for (const QPointF& p : lines[i]) {
            xs.append(toShownX(p.x()));
            ys.append(toShownY(p.y()));
        }
        m_plot->contours[std::size_t(i)]->setData(xs, ys);
    }
    m_contourLines = int(lines.size());
    if (m_plot->contourKey) {
        if (lines.isEmpty())
            m_plot->contourKey->removeFromLegend();
        else
            m_plot->contourKey->addToLegend();
    }
}

void BoundaryCanvas::updateRanges()
{
    QRectF input;
    if (m_hasImage) {
        input = QRectF(QPointF(m_image.xMin, m_image.yMin), QPointF(m_image.xMax, m_image.yMax));
    } else if (!m_inputBounds.isEmpty()) {
        input = m_inputBounds;
    } else {
        // Around the points, or a unit square when there are none.
        double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
        bool any = false;
        for (const PointSet* set : {&m_train, &m_validation, &m_test})
            for (int i = 0; i < set->size(); ++i) {
                if (!any) {
                    x0 = x1 = set->x[i];
                    y0 = y1 = set->y[i];
                    any = true;
                }
                x0 = std::min<double>(x0, set->x[i]);
                x1 = std::max<double>(x1, set->x[i]);
                y0 = std::min<double>(y0, set->y[i]);
                y1 = std::max<double>(y1, set->y[i]);
            }
        if (!any)
            input = QRectF(0, 0, 1, 1);
        else
            input = QRectF(QPointF(x0, y0), QPointF(x1, y1)).adjusted(-0.5, -0.5, 0.5, 0.5);
    }
    // The maps are increasing (std and factor are positive), so the corners map to corners.
    m_shownBounds = QRectF(QPointF(toShownX(input.left()), toShownY(input.top())),
                           QPointF(toShownX(input.right()), toShownY(input.bottom())))
                        .normalized();
    if (m_shownBounds.width() <= 0 || m_shownBounds.height() <= 0)
        m_shownBounds = QRectF(m_shownBounds.topLeft(), QSizeF(1, 1));
    m_plot->corrections = 0;
    m_plot->plot->replot(QCustomPlot::rpQueuedReplot);
}

void BoundaryCanvas::squareAxes()
{
    // Runs after the layout step of every replot, when the axis rect's size is known: widens
    // whichever axis has room so that one unit is as long on both.
    QCustomPlot* plot = m_plot->plot;
    const QRect area = plot->axisRect()->rect();
    QRectF shown = m_shownBounds;
    if (area.width() > 0 && area.height() > 0 && shown.width() > 0 && shown.height() > 0) {
        const double xPerPixel = shown.width() / area.width();
        const double yPerPixel = shown.height() / area.height();
        if (xPerPixel < yPerPixel) {
            const double width = yPerPixel * area.width();
            shown.adjust(-(width - shown.width()) / 2, 0, (width - shown.width()) / 2, 0);
        } else {
            const double height = xPerPixel * area.height();
            shown.adjust(0, -(height - shown.height()) / 2, 0, (height - shown.height()) / 2);
        }
    }
    // The ticks of this replot were made for the ranges before the layout step; when squaring
    // changed them, one more replot draws ticks that match (the next pass changes nothing).
    const auto differs = [](const QCPRange& a, double lower, double upper) {
        const double tolerance = 1e-9 * std::max(1e-300, upper - lower);
        return std::abs(a.lower - lower) > tolerance || std::abs(a.upper - upper) > tolerance;
    };
    if (area.size() != m_plot->squaredArea) {
        m_plot->squaredArea = area.size();
        m_plot->corrections = 0;
    }
    if (differs(plot->xAxis->range(), shown.left(), shown.right())
        || differs(plot->yAxis->range(), shown.top(), shown.bottom())) {
        plot->xAxis->setRange(shown.left(), shown.right());
        plot->yAxis->setRange(shown.top(), shown.bottom());
        if (m_plot->corrections++ < 3)
            plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void BoundaryCanvas::showValueTip(const QPoint& position)
{
    QCustomPlot* plot = m_plot->plot;
    if (!plot->axisRect()->rect().contains(position)) {
        QToolTip::hideText();
        return;
    }
    const double x = plot->xAxis->pixelToCoord(position.x());
    const double y = plot->yAxis->pixelToCoord(position.y());
    QString text = QStringLiteral("(%1, %2)").arg(x, 0, 'g', 4).arg(y, 0, 'g', 4);
    if (m_hasImage) {
        int col = 0, row = 0;
        m_plot->colorMap->data()->coordToCell(x, y, &col, &row);
        const int n = m_image.resolution;
        if (col >= 0 && col < n && row >= 0 && row < n)
            text += tr("\nP(class 1) = %1").arg(m_image.probability[std::size_t(row) * n + col], 0, 'f', 3);
    }
    QToolTip::showText(plot->mapToGlobal(position), text, plot);
}

QRectF BoundaryCanvas::boundaryBounds(const CirclesDataConfig& data)
{
    const initlab::BoundaryBounds b = initlab::boundaryBounds(data);
    return QRectF(QPointF(b.xMin, b.yMin), QPointF(b.xMax, b.yMax));
}

} // namespace initlab::ui
