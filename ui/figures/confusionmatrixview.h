#pragma once
// ConfusionMatrixView draws a classes x classes confusion matrix as a heat table: rows are the true
// class, columns the predicted one, each cell holds its count and is shaded by its share of the
// row (blue on the diagonal, where the net is right; orange off it, where it confuses two
// classes). Class names label both axes; a cell's tooltip words the cell out.

#include "chartexport.h"

#include <QStringList>
#include <QWidget>

#include <vector>

namespace initlab::ui {

class ConfusionMatrixView : public QWidget, public ExportableFigure
{
    Q_OBJECT

public:
    explicit ConfusionMatrixView(QWidget* parent = nullptr);

    // counts is classNames.size() squared, row-major (row = true class).
    void setMatrix(const std::vector<int>& counts, const QStringList& classNames);
    void clear();
    // Shown while there is no matrix.
    void setPlaceholder(const QString& text);

    int classCount() const;
    int count(int trueClass, int predicted) const;
    int total() const;
    double accuracy() const; // the diagonal's share; NaN without a matrix
    QString cellToolTip(int trueClass, int predicted) const;
    // The cell under a point in widget coordinates, or false.
    bool cellAt(const QPoint& point, int& trueClass, int& predicted) const;

    // The title of exported figures.
    void setTitle(const QString& title);

    // ExportableFigure: the matrix under its title, in the print look; CSV true, predicted, count
    // (class names), one row per cell.
    QString figureTitle() const override;
    double figureAspect() const override;
    void renderFigure(QPainter& painter, const QRectF& target) override;
    QList<CsvTable> figureTables() const override;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    mutable bool m_exporting = false;
    struct Geometry {
        QRect grid; // the cells
        int cell = 0;
        int labelWidth = 0;  // row labels
        int labelHeight = 0; // column labels (drawn upright, rotated)
    };
    Geometry geometry() const;
    Geometry geometryFor(const QSize& area) const;
    double titleHeight() const; // of exported figures
    // The font the matrix is laid out and drawn with: the widget's on screen, its print version
    // (sized for 96 dpi, see chartexport::printFont) while a figure is exported, so an export does
    // not depend on the screen's dpi.
    QFont layoutFont() const;
    void paintMatrix(QPainter& painter, const QSize& area, const QPalette& palette) const;
    QColor cellColor(int trueClass, int predicted) const;
    int rowTotal(int trueClass) const;

    std::vector<int> m_counts;
    QStringList m_names;
    QString m_placeholder;
    QString m_title;
};

} // namespace initlab::ui
