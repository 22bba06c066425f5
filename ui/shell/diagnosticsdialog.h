#pragma once
// The About/Diagnostics dialog: what InitLab is, and what the linear algebra under LibTorch is on
// this machine (BLAS library and kernels, threads, CPU features) with a measured GEMM throughput.
// Everything that touches torch is asked of the DeepWorker, off the GUI thread.

#include "experiments/metatypes.h"

#include "initlab/blas.h"

#include <QDialog>
#include <QPointer>

QT_BEGIN_NAMESPACE
class QLabel;
class QPushButton;
QT_END_NAMESPACE

namespace initlab::ui {

class DeepWorker;

class DiagnosticsDialog : public QDialog
{
    Q_OBJECT

public:
    DiagnosticsDialog(DeepWorker* worker, QWidget* parent = nullptr);

    // Asks the worker for the BLAS facts and a GEMM measurement; experimentRunning says the
    // request waits behind a run on the worker's thread.
    void measure(bool experimentRunning);
    bool isMeasuring() const;
    QString gemmText() const;

Q_SIGNALS:
    void measured(double gflops);

private:
    void showInfo(const initlab::BlasInfo& info);
    void showGemm(double gflops);

    QPointer<DeepWorker> m_worker;
    bool m_measuring = false;
    QLabel* m_library = nullptr;
    QLabel* m_kernels = nullptr;
    QLabel* m_coreType = nullptr;
    QLabel* m_autoSelected = nullptr;
    QLabel* m_torchThreads = nullptr;
    QLabel* m_hardwareThreads = nullptr;
    QLabel* m_cpuFeatures = nullptr;
    QLabel* m_torchVersion = nullptr;
    QLabel* m_gemm = nullptr;
    QPushButton* m_measureAgain = nullptr;
};

} // namespace initlab::ui
