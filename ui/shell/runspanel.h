#pragma once
// RunsPanel is the "Runs" tab: the run records in the runs folder, newest first, with the details
// of the selected one (versions, BLAS, threads, times, result files) and what can be done with it -
// show its results again without running, re-run it with the same settings and seeds, open its
// folder, delete it. Showing and re-running are the window's business: the panel asks by signal.
// A record that cannot be read is listed as unreadable with the reason; it can be opened and
// deleted, not shown or re-run.

#include "initlab/runrecord.h"

#include <QWidget>

#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QLabel;
class QPushButton;
class QTextBrowser;
class QTreeWidget;
QT_END_NAMESPACE

namespace initlab::ui {

class RunsPanel : public QWidget
{
    Q_OBJECT

public:
    enum Column { TimeColumn, ExperimentColumn, SummaryColumn, StatusColumn };

    explicit RunsPanel(QWidget* parent = nullptr);

    void setFolder(const QString& folder);
    QString folder() const;
    // The records as last read, newest first (the list's rows).
    const std::vector<initlab::RunRecord>& records() const;
    // The selected record, if any.
    std::optional<initlab::RunRecord> selectedRecord() const;
    // Selects the record in this folder (or the row), false when there is none.
    bool selectFolder(const QString& folder);
    void selectRow(int row);
    // Removes the selected record's folder; when ask is true, only after the user said yes.
    bool deleteSelected(bool ask = true);

    QTreeWidget* list() const;
    QTextBrowser* details() const;
    QPushButton* showButton() const;
    QPushButton* rerunButton() const;
    QPushButton* openFolderButton() const;
    QPushButton* deleteButton() const;

public Q_SLOTS:
    // Reads the runs folder again, keeping the selection when the record is still there.
    void refresh();

Q_SIGNALS:
    void showRequested(const initlab::RunRecord& record);
    void rerunRequested(const initlab::RunRecord& record);

private:
    void updateDetails();
    void updateFolderLabel();
    void openFolder();

    QString m_folder;
    std::vector<initlab::RunRecord> m_records;
    QLabel* m_folderLabel = nullptr;
    QTreeWidget* m_list = nullptr;
    QTextBrowser* m_details = nullptr;
    QPushButton* m_refresh = nullptr;
    QPushButton* m_show = nullptr;
    QPushButton* m_rerun = nullptr;
    QPushButton* m_openFolder = nullptr;
    QPushButton* m_delete = nullptr;
};

} // namespace initlab::ui
