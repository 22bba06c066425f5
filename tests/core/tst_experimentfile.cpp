// Experiment files: every experiment's settings survive save -> load, and bad files are refused
// with the key's name (syntax, type, range, unknown names), unknown keys only warned about.

#include "initlab/experimentfile.h"

#include <QElapsedTimer>
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
        c.histograms = true;
        c.bf16 = true;
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
        QCOMPARE(file.deep.histograms, true);
        QCOMPARE(file.deep.bf16, true);
        // The default runs in float32.
        QVERIFY(parse(experimentFileJson(DeepConfig{}), file, error, warnings));
        QCOMPARE(file.deep.bf16, false);
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

    // What the writer writes for the config structs' defaults reads back the same: the window
    // writes them (the deep tab with no cell selected has no combinations) into experiment files
    // and into the session it restores at the next start.
    void defaultsRoundTrip()
    {
        const std::vector<std::string> files{experimentFileJson(DeepConfig{}), experimentFileJson(CirclesConfig{}),
                                             experimentFileJson(DropoutConfig{})};
        for (const std::string& json : files) {
            ExperimentFile file;
            std::string error;
            std::vector<std::string> warnings;
            QVERIFY2(parse(json, file, error, warnings), error.c_str());
            QVERIFY(warnings.empty());
            const std::string again = file.kind == ExperimentKind::Deep  ? experimentFileJson(file.deep)
                : file.kind == ExperimentKind::Circles ? experimentFileJson(file.circles, file.circlesExtras)
                                                       : experimentFileJson(file.dropout, file.dropoutExtras);
            QCOMPARE(again, json);
        }
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

    // Files no InitLab wrote: each is refused with a line that names the problem and where it is,
    // never by an exception, and a nesting no schema needs is refused while parsing, before
    // anything could recurse over it.
    void hostileFilesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("problem");
        const QByteArray valid = QByteArray::fromStdString(experimentFileJson(DeepConfig{}));
        QTest::newRow("number too large") << QByteArray::fromStdString(deepWith(R"("depth": 1e999)"))
                                          << QStringLiteral("a number on line 1 is too large (1e999)");
        QTest::newRow("negative number too large on line 3")
            << QByteArray("{\"initlab_experiment\": 1,\n\"experiment\": \"deep\",\n\"settings\": {\"sigma\": -1e400}}")
            << QStringLiteral("a number on line 3 is too large (-1e400)");
        QTest::newRow("integer too large for a double")
            << QByteArray::fromStdString(deepWith("\"batch\": 1" + std::string(400, '0')))
            << QStringLiteral("a number on line 1 is too large (10000000000");
        QTest::newRow("integer too large for its key")
            << QByteArray::fromStdString(deepWith(R"("depth": 18446744073709551615)"))
            << QStringLiteral("settings.depth: 18446744073709551615 is out of range (1 to 10000)");
        QTest::newRow("100000 arrays") << QByteArray(100000, '[') + QByteArray(100000, ']')
                                       << QStringLiteral("nested more than 64 levels deep (line 1)");
        QTest::newRow("100000 unclosed arrays") << QByteArray(100000, '[')
                                                << QStringLiteral("nested more than 64 levels deep (line 1)");
        QByteArray objects;
        for (int i = 0; i < 100000; ++i)
            objects += "{\"a\":\n";
        QTest::newRow("100000 objects") << objects << QStringLiteral("nested more than 64 levels deep (line 65)");
        QTest::newRow("deep inside settings")
            << QByteArray::fromStdString(deepWith("\"combinations\": " + std::string(100000, '[')
                                                  + std::string(100000, ']')))
            << QStringLiteral("nested more than 64 levels deep (line 1)");
        QTest::newRow("brackets in strings do not count")
            << QByteArray::fromStdString(deepWith("\"x\": \"" + std::string(100, '[') + "\\\"" + std::string(100, '{')
                                                  + "\",\n\"depth\": " + std::string(70, '[')))
            << QStringLiteral("nested more than 64 levels deep (line 2)");
        QTest::newRow("truncated") << valid.left(valid.size() / 2) << QStringLiteral("not valid JSON (line ");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("not valid JSON (line 1)");
        QTest::newRow("NUL bytes") << QByteArray(8, '\0') << QStringLiteral("not valid JSON (line 1)");
        QTest::newRow("invalid UTF-8 in a string")
            << QByteArray("{\"initlab_experiment\": 1,\n\"experiment\": \"de\xff\xfe\"}")
            << QStringLiteral("not valid UTF-8 (line 2)");
        QTest::newRow("invalid UTF-8 outside strings")
            << QByteArray("\xc3\x28") << QStringLiteral("not valid UTF-8 (line 1)");
        QTest::newRow("lone surrogate") << QByteArray::fromStdString(deepWith(R"("x": "\ud800")"))
                                        << QStringLiteral("not valid JSON (line 1)");
        QTest::newRow("wrong type deep inside circles")
            << QByteArray(R"({"initlab_experiment": 1, "experiment": "circles",
                             "settings": {"data": {"center": [0, "x"]}}})")
            << QStringLiteral("settings.data.center[1]: expected a number, got \"x\"");
        QTest::newRow("wrong type deep inside dropout")
            << QByteArray(R"({"initlab_experiment": 1, "experiment": "dropout", "settings": {"train": [0, [1]]}})")
            << QStringLiteral("settings.train[1]: expected an integer, got [1]");
        QTest::newRow("wrong type deep inside deep")
            << QByteArray::fromStdString(deepWith(R"("combinations": [["xavier_uniform", {"a": null}]])"))
            << QStringLiteral("settings.combinations[0]: expected [\"init\", \"activation\"]");
    }

    void hostileFilesAreRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, problem);
        ExperimentFile file;
        std::string error;
        std::vector<std::string> warnings;
        QVERIFY(!parse(json.toStdString(), file, error, warnings));
        QVERIFY2(QString::fromStdString(error).contains(problem), error.c_str());
        QVERIFY2(error.find('\n') == std::string::npos, error.c_str());
    }

    // 64 levels are read (and refused by the schema, which needs 3); the 65th is the parser's.
    void nestingLimitIs64()
    {
        const auto nested = [](int levels) {
            return deepWith("\"combinations\": " + std::string(std::size_t(levels - 2), '[') + "1"
                            + std::string(std::size_t(levels - 2), ']'));
        };
        ExperimentFile file;
        std::string error;
        std::vector<std::string> warnings;
        QVERIFY(!parse(nested(64), file, error, warnings));
        QVERIFY2(QString::fromStdString(error).startsWith(QStringLiteral("settings.combinations[0]")), error.c_str());
        QVERIFY(!parse(nested(65), file, error, warnings));
        QCOMPARE(error, std::string("nested more than 64 levels deep (line 1)"));
    }

    // A value quoted in an error is shortened to whole characters, so the message stays UTF-8.
    void quotedValuesStayUtf8()
    {
        ExperimentFile file;
        std::string error;
        std::vector<std::string> warnings;
        std::string value = "a";
        for (int i = 0; i < 40; ++i)
            value += "\xc3\xa9"; // é
        QVERIFY(!parse(deepWith("\"depth\": \"" + value + "\""), file, error, warnings));
        QVERIFY2(QString::fromStdString(error).contains(QStringLiteral("settings.depth: expected an integer, got \"a")),
                 error.c_str());
        QCOMPARE(QString::fromUtf8(error.c_str()).toStdString(), error);
    }

    // Keys and strings from a file appear in messages escaped and shortened: a file cannot break a
    // message's line, write control characters to a terminal, or make a message of a megabyte.
    void messagesStayOneShortLine()
    {
        ExperimentFile file;
        std::string error;
        std::vector<std::string> warnings;
        const std::string keys = "\"a\\nb\\u001b[31m\": 1, \"" + std::string(100000, 'k') + "\": 2";
        QVERIFY2(parse(deepWith(keys), file, error, warnings), error.c_str());
        QCOMPARE(warnings.size(), std::size_t(2));
        QCOMPARE(warnings[0], std::string("settings.a\\nb\\u001b[31m: unknown key, ignored"));
        QVERIFY2(warnings[1].size() < 100, warnings[1].c_str());

        QVERIFY(!parse("{\"initlab_experiment\": 1, \"experiment\": \"de\\nep\"}", file, error, warnings));
        QCOMPARE(error, std::string("experiment: \"de\\nep\" is not deep, circles or dropout"));
        const std::string longName = "{\"initlab_experiment\": 1, \"experiment\": \"" + std::string(100000, 'x') + "\"}";
        QVERIFY(!parse(longName, file, error, warnings));
        QVERIFY2(error.size() < 100, error.c_str());
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

    // A file of many unknown keys reads in linear time and lists the first twenty, then a count:
    // the window shows the list in a message box.
    void manyUnknownKeysAreCounted()
    {
        std::string keys = R"("depth": 5)";
        for (int i = 0; i < 300000; ++i)
            keys += ",\"k" + std::to_string(i) + "\": 0";
        ExperimentFile file;
        std::string error;
        std::vector<std::string> warnings;
        QElapsedTimer timer;
        timer.start();
        QVERIFY2(parse(deepWith(keys), file, error, warnings), error.c_str());
        // About a second on a slow machine; searching the keys one by one took minutes.
        QVERIFY2(timer.elapsed() < 15000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(file.deep.depth, 5);
        QCOMPARE(warnings.size(), std::size_t(21));
        QCOMPARE(warnings.front(), std::string("settings.k0: unknown key, ignored"));
        QCOMPARE(warnings.back(), std::string("and 299980 more unknown keys, ignored"));
    }
};

QTEST_APPLESS_MAIN(TestExperimentFile)
#include "tst_experimentfile.moc"
