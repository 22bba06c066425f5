#pragma once
// WelcomePage is the first tab a new user sees: three sentences per experiment tab saying what it
// shows, and a "Run the report's default" button per tab that switches to it and starts its run.
// Whether the page opens at start is remembered in QSettings, so it shows once and then stays out
// of the way (it remains reachable as a tab and through Help).

#include "initlab/experimentfile.h"

#include <QWidget>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QPushButton;
QT_END_NAMESPACE

namespace initlab::ui {

class WelcomePage : public QWidget
{
    Q_OBJECT

public:
    explicit WelcomePage(QWidget* parent = nullptr);

    // The QSettings key of "open on this page at start" (default true: the first start shows it).
    static QString showAtStartKey();
    // Reads the setting; when the page is to be shown, clears it so the next start does not nag
    // (the check box sets it again).
    static bool takeShowAtStart();

    QPushButton* runButton(initlab::ExperimentKind experiment) const;
    QPushButton* openButton(initlab::ExperimentKind experiment) const;
    QCheckBox* showAtStartToggle() const;
    QPushButton* reproduceButton() const;

Q_SIGNALS:
    void runRequested(initlab::ExperimentKind experiment);
    void openRequested(initlab::ExperimentKind experiment);
    // "Reproduce the report": all three experiments at once into a report folder.
    void reproduceRequested();

private:
    QWidget* card(ExperimentKind experiment, const QString& title, const QString& text, const QString& runTip);

    QPushButton* m_run[3] = {};
    QPushButton* m_open[3] = {};
    QPushButton* m_reproduce = nullptr;
    QCheckBox* m_showAtStart = nullptr;
};

} // namespace initlab::ui
