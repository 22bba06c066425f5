#include "exportjob.h"

#include "initlab/stagedfolder.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>

namespace initlab::ui {
namespace {

// Writes name into the staging folder; empty, or why it could not.
QString writeFigureFile(StagedFolder& folder, const QString& name, const QByteArray& bytes)
{
    const std::string relative = name.toStdString();
    if (!folder.checkFile(relative).empty())
        return QObject::tr("Could not write %1: a folder of that name is in the way.")
            .arg(QDir::toNativeSeparators(QString::fromStdString(folder.finalPath(relative))));
    const QString staged = QString::fromStdString(folder.stagingPath(relative));
    QString error;
    if (!chartexport::writeFileAtomically(staged, bytes, &error))
        // The user knows the file by its name in the folder, not by the staging folder's.
        error.replace(QDir::toNativeSeparators(staged),
                      QDir::toNativeSeparators(QString::fromStdString(folder.finalPath(relative))));
    return error;
}

} // namespace

// A figure that only the GUI thread can draw: one format per step.
struct ExportJob::Pending {
    int index = 0;
    int format = 0; // PNG, SVG, PDF, tables
};

ExportJob::ExportJob(const QList<NamedFigure>& figures, const QString& folder, const PngSize& size, QObject* parent)
    : FileJob(folder, writeFigureFile, parent)
    , m_figures(figures)
    , m_size(size)
{
    for (const NamedFigure& named : m_figures)
        m_alive << QPointer<QObject>(dynamic_cast<QObject*>(named.figure));
}

ExportJob::~ExportJob()
{
    stopWriters();
}

int ExportJob::figureCount() const
{
    return int(m_figures.size());
}

int ExportJob::figuresDone() const
{
    return unitsDone();
}

int ExportJob::unitCount() const
{
    return figureCount();
}

QString ExportJob::precondition()
{
    if (const QFileInfo info(folder()); !info.isDir())
        return (info.exists() ? tr("Could not write into %1: it is not a folder.")
                              : tr("Could not write into %1: there is no such folder."))
            .arg(QDir::toNativeSeparators(folder()));
    return {};
}

FileJob::Turn ExportJob::produceNext()
{
    if (m_next >= m_figures.size() && !m_pending)
        return Turn::Done;
    if (writersFull())
        return Turn::Waiting;

    const auto tableFiles = [](const QString& baseName, const QList<CsvTable>& tables) {
        Files files;
        for (const CsvTable& table : tables)
            files.append({baseName + table.suffix + QStringLiteral(".csv"), table.toCsv()});
        return files;
    };

    const int index = m_pending ? m_pending->index : m_next;
    const NamedFigure& named = m_figures[index];
    if (!m_alive[index]) {
        fail(tr("Could not export %1: the figure was closed during the export.").arg(named.baseName));
        m_pending.reset();
        return Turn::Produced;
    }
    ExportableFigure& figure = *named.figure;
    const QString baseName = named.baseName;
    const QString title = figure.figureTitle();

    if (!m_pending) {
        const QSizeF pngLogical = chartexport::logicalSize(figure, m_size.widthCm);
        const QSizeF vectorLogical = chartexport::logicalSize(figure);
        std::shared_ptr<const FigureDrawing> pngDrawing = figure.takeDrawing(pngLogical);
        if (pngDrawing) {
            // Everything of this figure on a writer thread.
            std::shared_ptr<const FigureDrawing> vectorDrawing
                = vectorLogical == pngLogical ? pngDrawing : figure.takeDrawing(vectorLogical);
            const QList<CsvTable> tables = figure.figureTables();
            const PngSize size = m_size;
            submit(
                [=] {
                    Files files{
                        {baseName + QStringLiteral(".png"),
                         chartexport::encodePng(chartexport::renderImage(*pngDrawing, pngLogical, size))},
                        {baseName + QStringLiteral(".svg"), chartexport::renderSvg(*vectorDrawing, vectorLogical, title)},
                        {baseName + QStringLiteral(".pdf"), chartexport::renderPdf(*vectorDrawing, vectorLogical, title)},
                    };
                    return files + tableFiles(baseName, tables);
                },
                true);
            ++m_next;
            return Turn::Produced;
        }
        m_pending = std::make_unique<Pending>();
        m_pending->index = index;
        ++m_next;
    }

    // Drawn here, one format per step; encoding and writing on a writer thread.
    switch (m_pending->format++) {
    case 0: {
        const QImage image = chartexport::renderImage(figure, m_size);
        submit(baseName + QStringLiteral(".png"), [=] { return chartexport::encodePng(image); }, false);
        break;
    }
    case 1: {
        const QByteArray svg = chartexport::renderSvg(figure);
        submit(baseName + QStringLiteral(".svg"), [=] { return svg; }, false);
        break;
    }
    case 2: {
        const QByteArray pdf = chartexport::renderPdf(figure);
        submit(baseName + QStringLiteral(".pdf"), [=] { return pdf; }, false);
        break;
    }
    default: {
        const QList<CsvTable> tables = figure.figureTables();
        submit([=] { return tableFiles(baseName, tables); }, true);
        m_pending.reset();
        break;
    }
    }
    return Turn::Produced;
}

} // namespace initlab::ui
