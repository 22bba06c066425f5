#include "circlesframesexport.h"

#include "common/names.h"
#include "figures/boundarycanvas.h"
#include "figures/chartexport.h"

#include "initlab/circlessnapshots.h"
#include "initlab/csv.h"
#include "initlab/stagedfolder.h"

#include <QDir>
#include <QFile>
#include <QMutex>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
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
// Frames handed to the writers and not yet written: enough to keep both busy, few enough that the
// drawings waiting take little memory.
constexpr int kMaxInFlight = 2;

QString firstUpper(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

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

// What the writer threads share with the job; it outlives the job while a writer still holds it.
struct CirclesFramesExport::Shared {
    StagedFolder folder;
    std::atomic<bool> stop{false};
    QMutex mutex;
    std::vector<std::string> written; // paths relative to the folder

    // Writes relative into the staging folder. The reason when it cannot (the job stops then); empty
    // on success or when the job was stopped meanwhile.
    QString write(const std::string& relative, const QByteArray& bytes)
    {
        if (stop)
            return {};
        const std::string problem
            = folder.writeFile(relative, std::string(bytes.constData(), std::size_t(bytes.size())));
        if (!problem.empty()) {
            stop = true; // the files after this one are not written
            return firstUpper(QString::fromStdString(problem));
        }
        const QMutexLocker lock(&mutex);
        written.push_back(relative);
        return {};
    }
};

CirclesFramesExport::CirclesFramesExport(std::shared_ptr<const CirclesResult> result, const CirclesConfig& config,
                                         int model, int every, const QString& folder, QObject* parent)
    : QObject(parent)
    , m_result(std::move(result))
    , m_config(config)
    , m_model(model)
    , m_folder(folder)
    , m_shared(std::make_shared<Shared>())
{
    m_compute.setMaxThreadCount(1);
    m_writers.setMaxThreadCount(std::clamp(QThread::idealThreadCount(), 1, 2));
    if (!m_result || model < 0 || std::size_t(model) >= m_result->models.size()) {
        m_error = tr("Could not export the frames: the model is not in the run.");
        return;
    }
    const ModelResult& shown = m_result->models[std::size_t(model)];
    m_subfolder = subfolder(shown.key);
    for (const ModelResult& each : m_result->models)
        m_maps.push_back(each.normalization);
    m_indices = frameIndices(m_result->snapshots, lastEpoch(shown), every);
    if (m_result->snapshots.empty())
        m_error = tr("Could not export the frames: the run recorded no snapshots (its models are too many for the "
                     "snapshot memory).");
    else if (m_indices.empty())
        m_error = tr("Could not export the frames: one every %1 epochs gives no frame within the model's %2 epochs.")
                      .arg(every)
                      .arg(lastEpoch(shown));
}

CirclesFramesExport::~CirclesFramesExport()
{
    m_shared->stop = true;
    m_compute.waitForDone();
    m_writers.waitForDone();
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

void CirclesFramesExport::start()
{
    if (m_started)
        return;
    m_started = true;
    if (m_error.isEmpty()) {
        if (const std::string problem = m_shared->folder.open(QFile::encodeName(m_folder).toStdString());
            !problem.empty()) {
            m_error = firstUpper(QString::fromStdString(problem));
        } else {
            // Made here, before two writers could both try.
            const QString staged = QFile::decodeName(m_shared->folder.stagingPath(m_subfolder.toStdString()).c_str());
            if (!QDir().mkpath(staged))
                m_error = tr("Could not create %1.").arg(QDir::toNativeSeparators(framesFolder()));
        }
    }
    if (m_error.isEmpty()) {
        prepareCanvas();
        submit(QStringLiteral("frames.csv"), [this] { return framesCsv(); }, false);
        Q_EMIT progress(0, frameCount());
    }
    scheduleStep();
}

void CirclesFramesExport::cancel()
{
    if (m_finished || m_cancelled)
        return;
    m_cancelled = true;
    m_shared->stop = true;
    scheduleStep();
}

int CirclesFramesExport::frameCount() const
{
    return int(m_indices.size());
}

int CirclesFramesExport::framesDone() const
{
    return m_done;
}

bool CirclesFramesExport::isFinished() const
{
    return m_finished;
}

QString CirclesFramesExport::folder() const
{
    return m_folder;
}

QString CirclesFramesExport::framesFolder() const
{
    return QDir(m_folder).filePath(m_subfolder);
}

void CirclesFramesExport::scheduleStep()
{
    if (m_stepScheduled || m_finished)
        return;
    m_stepScheduled = true;
    // A turn of the event loop between steps, through a timer: input, paint events and other
    // timers go first (steps posted as events could follow each other with nothing in between).
    QTimer::singleShot(1, Qt::PreciseTimer, this, &CirclesFramesExport::step);
}

void CirclesFramesExport::step()
{
    m_stepScheduled = false;
    if (m_finished)
        return;
    if (m_cancelled || !m_error.isEmpty() || m_drawn == frameCount()) {
        if (m_inFlight == 0 && !m_computing)
            finish();
        return; // the last writer's or computation's answer comes back here
    }
    computeAhead();
    if (m_ready.empty() || m_inFlight >= kMaxInFlight)
        return; // boundariesComputed() or fileWritten() comes back here
    drawFrame();
    scheduleStep();
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
    m_compute.start([this, shared = m_shared, indices] {
        std::vector<BoundaryImage> images;
        QString error;
        try {
            for (const int index : indices) {
                if (shared->stop)
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
    submit(
        frameName(image.epoch),
        [drawing, logical] { return chartexport::encodePng(chartexport::renderImage(*drawing, logical, kPngSize)); },
        true);
}

// Writes what produce makes (on a writer thread) as name in the frames' folder.
void CirclesFramesExport::submit(const QString& name, std::function<QByteArray()> produce, bool isFrame)
{
    ++m_inFlight;
    const std::string relative = (m_subfolder + QLatin1Char('/') + name).toStdString();
    const QString path = QDir::toNativeSeparators(QDir(framesFolder()).filePath(name));
    m_writers.start([this, shared = m_shared, produce = std::move(produce), relative, path, isFrame] {
        QString error;
        if (!shared->stop) {
            const QByteArray bytes = produce();
            if (bytes.isEmpty()) {
                error = tr("Could not write %1: Qt's PNG writer failed.").arg(path);
                shared->stop = true;
            } else {
                error = shared->write(relative, bytes);
            }
        }
        QMetaObject::invokeMethod(
            this, [this, error, isFrame] { fileWritten(error, isFrame); }, Qt::QueuedConnection);
    });
}

void CirclesFramesExport::fileWritten(const QString& error, bool isFrame)
{
    --m_inFlight;
    if (!error.isEmpty()) {
        fail(error);
    } else if (isFrame && !m_cancelled && m_error.isEmpty()) {
        ++m_done;
        Q_EMIT progress(m_done, frameCount());
    }
    scheduleStep();
}

void CirclesFramesExport::fail(const QString& error)
{
    if (!m_error.isEmpty() || m_cancelled)
        return;
    m_error = error;
    m_shared->stop = true; // the threads still going stop at their next frame
}

void CirclesFramesExport::finish()
{
    m_finished = true;
    m_canvas.reset();
    QStringList written;
    bool ok = !m_cancelled && m_error.isEmpty();
    if (ok) {
        if (const std::string problem = m_shared->folder.commit(); !problem.empty()) {
            m_error = firstUpper(QString::fromStdString(problem));
            ok = false;
        } else {
            const QMutexLocker lock(&m_shared->mutex);
            std::vector<std::string> names = m_shared->written;
            std::sort(names.begin(), names.end()); // the frames in order, then frames.csv
            for (const std::string& name : names)
                written << QFile::decodeName(m_shared->folder.finalPath(name).c_str());
        }
    }
    if (!ok)
        m_shared->folder.abandon();
    Q_EMIT finished(ok, written, m_cancelled ? QString() : m_error);
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
