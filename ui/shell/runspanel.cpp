#include "runspanel.h"

#include "experiments/experimentfileio.h"

#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace initlab::ui {
namespace {

constexpr int kFolderRole = Qt::UserRole + 1;

QString localTime(const std::string& iso)
{
    const QDateTime time = QDateTime::fromString(QString::fromStdString(iso), Qt::ISODate);
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                          : QString::fromStdString(iso);
}

QString durationText(const std::string& started, const std::string& finished)
{
    const QDateTime a = QDateTime::fromString(QString::fromStdString(started), Qt::ISODate);
    const QDateTime b = QDateTime::fromString(QString::fromStdString(finished), Qt::ISODate);
    if (!a.isValid() || !b.isValid())
        return QString();
    const qint64 s = a.secsTo(b);
    return s < 60 ? QObject::tr("%1 s").arg(s) : QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
}

// The files "Show" needs to redraw a run's charts.
std::vector<std::string> filesToShow(ExperimentKind kind)
{
    switch (kind) {
    case ExperimentKind::Deep:
        return {"deep.csv"};
    case ExperimentKind::Circles:
        return {"circles_history.csv", "circles_summary.csv"};
    case ExperimentKind::Dropout:
        return {"dropout_history.csv", "ensemble.csv", "ensemble_curve.csv"};
    }
    return {};
}

bool readable(const RunRecord& record)
{
    return record.problem.empty();
}

bool canShow(const RunRecord& record)
{
    if (!readable(record))
        return false;
    const std::vector<std::string> needed = filesToShow(record.info.kind);
    return std::all_of(needed.begin(), needed.end(), [&](const std::string& file) {
        return std::find(record.resultFiles.begin(), record.resultFiles.end(), file) != record.resultFiles.end();
    });
}

// The name of a record's folder ("20261127-105906-deep"): what names a record whose run.json may
// not say which experiment it was.
QString folderName(const RunRecord& record)
{
    return QFileInfo(QString::fromStdString(record.folder)).fileName();
}

// Mid tones that read on the light and the dark palette's base alike.
QColor statusColor(const std::string& status)
{
    if (status == "finished")
        return QColor(0x22, 0x8b, 0x3a);
    if (status == "cancelled")
        return QColor(0xb0, 0x78, 0x00);
    return QColor(0xd9, 0x3a, 0x4a);
}

} // namespace

RunsPanel::RunsPanel(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("runsPanel"));

    m_folderLabel = new QLabel;
    m_folderLabel->setObjectName(QStringLiteral("runsFolderLabel"));
    m_folderLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_folderLabel->setWordWrap(true);
    m_refresh = new QPushButton(tr("&Refresh"));
    m_refresh->setObjectName(QStringLiteral("refreshRunsButton"));
    m_refresh->setToolTip(tr("Reads the runs folder again. The list also refreshes whenever a run ends."));
    auto* top = new QHBoxLayout;
    top->addWidget(m_folderLabel, 1);
    top->addWidget(m_refresh);

    m_list = new QTreeWidget;
    m_list->setObjectName(QStringLiteral("runsList"));
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setHeaderLabels({tr("Time"), tr("Experiment"), tr("Summary"), tr("Status")});
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(TimeColumn, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(ExperimentColumn, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(SummaryColumn, QHeaderView::Stretch);
    m_list->header()->setSectionResizeMode(StatusColumn, QHeaderView::ResizeToContents);
    m_list->setToolTip(tr("Every run of every tab leaves a record here, newest first. Double-click one to show "
                          "its results."));

    m_details = new QTextBrowser;
    m_details->setObjectName(QStringLiteral("runDetails"));
    m_details->setOpenLinks(false);

    m_show = new QPushButton(tr("&Show"));
    m_show->setObjectName(QStringLiteral("showRunButton"));
    m_show->setToolTip(tr("Opens the run's tab with its settings and redraws its charts from the recorded CSV "
                          "files, without running anything."));
    m_rerun = new QPushButton(tr("Re-&run"));
    m_rerun->setObjectName(QStringLiteral("rerunButton"));
    m_rerun->setToolTip(tr("Opens the run's tab with its settings, seeds included, and runs it again: the same "
                           "numbers come out."));
    m_openFolder = new QPushButton(tr("Open &folder"));
    m_openFolder->setObjectName(QStringLiteral("openRunFolderButton"));
    m_openFolder->setToolTip(tr("Opens the run's folder (experiment.json, run.json and the CSV files) in the file "
                                "manager."));
    m_delete = new QPushButton(tr("&Delete …"));
    m_delete->setObjectName(QStringLiteral("deleteRunButton"));
    m_delete->setToolTip(tr("Deletes the run's folder, after asking."));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_show);
    buttons->addWidget(m_rerun);
    buttons->addWidget(m_openFolder);
    buttons->addStretch(1);
    buttons->addWidget(m_delete);

    auto* detailsBox = new QWidget;
    auto* detailsLayout = new QVBoxLayout(detailsBox);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addWidget(m_details, 1);
    detailsLayout->addLayout(buttons);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->setObjectName(QStringLiteral("runsSplitter"));
    splitter->addWidget(m_list);
    splitter->addWidget(detailsBox);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);

    connect(m_refresh, &QPushButton::clicked, this, &RunsPanel::refresh);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &RunsPanel::updateDetails);
    connect(m_list, &QTreeWidget::itemDoubleClicked, this, [this] {
        if (m_show->isEnabled())
            m_show->click();
    });
    connect(m_show, &QPushButton::clicked, this, [this] {
        if (const auto record = selectedRecord())
            Q_EMIT showRequested(*record);
    });
    connect(m_rerun, &QPushButton::clicked, this, [this] {
        if (const auto record = selectedRecord())
            Q_EMIT rerunRequested(*record);
    });
    connect(m_openFolder, &QPushButton::clicked, this, &RunsPanel::openFolder);
    connect(m_delete, &QPushButton::clicked, this, [this] { deleteSelected(true); });

    updateDetails();
}

void RunsPanel::setFolder(const QString& folder)
{
    m_folder = folder;
    refresh();
}

QString RunsPanel::folder() const
{
    return m_folder;
}

const std::vector<RunRecord>& RunsPanel::records() const
{
    return m_records;
}

void RunsPanel::refresh()
{
    const std::optional<RunRecord> selected = selectedRecord();
    updateFolderLabel();
    m_records = m_folder.isEmpty() ? std::vector<RunRecord>{} : listRunRecords(QFile::encodeName(m_folder).toStdString());
    {
        const QSignalBlocker blocker(m_list);
        m_list->clear();
        for (const RunRecord& record : m_records) {
            auto* item = new QTreeWidgetItem(m_list);
            item->setText(TimeColumn, localTime(record.info.started));
            item->setText(SummaryColumn, QString::fromStdString(record.info.summary));
            item->setToolTip(SummaryColumn, QString::fromStdString(record.info.summary));
            if (readable(record)) {
                item->setText(ExperimentColumn, experimentTitle(record.info.kind));
                const QString status = QString::fromStdString(record.info.status);
                item->setText(StatusColumn, status.section(QLatin1Char(':'), 0, 0));
                item->setToolTip(StatusColumn, status);
                item->setForeground(StatusColumn, statusColor(record.info.status));
            } else {
                // Listed, not skipped: a record that vanished from the list could not be deleted
                // from here, and nobody would learn why it is gone.
                item->setText(ExperimentColumn, folderName(record));
                item->setToolTip(ExperimentColumn, QDir::toNativeSeparators(QString::fromStdString(record.folder)));
                const QString status = tr("unreadable: %1").arg(QString::fromStdString(record.problem));
                item->setText(StatusColumn, status);
                item->setToolTip(StatusColumn, status);
                item->setForeground(StatusColumn, statusColor("unreadable"));
            }
            item->setData(TimeColumn, kFolderRole, QString::fromStdString(record.folder));
        }
    }
    // The newest run is selected unless another one was, so its details are there at a glance.
    if (!selected || !selectFolder(QString::fromStdString(selected->folder)))
        selectRow(0);
}

std::optional<RunRecord> RunsPanel::selectedRecord() const
{
    const QList<QTreeWidgetItem*> items = m_list->selectedItems();
    if (items.isEmpty())
        return std::nullopt;
    const int row = m_list->indexOfTopLevelItem(items.first());
    if (row < 0 || std::size_t(row) >= m_records.size())
        return std::nullopt;
    return m_records[std::size_t(row)];
}

bool RunsPanel::selectFolder(const QString& folder)
{
    for (std::size_t i = 0; i < m_records.size(); ++i)
        if (QDir(QString::fromStdString(m_records[i].folder)) == QDir(folder)) {
            selectRow(int(i));
            return true;
        }
    return false;
}

void RunsPanel::selectRow(int row)
{
    if (QTreeWidgetItem* item = m_list->topLevelItem(row))
        m_list->setCurrentItem(item);
    updateDetails();
}

bool RunsPanel::deleteSelected(bool ask)
{
    const std::optional<RunRecord> record = selectedRecord();
    if (!record)
        return false;
    const QString folder = QString::fromStdString(record->folder);
    const QString question = readable(*record)
        ? tr("Delete the record of the run of %1 (%2)?\n\n%3 and everything in it is removed.")
              .arg(localTime(record->info.started), experimentTitle(record->info.kind), QDir::toNativeSeparators(folder))
        : tr("Delete the unreadable run record %1?\n\n%2 and everything in it is removed.")
              .arg(folderName(*record), QDir::toNativeSeparators(folder));
    if (ask
        && QMessageBox::question(this, tr("Delete run"), question, QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
               != QMessageBox::Yes)
        return false;
    const bool removed = QDir(folder).removeRecursively();
    if (!removed)
        QMessageBox::warning(this, tr("Delete run"),
                             tr("Could not delete all of %1.").arg(QDir::toNativeSeparators(folder)));
    refresh();
    return removed;
}

QTreeWidget* RunsPanel::list() const
{
    return m_list;
}

QTextBrowser* RunsPanel::details() const
{
    return m_details;
}

QPushButton* RunsPanel::showButton() const
{
    return m_show;
}

QPushButton* RunsPanel::rerunButton() const
{
    return m_rerun;
}

QPushButton* RunsPanel::openFolderButton() const
{
    return m_openFolder;
}

QPushButton* RunsPanel::deleteButton() const
{
    return m_delete;
}

void RunsPanel::updateDetails()
{
    const std::optional<RunRecord> record = selectedRecord();
    const bool showable = record && canShow(*record);
    m_show->setEnabled(showable);
    m_rerun->setEnabled(record && readable(*record));
    m_openFolder->setEnabled(record.has_value());
    m_delete->setEnabled(record.has_value());
    if (!record) {
        m_details->setHtml(m_records.empty()
                               ? tr("<p><b>No runs yet.</b></p><p>Every run in the other tabs leaves a record here: "
                                    "its settings with the seeds, the versions and machine it ran on, and its results "
                                    "as CSV files. From here a run can be shown again without running, or "
                                    "re-run.</p>")
                               : tr("<p>Select a run to see its details.</p>"));
        return;
    }
    const RunInfo& info = record->info;
    const auto row = [](const QString& key, const QString& value) {
        return QStringLiteral("<tr><td style=\"padding-right:12px\"><b>%1</b></td><td>%2</td></tr>")
            .arg(key, value.toHtmlEscaped());
    };
    if (!readable(*record)) {
        // The reason first, then what could still be read and where to look.
        QString html = tr("<h3>Unreadable run record</h3><p>This record cannot be read, so it can be neither shown "
                          "nor re-run:</p><p><b>%1</b></p><p>Open its folder to look at the files, or delete it.</p>")
                           .arg(QString::fromStdString(record->problem).toHtmlEscaped());
        html += QStringLiteral("<table>");
        if (!info.started.empty())
            html += row(tr("Started"), localTime(info.started));
        if (!info.status.empty())
            html += row(tr("Status"), QString::fromStdString(info.status));
        if (!info.summary.empty())
            html += row(tr("Summary"), QString::fromStdString(info.summary));
        html += row(tr("Folder"), QDir::toNativeSeparators(QString::fromStdString(record->folder)));
        html += QStringLiteral("</table>");
        m_details->setHtml(html);
        return;
    }
    QString html = QStringLiteral("<h3>%1</h3><p>%2</p><table>")
                       .arg(experimentTitle(info.kind).toHtmlEscaped(),
                            QString::fromStdString(info.summary).toHtmlEscaped());
    html += row(tr("Status"), QString::fromStdString(info.status));
    html += row(tr("Started"), localTime(info.started));
    html += row(tr("Finished"), localTime(info.finished));
    const QString duration = durationText(info.started, info.finished);
    if (!duration.isEmpty())
        html += row(tr("Took"), duration);
    html += row(tr("InitLab"), QString::fromStdString(info.initlabVersion));
    html += row(tr("LibTorch"), QString::fromStdString(info.torchVersion));
    html += row(tr("BLAS"), QString::fromStdString(info.blas));
    html += row(tr("Threads"), QString::number(info.threads));
    QStringList files{QStringLiteral("experiment.json"), QStringLiteral("run.json")};
    for (const std::string& file : record->resultFiles)
        files << QString::fromStdString(file);
    html += row(tr("Files"), files.join(QStringLiteral(", ")));
    html += row(tr("Folder"), QDir::toNativeSeparators(QString::fromStdString(record->folder)));
    html += QStringLiteral("</table>");
    if (!showable)
        html += tr("<p><i>This run left no results to show (it failed or was cancelled early); Re-run runs it "
                   "again.</i></p>");
    else if (info.kind == ExperimentKind::Circles)
        html += tr("<p><i>Show redraws the curves and the summary table, and each model's decision boundary at its "
                   "best epoch from the record's parameter snapshots (circles_snapshots.bin; a record without "
                   "them needs a re-run to show its boundaries).</i></p>");
    else if (info.kind == ExperimentKind::Dropout)
        html += tr("<p><i>Show redraws the curves and Table I; the gallery and confusion matrices are not recorded "
                   "and need a re-run.</i></p>");
    m_details->setHtml(html);
}

void RunsPanel::updateFolderLabel()
{
    // A runs folder that is a file, or that cannot be read, shows no runs: say why rather than
    // "No runs yet".
    const QFileInfo info(m_folder);
    QString note;
    if (info.exists() && !info.isDir())
        note = tr("not a folder: runs cannot be recorded");
    else if (info.isDir() && (!info.isReadable() || !info.isExecutable()))
        note = tr("cannot be read");
    const QString text = tr("Runs folder: %1").arg(QDir::toNativeSeparators(m_folder));
    m_folderLabel->setText(note.isEmpty() ? text : tr("%1 (%2)").arg(text, note));
}

void RunsPanel::openFolder()
{
    if (const auto record = selectedRecord())
        QDesktopServices::openUrl(QUrl::fromLocalFile(QString::fromStdString(record->folder)));
}

} // namespace initlab::ui
