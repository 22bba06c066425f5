#pragma once
// DistributionPlot is one chart of the deep tab's Distributions page: either a density map (a
// column per layer, a row per value bin, coloured on a log scale by the fraction of the layer's
// units in the bin) or a few curves drawn over each other with a legend under the plot. Its owner
// hands it whole data (setMap, setCurves) and the CSV it exports (setTableSource); the plot only
// draws. It follows the widget's palette on screen and is exported in the print look, through the
// same recording as the decision-boundary canvases (boundarydrawing.h), so Export all can replay it
// on its writer threads. The plot is QCustomPlot, kept out of this header because qcustomplot.h
// needs Qt's keywords.

#include "chartexport.h"

#include <QColor>
#include <QList>
#include <QString>
#include <QVector>
#include <QWidget>

#include <functional>
#include <memory>
#include <vector>

class QCustomPlot;

namespace initlab::ui {

class DistributionPlot : public QWidget, public ExportableFigure
{
    Q_OBJECT

public:
    struct Curve {
        QString name;
        QColor color;
        QVector<double> x;
        QVector<double> y; // NaN breaks the line
        Qt::PenStyle style = Qt::SolidLine;
    };

    // Column c (layer firstKey + c) holds rows bins over [low, high): cells[c * rows + r] is the
    // fraction of that layer's units in bin r; NaN for a layer not known (yet).
    struct Map {
        int columns = 0;
        int rows = 0;
        double firstKey = 1.0;
        double low = 0.0;
        double high = 1.0;
        std::vector<double> cells;

        bool empty() const { return columns == 0 || rows == 0; }
        double cell(int column, int row) const { return cells[std::size_t(column) * rows + row]; }
        double binLow(int row) const { return low + (high - low) * row / rows; }
        double binHigh(int row) const { return low + (high - low) * (row + 1) / rows; }
    };

    DistributionPlot(const QString& title, const QString& xLabel, const QString& yLabel, QWidget* parent = nullptr);
    ~DistributionPlot() override;

    void setTitle(const QString& title);
    // A smaller line under the title: what the axes mean when that needs a sentence.
    void setSubtitle(const QString& text);
    void setAxisLabels(const QString& xLabel, const QString& yLabel);
    // Fixed ranges; without them the axes fit the data.
    void setKeyRange(double low, double high);
    void setValueRange(double low, double high);
    // Legend entries per row under the plot.
    void setLegendColumns(int columns);

    void setCurves(const QList<Curve>& curves);
    // Shows the map with a colour scale labelled scaleLabel; an empty map hides it.
    void setMap(const Map& map, const QString& scaleLabel);
    void setTableSource(std::function<QList<CsvTable>()> source);

    QString title() const { return m_title; }
    QString subtitle() const { return m_subtitle; }
    QString xLabel() const;
    QString yLabel() const;
    QString scaleLabel() const;
    const QList<Curve>& curves() const { return m_curves; }
    const Map& map() const { return m_map; }
    bool legendVisible() const;
    QCustomPlot* plot() const;

    // ExportableFigure: the plot, its colour scale and legend in the print look.
    QString figureTitle() const override;
    double figureAspect() const override;
    void renderFigure(QPainter& painter, const QRectF& target) override;
    std::shared_ptr<const FigureDrawing> takeDrawing(const QSizeF& logical) override;
    QList<CsvTable> figureTables() const override;

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Plot;

    void buildPlot(const QString& xLabel, const QString& yLabel);
    void applyPalette(const QPalette& palette);
    void showLegend(bool shown);
    void showColorScale(bool shown);
    void updateRanges();
    void showValueTip(const QPoint& position);
    std::function<void()> usePrintFonts();

    std::unique_ptr<Plot> m_plot;
    QString m_title;
    QString m_subtitle;
    QList<Curve> m_curves;
    Map m_map;
    std::function<QList<CsvTable>()> m_tables;
    bool m_fixedKeys = false;
    bool m_fixedValues = false;
    double m_keyLow = 0.0, m_keyHigh = 1.0, m_valueLow = 0.0, m_valueHigh = 1.0;
    bool m_applyingPalette = false;
};

// Two figures side by side under one title, exported as one (the report's comparison of two
// combinations' histograms). The tables are the two figures' tables, each row led by a column
// naming its side.
class SideBySideFigure : public ExportableFigure
{
public:
    SideBySideFigure(const QString& title, const QString& sideColumn, QString leftName, ExportableFigure* left,
                     QString rightName, ExportableFigure* right);
    QString figureTitle() const override { return m_title; }
    double figureAspect() const override;
    void renderFigure(QPainter& painter, const QRectF& target) override;
    QList<CsvTable> figureTables() const override;

private:
    QString m_title;
    QString m_sideColumn;
    QString m_leftName, m_rightName;
    ExportableFigure* m_left;
    ExportableFigure* m_right;
};

} // namespace initlab::ui
