#pragma once
// UnitMapsFigure shows what each hidden unit of a circles-lab model computes: one small map per
// unit over the square of the model's boundary image, a row per hidden layer, on one colour scale
// shared by all units (white at zero), and last the output layer's P(class 1) in the boundary
// canvas's colours. A unit that is dead (zero on every training point) is greyed and says since
// which recorded epoch. Drawn with QPainter from its data alone, so its drawing replays on any
// thread (Export all, initlab-cli circles --units-png).

#include "chartexport.h"

#include "initlab/circlessnapshots.h"

#include <QString>
#include <QWidget>

#include <memory>
#include <vector>

namespace initlab::ui {

struct UnitMapImages;

struct UnitMapsData {
    UnitMaps maps;
    std::vector<int> diedAt; // per hidden unit: the epoch it died, -1 while alive (unitDeathEpochs)
    QString title;
    QString subtitle;
};

class UnitMapsFigure : public QWidget, public ExportableFigure
{
    Q_OBJECT

public:
    explicit UnitMapsFigure(QWidget* parent = nullptr);

    void setData(const UnitMapsData& data);
    const UnitMapsData& data() const { return m_data; }
    // The shared scale of the hidden units' maps: [lowest, highest] output over all of them.
    std::pair<float, float> unitRange() const;

    QString figureTitle() const override;
    double figureAspect() const override;
    void renderFigure(QPainter& painter, const QRectF& target) override;
    std::shared_ptr<const FigureDrawing> takeDrawing(const QSizeF& logical) override;
    // layer, unit, x, y, value: every cell of every hidden unit's map, then layer "output" with
    // P(class 1).
    QList<CsvTable> figureTables() const override;

    QSize sizeHint() const override;

    // The map under position: a hidden unit's index (layer by layer), the unit count for the
    // output's, -1 for none.
    int unitAt(const QPointF& position) const;
    // What hovering a map shows: the unit, its incoming weights and bias, since when it is dead.
    QString unitText(int unit) const;

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    UnitMapsData m_data;
    std::shared_ptr<const UnitMapImages> m_images; // the maps' pixels, made once per setData
};

} // namespace initlab::ui
