#pragma once
// What "Export frames…" asks before its job (CirclesFramesExport) starts: one frame every how many
// epochs, with the number of frames that gives, and the folder, for the model the big canvas shows.

#include "initlab/circles.h"

#include <QDialog>

#include <memory>

QT_BEGIN_NAMESPACE
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
QT_END_NAMESPACE

namespace initlab::ui {

class CirclesFramesDialog : public QDialog
{
    Q_OBJECT

public:
    // model: an index into result's models, the one to export; title: how the tab names it (its
    // setting and seed). The folder starts as the last export's.
    CirclesFramesDialog(std::shared_ptr<const CirclesResult> result, int model, const QString& title,
                        QWidget* parent = nullptr);

    int every() const;
    void setEvery(int epochs);
    QString folder() const;
    void setFolder(const QString& folder);
    // The frames one every every() epochs gives.
    int frameCount() const;

    // The multiple of the snapshots' stride that gives about 50 frames over lastEpoch epochs.
    static int defaultEvery(int stride, int lastEpoch);

    QSpinBox* everySpin() const { return m_every; }
    QLineEdit* folderEdit() const { return m_folder; }
    QPushButton* exportButton() const { return m_export; }

private:
    void chooseFolder();
    void updateSummary();

    std::shared_ptr<const CirclesResult> m_result;
    int m_model = 0;
    int m_lastEpoch = 0;
    QSpinBox* m_every = nullptr;
    QLabel* m_count = nullptr;
    QLineEdit* m_folder = nullptr;
    QPushButton* m_browse = nullptr;
    QLabel* m_target = nullptr;
    QPushButton* m_export = nullptr;
};

} // namespace initlab::ui
