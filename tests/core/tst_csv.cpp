// CSV formatting and atomic writing: a failed write leaves nothing behind.

#include "filesizelimit.h"
#include "initlab/csv.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <cstring>

using namespace initlab;

class TestCsv : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void numbersRoundTrip()
    {
        for (double x : {0.0, 1.0, -2.5, 1e-300, 3.141592653589793, 6.02214076e23})
            QCOMPARE(std::stod(formatNumber(x)), x);
        QCOMPARE(formatNumber(std::nan("")), std::string("nan"));
        QCOMPARE(formatNumber(-INFINITY), std::string("-inf"));
    }

    void deepCsvHasContractColumns()
    {
        DeepResult result;
        CombinationResult c;
        c.combination = {InitScheme::XavierUniform, Activation::Tanh};
        for (int l = 1; l <= 3; ++l)
            c.layers.push_back({l, 0.1 * l, 0.5, -1e-5, 2e-4, 3e-3, 0.49, 0.25, 0.125, {}, {}});
        result.combinations = {c, c};
        const std::string csv = deepCsv(result);
        const QStringList lines = QString::fromStdString(csv).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 6);
        QCOMPARE(lines.first(),
                 QStringLiteral("init,activation,layer,act_mean,act_std,grad_mean,grad_std,pre_grad_std,theory_std,"
                                "saturated_frac,zero_frac"));
        QCOMPARE(lines.at(1), QStringLiteral("xavier_uniform,tanh,1,0.1,0.5,-1e-05,2e-04,0.003,0.49,0.25,0.125"));
        QCOMPARE(lines.at(3).section(QLatin1Char(','), 2, 2), QStringLiteral("3"));
    }

    void circlesCsvHasContractColumns()
    {
        CirclesResult result;
        ModelResult m;
        m.key = {Normalization::Scaled, InitScheme::KaimingNormal, 7};
        m.trainLoss = {0.7f, 0.6f};
        m.trainAcc = {0.5f, 0.75f};
        m.valLoss = {0.69f, 0.5f};
        m.valAcc = {0.5f, 1.0f};
        m.bestEpoch = 2;
        m.bestValAcc = 1.0;
        m.testAcc = 0.875;
        m.deadUnits = 3;
        result.models = {m};
        const QStringList history = QString::fromStdString(circlesHistoryCsv(result)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(history.size(), 3);
        QCOMPARE(history.at(0), QStringLiteral("normalization,init,seed,epoch,train_loss,train_acc,val_loss,val_acc"));
        QCOMPARE(history.at(2), QStringLiteral("scaled,kaiming_normal,7,2,0.6,0.75,0.5,1"));
        const QStringList summary = QString::fromStdString(circlesSummaryCsv(result)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(summary.size(), 2);
        QCOMPARE(summary.at(0),
                 QStringLiteral("normalization,init,seed,best_epoch,best_val_acc,test_acc,dead_units,diverged_epoch"));
        QCOMPARE(summary.at(1), QStringLiteral("scaled,kaiming_normal,7,2,1,0.875,3,0"));
    }

    void dropoutCsvsHaveContractColumns()
    {
        DropoutResult result;
        result.averageProbabilities = false;
        DropoutRunResult run;
        run.p = 0.2;
        run.history = {{0, 1, 0.5, 0.8, 0.4, 0.85, 1.0}, {0, 2, 0.25, 0.9, 0.35, 0.875, 1.0}};
        run.singlePassAcc = 0.86;
        run.ensembleAcc = {0.8, 0.85, 0.875, 0.9, 0.9};
        result.runs = {run};
        const auto lines = [](const std::string& csv) {
            return QString::fromStdString(csv).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        };
        const QStringList history = lines(dropoutHistoryCsv(result));
        QCOMPARE(history.size(), 3);
        QCOMPARE(history.at(0), QStringLiteral("p,epoch,train_loss,train_acc,val_loss,val_acc"));
        QCOMPARE(history.at(2), QStringLiteral("0.2,2,0.25,0.9,0.35,0.875"));
        const QStringList ensemble = lines(ensembleCsv(result, {2, 5, 50}));
        QCOMPARE(ensemble, (QStringList{QStringLiteral("p,passes,test_acc,averaging"),
                                        QStringLiteral("0.2,single,0.86,logits"), QStringLiteral("0.2,2,0.85,logits"),
                                        QStringLiteral("0.2,5,0.9,logits")}));
        const QStringList curve = lines(ensembleCurveCsv(result));
        QCOMPARE(curve.size(), 6);
        QCOMPARE(curve.at(0), QStringLiteral("p,passes,test_acc"));
        QCOMPARE(curve.at(3), QStringLiteral("0.2,3,0.875"));
    }

    void atomicWriteSucceeds()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.csv"));
        QCOMPARE(writeFileAtomically(path.toStdString(), "a,b\n1,2\n"), std::string());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("a,b\n1,2\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1); // no temporary left
    }

    void atomicWriteFailsCleanly()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        // A regular file as the parent folder cannot be written into, even by root.
        const std::string error = writeFileAtomically(dir.filePath(QStringLiteral("file/out.csv")).toStdString(), "x");
        QVERIFY(!error.empty());
        QVERIFY2(error.find("out.csv") != std::string::npos, error.c_str());
        const std::string missing = writeFileAtomically(dir.filePath(QStringLiteral("nope/out.csv")).toStdString(), "x");
        QVERIFY(missing.find("does not exist") != std::string::npos);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
        QCOMPARE(error, "cannot write " + dir.filePath(QStringLiteral("file/out.csv")).toStdString() + ": "
                            + dir.filePath(QStringLiteral("file")).toStdString() + " is not a folder");
    }

    // A write the system refuses (here a file-size limit, as a full disk would) and a rename that
    // fails both give the file and the system's reason, leave no temporary file, and leave an old
    // file whole.
    void atomicWriteGivesTheSystemsReason()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("weights.bin")).toStdString();
        const std::string large(100000, 'x');
        {
            const test::FileSizeLimit limit(4096);
            QVERIFY(limit.active());
            QCOMPARE(writeFileAtomically(path, large), "cannot write " + path + ": " + std::strerror(EFBIG));
        }
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());

        QCOMPARE(writeFileAtomically(path, "old"), std::string());
        {
            const test::FileSizeLimit limit(4096);
            QVERIFY(!writeFileAtomically(path, large).empty());
        }
        QFile old(QString::fromStdString(path));
        QVERIFY(old.open(QIODevice::ReadOnly));
        QCOMPARE(old.readAll(), QByteArray("old"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);

        // A folder where the file should go: the rename is what fails.
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("taken")));
        const std::string taken = dir.filePath(QStringLiteral("taken")).toStdString();
        QCOMPARE(writeFileAtomically(taken, "x"), "cannot write " + taken + ": " + std::strerror(EISDIR));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }
};

QTEST_APPLESS_MAIN(TestCsv)
#include "tst_csv.moc"
