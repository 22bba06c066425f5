#pragma once
// Export of the charts and canvases: PNG (size and resolution chosen), SVG and PDF (vector), the
// data as CSV, and a copy of the image to the clipboard. A chart or canvas takes part by
// implementing ExportableFigure: it draws itself in a light, print-friendly look at any size and
// hands over the data it shows. Every file is produced in memory first and written with QSaveFile,
// so a failed export leaves no half file. "Export all" is a job (exportjob.h) that leaves a folder
// with all of its files or none of them. Errors go to a handler (a dialog by default; tests install
// their own).
//
// It also holds the palette plumbing of the Qt Charts: the charts follow the widget's palette on
// screen (light or dark) and use the print palette while they are exported.

#include <QColor>
#include <QFont>
#include <QList>
#include <QPalette>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QByteArray;
class QChart;
class QImage;
class QPainter;
class QRectF;
class QSizeF;
class QWidget;
QT_END_NAMESPACE

namespace initlab::ui {

// One CSV file: long format, a header row, one row per point. suffix is appended to the
// figure's file name ("_points"); the main table has none.
struct CsvTable {
    QString suffix;
    QStringList header;
    QList<QStringList> rows;
    QByteArray toCsv() const;
};

// A figure's drawing, taken on the GUI thread, that any thread can replay: Export all draws the PNG,
// SVG and PDF of such a figure on its writer threads while the window goes on.
class FigureDrawing
{
public:
    virtual ~FigureDrawing() = default;
    // Draws into target, in logical units (96 per inch) and of the size the drawing was taken at.
    virtual void draw(QPainter& painter, const QRectF& target) const = 0;
};

class ExportableFigure
{
public:
    virtual ~ExportableFigure() = default;
    virtual QString figureTitle() const = 0;
    // Height / width of the exported figure.
    virtual double figureAspect() const { return 0.625; }
    // Draws the figure in the print look into target, given in logical units (96 per inch).
    virtual void renderFigure(QPainter& painter, const QRectF& target) = 0;
    virtual QList<CsvTable> figureTables() const = 0;
    // The figure's drawing at a logical size, replayable on any thread; null (the default) for a
    // figure that only renderFigure() on the GUI thread can draw.
    virtual std::shared_ptr<const FigureDrawing> takeDrawing(const QSizeF& logical)
    {
        Q_UNUSED(logical);
        return nullptr;
    }
};

// The width of an exported figure on paper and its resolution; the height follows the aspect.
struct PngSize {
    double widthCm = 16.0;
    int dpi = 300;
};

struct NamedFigure {
    QString baseName; // "deep_activation_std": the files are baseName.png, .svg, .pdf, .csv
    ExportableFigure* figure = nullptr;
};

namespace chartexport {

enum class Format { Png, Svg, Pdf, Csv };

// The light look every exported figure has, whatever the screen's palette.
QPalette printPalette();
// The font as it is at 96 per inch, its size given in pixels. A layout (QFontMetrics, Qt Charts,
// QCustomPlot) measures a font given in points at the screen's logical dpi while a painter draws it
// at its device's; in pixels the two agree on every device and screen, so an exported figure looks
// the same whatever the screen's dpi. Fonts given in pixels are returned as they are.
QFont printFont(const QFont& font);
// Colours a Qt Charts chart (background, title, axes, grid, legend) from a palette.
void applyChartPalette(QChart* chart, const QPalette& palette);
// Draws a chart at a logical size into target. The chart is resized for the drawing and given back
// its size afterwards.
void renderChart(QChart* chart, QPainter& painter, const QRectF& target, const QSizeF& logicalSize);

// A legend for exported figures: a line sample and the name per entry, wrapped onto as many rows
// as the width needs (Qt Charts' own legend keeps to one row and cuts long names). The font is
// used in its print version (printFont).
struct LegendEntry {
    QString name;
    QColor color;
    Qt::PenStyle style = Qt::SolidLine;
};
double legendHeight(const QList<LegendEntry>& entries, double width, const QFont& font);
void drawLegend(QPainter& painter, const QRectF& area, const QList<LegendEntry>& entries, const QFont& font);

// The logical size (96 per inch) of a figure exported at width cm.
QSizeF logicalSize(const ExportableFigure& figure, double widthCm = 16.0);
QImage renderImage(ExportableFigure& figure, const PngSize& size);
QByteArray renderPng(ExportableFigure& figure, const PngSize& size);
QByteArray renderSvg(ExportableFigure& figure);
QByteArray renderPdf(ExportableFigure& figure);
// The same from a figure's drawing (any thread); logical is the size it was taken at.
QImage renderImage(const FigureDrawing& drawing, const QSizeF& logical, const PngSize& size);
QByteArray renderSvg(const FigureDrawing& drawing, const QSizeF& logical, const QString& title);
QByteArray renderPdf(const FigureDrawing& drawing, const QSizeF& logical, const QString& title);
QByteArray encodePng(const QImage& image);

// Writes bytes to path through QSaveFile. On failure nothing is left at path and error says why.
bool writeFileAtomically(const QString& path, const QByteArray& bytes, QString* error);

// One format of one figure. For Csv, path is the main table's; other tables go beside it.
bool exportFigure(ExportableFigure& figure, Format format, const QString& path, const PngSize& size,
                  QString* error);
// Every figure as PNG, SVG, PDF and CSV into folder, by the job Export all runs (ExportJob), waited
// for with the event loop turning. On failure nothing in folder has changed and error names the
// path. written (optional) lists the files on success.
bool exportAll(const QList<NamedFigure>& figures, const QString& folder, QStringList* written, QString* error,
               const PngSize& size = PngSize());
void copyToClipboard(ExportableFigure& figure);

// Where export errors go. The default shows a warning dialog; tests install a recorder.
using ErrorHandler = std::function<void(QWidget* parent, const QString& message)>;
void setErrorHandler(ErrorHandler handler);
void reportError(QWidget* parent, const QString& message);
// The last error reported (empty when none), for tests.
QString lastError();
void clearLastError();

// Asks for a folder to export every figure into, starting in the last one chosen; empty when the
// user cancels.
QString askExportFolder(QWidget* parent);
// The folder the last export went into, the home folder before the first; other export dialogs start
// there too and, once the user has chosen, tell it with setLastExportFolder().
QString lastExportFolder();
void setLastExportFolder(const QString& folder);
// The file name a figure proposes: what setExportName() gave, else its title made file-safe.
void setExportName(QWidget* figureWidget, const QString& baseName);
QString exportName(const QWidget* figureWidget, const QString& title);
// "Validation accuracy (p = 0.5)" -> "validation_accuracy_p_0_5"
QString fileSafe(const QString& text);

// Right-click menu on widget: Save as PNG/SVG/PDF/CSV, Copy image. baseName proposes file names.
void installContextMenu(QWidget* widget, ExportableFigure* figure, std::function<QString()> baseName);

} // namespace chartexport
} // namespace initlab::ui
