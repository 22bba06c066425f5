// Experiment files from the GUI: each tab's settings survive save -> load unchanged and loading
// switches to the tab; bad files are refused with the key's name and leave the settings alone;
// unknown keys are warned about but the file loads; a hostile file opened through File ▸ Open is a
// message and the window goes on; the session (window, folders, each tab's settings) survives a
// QSettings round trip, and a corrupt or hostile value falls back to the defaults.

#include "experiments/circles/circlespanel.h"
#include "experiments/deep/deeppanel.h"
#include "experiments/dropout/dropoutpanel.h"
#include "experiments/experimentfileio.h"
#include "shell/experimentsession.h"
#include "shell/mainwindow.h"
#include "experiments/metatypes.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCoreApplication>
#include <QFile>
#include <QFileDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

using namespace initlab;
using namespace initlab::ui;

namespace {

QTabWidget* tabsOf(MainWindow& window)
{
    return window.findChild<QTabWidget*>(QStringLiteral("experimentTabs"));
}

bool writeFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}

// Answers every modal dialog of type T that opens while owner lives. The static QFileDialog and
// QMessageBox functions run loops of their own, so the answers come from a timer.
template <class T>
void answerModal(QObject* owner, std::function<void(T*)> answer)
{
    auto* timer = new QTimer(owner);
    QObject::connect(timer, &QTimer::timeout, [answer] {
        if (auto* dialog = qobject_cast<T*>(QApplication::activeModalWidget()))
            answer(dialog);
    });
    timer->start(20);
}

// File ▸ Open as a person does it: the menu's action, the file chosen in the dialog. Returns the
// text of the window's message box that follows, if one does (it is closed).
QString openThroughMenu(MainWindow& window, const QString& path)
{
    QString message;
    QObject answers; // the answers end with this call, so none is left for the next
    answerModal<QFileDialog>(&answers, [&path](QFileDialog* dialog) {
        dialog->selectFile(path);
        static_cast<QDialog*>(dialog)->accept(); // QFileDialog's own accept() is protected
    });
    answerModal<QMessageBox>(&answers, [&window, &message](QMessageBox* box) {
        // The file dialog may still say "File not found" for the folder it opened on before the
        // file was chosen; it is closed and the choice made again.
        if (box->parentWidget() == &window)
            message = box->text();
        box->accept();
    });
    window.session()->openAction()->trigger();
    return message;
}

// Settings that differ from every default, so a round trip that drops one is seen.
void changeEverything(MainWindow& window)
{
    DeepConfig deep;
    deep.combinations = {{InitScheme::XavierNormal, Activation::Tanh}, {InitScheme::KaimingUniform, Activation::Relu}};
    deep.depth = 7;
    deep.width = 48;
    deep.batch = 123;
    deep.seed = 42;
    deep.threads = 1;
    deep.normalStd = 0.25;
    window.deepPanel()->setConfig(deep);

    CirclesConfig circles;
    circles.data.centerX = 3.5;
    circles.data.innerRadius = 1.5;
    circles.data.noise = 0.5;
    circles.data.trainSize = 60;
    circles.inits = {InitScheme::XavierUniform, InitScheme::Orthogonal};
    circles.normalizations = {Normalization::Standard};
    circles.scaledFactor = 0.05;
    circles.seeds = 3;
    circles.firstSeed = 9;
    circles.hidden = {8, 4, 2};
    circles.activation = Activation::Tanh;
    circles.learningRate = 1e-3;
    circles.weightDecay = 0.02;
    circles.epochs = 321;
    circles.boundaryResolution = 32;
    window.circlesPanel()->setConfig(circles, CirclesExtras{0.9});

    DropoutConfig dropout;
    dropout.ps = {0.1, 0.3};
    dropout.init = InitScheme::KaimingNormal;
    dropout.hidden = {64, 32};
    dropout.learningRate = 1e-3;
    dropout.weightDecay = 0.0;
    dropout.batch = 16;
    dropout.epochs = 3;
    dropout.seed = 5;
    dropout.threads = 2;
    dropout.trainBegin = 0;
    dropout.trainEnd = 300;
    dropout.validationBegin = 300;
    dropout.validationEnd = 500;
    dropout.testLimit = 200;
    dropout.ensembleSizes = {2, 7};
    dropout.averageProbabilities = false;
    window.dropoutPanel()->setConfig(dropout, DropoutExtras{"/tmp/initlab-no-such-data"});
}

} // namespace

class TestExperimentFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void roundTrip_data();
    void roundTrip();
    void noCombinationSelectedIsKept();
    void badFile_data();
    void badFile();
    void hostileFileThroughMenu_data();
    void hostileFileThroughMenu();
    void unknownKeyIsWarnedAndLoads();
    void sessionPersists();
    void corruptSessionFallsBackToDefaults();
    void hostileSessionFallsBackToDefaults();

private:
    QTemporaryDir m_home;
};

void TestExperimentFiles::initTestCase()
{
    registerMetaTypes();
    QVERIFY(m_home.isValid());
    qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toLocal8Bit());
    qputenv("INITLAB_RUNS_FOLDER", m_home.filePath(QStringLiteral("runs")).toLocal8Bit());
    QCoreApplication::setOrganizationName(QStringLiteral("initlab-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_experimentfiles"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home.filePath(QStringLiteral("config")));
}

void TestExperimentFiles::roundTrip_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("deep") << int(ExperimentKind::Deep);
    QTest::newRow("circles") << int(ExperimentKind::Circles);
    QTest::newRow("dropout") << int(ExperimentKind::Dropout);
}

void TestExperimentFiles::roundTrip()
{
    QFETCH(int, kind);
    const auto experiment = ExperimentKind(kind);
    const QString path = m_home.filePath(experimentName(experiment) + QStringLiteral(".json"));

    std::string saved;
    {
        MainWindow window;
        changeEverything(window);
        saved = window.session()->experimentJson(experiment);
        QCOMPARE(window.session()->saveExperiment(path, experiment), QString());
    }
    QVERIFY(QFile::exists(path));

    MainWindow window; // every setting at its default
    QVERIFY(window.session()->experimentJson(experiment) != saved);
    tabsOf(window)->setCurrentIndex(tabsOf(window)->count() - 1); // the Runs tab
    QString error;
    QStringList warnings;
    QVERIFY2(window.session()->openExperiment(path, &error, &warnings), qPrintable(error));
    QVERIFY(warnings.isEmpty());
    QCOMPARE(window.session()->experimentJson(experiment), saved);
    QCOMPARE(window.session()->currentKind(), std::optional<ExperimentKind>(experiment));

    // And the settings are really in the panel's config, seeds included.
    if (experiment == ExperimentKind::Deep) {
        const DeepConfig config = window.deepPanel()->config();
        QCOMPARE(config.depth, 7);
        QCOMPARE(config.seed, std::uint64_t(42));
        QCOMPARE(config.combinations.size(), std::size_t(2));
    } else if (experiment == ExperimentKind::Circles) {
        const std::optional<CirclesConfig> config = window.circlesPanel()->configFromControls();
        QVERIFY(config);
        QCOMPARE(config->firstSeed, std::uint64_t(9));
        QCOMPARE(config->hidden, (std::vector<int>{8, 4, 2}));
        QCOMPARE(window.circlesPanel()->extras().successThreshold, 0.9);
    } else {
        const std::optional<DropoutConfig> config = window.dropoutPanel()->configFromControls();
        QVERIFY(config);
        QCOMPARE(config->seed, std::uint64_t(5));
        QCOMPARE(config->ps, (std::vector<double>{0.1, 0.3}));
        QCOMPARE(config->learningRate, 1e-3);
        QCOMPARE(window.dropoutPanel()->dataFolder(), QStringLiteral("/tmp/initlab-no-such-data"));
    }
}

// With no cell of the matrix selected (the deep tab's state at the first start) the tab's other
// settings still survive a file and the session: the file once said "combinations": [], which
// the reader refused, so they were lost at the next start.
void TestExperimentFiles::noCombinationSelectedIsKept()
{
    const QString path = m_home.filePath(QStringLiteral("no-combination.json"));
    const QString ini = m_home.filePath(QStringLiteral("no-combination.ini"));
    {
        MainWindow window;
        QVERIFY(window.deepPanel()->config().combinations.empty());
        window.deepPanel()->setDepth(9);
        QCOMPARE(window.session()->saveExperiment(path, ExperimentKind::Deep), QString());
        QSettings settings(ini, QSettings::IniFormat);
        window.session()->saveSession(settings);
    }
    MainWindow opened;
    QString error;
    QVERIFY2(opened.session()->openExperiment(path, &error), qPrintable(error));
    QCOMPARE(opened.deepPanel()->config().depth, 9);
    QVERIFY(opened.deepPanel()->config().combinations.empty());

    MainWindow restored;
    QSettings settings(ini, QSettings::IniFormat);
    restored.session()->restoreSession(settings);
    QCOMPARE(restored.deepPanel()->config().depth, 9);
}

void TestExperimentFiles::badFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected"); // in the error
    QTest::newRow("syntax") << QByteArray(R"({"initlab_experiment": 1, "experiment": "deep", "settings": {)")
                            << QString();
    QTest::newRow("wrong type")
        << QByteArray(R"({"initlab_experiment": 1, "experiment": "deep", "settings": {"depth": "ten"}})")
        << QStringLiteral("depth");
    QTest::newRow("out of range")
        << QByteArray(R"({"initlab_experiment": 1, "experiment": "deep", "settings": {"width": -3}})")
        << QStringLiteral("width");
    QTest::newRow("circles wrong type")
        << QByteArray(R"({"initlab_experiment": 1, "experiment": "circles", "settings": {"epochs": 1.5}})")
        << QStringLiteral("epochs");
    QTest::newRow("unknown experiment")
        << QByteArray(R"({"initlab_experiment": 1, "experiment": "mnist", "settings": {}})")
        << QStringLiteral("experiment");
}

void TestExperimentFiles::badFile()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    const QString path = m_home.filePath(QStringLiteral("bad.json"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(content);
    }
    MainWindow window;
    const std::string before = window.session()->experimentJson(ExperimentKind::Deep);
    QString error;
    QStringList warnings;
    QVERIFY(!window.session()->openExperiment(path, &error, &warnings));
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(expected), qPrintable(error));
    QCOMPARE(window.session()->experimentJson(ExperimentKind::Deep), before);
}

void TestExperimentFiles::hostileFileThroughMenu_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("problem"); // after the file's path
    const QByteArray deep = R"({"initlab_experiment": 1, "experiment": "deep", "settings": )";
    QTest::newRow("number too large") << deep + R"({"depth": 1e999}})"
                                      << QStringLiteral("a number on line 1 is too large (1e999)");
    QTest::newRow("nested 100000 deep") << QByteArray(100000, '[') + QByteArray(100000, ']')
                                        << QStringLiteral("nested more than 64 levels deep (line 1)");
    QTest::newRow("invalid UTF-8") << deep + "{\n\"x\": \"\xff\"}}" << QStringLiteral("not valid UTF-8 (line 2)");
    QTest::newRow("truncated") << deep + R"({"depth": 1)" << QStringLiteral("not valid JSON (line 1)");
    QTest::newRow("wrong type deep inside")
        << QByteArray(R"({"initlab_experiment": 1, "experiment": "circles", "settings": {"data": {"radii": [1, {}]}}})")
        << QStringLiteral("settings.data.radii[1]: expected a number, got {}");
}

// A file no InitLab wrote, opened from the menu, is a message naming the file and the problem; the
// settings stay as they were and the window goes on working.
void TestExperimentFiles::hostileFileThroughMenu()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, problem);
    const QString path = m_home.filePath(QStringLiteral("hostile.json"));
    QVERIFY(writeFile(path, content));

    MainWindow window;
    window.show();
    const std::string before = window.session()->experimentJson(ExperimentKind::Deep);
    const QString message = openThroughMenu(window, path);
    QVERIFY2(message.startsWith(QStringLiteral("The file was not loaded.")), qPrintable(message));
    QVERIFY2(message.contains(path + QStringLiteral(": ") + problem), qPrintable(message));
    QCOMPARE(window.session()->experimentJson(ExperimentKind::Deep), before);

    // The same menu then opens a good file.
    const QString good = m_home.filePath(QStringLiteral("good.json"));
    QVERIFY(writeFile(good, R"({"initlab_experiment": 1, "experiment": "deep", "settings": {"depth": 11}})"));
    QCOMPARE(openThroughMenu(window, good), QString());
    QCOMPARE(window.deepPanel()->config().depth, 11);
}

void TestExperimentFiles::unknownKeyIsWarnedAndLoads()
{
    const QString path = m_home.filePath(QStringLiteral("unknown.json"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(R"({"initlab_experiment": 1, "experiment": "deep", "settings": {"depth": 9, "colour": "red"}})");
    }
    MainWindow window;
    QString error;
    QStringList warnings;
    QVERIFY2(window.session()->openExperiment(path, &error, &warnings), qPrintable(error));
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().contains(QStringLiteral("colour")), qPrintable(warnings.first()));
    QCOMPARE(window.deepPanel()->config().depth, 9);
    QCOMPARE(window.session()->currentKind(), std::optional<ExperimentKind>(ExperimentKind::Deep));
}

void TestExperimentFiles::sessionPersists()
{
    const QString ini = m_home.filePath(QStringLiteral("session.ini"));
    std::string deep, circles, dropout;
    QByteArray geometry;
    {
        MainWindow window;
        window.resize(900, 640);
        changeEverything(window);
        // Opening a file is what sets the last experiment folder.
        const QString path = m_home.filePath(QStringLiteral("session-deep.json"));
        QCOMPARE(window.session()->saveExperiment(path, ExperimentKind::Deep), QString());
        QVERIFY(window.session()->openExperiment(path));
        changeEverything(window);
        deep = window.session()->experimentJson(ExperimentKind::Deep);
        circles = window.session()->experimentJson(ExperimentKind::Circles);
        dropout = window.session()->experimentJson(ExperimentKind::Dropout);
        geometry = window.saveGeometry();
        QSettings settings(ini, QSettings::IniFormat);
        window.session()->saveSession(settings);
    }
    MainWindow window;
    QSettings settings(ini, QSettings::IniFormat);
    window.session()->restoreSession(settings);
    QCOMPARE(window.session()->experimentJson(ExperimentKind::Deep), deep);
    QCOMPARE(window.session()->experimentJson(ExperimentKind::Circles), circles);
    QCOMPARE(window.session()->experimentJson(ExperimentKind::Dropout), dropout);
    QCOMPARE(window.size(), QSize(900, 640));
    QCOMPARE(window.session()->lastExperimentFolder(), m_home.path());
}

void TestExperimentFiles::corruptSessionFallsBackToDefaults()
{
    const QString ini = m_home.filePath(QStringLiteral("corrupt.ini"));
    {
        QSettings settings(ini, QSettings::IniFormat);
        settings.setValue(QStringLiteral("window/geometry"), QByteArray("not a geometry"));
        settings.setValue(QStringLiteral("window/state"), 17);
        settings.setValue(QStringLiteral("folders/experimentFiles"), QStringLiteral("/no/such/folder"));
        settings.setValue(QStringLiteral("settings/deep"), QStringLiteral("{ this is not json"));
        settings.setValue(QStringLiteral("settings/circles"),
                          QStringLiteral(R"({"initlab_experiment": 1, "experiment": "deep", "settings": {}})"));
    }
    MainWindow defaults;
    MainWindow window;
    QSettings settings(ini, QSettings::IniFormat);
    window.session()->restoreSession(settings);
    QCOMPARE(window.session()->experimentJson(ExperimentKind::Deep),
             defaults.session()->experimentJson(ExperimentKind::Deep));
    QCOMPARE(window.session()->experimentJson(ExperimentKind::Circles),
             defaults.session()->experimentJson(ExperimentKind::Circles));
    QCOMPARE(window.session()->lastExperimentFolder(), QString());
}

// Each tab's last settings come back from QSettings at every start: a value no InitLab wrote there
// must not stop the window (it would at every start), only be dropped.
void TestExperimentFiles::hostileSessionFallsBackToDefaults()
{
    const QString ini = m_home.filePath(QStringLiteral("hostile.ini"));
    {
        QSettings settings(ini, QSettings::IniFormat);
        settings.setValue(QStringLiteral("window/geometry"), QByteArray(100000, '\xff'));
        settings.setValue(QStringLiteral("window/state"), QByteArray("\x00\x00\x00\xff\x00\x00\x00\x00", 8));
        settings.setValue(QStringLiteral("folders/experimentFiles"), QStringList{QStringLiteral("a"), QStringLiteral("b")});
        settings.setValue(QStringLiteral("settings/deep"),
                          QStringLiteral(R"({"initlab_experiment": 1, "experiment": "deep", "settings": {"depth": 1e999}})"));
        settings.setValue(QStringLiteral("settings/circles"),
                          QString(100000, QLatin1Char('[')) + QString(100000, QLatin1Char(']')));
        settings.setValue(QStringLiteral("settings/dropout"), QStringList{QStringLiteral("not"), QStringLiteral("json")});
    }
    MainWindow defaults;
    MainWindow window;
    QSettings settings(ini, QSettings::IniFormat);
    window.session()->restoreSession(settings);
    for (ExperimentKind kind : {ExperimentKind::Deep, ExperimentKind::Circles, ExperimentKind::Dropout})
        QCOMPARE(window.session()->experimentJson(kind), defaults.session()->experimentJson(kind));
    QCOMPARE(window.session()->lastExperimentFolder(), QString());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
}

QTEST_MAIN(TestExperimentFiles)
#include "tst_experimentfiles.moc"
