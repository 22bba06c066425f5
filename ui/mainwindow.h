#pragma once
// The application window: the experiment tabs, the menus and the status bar. It owns the thread
// the ExperimentWorker runs on and stops it cleanly when the window closes, even mid-run.

#include "metatypes.h"

#include <QMainWindow>
#include <QPointer>
#include <QThread>

QT_BEGIN_NAMESPACE
class QLabel;
class QTabWidget;
QT_END_NAMESPACE

namespace initlab::ui {

class DeepPanel;
class DiagnosticsDialog;
class ExperimentWorker;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    DeepPanel* deepPanel() const;
    ExperimentWorker* worker() const;
    void showDiagnostics();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void stopWorker();
    void showBlasSummary(const initlab::BlasInfo& info);

    QThread m_workerThread;
    QPointer<ExperimentWorker> m_worker; // deleted on its own thread when the thread finishes
    QTabWidget* m_tabs = nullptr;
    DeepPanel* m_deepPanel = nullptr;
    DiagnosticsDialog* m_diagnostics = nullptr;
    QLabel* m_blasSummary = nullptr;
};

} // namespace initlab::ui
