#include "diagnosticsdialog.h"

#include "experiments/deep/deepworker.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace initlab::ui {
namespace {

QLabel* valueLabel(const QString& objectName)
{
    auto* label = new QLabel(QStringLiteral("…"));
    label->setObjectName(objectName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

} // namespace

DiagnosticsDialog::DiagnosticsDialog(DeepWorker* worker, QWidget* parent)
    : QDialog(parent)
    , m_worker(worker)
{
    setWindowTitle(tr("About InitLab"));
    setObjectName(QStringLiteral("diagnosticsDialog"));

    auto* about = new QLabel(
        tr("<h3>InitLab %1</h3><p>A laboratory for weight initialization, input normalization and dropout: "
           "see how the choice of init scheme and activation decides whether a signal survives fifty layers."
           "</p><p>Qt %2, LibTorch on the CPU.</p>")
            .arg(QStringLiteral(INITLAB_VERSION), QString::fromLatin1(qVersion())));
    about->setWordWrap(true);
    about->setTextFormat(Qt::RichText);

    m_library = valueLabel(QStringLiteral("blasLibrary"));
    m_kernels = valueLabel(QStringLiteral("blasKernels"));
    m_coreType = valueLabel(QStringLiteral("blasCoreType"));
    m_autoSelected = valueLabel(QStringLiteral("blasAutoSelected"));
    m_torchThreads = valueLabel(QStringLiteral("torchThreads"));
    m_hardwareThreads = valueLabel(QStringLiteral("hardwareThreads"));
    m_cpuFeatures = valueLabel(QStringLiteral("cpuFeatures"));
    m_torchVersion = valueLabel(QStringLiteral("torchVersion"));
    m_gemm = valueLabel(QStringLiteral("gemmThroughput"));
    m_gemm->setToolTip(tr("float32 matrix product through LibTorch, 10000×512 by 512×512: the size of one layer of "
                          "the report's deep net with its batch of 10000. Best of a few repetitions."));

    auto* form = new QFormLayout;
    form->addRow(tr("BLAS library:"), m_library);
    form->addRow(tr("OpenBLAS kernels:"), m_kernels);
    form->addRow(tr("OPENBLAS_CORETYPE:"), m_coreType);
    form->addRow(tr("Kernels chosen by InitLab:"), m_autoSelected);
    form->addRow(tr("LibTorch threads:"), m_torchThreads);
    form->addRow(tr("Hardware threads:"), m_hardwareThreads);
    form->addRow(tr("CPU features:"), m_cpuFeatures);
    form->addRow(tr("LibTorch version:"), m_torchVersion);
    form->addRow(tr("GEMM throughput:"), m_gemm);

    m_measureAgain = new QPushButton(tr("Measure again"));
    m_measureAgain->setObjectName(QStringLiteral("measureAgainButton"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_measureAgain, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_measureAgain, &QPushButton::clicked, this, [this] { measure(false); });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(about);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(520);

    connect(m_worker, &DeepWorker::blasInfoReady, this, &DiagnosticsDialog::showInfo);
    connect(m_worker, &DeepWorker::gemmMeasured, this, &DiagnosticsDialog::showGemm);
}

void DiagnosticsDialog::measure(bool experimentRunning)
{
    if (m_measuring || !m_worker)
        return;
    m_measuring = true;
    m_measureAgain->setEnabled(false);
    m_gemm->setText(experimentRunning ? tr("measuring after the running experiment …") : tr("measuring …"));
    m_worker->startDiagnostics(true);
}

bool DiagnosticsDialog::isMeasuring() const
{
    return m_measuring;
}

QString DiagnosticsDialog::gemmText() const
{
    return m_gemm->text();
}

void DiagnosticsDialog::showInfo(const BlasInfo& info)
{
    const QString unknown = tr("unknown");
    m_library->setText(info.library.empty() ? unknown : QString::fromStdString(info.library));
    m_kernels->setText(info.coreName.empty() ? tr("unknown (not OpenBLAS)") : QString::fromStdString(info.coreName));
    m_coreType->setText(info.coreTypeEnv.empty() ? tr("(not set)") : QString::fromStdString(info.coreTypeEnv));
    m_autoSelected->setText(info.autoSelected ? tr("yes: OpenBLAS would have run kernels weaker than this CPU "
                                                   "supports, so InitLab set OPENBLAS_CORETYPE before loading it")
                                              : tr("no"));
    m_torchThreads->setText(QString::number(info.torchThreads));
    m_hardwareThreads->setText(QString::number(info.hardwareThreads));
    m_cpuFeatures->setText(info.cpuFeatures.empty() ? unknown : QString::fromStdString(info.cpuFeatures));
    m_torchVersion->setText(info.torchVersion.empty() ? unknown : QString::fromStdString(info.torchVersion));
}

void DiagnosticsDialog::showGemm(double gflops)
{
    // Only the measurement this dialog asked for ends its measuring state.
    if (!m_measuring)
        return;
    m_measuring = false;
    m_measureAgain->setEnabled(true);
    m_gemm->setText(std::isfinite(gflops) ? tr("%1 GFLOP/s").arg(gflops, 0, 'f', 1) : tr("the measurement failed"));
    Q_EMIT measured(gflops);
}

} // namespace initlab::ui
