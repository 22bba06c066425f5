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

class CirclesPanel;
class CirclesWorker;
class DeepPanel;
class DiagnosticsDialog;
class DropoutPanel;
class DropoutWorker;
class ExperimentWorker;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    DeepPanel* deepPanel() const;
    CirclesPanel* circlesPanel() const;
    DropoutPanel* dropoutPanel() const;
    ExperimentWorker* worker() const;
    void showDiagnostics();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void stopWorker();
    void showBlasSummary(const initlab::BlasInfo& info);

    QThread m_workerThread;
    QPointer<ExperimentWorker> m_worker; // deleted on its own thread when the thread finishes
    // The circles lab trains on a thread of its own too, so a long comparison does not hold up the
    // deep tab (and the other way round).
    QThread m_circlesThread;
    QPointer<CirclesWorker> m_circlesWorker;
    CirclesPanel* m_circlesPanel = nullptr;
    // The dropout experiment has a thread of its own: its data and long runs do not wait behind
    // (or hold up) the other tabs.
    QThread m_dropoutThread;
    QPointer<DropoutWorker> m_dropoutWorker;
    DropoutPanel* m_dropoutPanel = nullptr;
    QTabWidget* m_tabs = nullptr;
    DeepPanel* m_deepPanel = nullptr;
    DiagnosticsDialog* m_diagnostics = nullptr;
    QLabel* m_blasSummary = nullptr;
};

} // namespace initlab::ui
