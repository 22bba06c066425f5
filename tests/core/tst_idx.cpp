// IDX files and MNIST-format folders: good files load, raw and gzip alike; every bad file is refused
// with a message that names the file and the problem.

#include "initlab/idx.h"
#include "initlab/mnist.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <zlib.h>

using namespace initlab;

namespace {

QByteArray header(quint8 type, const QList<quint32>& dims)
{
    QByteArray h;
    h.append(char(0)).append(char(0)).append(char(type)).append(char(dims.size()));
    for (quint32 d : dims)
        for (int shift = 24; shift >= 0; shift -= 8)
            h.append(char((d >> shift) & 0xFF));
    return h;
}

QByteArray idx(const QList<quint32>& dims, const QByteArray& payload) { return header(0x08, dims) + payload; }

QByteArray gzip(const QByteArray& raw)
{
    z_stream s{};
    deflateInit2(&s, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY); // +16: gzip wrapper
    QByteArray out(int(deflateBound(&s, raw.size())) + 64, Qt::Uninitialized);
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    s.avail_in = uInt(raw.size());
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = uInt(out.size());
    deflate(&s, Z_FINISH);
    out.resize(int(s.total_out));
    deflateEnd(&s);
    return out;
}

void write(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

QByteArray pattern(int n)
{
    QByteArray b(n, Qt::Uninitialized);
    for (int i = 0; i < n; ++i)
        b[i] = char(i * 7 % 256);
    return b;
}

} // namespace

class TestIdx : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsRawAndGzip_data()
    {
        QTest::addColumn<bool>("compressed");
        QTest::newRow("raw") << false;
        QTest::newRow("gz") << true;
    }

    void readsRawAndGzip()
    {
        QFETCH(bool, compressed);
        QTemporaryDir dir;
        const QByteArray file = idx({3, 4, 5}, pattern(60));
        const QString path = dir.filePath(QStringLiteral("a.idx"));
        write(path, compressed ? gzip(file) : file);
        IdxArray a;
        std::string error;
        QVERIFY2(readIdxFile(path.toStdString(), a, error), error.c_str());
        QCOMPARE(a.dims, (std::vector<std::uint32_t>{3, 4, 5}));
        QCOMPARE(a.data.size(), std::size_t(60));
        QCOMPARE(a.data[59], std::uint8_t(59 * 7 % 256));
    }

    void refusesBadFiles_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("too short");
        QTest::newRow("bad magic") << QByteArray("\x12\x34\x08\x01\x00\x00\x00\x01x", 9) << QStringLiteral("not an IDX file");
        QTest::newRow("float type") << header(0x0D, {2}) + QByteArray(8, 0) << QStringLiteral("32-bit float");
        QTest::newRow("no dimensions") << header(0x08, {}) << QStringLiteral("0 dimensions");
        QTest::newRow("too many dimensions") << header(0x08, {1, 1, 1, 1, 1}) + QByteArray(1, 0)
                                             << QStringLiteral("5 dimensions");
        QTest::newRow("truncated header") << header(0x08, {3, 4, 5}).left(9) << QStringLiteral("truncated header");
        QTest::newRow("zero size") << idx({0, 4}, QByteArray()) << QStringLiteral("size 0");
        QTest::newRow("truncated payload") << idx({3, 4, 5}, pattern(59)) << QStringLiteral("truncated");
        QTest::newRow("oversized") << idx({3, 4, 5}, pattern(70)) << QStringLiteral("unexpected bytes");
        QTest::newRow("absurd dimensions") << idx({60000, 60000, 60000}, pattern(16)) << QStringLiteral("more than");
    }

    void refusesBadFiles()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        for (bool compressed : {false, true}) {
            const QString path = dir.filePath(compressed ? QStringLiteral("bad.gz") : QStringLiteral("bad"));
            write(path, compressed ? gzip(bytes) : bytes);
            IdxArray a;
            std::string error;
            QVERIFY(!readIdxFile(path.toStdString(), a, error));
            const QString message = QString::fromStdString(error);
            QVERIFY2(message.contains(problem), qPrintable(message));
            QVERIFY2(message.startsWith(path), qPrintable(message)); // names the file
            // The in-memory parser says the same.
            std::string parsed;
            QVERIFY(!parseIdx(reinterpret_cast<const std::uint8_t*>(bytes.constData()), std::size_t(bytes.size()),
                              "mem", a, parsed));
            QVERIFY2(QString::fromStdString(parsed).contains(problem), parsed.c_str());
        }
    }

    void refusesCorruptGzipAndMissingFiles()
    {
        QTemporaryDir dir;
        QByteArray gz = gzip(idx({100, 10}, pattern(1000)));
        gz.truncate(gz.size() / 2);
        const QString path = dir.filePath(QStringLiteral("cut.gz"));
        write(path, gz);
        IdxArray a;
        std::string error;
        QVERIFY(!readIdxFile(path.toStdString(), a, error));
        QVERIFY2(QString::fromStdString(error).contains(QStringLiteral("truncated"))
                     || QString::fromStdString(error).contains(QStringLiteral("corrupt")),
                 error.c_str());
        QVERIFY(!readIdxFile(dir.filePath(QStringLiteral("nope")).toStdString(), a, error));
        QVERIFY(QString::fromStdString(error).contains(QStringLiteral("cannot open")));
    }

    void folderChecksImagesAgainstLabels_data()
    {
        QTest::addColumn<QByteArray>("trainLabels");
        QTest::addColumn<QString>("problem");
        QTest::newRow("good") << idx({4}, QByteArray("\x00\x01\x09\x03", 4)) << QString();
        QTest::newRow("count mismatch") << idx({3}, QByteArray("\x00\x01\x02", 3)) << QStringLiteral("3 labels");
        QTest::newRow("label out of range") << idx({4}, QByteArray("\x00\x01\x0A\x03", 4))
                                            << QStringLiteral("label 10 of item 2");
        QTest::newRow("labels as images") << idx({4, 1}, QByteArray(4, 0)) << QStringLiteral("1 dimension");
    }

    void folderChecksImagesAgainstLabels()
    {
        QFETCH(QByteArray, trainLabels);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral("train-images-idx3-ubyte.gz")), gzip(idx({4, 2, 3}, pattern(24))));
        write(dir.filePath(QStringLiteral("train-labels-idx1-ubyte")), trainLabels);
        write(dir.filePath(QStringLiteral("t10k-images-idx3-ubyte")), idx({2, 2, 3}, pattern(12)));
        write(dir.filePath(QStringLiteral("t10k-labels-idx1-ubyte.gz")), gzip(idx({2}, QByteArray("\x05\x06", 2))));
        QVERIFY(hasMnistFiles(dir.path().toStdString()));
        MnistDataset d;
        std::string error;
        const bool ok = loadMnistFolder(dir.path().toStdString(), d, error);
        if (problem.isEmpty()) {
            QVERIFY2(ok, error.c_str());
            QCOMPARE(d.train.count, 4);
            QCOMPARE(d.test.count, 2);
            QCOMPARE(d.train.pixelsPerImage(), 6);
            QCOMPARE(d.kind, DatasetKind::Unknown);
            QCOMPARE(d.classNames.at(3), std::string("class 3"));
            QCOMPARE(int(d.test.labels[1]), 6);
        } else {
            QVERIFY(!ok);
            QVERIFY2(QString::fromStdString(error).contains(problem), error.c_str());
        }
    }

    void missingFileIsNamed()
    {
        QTemporaryDir dir;
        MnistDataset d;
        std::string error;
        QVERIFY(!loadMnistFolder(dir.path().toStdString(), d, error));
        QVERIFY2(QString::fromStdString(error).contains(QStringLiteral("train-images-idx3-ubyte")), error.c_str());
        QVERIFY(!loadMnistFolder(dir.filePath(QStringLiteral("absent")).toStdString(), d, error));
        QVERIFY(QString::fromStdString(error).contains(QStringLiteral("no such folder")));
    }

    void searchOrder()
    {
        qputenv("INITLAB_DATA", "/somewhere/else");
        qputenv("XDG_DATA_HOME", "/xdg");
        const std::vector<std::string> folders = dataFolderCandidates();
        QCOMPARE(folders.size(), std::size_t(3));
        QCOMPARE(folders[0], std::string("/somewhere/else"));
        QCOMPARE(folders[1], std::string("/xdg/initlab/mnist"));
        QCOMPARE(folders[2], std::string("/usr/share/datasets/fashion-mnist"));
    }

    void debianFashionMnistIsRecognised()
    {
        const std::string folder = "/usr/share/datasets/fashion-mnist";
        if (!hasMnistFiles(folder))
            QSKIP("dataset-fashion-mnist is not installed");
        MnistDataset d;
        std::string error;
        QVERIFY2(loadMnistFolder(folder, d, error), error.c_str());
        QCOMPARE(d.kind, DatasetKind::FashionMnist);
        QCOMPARE(d.train.count, 60000);
        QCOMPARE(d.classNames.at(9), std::string("Ankle boot"));
    }
};

QTEST_APPLESS_MAIN(TestIdx)
#include "tst_idx.moc"
