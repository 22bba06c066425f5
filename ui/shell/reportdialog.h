#pragma once
// ReportDialog is Export > Reproduce the report: it runs the homework report's three experiments
// (core's runReportExperiments, the same plan as `initlab-cli reproduce`) on a thread of its own with
// one progress bar, elapsed and remaining time and Cancel, then draws the figures on the GUI thread,
// one per event-loop turn so the window stays responsive, and offers to open report.html. Closing
// the dialog or the window during a run cancels it and waits for the thread; a cancelled or failed
// report leaves nothing behind in the folder.

#include <QDialog>
#include <QElapsedTimer>
#include <QString>
#include <QStringList>

#include <memory>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QFormLayout;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QThread;
QT_END_NAMESPACE

namespace initlab::ui {

class ReportWriter;

class ReportDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ReportDialog(QWidget* parent = nullptr);
    ~ReportDialog() override;

    // The images for the dropout experiment (empty: the default places).
    void setDataFolder(const QString& folder);
    void setOutputFolder(const QString& folder);
    void setQuick(bool quick);

    // Starts with the folder and version in the controls. False (with the reason on the status
    // line) while a report is being made or when the folder cannot be written.
    bool start();
    void cancel();
    bool isRunning() const;
    // report.html of the last report made, empty before one succeeded.
    QString reportPath() const;

    QLineEdit* folderEdit() const;
    QCheckBox* quickToggle() const;
    QPushButton* startButton() const;
    QPushButton* cancelButton() const;
    QPushButton* openButton() const;
    QProgressBar* progressBar() const;
    QLabel* statusLabel() const;

Q_SIGNALS:
    // ok: the report was written; otherwise it failed or was cancelled (the status line says which).
    void reportFinished(bool ok);

protected:
    void closeEvent(QCloseEvent* event) override;
    void reject() override;

private:
    struct Job;
    class JobProgress;
    static void runExperiments(Job& job, ReportDialog* dialog);

    QFormLayout* buildForm();
    QHBoxLayout* buildButtons();
    void chooseFolder();
    void onProgress(double fraction, const QString& stage);
    void onExperimentsDone();
    void drawNext();
    void finish(bool ok, const QString& message);
    void discardWritten();
    void updateControls();
    void stopThread();

    QLineEdit* m_folder = nullptr;
    QPushButton* m_browse = nullptr;
    QCheckBox* m_quick = nullptr;
    QLabel* m_dataLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_open = nullptr;
    QPushButton* m_openFolder = nullptr;
    QPushButton* m_close = nullptr;

    QString m_dataFolder;
    std::shared_ptr<Job> m_job;
    QThread* m_thread = nullptr;
    std::unique_ptr<ReportWriter> m_writer;
    QElapsedTimer m_clock;
    QString m_reportPath;
    bool m_cancelRequested = false;
};

} // namespace initlab::ui
