#pragma once
// BoundaryCanvas draws what a circles-lab model has learned: P(class 1) as a colour map over the
// plane, its 0.5 contour (the decision boundary, traced by contourLines()), and the data points
// coloured by class. Without an image it is a plain scatter view of the data. It draws in input
// space or in the space the model sees (its NormalizationMap applied to both axes); an affine map
// per axis keeps the picture and changes only the numbers on the axes. Compact canvases (the cells
// of the comparison grid) drop axis labels, legend and colour scale and keep a one-line caption.
// The plot is QCustomPlot, kept out of this header because qcustomplot.h needs Qt's keywords.

#include "chartexport.h"

#include "initlab/circles.h"

#include <QColor>
#include <QFrame>
#include <QList>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <functional>
#include <memory>

class QCustomPlot;

namespace initlab::ui {

class BoundaryDrawing;

class BoundaryCanvas : public QFrame, public ExportableFigure {
    Q_OBJECT

public:
    enum class Space { Input, Normalized };

    explicit BoundaryCanvas(bool compact = false, QWidget* parent = nullptr);
    ~BoundaryCanvas() override;

    // Points in input coordinates. Empty sets draw nothing.
    void setPoints(const PointSet& train, const PointSet& validation = {}, const PointSet& test = {});
    void clearPoints();
    // The input-space rectangle shown while there is no image.
    void setBounds(const QRectF& inputBounds);
    void setImage(const BoundaryImage& image);
    void clearImage();
    void setNormalization(const NormalizationMap& map);
    void setSpace(Space space);
    void setShowValidation(bool show);
    void setShowTest(bool show);
    void setTitle(const QString& title);
    void setCaption(const QString& text, const QColor& color = QColor());
    void setSelected(bool selected);

    bool isCompact() const { return m_compact; }
    bool hasImage() const { return m_hasImage; }
    const BoundaryImage& image() const { return m_image; }
    Space space() const { return m_space; }
    bool isSelected() const { return m_selected; }
    // Images shown since construction: how a test sees live redraws.
    int updateCount() const { return m_updates; }
    int contourLineCount() const { return m_contourLines; }
    QString title() const { return m_title; }
    QString caption() const { return m_caption; }
    // The rectangle the axes were asked to show, in the current space (before squaring).
    QRectF shownBounds() const { return m_shownBounds; }
    QCustomPlot* plot() const;
    // The same widget, for code that sees QCustomPlot only as a forward declaration.
    QWidget* plotWidget() const;

    // The input-space rectangle that the runner's boundary images cover for this data config.
    static QRectF boundaryBounds(const CirclesDataConfig& data);

    // ExportableFigure: the plot with its colour scale and legend in the print look (a compact
    // canvas gets its title above it). Tables: x, y, p_class1 at the image's cell centres; and
    // "_points": split, x, y, label of the points shown. Coordinates as on the axes.
    QString figureTitle() const override;
    double figureAspect() const override;
    void renderFigure(QPainter& painter, const QRectF& target) override;
    // Recorded on this thread, replayable on any (see boundarydrawing.h).
    std::shared_ptr<const FigureDrawing> takeDrawing(const QSizeF& logical) override;
    QList<CsvTable> figureTables() const override;

protected:
    void changeEvent(QEvent* event) override;
    // Keeps QCustomPlot's buffer at the screen's device pixel ratio, so the plot stays crisp when
    // the window is shown on (or moved to) a high-DPI screen.
    bool event(QEvent* event) override;

Q_SIGNALS:
    void clicked();
    void imageShown();

private:
    // Sets the subtitle (the full-size canvas's caption) broken at its " · " separators into as many
    // lines as width needs, so a narrow canvas shows it whole instead of clipping both ends.
    void fitSubtitle(const QFont& font, double width);
    // The subtitle's width in a plot this wide: the layout's first column, beside the colour scale.
    double subtitleWidth(double plotWidth) const;
    bool m_exportingFigure = false; // renderFigure lays the plot out at the export's size
    struct Plot;

    // The constructor's parts: the plot with its data, then the furniture of a compact or a
    // full-size canvas.
    void createPlot();
    void stripForCompact();
    void addTitleAndColorScale();
    void addLegend();
    void addSubtitle();
    void addCaption();
    void connectPlot();
    QFont smallFont(double scale) const;
    // renderFigure's parts.
    std::function<void()> usePrintFonts();
    std::shared_ptr<BoundaryDrawing> recordPrintLook(const QSizeF& size);

    void rebuildPoints();
    void rebuildImage();
    void updateRanges();
    void squareAxes();
    void applyPalette(const QPalette& palette);
    void showValueTip(const QPoint& position);
    double toShownX(double x) const;
    double toShownY(double y) const;

    std::unique_ptr<Plot> m_plot;
    bool m_compact = false;
    bool m_hasImage = false;
    bool m_selected = false;
    bool m_showValidation = true;
    bool m_showTest = true;
    Space m_space = Space::Input;
    NormalizationMap m_map;
    BoundaryImage m_image;
    PointSet m_train, m_validation, m_test;
    QRectF m_inputBounds;
    QRectF m_shownBounds;
    int m_updates = 0;
    int m_contourLines = 0;
    QString m_title;
    QString m_caption;
    QColor m_captionColor;
    bool m_applyingPalette = false;
};

} // namespace initlab::ui
