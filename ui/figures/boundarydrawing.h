#pragma once
// How a BoundaryCanvas is exported without stalling the window: its QCustomPlot is laid out and
// recorded on the GUI thread as two pictures, what lies under the colour map and what lies above
// it, while the colour map itself is kept as its small image and the rectangle it fills. Replaying
// that (BoundaryDrawing) is thread-safe and cheap to record; the costly part, scaling the map up
// smoothly and encoding it into a PNG, SVG or PDF, happens where the drawing is replayed.
// (A QPicture would store the map's image by encoding it as a PNG, on the GUI thread.)
// Kept out of boundarycanvas.h because qcustomplot.h needs Qt's keywords.

#include "chartexport.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QImage>
#include <QPicture>
#include <QRectF>
#include <QString>
#include <QTransform>

#include <memory>

class QCustomPlot;
class QCPAxis;
class QCPColorMap;

namespace initlab::ui {

class BoundaryDrawing : public FigureDrawing
{
public:
    // A title above the plot (a grid cell's, which has none in its plot), height logical units tall.
    void setTitle(const QString& title, const QFont& font, const QColor& color, double height);
    void draw(QPainter& painter, const QRectF& target) const override;

private:
    friend std::shared_ptr<BoundaryDrawing> recordPlot(QCustomPlot* plot, QCPColorMap* map, const QSize& size,
                                                       const QBrush& background);
    void drawMap(QPainter& painter) const;

    QString m_title;
    QFont m_titleFont;
    QColor m_titleColor;
    double m_titleHeight = 0.0;
    QPicture m_under; // the plot's background and grid
    QPicture m_above; // everything else but the colour map
    int m_pictureDpiX = 96;
    int m_pictureDpiY = 96;
    bool m_hasMap = false;
    QImage m_map; // one pixel per cell
    QRectF m_mapRect; // where it goes, in the plot's coordinates
    QRectF m_mapClip;
    QTransform m_mapTransform;
    bool m_smooth = true;
};

// A colour map that can note what it would draw instead of drawing it: use it for canvases that
// recordPlot() exports.
QCPColorMap* createRecordableColorMap(QCPAxis* keyAxis, QCPAxis* valueAxis);

// Lays plot out at size (logical units) and records it. map is the plot's colour map (made by
// createRecordableColorMap), background the plot's background brush (put back afterwards).
std::shared_ptr<BoundaryDrawing> recordPlot(QCustomPlot* plot, QCPColorMap* map, const QSize& size,
                                            const QBrush& background);

} // namespace initlab::ui
