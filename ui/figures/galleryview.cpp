#include "galleryview.h"

#include "common/formatting.h"
#include "common/palette.h"

#include <QEvent>
#include <QHelpEvent>
#include <QPainter>
#include <QResizeEvent>
#include <QScrollBar>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace initlab::ui {
namespace {

constexpr int kTargetImagePx = 84; // 28 x 28 images at 3x
constexpr int kPad = 6;
constexpr int kBarsWidth = 72;
constexpr int kSpacing = 8;

const QColor kBar(0x9e, 0xb6, 0xd6);

// "0.04 %" for the small probabilities that would read "0.0 %".
QString percent(double fraction)
{
    return percentText(fraction, fraction < 0.001 && fraction > 0 ? 2 : 1);
}

} // namespace

// Paints every tile; one widget rather than a widget per tile keeps relayout on resize cheap.
class GalleryView::Canvas : public QWidget
{
public:
    struct Tile {
        QImage image; // enlarged
        int label = 0;
        int predicted = 0;
        int testIndex = 0;
        double entropy = 0.0;
        std::vector<float> probability;
    };

    std::vector<Tile> tiles;
    QStringList classNames;
    QString placeholder;
    int imagePx = kTargetImagePx;
    int columns = 1;
    int gap = kSpacing; // between columns

    QSize tileSize() const
    {
        const int lineHeight = fontMetrics().height();
        return {kPad + imagePx + kPad + kBarsWidth + kPad, kPad + imagePx + 4 + 3 * lineHeight + kPad};
    }

    QRect tileRect(int i) const
    {
        const QSize size = tileSize();
        const int row = i / columns;
        const int column = i % columns;
        return {gap + column * (size.width() + gap), kSpacing + row * (size.height() + kSpacing), size.width(),
                size.height()};
    }

    void relayout(int width)
    {
        const QSize size = tileSize();
        columns = std::max(1, (width - kSpacing) / (size.width() + kSpacing));
        // The width left over is shared out between the columns rather than left on the right.
        gap = std::max(kSpacing, (width - columns * size.width()) / (columns + 1));
        const int rows = tiles.empty() ? 0 : int((tiles.size() + columns - 1) / columns);
        const int height = tiles.empty() ? 3 * fontMetrics().height() : kSpacing + rows * (size.height() + kSpacing);
        setFixedHeight(height);
        update();
    }

    QString className(int c) const
    {
        return c >= 0 && c < classNames.size() ? classNames[c] : QString::number(c);
    }

    QStringList captionLines(const Tile& tile) const
    {
        const double predictedProbability
            = tile.predicted < int(tile.probability.size()) ? tile.probability[tile.predicted] : 0.0;
        return {QObject::tr("true: %1").arg(className(tile.label)),
                QObject::tr("pred: %1 (%2 %)")
                    .arg(className(tile.predicted))
                    .arg(std::lround(100.0 * predictedProbability)),
                QObject::tr("H = %1 nats").arg(tile.entropy, 0, 'f', 2)};
    }

    QString toolTip(const Tile& tile) const
    {
        std::vector<int> order(tile.probability.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](int a, int b) { return tile.probability[a] > tile.probability[b]; });
        QString rows;
        for (int c : order) {
            QString name = className(c).toHtmlEscaped();
            if (c == tile.label)
                name = QObject::tr("<b>%1</b> (true)").arg(name);
            rows += QStringLiteral("<tr><td>%1</td><td align=\"right\">&nbsp;%2</td></tr>")
                        .arg(name, percent(tile.probability[c]));
        }
        const double maxEntropy = std::log(double(std::max<std::size_t>(2, tile.probability.size())));
        return QObject::tr("<p><b>Test image #%1</b><br>true class: %2<br>predicted: %3<br>"
                           "entropy of the mean prediction: %4 nats (at most ln %5 = %6)</p>"
                           "<p>Mean probability over the MC-dropout passes:</p><table>%7</table>")
            .arg(tile.testIndex)
            .arg(className(tile.label).toHtmlEscaped(), className(tile.predicted).toHtmlEscaped())
            .arg(tile.entropy, 0, 'f', 3)
            .arg(tile.probability.size())
            .arg(maxEntropy, 0, 'f', 2)
            .arg(rows);
    }

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter painter(this);
        if (tiles.empty()) {
            painter.setPen(palette().color(QPalette::PlaceholderText));
            painter.drawText(rect().adjusted(kSpacing, 0, -kSpacing, 0),
                             Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, placeholder);
            return;
        }
        const QFontMetrics metrics = fontMetrics();
        for (std::size_t i = 0; i < tiles.size(); ++i) {
            const Tile& tile = tiles[i];
            const QRect r = tileRect(int(i));
            painter.setPen(palette().color(QPalette::Mid));
            painter.setBrush(palette().color(QPalette::Base));
            painter.drawRect(r.adjusted(0, 0, -1, -1));

            const QPoint imageAt = r.topLeft() + QPoint(kPad, kPad);
            painter.drawImage(imageAt, tile.image);

            // Bars of the mean probability per class; the true class outlined, the predicted one
            // filled in green or red (right or wrong).
            const int classes = int(tile.probability.size());
            if (classes > 0) {
                const int barsLeft = imageAt.x() + imagePx + kPad;
                const double rowHeight = double(imagePx) / classes;
                for (int c = 0; c < classes; ++c) {
                    const QRectF slot(barsLeft, imageAt.y() + c * rowHeight, kBarsWidth, rowHeight);
                    const double length = std::clamp(double(tile.probability[c]), 0.0, 1.0) * slot.width();
                    QColor fill = kBar;
                    if (c == tile.predicted)
                        fill = tile.predicted == tile.label ? successColor() : failureColor();
                    painter.setPen(Qt::NoPen);
                    painter.setBrush(palette().color(QPalette::AlternateBase));
                    painter.drawRect(slot.adjusted(0, 0.5, 0, -0.5));
                    painter.setBrush(fill);
                    painter.drawRect(QRectF(slot.left(), slot.top() + 0.5, std::max(1.0, length), slot.height() - 1.0));
                    if (c == tile.label) {
                        painter.setPen(QPen(palette().color(QPalette::Text), 1.0));
                        painter.setBrush(Qt::NoBrush);
                        painter.drawRect(slot.adjusted(0, 0.5, -0.5, -0.5));
                    }
                }
            }

            const QStringList lines = captionLines(tile);
            const int textWidth = r.width() - 2 * kPad;
            int y = imageAt.y() + imagePx + 4;
            for (int line = 0; line < lines.size(); ++line) {
                QColor color = palette().color(QPalette::Text);
                if (line == 1)
                    color = tile.predicted == tile.label ? successColor() : failureColor();
                painter.setPen(color);
                painter.drawText(QRect(r.left() + kPad, y, textWidth, metrics.height()),
                                 Qt::AlignLeft | Qt::AlignVCenter,
                                 metrics.elidedText(lines[line], Qt::ElideRight, textWidth));
                y += metrics.height();
            }
        }
    }

    bool event(QEvent* event) override
    {
        if (event->type() == QEvent::ToolTip) {
            const auto* help = static_cast<QHelpEvent*>(event);
            for (std::size_t i = 0; i < tiles.size(); ++i)
                if (tileRect(int(i)).contains(help->pos())) {
                    QToolTip::showText(help->globalPos(), toolTip(tiles[i]), this, tileRect(int(i)));
                    return true;
                }
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        return QWidget::event(event);
    }
};

GalleryView::GalleryView(QWidget* parent)
    : QScrollArea(parent)
    , m_canvas(new Canvas)
{
    setObjectName(QStringLiteral("galleryView"));
    m_canvas->setObjectName(QStringLiteral("galleryCanvas"));
    setWidget(m_canvas);
    setWidgetResizable(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFrameShape(QFrame::StyledPanel);
    setMinimumWidth(m_canvas->tileSize().width() + 2 * kSpacing + verticalScrollBar()->sizeHint().width());
    m_canvas->placeholder = tr("Run the experiment to see the test images the ensemble is least sure about.");
    m_canvas->relayout(viewport()->width());
}

void GalleryView::setImages(const std::vector<UncertainImage>& images, int rows, int cols,
                            const QStringList& classNames)
{
    m_canvas->tiles.clear();
    m_canvas->classNames = classNames;
    // A whole-number scale keeps every pixel a sharp square.
    const int scale = std::max(1, kTargetImagePx / std::max(1, std::max(rows, cols)));
    m_canvas->imagePx = std::max(rows, cols) * scale;
    for (const UncertainImage& image : images) {
        if (rows <= 0 || cols <= 0 || image.pixels.size() != std::size_t(rows) * std::size_t(cols))
            continue;
        QImage gray(cols, rows, QImage::Format_Grayscale8);
        for (int y = 0; y < rows; ++y)
            std::copy_n(image.pixels.data() + std::size_t(y) * cols, cols, gray.scanLine(y));
        Canvas::Tile tile;
        tile.image = gray.scaled(cols * scale, rows * scale, Qt::IgnoreAspectRatio, Qt::FastTransformation);
        tile.label = image.label;
        tile.predicted = image.predicted;
        tile.testIndex = image.testIndex;
        tile.entropy = image.entropy;
        tile.probability = image.meanProbability;
        m_canvas->tiles.push_back(std::move(tile));
    }
    m_canvas->relayout(viewport()->width());
}

void GalleryView::clear()
{
    m_canvas->tiles.clear();
    m_canvas->relayout(viewport()->width());
}

void GalleryView::setPlaceholder(const QString& text)
{
    m_canvas->placeholder = text;
    m_canvas->update();
}

int GalleryView::thumbnailCount() const
{
    return int(m_canvas->tiles.size());
}

QImage GalleryView::thumbnail(int i) const
{
    return m_canvas->tiles.at(std::size_t(i)).image;
}

QString GalleryView::thumbnailText(int i) const
{
    return m_canvas->captionLines(m_canvas->tiles.at(std::size_t(i))).join(QLatin1Char('\n'));
}

QString GalleryView::thumbnailToolTip(int i) const
{
    return m_canvas->toolTip(m_canvas->tiles.at(std::size_t(i)));
}

void GalleryView::resizeEvent(QResizeEvent* event)
{
    QScrollArea::resizeEvent(event);
    m_canvas->relayout(viewport()->width());
}

} // namespace initlab::ui
