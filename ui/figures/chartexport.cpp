#include "chartexport.h"

#include "exportjob.h"

#include <QAbstractAxis>
#include <QApplication>
#include <QBuffer>
#include <QChart>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QImage>
#include <QLabel>
#include <QLegend>
#include <QMenu>
#include <QMessageBox>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSpinBox>
#include <QSvgGenerator>
#include <QValueAxis>

#include <cerrno>
#include <cmath>

namespace initlab::ui::chartexport {
namespace {

constexpr double kLogicalDpi = 96.0;
constexpr double kCmPerInch = 2.54;
// The margin around a chart's layout that the styles give at 96 dpi.
constexpr qreal kPrintLayoutMargin = 9.0;

QString& lastErrorText()
{
    static QString text;
    return text;
}

ErrorHandler& errorHandler()
{
    static ErrorHandler handler;
    return handler;
}

QString& lastFolder()
{
    static QString folder = QDir::homePath();
    return folder;
}

QString csvField(const QString& field)
{
    if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"')) && !field.contains(QLatin1Char('\n')))
        return field;
    QString quoted = field;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString tablePath(const QString& mainPath, const CsvTable& table)
{
    if (table.suffix.isEmpty())
        return mainPath;
    const QFileInfo info(mainPath);
    return info.dir().filePath(info.completeBaseName() + table.suffix + QStringLiteral(".csv"));
}

void paintFigure(ExportableFigure& figure, QPainter& painter, const QSizeF& logical)
{
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    const QRectF target(QPointF(0, 0), logical);
    painter.fillRect(target, printPalette().color(QPalette::Window));
    figure.renderFigure(painter, target);
}

// The PNG size dialog: width on paper and resolution, with the pixels it makes.
bool askPngSize(QWidget* parent, const ExportableFigure& figure, PngSize& size)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(QObject::tr("PNG size"));
    auto* width = new QDoubleSpinBox;
    width->setRange(2.0, 100.0);
    width->setDecimals(1);
    width->setSuffix(QStringLiteral(" cm"));
    width->setValue(size.widthCm);
    width->setToolTip(QObject::tr("Width on paper. 16 cm fits a printed A4 page with margins."));
    auto* dpi = new QSpinBox;
    dpi->setRange(48, 1200);
    dpi->setSingleStep(50);
    dpi->setSuffix(QStringLiteral(" dpi"));
    dpi->setValue(size.dpi);
    dpi->setToolTip(QObject::tr("Dots per inch: 300 for print, 96-150 for a screen or slides."));
    auto* pixels = new QLabel;
    const auto update = [&] {
        const double w = width->value() / kCmPerInch * dpi->value();
        pixels->setText(QObject::tr("%1 × %2 pixels").arg(std::lround(w)).arg(std::lround(w * figure.figureAspect())));
    };
    QObject::connect(width, &QDoubleSpinBox::valueChanged, &dialog, update);
    QObject::connect(dpi, &QSpinBox::valueChanged, &dialog, update);
    update();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* form = new QFormLayout(&dialog);
    form->addRow(QObject::tr("&Width"), width);
    form->addRow(QObject::tr("&Resolution"), dpi);
    form->addRow(QString(), pixels);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    size.widthCm = width->value();
    size.dpi = dpi->value();
    return true;
}

void saveInteractive(QWidget* parent, ExportableFigure* figure, const QString& baseName, Format format)
{
    QString filter;
    QString extension;
    switch (format) {
    case Format::Png:
        filter = QObject::tr("PNG image (*.png)");
        extension = QStringLiteral("png");
        break;
    case Format::Svg:
        filter = QObject::tr("SVG image (*.svg)");
        extension = QStringLiteral("svg");
        break;
    case Format::Pdf:
        filter = QObject::tr("PDF document (*.pdf)");
        extension = QStringLiteral("pdf");
        break;
    case Format::Csv:
        filter = QObject::tr("CSV data (*.csv)");
        extension = QStringLiteral("csv");
        break;
    }
    QString path = QFileDialog::getSaveFileName(parent, QObject::tr("Export %1").arg(figure->figureTitle()),
                                                QDir(lastFolder()).filePath(baseName + QLatin1Char('.') + extension),
                                                filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QLatin1Char('.') + extension;
    lastFolder() = QFileInfo(path).absolutePath();
    static PngSize pngSize;
    if (format == Format::Png && !askPngSize(parent, *figure, pngSize))
        return;
    QString error;
    if (!exportFigure(*figure, format, path, pngSize, &error))
        reportError(parent, error);
}

} // namespace

} // namespace initlab::ui::chartexport

namespace initlab::ui {

QByteArray CsvTable::toCsv() const
{
    QString text;
    const auto addRow = [&text](const QStringList& fields) {
        QStringList quoted;
        quoted.reserve(fields.size());
        for (const QString& field : fields)
            quoted << chartexport::csvField(field);
        text += quoted.join(QLatin1Char(',')) + QLatin1Char('\n');
    };
    addRow(header);
    for (const QStringList& row : rows)
        addRow(row);
    return text.toUtf8();
}

} // namespace initlab::ui

namespace initlab::ui::chartexport {

QPalette printPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, Qt::white);
    palette.setColor(QPalette::Base, Qt::white);
    palette.setColor(QPalette::AlternateBase, QColor(245, 245, 245));
    palette.setColor(QPalette::WindowText, QColor(20, 20, 20));
    palette.setColor(QPalette::Text, QColor(20, 20, 20));
    palette.setColor(QPalette::Button, QColor(240, 240, 240));
    palette.setColor(QPalette::ButtonText, QColor(20, 20, 20));
    palette.setColor(QPalette::Mid, QColor(200, 200, 200));
    palette.setColor(QPalette::Midlight, QColor(228, 228, 228));
    palette.setColor(QPalette::Dark, QColor(120, 120, 120));
    palette.setColor(QPalette::PlaceholderText, QColor(110, 110, 110));
    palette.setColor(QPalette::ToolTipBase, Qt::white);
    palette.setColor(QPalette::ToolTipText, QColor(20, 20, 20));
    return palette;
}

QFont printFont(const QFont& font)
{
    QFont print = font;
    if (font.pointSizeF() > 0)
        print.setPixelSize(std::max(1, int(std::lround(font.pointSizeF() * kLogicalDpi / 72.0))));
    return print;
}

void applyChartPalette(QChart* chart, const QPalette& palette)
{
    const QColor background = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    const bool dark = background.lightnessF() < 0.5;
    // Grid lines a little off the background, in either direction.
    const QColor grid = dark ? background.lighter(170) : background.darker(118);
    const QColor minorGrid = dark ? background.lighter(130) : background.darker(106);
    chart->setBackgroundBrush(background);
    chart->setBackgroundPen(Qt::NoPen);
    chart->setPlotAreaBackgroundVisible(false);
    chart->setTitleBrush(text);
    chart->legend()->setLabelColor(text);
    chart->legend()->setBrush(Qt::NoBrush);
    chart->legend()->setPen(Qt::NoPen);
    const auto axes = chart->axes();
    for (QAbstractAxis* axis : axes) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setLinePenColor(text);
        QPen gridPen(grid, 1.0);
        axis->setGridLinePen(gridPen);
        axis->setMinorGridLinePen(QPen(minorGrid, 1.0));
    }
}

namespace {

// A chart's fonts in their print versions (see printFont) and its layout's margins as on a 96-dpi
// screen, for the time of a drawing. Qt Charts lays its text out at the screen's dpi, and the
// style scales the layout's margins with it (9 px at 96 dpi, 13 at 144), so either would make the
// figure depend on the screen.
class PrintLayout
{
public:
    explicit PrintLayout(QChart* chart)
        : m_chart(chart)
        , m_title(chart->titleFont())
        , m_legend(chart->legend()->font())
    {
        if (QGraphicsLayout* layout = chart->layout()) {
            layout->getContentsMargins(&m_margins[0], &m_margins[1], &m_margins[2], &m_margins[3]);
            layout->setContentsMargins(kPrintLayoutMargin, kPrintLayoutMargin, kPrintLayoutMargin, kPrintLayoutMargin);
        }
        chart->setTitleFont(printFont(m_title));
        chart->legend()->setFont(printFont(m_legend));
        const auto axes = chart->axes();
        for (QAbstractAxis* axis : axes) {
            m_axes.append({axis, axis->labelsFont(), axis->titleFont()});
            axis->setLabelsFont(printFont(axis->labelsFont()));
            axis->setTitleFont(printFont(axis->titleFont()));
        }
    }
    ~PrintLayout()
    {
        if (QGraphicsLayout* layout = m_chart->layout())
            layout->setContentsMargins(m_margins[0], m_margins[1], m_margins[2], m_margins[3]);
        m_chart->setTitleFont(m_title);
        m_chart->legend()->setFont(m_legend);
        for (const AxisFonts& fonts : std::as_const(m_axes)) {
            fonts.axis->setLabelsFont(fonts.labels);
            fonts.axis->setTitleFont(fonts.title);
        }
    }
    PrintLayout(const PrintLayout&) = delete;
    PrintLayout& operator=(const PrintLayout&) = delete;

private:
    struct AxisFonts {
        QAbstractAxis* axis;
        QFont labels;
        QFont title;
    };
    QChart* m_chart;
    QFont m_title;
    QFont m_legend;
    qreal m_margins[4] = {0, 0, 0, 0};
    QList<AxisFonts> m_axes;
};

} // namespace

void renderChart(QChart* chart, QPainter& painter, const QRectF& target, const QSizeF& logicalSize)
{
    const PrintLayout printLayout(chart);
    const QRectF oldGeometry = chart->geometry();
    chart->resize(logicalSize);
    if (chart->layout())
        chart->layout()->activate();
    QCoreApplication::sendPostedEvents(chart, QEvent::LayoutRequest);
    if (QGraphicsScene* scene = chart->scene()) {
        scene->render(&painter, target, chart->sceneBoundingRect(), Qt::IgnoreAspectRatio);
    } else {
        QGraphicsScene temporary;
        temporary.addItem(chart);
        temporary.render(&painter, target, chart->sceneBoundingRect(), Qt::IgnoreAspectRatio);
        temporary.removeItem(chart);
    }
    chart->setGeometry(oldGeometry);
    if (chart->layout())
        chart->layout()->activate();
}

namespace {

constexpr double kSwatch = 22.0;
constexpr double kLegendGap = 14.0;
constexpr double kLegendInset = 8.0;

// Where each entry goes, relative to the area's top left; rows is set to the rows used.
QList<QPointF> legendLayout(const QList<LegendEntry>& entries, double width, const QFont& font, int& rows)
{
    const QFontMetricsF metrics(printFont(font));
    const double right = width - kLegendInset;
    QList<QPointF> positions;
    double x = kLegendInset;
    rows = 0;
    for (const LegendEntry& entry : entries) {
        const double entryWidth = kSwatch + 4.0 + metrics.horizontalAdvance(entry.name);
        if (rows == 0 || (x > kLegendInset && x + entryWidth > right)) {
            ++rows;
            x = kLegendInset;
        }
        positions.append(QPointF(x, (rows - 1) * metrics.lineSpacing()));
        x += entryWidth + kLegendGap;
    }
    return positions;
}

} // namespace

double legendHeight(const QList<LegendEntry>& entries, double width, const QFont& font)
{
    int rows = 0;
    legendLayout(entries, width, font, rows);
    return rows > 0 ? rows * QFontMetricsF(printFont(font)).lineSpacing() + 4.0 : 0.0;
}

void drawLegend(QPainter& painter, const QRectF& area, const QList<LegendEntry>& entries, const QFont& font)
{
    int rows = 0;
    const QList<QPointF> positions = legendLayout(entries, area.width(), font, rows);
    const QFontMetricsF metrics(printFont(font));
    painter.save();
    painter.setFont(printFont(font));
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QPointF at = area.topLeft() + positions[i];
        const double middle = at.y() + metrics.lineSpacing() / 2;
        QPen pen(entries[i].color, 2.0);
        pen.setStyle(entries[i].style);
        pen.setCapStyle(Qt::FlatCap);
        painter.setPen(pen);
        painter.drawLine(QPointF(at.x(), middle), QPointF(at.x() + kSwatch, middle));
        painter.setPen(printPalette().color(QPalette::Text));
        painter.drawText(QRectF(at.x() + kSwatch + 4.0, at.y(), area.right() - at.x(), metrics.lineSpacing()),
                         Qt::AlignLeft | Qt::AlignVCenter, entries[i].name);
    }
    painter.restore();
}

QSizeF logicalSize(const ExportableFigure& figure, double widthCm)
{
    const double width = widthCm / kCmPerInch * kLogicalDpi;
    return {width, width * figure.figureAspect()};
}

namespace {

using Paint = std::function<void(QPainter&, const QSizeF&)>;

QImage renderImageWith(const Paint& paint, const QSizeF& logical, const PngSize& size)
{
    // The figure is laid out at 16 cm (so text keeps its size relative to the page) and scaled.
    const double scale = size.dpi / kLogicalDpi;
    QImage image(QSize(int(std::lround(logical.width() * scale)), int(std::lround(logical.height() * scale))),
                 QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    // Painted at 96 dpi and scaled, so fonts given in points keep their size relative to the
    // figure; the resolution is written into the image only afterwards. A new QImage has the
    // screen's logical dpi, not 96, so the 96 is set explicitly.
    image.setDotsPerMeterX(int(std::lround(kLogicalDpi / 0.0254)));
    image.setDotsPerMeterY(int(std::lround(kLogicalDpi / 0.0254)));
    QPainter painter(&image);
    painter.scale(scale, scale);
    paint(painter, logical);
    painter.end();
    image.setDotsPerMeterX(int(std::lround(size.dpi / 0.0254)));
    image.setDotsPerMeterY(int(std::lround(size.dpi / 0.0254)));
    return image;
}

QByteArray renderSvgWith(const Paint& paint, const QSizeF& logical, const QString& title)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setResolution(int(kLogicalDpi));
    generator.setSize(logical.toSize());
    generator.setViewBox(QRectF(QPointF(0, 0), logical));
    generator.setTitle(title);
    generator.setDescription(QStringLiteral("InitLab"));
    QPainter painter(&generator);
    paint(painter, logical);
    painter.end();
    return bytes;
}

QByteArray renderPdfWith(const Paint& paint, const QSizeF& logical, const QString& title)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setTitle(title);
        writer.setCreator(QStringLiteral("InitLab"));
        // Vector output: the resolution only sets the unit. At 96 per inch the figure's logical units
        // are the writer's, and fonts given in points keep their size relative to the figure.
        writer.setResolution(int(kLogicalDpi));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        writer.setPageSize(QPageSize(QSizeF(logical.width() / kLogicalDpi * 25.4, logical.height() / kLogicalDpi * 25.4),
                                     QPageSize::Millimeter));
        QPainter painter(&writer);
        paint(painter, logical);
        painter.end();
    }
    return bytes;
}

Paint paintOf(ExportableFigure& figure)
{
    return [&figure](QPainter& painter, const QSizeF& logical) { paintFigure(figure, painter, logical); };
}

Paint paintOf(const FigureDrawing& drawing)
{
    return [&drawing](QPainter& painter, const QSizeF& logical) {
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        const QRectF target(QPointF(0, 0), logical);
        painter.fillRect(target, printPalette().color(QPalette::Window));
        drawing.draw(painter, target);
    };
}

} // namespace

QImage renderImage(ExportableFigure& figure, const PngSize& size)
{
    return renderImageWith(paintOf(figure), logicalSize(figure, size.widthCm), size);
}

QByteArray encodePng(const QImage& image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

QByteArray renderPng(ExportableFigure& figure, const PngSize& size)
{
    return encodePng(renderImage(figure, size));
}

QByteArray renderSvg(ExportableFigure& figure)
{
    return renderSvgWith(paintOf(figure), logicalSize(figure), figure.figureTitle());
}

QByteArray renderPdf(ExportableFigure& figure)
{
    return renderPdfWith(paintOf(figure), logicalSize(figure), figure.figureTitle());
}

QImage renderImage(const FigureDrawing& drawing, const QSizeF& logical, const PngSize& size)
{
    return renderImageWith(paintOf(drawing), logical, size);
}

QByteArray renderSvg(const FigureDrawing& drawing, const QSizeF& logical, const QString& title)
{
    return renderSvgWith(paintOf(drawing), logical, title);
}

QByteArray renderPdf(const FigureDrawing& drawing, const QSizeF& logical, const QString& title)
{
    return renderPdfWith(paintOf(drawing), logical, title);
}

bool writeFileAtomically(const QString& path, const QByteArray& bytes, QString* error)
{
    QSaveFile file(path);
    // The system's reason, which QSaveFile does not always keep: it clears the error of a write
    // that failed when commit() closes the file, and a write cut short (the disk filled up
    // midway) sets none, so errorString() would say "Unknown error". errno is read right after
    // the call that failed.
    const auto fail = [&](int systemError) {
        if (error) {
            const bool qtKnows = file.error() != QFileDevice::NoError || systemError == 0;
            const QString reason = qtKnows ? file.errorString() : qt_error_string(systemError);
            *error = QObject::tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), reason);
        }
        file.cancelWriting();
        return false;
    };
    errno = 0;
    // Unbuffered: each write reaches the file now, so a failure is seen at the write that had it.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return fail(errno);
    for (qint64 done = 0; done < bytes.size();) {
        errno = 0;
        // After a short write the next one fails with the reason, or writes on.
        const qint64 written = file.write(bytes.constData() + done, bytes.size() - done);
        if (written <= 0)
            return fail(errno);
        done += written;
    }
    errno = 0;
    if (!file.commit())
        return fail(errno);
    return true;
}

bool exportFigure(ExportableFigure& figure, Format format, const QString& path, const PngSize& size, QString* error)
{
    switch (format) {
    case Format::Png:
        return writeFileAtomically(path, renderPng(figure, size), error);
    case Format::Svg:
        return writeFileAtomically(path, renderSvg(figure), error);
    case Format::Pdf:
        return writeFileAtomically(path, renderPdf(figure), error);
    case Format::Csv:
        break;
    }
    const QList<CsvTable> tables = figure.figureTables();
    QStringList written;
    for (const CsvTable& table : tables) {
        const QString tableFile = tablePath(path, table);
        if (!writeFileAtomically(tableFile, table.toCsv(), error)) {
            for (const QString& done : written)
                QFile::remove(done);
            return false;
        }
        written << tableFile;
    }
    return true;
}

bool exportAll(const QList<NamedFigure>& figures, const QString& folder, QStringList* written, QString* error,
               const PngSize& size)
{
    ExportJob job(figures, folder, size);
    QEventLoop loop;
    bool ok = false;
    QObject::connect(&job, &ExportJob::finished, &loop,
                     [&](bool succeeded, const QStringList& files, const QString& problem) {
                         ok = succeeded;
                         if (written)
                             *written = files;
                         if (error)
                             *error = problem;
                         loop.quit();
                     });
    job.start();
    if (!job.isFinished())
        loop.exec();
    return ok;
}

void copyToClipboard(ExportableFigure& figure)
{
    // Screen resolution: a pasted figure should fit a document or a chat, not be 2000 px wide.
    QApplication::clipboard()->setImage(renderImage(figure, PngSize{16.0, 150}));
}

void setErrorHandler(ErrorHandler handler)
{
    errorHandler() = std::move(handler);
}

void reportError(QWidget* parent, const QString& message)
{
    lastErrorText() = message;
    if (errorHandler())
        errorHandler()(parent, message);
    else
        QMessageBox::warning(parent, QObject::tr("Export failed"), message);
}

QString lastError()
{
    return lastErrorText();
}

void clearLastError()
{
    lastErrorText().clear();
}

QString askExportFolder(QWidget* parent)
{
    const QString folder = QFileDialog::getExistingDirectory(parent, QObject::tr("Export all figures into"),
                                                             lastFolder());
    if (!folder.isEmpty())
        lastFolder() = folder;
    return folder;
}

QString lastExportFolder()
{
    return lastFolder();
}

void setLastExportFolder(const QString& folder)
{
    if (!folder.isEmpty())
        lastFolder() = folder;
}

void setExportName(QWidget* figureWidget, const QString& baseName)
{
    figureWidget->setProperty("initlabExportName", baseName);
}

QString exportName(const QWidget* figureWidget, const QString& title)
{
    const QString name = figureWidget->property("initlabExportName").toString();
    return name.isEmpty() ? fileSafe(title) : name;
}

QString fileSafe(const QString& text)
{
    QString safe;
    for (const QChar c : text.toLower()) {
        if (c.isLetterOrNumber() && c.unicode() < 128)
            safe += c;
        else if (!safe.isEmpty() && !safe.endsWith(QLatin1Char('_')))
            safe += QLatin1Char('_');
    }
    while (safe.endsWith(QLatin1Char('_')))
        safe.chop(1);
    return safe.isEmpty() ? QStringLiteral("figure") : safe;
}

void installContextMenu(QWidget* widget, ExportableFigure* figure, std::function<QString()> baseName)
{
    widget->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(widget, &QWidget::customContextMenuRequested, widget,
                     [widget, figure, baseName](const QPoint& position) {
                         QMenu menu(widget);
                         const QString name = baseName();
                         menu.addAction(QObject::tr("Save as &PNG…"), widget,
                                        [=] { saveInteractive(widget, figure, name, Format::Png); });
                         menu.addAction(QObject::tr("Save as &SVG…"), widget,
                                        [=] { saveInteractive(widget, figure, name, Format::Svg); });
                         menu.addAction(QObject::tr("Save as P&DF…"), widget,
                                        [=] { saveInteractive(widget, figure, name, Format::Pdf); });
                         menu.addAction(QObject::tr("Save data as &CSV…"), widget,
                                        [=] { saveInteractive(widget, figure, name, Format::Csv); });
                         menu.addSeparator();
                         menu.addAction(QObject::tr("C&opy image"), widget, [=] { copyToClipboard(*figure); });
                         menu.exec(widget->mapToGlobal(position));
                     });
}

} // namespace initlab::ui::chartexport
