// Experiment files: every experiment's settings survive save -> load, and bad files are refused
// with the key's name (syntax, type, range, unknown names), unknown keys only warned about.

#include "initlab/experimentfile.h"

#include <QTest>

using namespace initlab;

namespace {

bool parse(const std::string& json, ExperimentFile& file, std::string& error, std::vector<std::string>& warnings)
{
    return parseExperimentFile(json, file, error, warnings);
}

std::string deepWith(const std::string& settings)
{
    return R"({"initlab_experiment": 1, "experiment": "deep", "settings": {)" + settings + "}}";
}

} // namespace

class TestExperimentFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deepRoundTrip()
    {
        DeepConfig c;
        c.combinations = {{InitScheme::Orthogonal, Activation::Selu}, {InitScheme::Zeros, Activation::Tanh}};
        c.depth = 12;
        c.width = 64;
        c.batch = 333;
        c.seed = 1234567890123ULL;
        c.threads = 1;
        c.chunkSize = 100;
        c.normalStd = 0.25;
        ExperimentFile file;
        std::string error;
        std::vector<std::string> warnings;
        QVERIFY2(parse(experimentFileJson(c), file, error, warnings), error.c_str());
        QVERIFY(warnings.empty());
        QCOMPARE(file.kind, ExperimentKind::Deep);
        QCOMPARE(file.deep.combinations, c.combinations);
        QCOMPARE(file.deep.depth, 12);
        QCOMPARE(file.deep.width, 64);
        QCOMPARE(file.deep.batch, 333);
        QCOMPARE(file.deep.seed, c.seed);
        QCOMPARE(file.deep.threads, 1);
        QCOMPARE(file.deep.chunkSize, 100);
        QCOMPARE(file.deep.normalStd, 0.25);
    }

    void circlesRoundTrip()
    {
        CirclesConfig c;
        c.data.centerX = -3;
        c.data.centerY = 7.5;
        c.data.innerRadius = 2;
        c.data.outerRadius = 6;
        c.data.noise = 0.5;
        c.data.trainSize = 120;
        c.data.validationSize = 30;
        c.data.testSize = 500;
        c.inits = {InitScheme::LecunNormal, InitScheme::KaimingNormal};
        c.normalizations = {Normalization::Scaled};
        c.scaledFactor = 0.05;
        c.seeds = 10;
        c.firstSeed = 3;
        c.hidden = {8, 4, 2};
        c.activation = Activation::LeakyRelu;
        c.learningRate = 1e-3;
        c.weightDecay = 0.0;
        c.epochs = 777;
        c.boundaryResolution = 32;
        ExperimentFile file;
        std::string error;
        std::vector<std::string> warnings;
        QVERIFY2(parse(experimentFileJson(c, {0.9}), file, error, warnings), error.c_str());
        QVERIFY(warnings.empty());
        const CirclesConfig& r = file.circles;
        QCOMPARE(file.kind, ExperimentKind::Circles);
        QCOMPARE(r.data.centerX, -3.0);
        QCOMPARE(r.data.centerY, 7.5);
        QCOMPARE(r.data.outerRadius, 6.0);
        QCOMPARE(r.data.noise, 0.5);
        QCOMPARE(r.data.trainSize, 120);
        QCOMPARE(r.data.testSize, 500);
        QCOMPARE(r.inits, c.inits);
        QCOMPARE(r.normalizations, c.normalizations);
        QCOMPARE(r.scaledFactor, 0.05);
        QCOMPARE(r.seeds, 10);
        QCOMPARE(r.firstSeed, std::uint64_t(3));
        QCOMPARE(r.hidden, c.hidden);
        QCOMPARE(r.activation, Activation::LeakyRelu);
        QCOMPARE(r.learningRate, 1e-3);
        QCOMPARE(r.weightDecay, 0.0);
        QCOMPARE(r.epochs, 777);
        QCOMPARE(r.boundaryResolution, 32);
        QCOMPARE(file.circlesExtras.successThreshold, 0.9);
    }

    void dropoutRoundTrip()
    {
        DropoutConfig c;
        c.ps = {0.1, 0.3};
        c.init = InitScheme::XavierNormal;
        c.normalStd = 0.05;
        c.hidden = {100};
        c.learningRate = 1e-4;
        c.batch = 32;
        c.epochs = 3;
        c.seed = 9;
        c.trainBegin = 100;
        c.trainEnd = 200;
        c.validationBegin = 300;
        c.validationEnd = 400;
        c.testLimit = 50;
        c.ensembleSizes = {2, 4};
        c.averageProbabilities = false;
        c.bf16Inference = true;
        c.galleryCount = 7;
        ExperimentFile file;
        std::string error;
        std::vector<std::string> warnings;
        QVERIFY2(parse(experimentFileJson(c, {"/data/mnist"}), file, error, warnings), error.c_str());
        const DropoutConfig& r = file.dropout;
        QCOMPARE(file.kind, ExperimentKind::Dropout);
        QCOMPARE(r.ps, c.ps);
        QCOMPARE(r.init, InitScheme::XavierNormal);
        QCOMPARE(r.hidden, c.hidden);
        QCOMPARE(r.batch, 32);
        QCOMPARE(r.trainBegin, 100);
        QCOMPARE(r.validationEnd, 400);
        QCOMPARE(r.testLimit, 50);
        QCOMPARE(r.ensembleSizes, c.ensembleSizes);
        QCOMPARE(r.averageProbabilities, false);
        QCOMPARE(r.bf16Inference, true);
        QCOMPARE(r.galleryCount, 7);
        QCOMPARE(file.dropoutExtras.dataFolder, std::string("/data/mnist"));
    }

    void absentKeysKeepDefaults()
    {
        ExperimentFile file;
        std::string error;
        std::vector<std::string> warnings;
        QVERIFY(parse(deepWith(R"("depth": 7)"), file, error, warnings));
        QCOMPARE(file.deep.depth, 7);
        QCOMPARE(file.deep.width, DeepConfig{}.width);
    }

    void badFilesAreRefused_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("problem");
        QTest::newRow("syntax") << QStringLiteral("{\"initlab_experiment\": 1,\n \"experiment\": }")
                                << QStringLiteral("not valid JSON (line 2)");
        QTest::newRow("not an object") << QStringLiteral("[1, 2]") << QStringLiteral("expected an object");
        QTest::newRow("no version") << QStringLiteral("{\"experiment\": \"deep\"}")
                                    << QStringLiteral("initlab_experiment: missing");
        QTest::newRow("newer version") << QStringLiteral("{\"initlab_experiment\": 99, \"experiment\": \"deep\"}")
                                       << QStringLiteral("newer");
        QTest::newRow("unknown experiment") << QStringLiteral("{\"initlab_experiment\": 1, \"experiment\": \"gan\"}")
                                            << QStringLiteral("experiment: \"gan\"");
        QTest::newRow("type") << QString::fromStdString(deepWith(R"("depth": "ten")"))
                              << QStringLiteral("settings.depth: expected an integer, got \"ten\"");
        QTest::newRow("range") << QString::fromStdString(deepWith(R"("depth": 0)"))
                               << QStringLiteral("settings.depth: 0 is out of range");
        QTest::newRow("float where integer") << QString::fromStdString(deepWith(R"("width": 2.5)"))
                                             << QStringLiteral("settings.width: expected an integer");
        QTest::newRow("unknown scheme") << QString::fromStdString(deepWith(R"("combinations": [["xavier", "tanh"]])"))
                                        << QStringLiteral("settings.combinations[0]: \"xavier\" is not a known init");
        QTest::newRow("negative sigma") << QString::fromStdString(deepWith(R"("sigma": -1)"))
                                        << QStringLiteral("settings.sigma");
        QTest::newRow("p of 1")
            << QStringLiteral(R"({"initlab_experiment": 1, "experiment": "dropout", "settings": {"p": [0, 1]}})")
            << QStringLiteral("settings.p[1]: 1 is out of range");
        QTest::newRow("averaging")
            << QStringLiteral(R"({"initlab_experiment": 1, "experiment": "dropout", "settings": {"averaging": "mean"}})")
            << QStringLiteral("settings.averaging");
        QTest::newRow("nested type")
            << QStringLiteral(
                   R"({"initlab_experiment": 1, "experiment": "circles", "settings": {"data": {"train": "many"}}})")
            << QStringLiteral("settings.data.train: expected an integer");
    }

    void badFilesAreRefused()
    {
        QFETCH(QString, json);
        QFETCH(QString, problem);
        ExperimentFile file;
        std::string error;
        std::vector<std::string> warnings;
        QVERIFY(!parse(json.toStdString(), file, error, warnings));
        QVERIFY2(QString::fromStdString(error).contains(problem), error.c_str());
    }

    void unknownKeysAreWarnedAbout()
    {
        ExperimentFile file;
        std::string error;
        std::vector<std::string> warnings;
        const std::string json = R"({"initlab_experiment": 1, "experiment": "circles", "comment": "mine",
            "settings": {"epochs": 10, "epoch": 20, "data": {"nosie": 1}}})";
        QVERIFY2(parse(json, file, error, warnings), error.c_str());
        QCOMPARE(file.circles.epochs, 10);
        QCOMPARE(warnings.size(), std::size_t(3));
        QCOMPARE(warnings[0], std::string("settings.data.nosie: unknown key, ignored"));
        QCOMPARE(warnings[1], std::string("settings.epoch: unknown key, ignored"));
        QCOMPARE(warnings[2], std::string("comment: unknown key, ignored"));
    }
};

QTEST_APPLESS_MAIN(TestExperimentFile)
#include "tst_experimentfile.moc"
