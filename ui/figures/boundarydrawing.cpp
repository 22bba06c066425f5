#include "boundarydrawing.h"

// qcustomplot.h uses Qt's signals/slots keywords; this file is compiled without QT_NO_KEYWORDS
// (see ui/figures/CMakeLists.txt).
#include <qcustomplot.h>

#include <QPaintDevice>
#include <QPaintEngine>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace initlab::ui {
namespace {

// A vector device (SVG, PDF) gets the map as an image this many times the resolution of the
// figure's logical units, already smoothed: a viewer enlarges an embedded image without
// interpolation, and the map's few cells would show as blocks.
constexpr double kVectorMapResolution = 3.0;

class RecordableColorMap : public QCPColorMap
{
public:
    using QCPColorMap::QCPColorMap;

    struct Note {
        bool drawn = false;
        QImage image;
        QRectF rect;
        QRectF clip;
        QTransform transform;
        bool smooth = true;
    };
    bool noting = false;
    Note note;

protected:
    void draw(QCPPainter* painter) override
    {
        if (!noting) {
            QCPColorMap::draw(painter);
            return;
        }
        if (mMapData->isEmpty() || !mKeyAxis || !mValueAxis)
            return;
        updateMapImage();
        // The cells are centred on the data range's ends: the image reaches half a cell beyond them.
        const QCPRange keys = mMapData->keyRange();
        const QCPRange values = mMapData->valueRange();
        QRectF rect = QRectF(coordsToPixels(keys.lower, values.lower), coordsToPixels(keys.upper, values.upper))
                          .normalized();
        const bool keysAcross = keyAxis()->orientation() == Qt::Horizontal;
        const int across = keysAcross ? mMapData->keySize() : mMapData->valueSize();
        const int down = keysAcross ? mMapData->valueSize() : mMapData->keySize();
        const double halfWidth = across > 1 ? 0.5 * rect.width() / (across - 1) : 0.0;
        const double halfHeight = down > 1 ? 0.5 * rect.height() / (down - 1) : 0.0;
        const QRectF tight = rect;
        rect.adjust(-halfWidth, -halfHeight, halfWidth, halfHeight);
        const bool mirrorX = (keysAcross ? keyAxis() : valueAxis())->rangeReversed();
        const bool mirrorY = (keysAcross ? valueAxis() : keyAxis())->rangeReversed();

        note.drawn = true;
        note.image = mMapImage.mirrored(mirrorX, mirrorY);
        note.rect = rect;
        note.clip = painter->hasClipping() ? QRectF(painter->clipRegion().boundingRect()) : rect;
        if (mTightBoundary)
            note.clip = note.clip.intersected(tight);
        note.transform = painter->transform();
        note.smooth = mInterpolate;
    }
};

void record(QCustomPlot* plot, QPicture& picture, const QSize& size)
{
    picture = QPicture();
    QCPPainter painter(&picture);
    painter.setMode(QCPPainter::pmVectorized);
    plot->toPainter(&painter, size.width(), size.height());
}

// Plays a picture drawn in logical units: playing scales it by the device's resolution over the
// picture's, which is undone. Played from a copy of its data, so that threads never share its
// read position.
void play(QPainter& painter, const QPicture& picture, int dpiX, int dpiY)
{
    if (picture.isNull())
        return;
    QPicture copy;
    copy.setData(picture.data(), picture.size());
    painter.save();
    if (const QPaintDevice* device = painter.device(); device && device->logicalDpiX() > 0 && device->logicalDpiY() > 0)
        painter.scale(double(dpiX) / device->logicalDpiX(), double(dpiY) / device->logicalDpiY());
    painter.drawPicture(QPointF(0, 0), copy);
    painter.restore();
}

bool isRaster(const QPainter& painter)
{
    const QPaintEngine* engine = painter.paintEngine();
    return engine && engine->type() == QPaintEngine::Raster;
}

} // namespace

void BoundaryDrawing::setTitle(const QString& title, const QFont& font, const QColor& color, double height)
{
    m_title = title;
    m_titleFont = font;
    m_titleColor = color;
    m_titleHeight = height;
}

void BoundaryDrawing::draw(QPainter& painter, const QRectF& target) const
{
    QRectF plotRect = target;
    if (m_titleHeight > 0.0) {
        painter.save();
        painter.setFont(m_titleFont);
        painter.setPen(m_titleColor);
        painter.drawText(QRectF(target.left(), target.top(), target.width(), m_titleHeight), Qt::AlignCenter, m_title);
        painter.restore();
        plotRect.setTop(target.top() + m_titleHeight);
    }
    painter.save();
    painter.translate(plotRect.topLeft());
    play(painter, m_under, m_pictureDpiX, m_pictureDpiY);
    if (m_hasMap)
        drawMap(painter);
    play(painter, m_above, m_pictureDpiX, m_pictureDpiY);
    painter.restore();
}

void BoundaryDrawing::drawMap(QPainter& painter) const
{
    painter.save();
    painter.setTransform(m_mapTransform, true);
    painter.setClipRect(m_mapClip, Qt::IntersectClip);
    if (isRaster(painter)) {
        // An image: scaled straight to the device's pixels.
        painter.setRenderHint(QPainter::SmoothPixmapTransform, m_smooth);
        painter.drawImage(m_mapRect, m_map);
    } else {
        // The visible part of the map at kVectorMapResolution times the resolution, smoothed here.
        const QRectF area = m_mapClip.intersected(m_mapRect);
        const QSize pixels = (area.size() * kVectorMapResolution).toSize();
        if (!pixels.isEmpty()) {
            QImage buffer(pixels, QImage::Format_ARGB32_Premultiplied);
            buffer.fill(Qt::transparent);
            {
                QPainter bufferPainter(&buffer);
                bufferPainter.setRenderHint(QPainter::SmoothPixmapTransform, m_smooth);
                bufferPainter.scale(kVectorMapResolution, kVectorMapResolution);
                bufferPainter.translate(-area.topLeft());
                bufferPainter.drawImage(m_mapRect, m_map);
            }
            painter.drawImage(area, buffer);
        }
    }
    painter.restore();
}

QCPColorMap* createRecordableColorMap(QCPAxis* keyAxis, QCPAxis* valueAxis)
{
    return new RecordableColorMap(keyAxis, valueAxis);
}

std::shared_ptr<BoundaryDrawing> recordPlot(QCustomPlot* plot, QCPColorMap* map, const QSize& size,
                                            const QBrush& background)
{
    auto drawing = std::make_shared<BoundaryDrawing>();
    auto* recordable = dynamic_cast<RecordableColorMap*>(map);
    if (recordable) {
        recordable->noting = true;
        recordable->note = {};
    }
    // The first recording lays the plot out at this size, which squares the axes anew; the next
    // ones draw with ticks made for the squared ranges.
    QPicture layout;
    record(plot, layout, size);
    if (!recordable || !map->realVisibility()) {
        record(plot, drawing->m_above, size);
    } else {
        // Under the map: the layers below its layer (backgrounds and grid). Above it: everything
        // else, without the map, the grid and the backgrounds. A layer's visibility does not change
        // the layout; a layer holding an axis rect stays visible, as the plottables inside the rect
        // are drawn only while it is.
        const int mapLayer = map->layer()->index();
        QList<bool> visible;
        for (int i = 0; i < plot->layerCount(); ++i)
            visible << plot->layer(i)->visible();
        for (int i = 0; i < plot->layerCount(); ++i)
            plot->layer(i)->setVisible(visible[i] && i < mapLayer);
        record(plot, drawing->m_under, size);
        for (int i = 0; i < plot->layerCount(); ++i) {
            const QList<QCPLayerable*> children = plot->layer(i)->children();
            const bool holdsAxisRect = std::any_of(children.begin(), children.end(), [](QCPLayerable* child) {
                return qobject_cast<QCPAxisRect*>(child) != nullptr;
            });
            plot->layer(i)->setVisible(visible[i] && (i >= mapLayer || holdsAxisRect));
        }
        QList<QBrush> rectBackgrounds;
        const QList<QCPAxisRect*> rects = plot->axisRects();
        for (QCPAxisRect* rect : rects) {
            rectBackgrounds << rect->backgroundBrush();
            rect->setBackground(QBrush(Qt::NoBrush));
        }
        plot->setBackground(QBrush(Qt::NoBrush));
        recordable->note = {};
        record(plot, drawing->m_above, size);
        plot->setBackground(background);
        for (qsizetype i = 0; i < rects.size(); ++i)
            rects[i]->setBackground(rectBackgrounds[i]);
        for (int i = 0; i < plot->layerCount(); ++i)
            plot->layer(i)->setVisible(visible[i]);
        const RecordableColorMap::Note& note = recordable->note;
        drawing->m_hasMap = note.drawn;
        drawing->m_map = note.image;
        drawing->m_mapRect = note.rect;
        drawing->m_mapClip = note.clip;
        drawing->m_mapTransform = note.transform;
        drawing->m_smooth = note.smooth;
    }
    if (recordable)
        recordable->noting = false;
    drawing->m_pictureDpiX = drawing->m_above.logicalDpiX();
    drawing->m_pictureDpiY = drawing->m_above.logicalDpiY();
    return drawing;
}

} // namespace initlab::ui
