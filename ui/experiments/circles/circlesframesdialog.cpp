#include "circlesframesdialog.h"

#include "circlesframesexport.h"

#include "common/formatting.h"
#include "figures/chartexport.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace initlab::ui {
namespace {

// About as many frames as a short clip or a slide's animation wants by default.
constexpr int kDefaultFrames = 50;

} // namespace

CirclesFramesDialog::CirclesFramesDialog(std::shared_ptr<const CirclesResult> result, int model, const QString& title,
                                         QWidget* parent)
    : QDialog(parent)
    , m_result(std::move(result))
    , m_model(model)
{
    setObjectName(QStringLiteral("circlesFramesDialog"));
    setWindowTitle(tr("Export frames"));
    const int stride = std::max(1, m_result->snapshots.stride);
    m_lastEpoch = CirclesFramesExport::lastEpoch(m_result->models[std::size_t(model)]);

    auto* intro = new QLabel(tr("Draws the model's decision boundary every N epochs from the run's snapshots, as "
                                "numbered PNG files for a video or a slide, with frames.csv beside them: the "
                                "epoch, training loss, training accuracy and validation accuracy of each frame."));
    intro->setWordWrap(true);

    auto* modelLabel = new QLabel(title);
    modelLabel->setObjectName(QStringLiteral("framesModelLabel"));
    QFont bold = modelLabel->font();
    bold.setBold(true);
    modelLabel->setFont(bold);
    modelLabel->setToolTip(tr("The model the big canvas shows. To export another one, look at another setting "
                              "(the View box, a cell of the comparison or a row of the table) and ask again."));

    m_every = new QSpinBox;
    m_every->setObjectName(QStringLiteral("framesEverySpin"));
    m_every->setRange(stride, std::max(stride, m_lastEpoch));
    m_every->setSingleStep(stride);
    m_every->setPrefix(tr("every "));
    m_every->setSuffix(tr(" epochs"));
    m_every->setValue(defaultEvery(stride, m_lastEpoch));
    m_every->setToolTip(
        tr("One frame every this many epochs, from the first multiple to the model's last epoch (%1). The run "
           "recorded a snapshot every %2, so a frame shows the recorded epoch at or before each multiple.")
            .arg(m_lastEpoch)
            .arg(countText(stride, tr("epoch"), tr("epochs"))));
    m_count = new QLabel;
    m_count->setObjectName(QStringLiteral("framesCountLabel"));
    m_count->setToolTip(tr("The number of PNG files this gives"));
    auto* everyRow = new QHBoxLayout;
    everyRow->addWidget(m_every);
    everyRow->addWidget(m_count, 1);

    m_folder = new QLineEdit(chartexport::lastExportFolder());
    m_folder->setObjectName(QStringLiteral("framesFolderEdit"));
    m_folder->setToolTip(tr("The folder the frames go into, in a subfolder of its frames folder named after the "
                            "model. It is created if missing; files of the same names are replaced."));
    m_browse = new QPushButton(tr("Browse…"));
    m_browse->setObjectName(QStringLiteral("framesBrowseButton"));
    m_browse->setToolTip(tr("Choose the folder the frames go into"));
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(m_browse);

    m_target = new QLabel;
    m_target->setObjectName(QStringLiteral("framesTargetLabel"));
    m_target->setWordWrap(true);
    m_target->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_target->setToolTip(tr("Where the files end up: epoch-NNNNN.png per frame, numbered by its epoch, and "
                            "frames.csv"));

    auto* form = new QFormLayout;
    form->addRow(tr("Model:"), modelLabel);
    form->addRow(tr("One frame:"), everyRow);
    form->addRow(tr("Folder:"), folderRow);
    form->addRow(tr("Files:"), m_target);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_export = buttons->button(QDialogButtonBox::Ok);
    m_export->setObjectName(QStringLiteral("framesExportButton"));
    m_export->setText(tr("Export"));
    m_export->setToolTip(tr("Draws and writes the frames as a job of the tab: its progress bar follows it and its "
                            "Cancel stops it, leaving the folder as it was"));
    buttons->button(QDialogButtonBox::Cancel)->setToolTip(tr("Closes without exporting"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addStretch(1);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());

    connect(m_every, &QSpinBox::valueChanged, this, &CirclesFramesDialog::updateSummary);
    connect(m_folder, &QLineEdit::textChanged, this, &CirclesFramesDialog::updateSummary);
    connect(m_browse, &QPushButton::clicked, this, &CirclesFramesDialog::chooseFolder);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateSummary();
}

int CirclesFramesDialog::every() const
{
    return m_every->value();
}

void CirclesFramesDialog::setEvery(int epochs)
{
    m_every->setValue(epochs);
}

QString CirclesFramesDialog::folder() const
{
    return m_folder->text().trimmed();
}

void CirclesFramesDialog::setFolder(const QString& folder)
{
    m_folder->setText(folder);
}

int CirclesFramesDialog::frameCount() const
{
    return int(CirclesFramesExport::frameIndices(m_result->snapshots, m_lastEpoch, every()).size());
}

int CirclesFramesDialog::defaultEvery(int stride, int lastEpoch)
{
    stride = std::max(1, stride);
    const long strides = std::lround(double(lastEpoch) / (double(kDefaultFrames) * stride));
    return stride * int(std::max(1L, strides));
}

void CirclesFramesDialog::chooseFolder()
{
    const QString chosen = QFileDialog::getExistingDirectory(this, tr("Folder for the frames"), folder());
    if (!chosen.isEmpty())
        m_folder->setText(QDir::toNativeSeparators(chosen));
}

// The count beside the spin box, where the files go, and Export only when it has something to do.
void CirclesFramesDialog::updateSummary()
{
    const int frames = frameCount();
    m_count->setText(tr("→ %1").arg(countText(frames, tr("frame"), tr("frames"))));
    const QString chosen = folder();
    const QString subfolder = CirclesFramesExport::subfolder(m_result->models[std::size_t(m_model)].key);
    m_target->setText(chosen.isEmpty() ? tr("choose a folder")
                                       : QDir::toNativeSeparators(QDir(chosen).filePath(subfolder) + QLatin1Char('/')));
    m_export->setEnabled(frames > 0 && !chosen.isEmpty());
}

} // namespace initlab::ui
