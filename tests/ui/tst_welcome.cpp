// The window's first-run experience and help, offscreen with tiny runs: the welcome page's buttons
// switch tabs and start runs, the keyboard shortcuts run, cancel and switch tabs, the guide has a
// page per tab and lists the shortcuts, the status bar shows elapsed and remaining time while a run
// goes on, and every control of the panels has a tooltip.

#include "experiments/circles/circlespanel.h"
#include "experiments/deep/deeppanel.h"
#include "experiments/dropout/dropoutpanel.h"
#include "experiments/dropout/dropoutworker.h"
#include "shell/helpdialog.h"
#include "shell/mainwindow.h"
#include "experiments/metatypes.h"
#include "widgets.h"
#include "common/names.h"
#include "shell/reportdialog.h"
#include "shell/welcomepage.h"

#include <QAbstractButton>
#include <QAction>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <memory>

using namespace initlab;
using namespace initlab::ui;

namespace {

constexpr int kTimeoutMs = 120000;

void useTinyDeep(DeepPanel* panel)
{
    panel->setDepth(4);
    panel->setWidth(16);
    panel->setBatch(32);
}

void useTinyCircles(CirclesPanel* panel, int epochs)
{
    child<QSpinBox>(panel, "epochsSpin")->setValue(epochs);
    panel->setSeeds(1);
    child<QSpinBox>(panel, "resolutionSpin")->setValue(16);
}

void useTinyDropout(DropoutPanel* panel)
{
    child<QLineEdit>(panel, "pValuesEdit")->setText(QStringLiteral("0.5"));
    child<QLineEdit>(panel, "hiddenEdit")->setText(QStringLiteral("16"));
    panel->setEpochs(100000); // long enough to be cancelled
    panel->setEnsembleSizes(QStringLiteral("2"));
    child<QSpinBox>(panel, "trainBeginSpin")->setValue(0);
    child<QSpinBox>(panel, "trainEndSpin")->setValue(200);
    child<QSpinBox>(panel, "validationBeginSpin")->setValue(200);
    child<QSpinBox>(panel, "validationEndSpin")->setValue(300);
    child<QSpinBox>(panel, "threadsSpin")->setValue(1);
}

} // namespace

class TestWelcome : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void welcomeShowsOnceThenTheDeepTab();
    void welcomeButtonsSwitchTabsAndStartRuns_data();
    void welcomeButtonsSwitchTabsAndStartRuns();
    void shortcutsSwitchTabs();
    void shortcutsRunAndCancel();
    void helpHasAGuidePerTabAndTheShortcuts();
    void statusBarShowsElapsedAndRemaining();
    void everyControlHasATooltip();
    void windowFitsA1280x800Screen();
    void reproduceOpensTheReportDialog();

private:
    void showWindow();

    std::unique_ptr<MainWindow> m_window;
};

void TestWelcome::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    registerMetaTypes();
    registerDropoutMetaTypes();
}

void TestWelcome::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1500, 950);
    useTinyDeep(m_window->deepPanel());
    useTinyCircles(m_window->circlesPanel(), 50);
    useTinyDropout(m_window->dropoutPanel());
}

void TestWelcome::cleanup()
{
    m_window->close();
    m_window.reset();
}

void TestWelcome::showWindow()
{
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestWelcome::welcomeShowsOnceThenTheDeepTab()
{
    // init() made the first window of a fresh settings file: it opened on the welcome page.
    QCOMPARE(m_window->tabs()->currentWidget(), static_cast<QWidget*>(m_window->welcomePage()));
    QCOMPARE(m_window->tabs()->indexOf(m_window->welcomePage()), 0);
    QVERIFY(!m_window->welcomePage()->showAtStartToggle()->isChecked());
    {
        MainWindow second;
        QCOMPARE(second.tabs()->currentWidget(), static_cast<QWidget*>(second.deepPanel()));
        second.welcomePage()->showAtStartToggle()->setChecked(true); // asks for it again
    }
    MainWindow third;
    QCOMPARE(third.tabs()->currentWidget(), static_cast<QWidget*>(third.welcomePage()));
    QVERIFY(third.welcomePage()->showAtStartToggle()->isChecked());
    third.welcomePage()->showAtStartToggle()->setChecked(false);
    MainWindow fourth;
    QCOMPARE(fourth.tabs()->currentWidget(), static_cast<QWidget*>(fourth.deepPanel()));
}

void TestWelcome::welcomeButtonsSwitchTabsAndStartRuns_data()
{
    QTest::addColumn<int>("experiment");
    QTest::newRow("deep") << int(ExperimentKind::Deep);
    QTest::newRow("circles") << int(ExperimentKind::Circles);
    QTest::newRow("dropout") << int(ExperimentKind::Dropout);
}

void TestWelcome::welcomeButtonsSwitchTabsAndStartRuns()
{
    QFETCH(int, experiment);
    const auto which = ExperimentKind(experiment);
    QWidget* panel = which == ExperimentKind::Deep      ? static_cast<QWidget*>(m_window->deepPanel())
                     : which == ExperimentKind::Circles ? static_cast<QWidget*>(m_window->circlesPanel())
                                                                 : static_cast<QWidget*>(m_window->dropoutPanel());
    showWindow();
    m_window->showWelcome();
    QSignalSpy started(panel, SIGNAL(runStarted()));
    QPushButton* run = m_window->welcomePage()->runButton(which);
    QVERIFY(run != nullptr);
    QVERIFY(!run->toolTip().isEmpty());
    QTest::mouseClick(run, Qt::LeftButton);
    QCOMPARE(m_window->tabs()->currentWidget(), panel);
    QCOMPARE(started.size(), 1);

    switch (which) {
    case ExperimentKind::Deep: {
        // The report's seven, at the (tiny) sizes of the tab.
        QSignalSpy finished(m_window->deepPanel(), &DeepPanel::runFinished);
        QVERIFY(finished.wait(kTimeoutMs));
        const auto result = finished.at(0).at(0).value<DeepResult>();
        QCOMPARE(result.combinations.size(), std::size_t(7));
        break;
    }
    case ExperimentKind::Circles: {
        QSignalSpy finished(m_window->circlesPanel(), &CirclesPanel::runFinished);
        QVERIFY(finished.wait(kTimeoutMs));
        QVERIFY(m_window->circlesPanel()->lastResult() != nullptr);
        break;
    }
    case ExperimentKind::Dropout: {
        QVERIFY(m_window->dropoutPanel()->isRunning());
        QSignalSpy finished(m_window->dropoutPanel(), &DropoutPanel::runFinished);
        m_window->dropoutPanel()->cancel();
        QVERIFY(finished.wait(kTimeoutMs));
        break;
    }
    }

    // "Open the tab" switches without starting anything.
    m_window->showWelcome();
    QTest::mouseClick(m_window->welcomePage()->openButton(which), Qt::LeftButton);
    QCOMPARE(m_window->tabs()->currentWidget(), panel);
    QCOMPARE(started.size(), 1);
}

void TestWelcome::shortcutsSwitchTabs()
{
    showWindow();
    QTest::keyClick(m_window.get(), Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(m_window->tabs()->currentWidget(), static_cast<QWidget*>(m_window->circlesPanel()));
    QTest::keyClick(m_window.get(), Qt::Key_3, Qt::ControlModifier);
    QCOMPARE(m_window->tabs()->currentWidget(), static_cast<QWidget*>(m_window->dropoutPanel()));
    QTest::keyClick(m_window.get(), Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(m_window->tabs()->currentWidget(), static_cast<QWidget*>(m_window->deepPanel()));
    QTest::keyClick(m_window.get(), Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(m_window->tabs()->currentWidget(), static_cast<QWidget*>(m_window->welcomePage()));
    // A key past the last tab does nothing.
    QTest::keyClick(m_window.get(), Qt::Key_9, Qt::ControlModifier);
    QCOMPARE(m_window->tabs()->currentWidget(), static_cast<QWidget*>(m_window->welcomePage()));
    // F11 toggles full screen.
    QTest::keyClick(m_window.get(), Qt::Key_F11);
    QTRY_VERIFY(m_window->isFullScreen());
    QTest::keyClick(m_window.get(), Qt::Key_F11);
    QTRY_VERIFY(!m_window->isFullScreen());
}

void TestWelcome::shortcutsRunAndCancel()
{
    showWindow();
    // Deep tab, nothing selected: Ctrl+R runs the report's seven.
    QTest::keyClick(m_window.get(), Qt::Key_1, Qt::ControlModifier);
    QSignalSpy deepFinished(m_window->deepPanel(), &DeepPanel::runFinished);
    QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier);
    QVERIFY(m_window->deepPanel()->isRunning() || deepFinished.size() == 1);
    QVERIFY(deepFinished.size() == 1 || deepFinished.wait(kTimeoutMs));
    QCOMPARE(deepFinished.at(0).at(0).value<DeepResult>().combinations.size(), std::size_t(7));

    // Circles tab: Ctrl+R trains, Esc cancels a long run.
    useTinyCircles(m_window->circlesPanel(), 100000);
    QTest::keyClick(m_window.get(), Qt::Key_2, Qt::ControlModifier);
    QSignalSpy circlesFinished(m_window->circlesPanel(), &CirclesPanel::runFinished);
    QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier);
    QVERIFY(m_window->circlesPanel()->isRunning());
    QTest::keyClick(m_window.get(), Qt::Key_Escape);
    QVERIFY(circlesFinished.wait(kTimeoutMs));
    QVERIFY(!m_window->circlesPanel()->isRunning());
    QVERIFY2(m_window->circlesPanel()->statusText().contains(QStringLiteral("Cancelled")),
             qPrintable(m_window->circlesPanel()->statusText()));

    // Esc on another tab stops the only run going on.
    QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier);
    QVERIFY(m_window->circlesPanel()->isRunning());
    QTest::keyClick(m_window.get(), Qt::Key_0, Qt::ControlModifier);
    QTest::keyClick(m_window.get(), Qt::Key_Escape);
    QVERIFY(circlesFinished.wait(kTimeoutMs));
}

void TestWelcome::helpHasAGuidePerTabAndTheShortcuts()
{
    showWindow();
    QTest::keyClick(m_window.get(), Qt::Key_2, Qt::ControlModifier);
    QTest::keyClick(m_window.get(), Qt::Key_F1);
    HelpDialog* help = m_window->helpDialog();
    QVERIFY(help != nullptr);
    QTRY_VERIFY(help->isVisible());
    QCOMPARE(help->currentPage(), HelpDialog::Page::Circles);
    QCOMPARE(help->pages()->count(), 4);
    const QString deep = help->page(HelpDialog::Page::Deep)->toPlainText();
    QVERIFY(deep.contains(QStringLiteral("weight-gradient std stays flat")));
    QVERIFY(deep.contains(QStringLiteral("pre-activation")));
    const QString circles = help->page(HelpDialog::Page::Circles)->toPlainText();
    QVERIFY(circles.contains(QStringLiteral("Why standardization matters")));
    const QString dropout = help->page(HelpDialog::Page::Dropout)->toPlainText();
    QVERIFY(dropout.contains(QStringLiteral("Softmax vs logits")));
    QVERIFY(dropout.contains(QStringLiteral("p = 0.5")));

    // The guide follows the tab it is opened from.
    help->close();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTest::keyClick(m_window.get(), Qt::Key_3, Qt::ControlModifier);
    QTest::keyClick(m_window.get(), Qt::Key_F1);
    QTRY_VERIFY(help->isVisible());
    QCOMPARE(help->currentPage(), HelpDialog::Page::Dropout);

    m_window->showShortcuts();
    QCOMPARE(help->currentPage(), HelpDialog::Page::Shortcuts);
    const QString keys = help->page(HelpDialog::Page::Shortcuts)->toPlainText();
    for (const QString& key : {QStringLiteral("Ctrl+R"), QStringLiteral("Esc"), QStringLiteral("Ctrl+1"),
                               QStringLiteral("Ctrl+3"), QStringLiteral("F11"), QStringLiteral("F1")})
        QVERIFY2(keys.contains(key), qPrintable(key + QStringLiteral(" missing in: ") + keys));
    QVERIFY(!keys.contains(QStringLiteral("Ctrl+9"))); // no ninth tab
    if (const QString folder = qEnvironmentVariable("INITLAB_TEST_SCREENSHOTS"); !folder.isEmpty()) {
        help->grab().save(folder + QStringLiteral("/help-shortcuts.png"));
        help->showPage(HelpDialog::Page::Deep);
        help->grab().save(folder + QStringLiteral("/help-deep.png"));
    }
}

void TestWelcome::statusBarShowsElapsedAndRemaining()
{
    showWindow();
    QVERIFY(m_window->runStatusText().isEmpty());
    useTinyCircles(m_window->circlesPanel(), 100000);
    m_window->showExperimentTab(1);
    QVERIFY(m_window->runCurrentTab());
    QTRY_VERIFY(m_window->runStatusText().contains(QStringLiteral("elapsed")));
    QVERIFY(m_window->runStatusText().startsWith(QStringLiteral("Circles: ")));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->runStatusText().contains(QStringLiteral("about "))
                                 && m_window->runStatusText().contains(QStringLiteral(" remaining")),
                             kTimeoutMs);
    // For a person checking the layout: INITLAB_TEST_SCREENSHOTS=DIR keeps a picture of the window.
    if (const QString folder = qEnvironmentVariable("INITLAB_TEST_SCREENSHOTS"); !folder.isEmpty())
        m_window->grab().save(folder + QStringLiteral("/status-bar-running.png"));
    QSignalSpy finished(m_window->circlesPanel(), &CirclesPanel::runFinished);
    QVERIFY(m_window->cancelCurrentTab());
    QVERIFY(finished.wait(kTimeoutMs));
    QTRY_VERIFY(m_window->runStatusText().isEmpty());
}

void TestWelcome::everyControlHasATooltip()
{
    showWindow();
    const QList<QWidget*> roots{m_window->welcomePage(), m_window->deepPanel(), m_window->circlesPanel(),
                                m_window->dropoutPanel()};
    QStringList missing;
    for (QWidget* root : roots) {
        for (QWidget* widget : root->findChildren<QWidget*>()) {
            const bool control = qobject_cast<QAbstractButton*>(widget) || qobject_cast<QComboBox*>(widget)
                                 || qobject_cast<QAbstractSpinBox*>(widget) || qobject_cast<QLineEdit*>(widget)
                                 || qobject_cast<QSlider*>(widget);
            if (!control || widget->objectName().startsWith(QStringLiteral("qt_")))
                continue;
            // Parts of other widgets (a spin box's editor, a tab bar's arrows, a table's corner).
            QWidget* parent = widget->parentWidget();
            if (qobject_cast<QAbstractSpinBox*>(parent) || qobject_cast<QComboBox*>(parent)
                || qobject_cast<QTabBar*>(parent) || qobject_cast<QScrollBar*>(parent)
                || qobject_cast<QAbstractItemView*>(parent))
                continue;
            if (widget->toolTip().isEmpty()) {
                const auto* button = qobject_cast<QAbstractButton*>(widget);
                missing << QStringLiteral("%1 %2 \"%3\"")
                               .arg(QString::fromLatin1(widget->metaObject()->className()), widget->objectName(),
                                    button ? button->text() : QString());
            }
        }
    }
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral("\n"))));

    // Init schemes show their formula, activations their definition, normalizations what they do.
    CirclesPanel* circles = m_window->circlesPanel();
    for (InitScheme scheme : allInitSchemes())
        QVERIFY(child<QCheckBox>(circles, qPrintable(QStringLiteral("init_") + toQString(name(scheme))))
                    ->toolTip()
                    .contains(toQString(formula(scheme))));
    for (Normalization normalization : allNormalizations())
        QVERIFY(child<QCheckBox>(circles, qPrintable(QStringLiteral("normalization_") + toQString(name(normalization))))
                    ->toolTip()
                    .contains(toQString(description(normalization))));
    auto* activation = circles->findChild<QComboBox*>(QStringLiteral("activationCombo"));
    QVERIFY(activation != nullptr);
    for (int i = 0; i < activation->count(); ++i) {
        activation->setCurrentIndex(i);
        const auto which = Activation(activation->currentData().toInt());
        QVERIFY(activation->itemData(i, Qt::ToolTipRole).toString() == toQString(formula(which)));
        QVERIFY(activation->toolTip().contains(toQString(formula(which))));
    }
    auto* init = child<QComboBox>(m_window->dropoutPanel(), "initCombo");
    for (int i = 0; i < init->count(); ++i) {
        init->setCurrentIndex(i);
        QVERIFY(init->toolTip().contains(toQString(formula(InitScheme(init->currentData().toInt())))));
    }
}

void TestWelcome::windowFitsA1280x800Screen()
{
    // Room for a title bar and a panel of the desktop.
    const QSize available(1280, 800 - 60);
    QStringList tooBig;
    for (int i = 0; i < m_window->tabs()->count(); ++i) {
        const QSize minimum = m_window->tabs()->widget(i)->minimumSizeHint();
        if (minimum.width() > available.width() || minimum.height() > available.height() - 120)
            tooBig << QStringLiteral("%1: %2 x %3")
                          .arg(m_window->tabs()->tabText(i))
                          .arg(minimum.width())
                          .arg(minimum.height());
    }
    const QSize window = m_window->minimumSizeHint();
    if (window.width() > available.width() || window.height() > available.height())
        tooBig << QStringLiteral("window: %1 x %2").arg(window.width()).arg(window.height());
    QVERIFY2(tooBig.isEmpty(), qPrintable(tooBig.join(QStringLiteral("; "))));
}

void TestWelcome::reproduceOpensTheReportDialog()
{
    showWindow();
    QVERIFY(!m_window->reportDialog());
    QTest::mouseClick(m_window->welcomePage()->reproduceButton(), Qt::LeftButton);
    ReportDialog* dialog = m_window->reportDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QVERIFY(!dialog->isRunning()); // it waits for Start: nothing runs by surprise
    QVERIFY(dialog->startButton()->isEnabled());
    QVERIFY(!dialog->folderEdit()->text().isEmpty());
    dialog->close();

    // The Export menu has it too, with its shortcut.
    auto* action = m_window->findChild<QAction*>(QStringLiteral("reproduceReportAction"));
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    action->trigger();
    QCOMPARE(m_window->reportDialog(), dialog); // the same dialog, shown again
    QVERIFY(dialog->isVisible());

    // A report being made shows on the status bar's run line, and leaves it when it ends.
    QTemporaryDir out;
    dialog->setOutputFolder(out.path());
    QSignalSpy finished(dialog, &ReportDialog::reportFinished);
    QVERIFY(dialog->start());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->runStatusText().startsWith(QStringLiteral("Report: ")), 30000);
    dialog->cancel();
    QVERIFY(finished.wait(60000));
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->runStatusText().contains(QStringLiteral("Report")), 5000);
    dialog->close();
}

QTEST_MAIN(TestWelcome)
#include "tst_welcome.moc"
