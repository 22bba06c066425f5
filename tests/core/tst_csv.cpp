// CSV formatting and atomic writing: a failed write leaves nothing behind.

#include "initlab/csv.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

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
            c.layers.push_back({l, 0.1 * l, 0.5, -1e-5, 2e-4, 3e-3, 0.49});
        result.combinations = {c, c};
        const std::string csv = deepCsv(result);
        const QStringList lines = QString::fromStdString(csv).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 6);
        QCOMPARE(lines.first(),
                 QStringLiteral("init,activation,layer,act_mean,act_std,grad_mean,grad_std,pre_grad_std,theory_std"));
        QCOMPARE(lines.at(1), QStringLiteral("xavier_uniform,tanh,1,0.1,0.5,-1e-05,2e-04,0.003,0.49"));
        QCOMPARE(lines.at(3).section(QLatin1Char(','), 2, 2), QStringLiteral("3"));
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
    }
};

QTEST_APPLESS_MAIN(TestCsv)
#include "tst_csv.moc"
