#include "circlesframesexport.h"

#include "common/names.h"
#include "figures/boundarycanvas.h"
#include "figures/chartexport.h"

#include "initlab/circlessnapshots.h"
#include "initlab/csv.h"
#include "initlab/stagedfolder.h"

#include <QDir>
#include <QFile>

#include <algorithm>
#include <exception>
#include <string>

namespace initlab::ui {
namespace {

// As the CLI's frames: half the report's resolution, a file per frame that opens quickly and still
// prints sharp at half the width.
const PngSize kPngSize{16.0, 150};
// The canvas's size on screen, as the CLI lays it out; the drawing is taken at the export's size.
constexpr int kCanvasPixels = 640;
// Frames the computing thread works out at a time, and at most twice that many wait to be drawn:
// enough to keep the GUI thread fed, few enough that a cancel is quick.
constexpr int kBatch = 8;
// "2-6-3-2"
QString netShape(const CirclesConfig& config)
{
    QString shape = QStringLiteral("2");
    for (const int size : config.hidden)
        shape += QStringLiteral("-%1").arg(size);
    return shape + QStringLiteral("-2");
}

QString frameName(int epoch)
{
    return QStringLiteral("epoch-%1.png").arg(epoch, 5, 10, QLatin1Char('0'));
}

} // namespace

CirclesFramesExport::CirclesFramesExport(std::shared_ptr<const CirclesResult> result, const CirclesConfig& config,
                                         int model, int every, const QString& folder, QObject* parent)
    : FileJob(folder,
              // Writes name (a path relative to the folder) into the staging folder: empty, or why not.
              [folder](StagedFolder& staged, const QString& name, const QByteArray& bytes) {
                  if (bytes.isEmpty())
                      return tr("Could not write %1: Qt's PNG writer failed.")
                          .arg(QDir::toNativeSeparators(QDir(folder).filePath(name)));
                  return firstUpper(QString::fromStdString(
                      staged.writeFile(name.toStdString(), std::string(bytes.constData(), std::size_t(bytes.size())))));
              },
              parent)
    , m_result(std::move(result))
    , m_config(config)
    , m_model(model)
{
    m_compute.setMaxThreadCount(1);
    if (!m_result || model < 0 || std::size_t(model) >= m_result->models.size()) {
        fail(tr("Could not export the frames: the model is not in the run."));
        return;
    }
    const ModelResult& shown = m_result->models[std::size_t(model)];
    m_subfolder = subfolder(shown.key);
    for (const ModelResult& each : m_result->models)
        m_maps.push_back(each.normalization);
    m_indices = frameIndices(m_result->snapshots, lastEpoch(shown), every);
    if (m_result->snapshots.empty())
        fail(tr("Could not export the frames: the run recorded no snapshots (its models are too many for the "
                "snapshot memory)."));
    else if (m_indices.empty())
        fail(tr("Could not export the frames: one every %1 epochs gives no frame within the model's %2 epochs.")
                 .arg(every)
                 .arg(lastEpoch(shown)));
}

CirclesFramesExport::~CirclesFramesExport()
{
    stopWriters();
    m_compute.waitForDone();
}

std::vector<int> CirclesFramesExport::frameIndices(const CirclesSnapshots& snapshots, int lastEpoch, int every)
{
    std::vector<int> indices;
    if (snapshots.empty() || every < 1)
        return indices;
    for (int epoch = every; epoch <= lastEpoch; epoch += every) {
        const int index = snapshots.indexAtOrBefore(epoch);
        if (index > 0 && (indices.empty() || indices.back() != index))
            indices.push_back(index);
    }
    return indices;
}

int CirclesFramesExport::lastEpoch(const ModelResult& model)
{
    return int(model.trainLoss.size());
}

QString CirclesFramesExport::subfolder(const ModelKey& key)
{
    return QStringLiteral("frames/%1-%2-seed%3")
        .arg(toQString(name(key.normalization)), toQString(name(key.init)))
        .arg(key.seed);
}

QString CirclesFramesExport::begin()
{
    // Made here, before two writers could both try.
    const QString staged = QFile::decodeName(stagedFolder().stagingPath(m_subfolder.toStdString()).c_str());
    if (!QDir().mkpath(staged))
        return tr("Could not create %1.").arg(QDir::toNativeSeparators(framesFolder()));
    prepareCanvas();
    return {};
}

int CirclesFramesExport::frameCount() const
{
    return int(m_indices.size());
}

int CirclesFramesExport::framesDone() const
{
    return unitsDone();
}

int CirclesFramesExport::unitCount() const
{
    return frameCount();
}

QString CirclesFramesExport::framesFolder() const
{
    return QDir(folder()).filePath(m_subfolder);
}

FileJob::Turn CirclesFramesExport::produceNext()
{
    if (m_drawn == frameCount())
        return Turn::Done;
    computeAhead();
    if (m_ready.empty() || writersFull())
        return Turn::Waiting; // boundariesComputed() or a written frame comes back here
    drawFrame();
    return Turn::Produced;
}

// Last, so that the files are written (and listed) in their order: the frames, then frames.csv.
void CirclesFramesExport::submitLast()
{
    submitFile(QStringLiteral("frames.csv"), [this] { return framesCsv(); }, false);
}

bool CirclesFramesExport::producerBusy() const
{
    return m_computing;
}

// Hands the next frames to the computing thread while few wait to be drawn.
void CirclesFramesExport::computeAhead()
{
    if (m_computing || m_computeNext >= frameCount() || int(m_ready.size()) >= kBatch)
        return;
    const int count = std::min(kBatch, frameCount() - m_computeNext);
    const std::vector<int> indices(m_indices.begin() + m_computeNext, m_indices.begin() + m_computeNext + count);
    m_computeNext += count;
    m_computing = true;
    m_compute.start([this, indices] {
        std::vector<BoundaryImage> images;
        QString error;
        try {
            for (const int index : indices) {
                if (stopRequested())
                    break;
                images.push_back(snapshotBoundaries(m_config, m_result->snapshots, index, m_maps, {m_model}).front());
            }
        } catch (const std::exception& e) {
            error = tr("Could not draw the frames: %1").arg(QString::fromStdString(e.what()));
        }
        QMetaObject::invokeMethod(
            this, [this, images, error] { boundariesComputed(images, error); }, Qt::QueuedConnection);
    });
}

void CirclesFramesExport::boundariesComputed(const std::vector<BoundaryImage>& images, const QString& error)
{
    m_computing = false;
    if (!error.isEmpty())
        fail(error);
    m_ready.insert(m_ready.end(), images.begin(), images.end());
    scheduleStep();
}

// The canvas of every frame, in the print look: the title, the model's training points.
void CirclesFramesExport::prepareCanvas()
{
    const ModelResult& model = m_result->models[std::size_t(m_model)];
    m_canvas = std::make_unique<BoundaryCanvas>(false);
    m_canvas->setTitle(tr("%1 · %2 · seed %3")
                           .arg(normalizationTitle(model.key.normalization, m_config.scaledFactor),
                                toQString(displayName(model.key.init)))
                           .arg(model.key.seed));
    const std::size_t seedIndex = std::size_t(model.key.seed - m_config.firstSeed);
    if (seedIndex < m_result->datasets.size())
        m_canvas->setPoints(m_result->datasets[seedIndex].train);
    m_canvas->resize(kCanvasPixels, kCanvasPixels);
    m_logical = chartexport::logicalSize(*m_canvas, kPngSize.widthCm);
}

// One frame's turn on the GUI thread: the image on the canvas and its drawing taken; the rest on a
// writer thread.
void CirclesFramesExport::drawFrame()
{
    const BoundaryImage image = std::move(m_ready.front());
    m_ready.pop_front();
    ++m_drawn;
    m_canvas->setImage(image);
    m_canvas->setCaption(caption(image.epoch));
    const std::shared_ptr<const FigureDrawing> drawing = m_canvas->takeDrawing(m_logical);
    if (!drawing) {
        fail(tr("Could not draw the frame of epoch %1.").arg(image.epoch));
        return;
    }
    const QSizeF logical = m_logical;
    submitFile(
        frameName(image.epoch),
        [drawing, logical] { return chartexport::encodePng(chartexport::renderImage(*drawing, logical, kPngSize)); },
        true);
}

void CirclesFramesExport::submitFile(const QString& name, std::function<QByteArray()> produce, bool isFrame)
{
    submit(m_subfolder + QLatin1Char('/') + name, std::move(produce), isFrame);
}

// The CLI's subtitle ("2-6-3-2 ReLU, epoch 300 of 5000: validation accuracy 97.5 %") broken where the
// canvas may wrap it.
QString CirclesFramesExport::caption(int epoch) const
{
    const ModelResult& model = m_result->models[std::size_t(m_model)];
    QString text = tr("%1 %2 · epoch %3 of %4")
                       .arg(netShape(m_config), toQString(displayName(m_config.activation)))
                       .arg(epoch)
                       .arg(m_config.epochs);
    if (epoch >= 1 && std::size_t(epoch) <= model.valAcc.size())
        text += tr(" · validation accuracy %1 %").arg(100.0 * model.valAcc[std::size_t(epoch - 1)], 0, 'f', 1);
    return text;
}

// epoch,train_loss,train_acc,val_acc of the frames' epochs, the numbers as circles_history.csv
// writes them.
QByteArray CirclesFramesExport::framesCsv() const
{
    const ModelResult& model = m_result->models[std::size_t(m_model)];
    std::string csv = "epoch,train_loss,train_acc,val_acc\n";
    for (const int index : m_indices) {
        const int epoch = m_result->snapshots.epochs[std::size_t(index)];
        const std::size_t e = std::size_t(epoch - 1);
        csv += std::to_string(epoch) + ',' + formatNumber(model.trainLoss[e]) + ',' + formatNumber(model.trainAcc[e])
               + ',' + formatNumber(model.valAcc[e]) + '\n';
    }
    return QByteArray::fromStdString(csv);
}

} // namespace initlab::ui
