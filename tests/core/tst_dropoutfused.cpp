// The MC passes' fused ReLU + dropout against the computation it replaced: LibTorch's relu_, then a
// masked copy drawn element by element with the hash formula as it was first written. Every
// instruction-set path of the kernels must give the same bits on lengths and offsets that leave
// vector heads and tails, and a sweep over a small net must give the accuracies the old two-pass
// formula gives, in fp32 and bf16.

#include "dropout_kernel.h"
#include "initlab/dropout.h"
#include "seeding.h"

#include <ATen/ATen.h>
#include <QTest>
#include <c10/core/InferenceMode.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace initlab;

namespace {

// ---- the original formula: one hash per element, of the element's block of four ----------------

std::uint64_t referenceHash(std::uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

struct ReferenceMask {
    std::uint32_t threshold;
    float scale;
    std::uint64_t key;

    ReferenceMask(double p, std::uint64_t seed, std::uint64_t stream)
        : threshold(static_cast<std::uint32_t>(std::lround(p * 65536.0))),
          scale(threshold >= 65536 ? 0.0f : static_cast<float>(65536.0 / (65536.0 - threshold))),
          key(referenceHash(seed * 0x9E3779B97F4A7C15ULL + stream))
    {
    }

    bool dropped(std::int64_t i) const
    {
        const std::uint64_t bits = referenceHash(key + 0x9E3779B97F4A7C15ULL * std::uint64_t(i >> 2));
        return ((bits >> (16 * (i & 3))) & 0xFFFF) < threshold;
    }
};

void referenceDropout(const float* src, float* dst, std::int64_t begin, std::int64_t end, const ReferenceMask& m)
{
    for (std::int64_t i = begin; i < end; ++i)
        dst[i] = m.dropped(i) ? 0.0f : src[i] * m.scale;
}

void referenceDropoutBf16(const std::uint16_t* src, std::uint16_t* dst, std::int64_t begin, std::int64_t end,
                          const ReferenceMask& m)
{
    for (std::int64_t i = begin; i < end; ++i) {
        std::uint32_t bits = std::uint32_t(src[i]) << 16;
        float value;
        std::memcpy(&value, &bits, sizeof value);
        value *= m.scale;
        std::memcpy(&bits, &value, sizeof bits);
        const std::uint32_t rounded = (bits & 0x7F800000u) != 0x7F800000u ? bits + 0x7FFFu + ((bits >> 16) & 1u) : bits;
        dst[i] = m.dropped(i) ? std::uint16_t(0) : static_cast<std::uint16_t>(rounded >> 16);
    }
}

// dropout(tensor) into a new tensor of its type, by the reference formula.
at::Tensor referenceDropout(const at::Tensor& a, double p, std::uint64_t seed, std::uint64_t stream)
{
    const ReferenceMask m(p, seed, stream);
    at::Tensor out = at::empty_like(a);
    if (a.scalar_type() == at::kBFloat16)
        referenceDropoutBf16(reinterpret_cast<const std::uint16_t*>(a.data_ptr<at::BFloat16>()),
                             reinterpret_cast<std::uint16_t*>(out.data_ptr<at::BFloat16>()), 0, a.numel(), m);
    else
        referenceDropout(a.data_ptr<float>(), out.data_ptr<float>(), 0, a.numel(), m);
    return out;
}

// ---- data ---------------------------------------------------------------------------------------

// Normal values with the awkward ones sprinkled in: -0, +-infinity, NaN, exact zeros.
std::vector<float> awkwardValues(std::int64_t n, unsigned seed)
{
    std::mt19937 random(seed);
    std::normal_distribution<float> normal;
    std::vector<float> v(std::size_t(n), 0.0f);
    for (float& x : v)
        x = normal(random);
    const float special[] = {-0.0f, 0.0f, std::numeric_limits<float>::infinity(),
                             -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()};
    for (std::int64_t i = 3; i < n; i += 11)
        v[std::size_t(i)] = special[(i / 11) % 5];
    return v;
}

const char* pathName(DropoutPath path)
{
    switch (path) {
    case DropoutPath::Plain:
        return "plain";
    case DropoutPath::Avx2:
        return "AVX2";
    case DropoutPath::Avx512:
        return "AVX-512";
    default:
        return "best";
    }
}

bool isNanBf16(std::uint16_t b)
{
    return (b & 0x7F80u) == 0x7F80u && (b & 0x7Fu) != 0;
}

// The lengths and start offsets the kernels are checked on: every length up to past two AVX-512
// blocks, and longer ones, from offsets off the four-element blocks.
const std::vector<std::int64_t> kLengths = [] {
    std::vector<std::int64_t> lengths;
    for (std::int64_t n = 1; n <= 67; ++n)
        lengths.push_back(n);
    lengths.insert(lengths.end(), {1000, 3001, 4099});
    return lengths;
}();
const std::int64_t kOffsets[] = {0, 1, 2, 3, 5, 6, 7};

// ---- a small net ---------------------------------------------------------------------------------

// A 49-61-37-10 net of random weights, and 999 images labelled with its own dropout-off answers, so
// that the MC ensembles' accuracies move with every mask. The sizes make the threads' shares of each
// layer start off the four-element blocks.
struct SmallNet {
    DropoutCheckpoint checkpoint;
    ImageSet images;
};

SmallNet makeSmallNet()
{
    SmallNet s;
    DropoutCheckpoint& c = s.checkpoint;
    c.p = 0.5;
    c.epoch = 1;
    c.sizes = {49, 61, 37, 10};
    std::mt19937 random(11);
    std::normal_distribution<float> normal;
    for (std::size_t l = 0; l + 1 < c.sizes.size(); ++l) {
        const float scale = 2.0f / std::sqrt(float(c.sizes[l]));
        for (int i = 0; i < c.sizes[l] * c.sizes[l + 1]; ++i)
            c.parameters.push_back(normal(random) * scale);
        for (int i = 0; i < c.sizes[l + 1]; ++i)
            c.parameters.push_back(0.1f * normal(random));
    }
    ImageSet& set = s.images;
    set.count = 999;
    set.rows = 7;
    set.cols = 7;
    std::uniform_int_distribution<int> pixel(0, 255);
    for (int i = 0; i < set.count * 49; ++i)
        set.pixels.push_back(static_cast<std::uint8_t>(pixel(random)));
    set.labels.assign(std::size_t(set.count), 0);
    return s;
}

struct ReferenceNet {
    std::vector<at::Tensor> weight, bias;
};

ReferenceNet referenceNet(const DropoutCheckpoint& c, at::ScalarType type)
{
    ReferenceNet net;
    const at::Tensor flat = at::tensor(at::ArrayRef<float>(c.parameters));
    std::int64_t offset = 0;
    for (std::size_t l = 0; l + 1 < c.sizes.size(); ++l) {
        const std::int64_t in = c.sizes[l], out = c.sizes[l + 1];
        net.weight.push_back(flat.narrow(0, offset, out * in).view({out, in}).to(type));
        offset += out * in;
        net.bias.push_back(flat.narrow(0, offset, out).to(type));
        offset += out;
    }
    return net;
}

at::Tensor imagesOf(const ImageSet& set)
{
    return at::from_blob(const_cast<std::uint8_t*>(set.pixels.data()), {set.count, set.pixelsPerImage()}, at::kByte)
        .to(at::kFloat)
        .div_(255.0);
}

// The ensemble accuracies of T = 1 .. passes as the sweep computed them before the fusion: per
// layer a fresh masked copy, addmm, then relu_ as a pass of its own.
std::vector<double> referenceEnsemble(const SmallNet& s, int passes, bool averageProbabilities,
                                      std::uint64_t seed, bool bf16)
{
    c10::InferenceMode inference;
    const at::ScalarType type = bf16 ? at::kBFloat16 : at::kFloat;
    const ReferenceNet net = referenceNet(s.checkpoint, type);
    const at::Tensor input = imagesOf(s.images).to(type);
    const at::Tensor labels =
        at::from_blob(const_cast<std::uint8_t*>(s.images.labels.data()), {s.images.count}, at::kByte).to(at::kLong);
    const std::uint64_t maskSeed = mixSeed(seed, 7);
    at::Tensor sum = at::zeros({s.images.count, 10}, at::kFloat);
    std::vector<double> accuracy;
    for (int t = 1; t <= passes; ++t) {
        at::Tensor a = input;
        for (std::size_t l = 0; l < net.weight.size(); ++l) {
            a = referenceDropout(a, s.checkpoint.p, maskSeed, std::uint64_t(t) * 16 + l);
            a = at::addmm(net.bias[l], a, net.weight[l].t());
            if (l + 1 < net.weight.size())
                a.relu_();
        }
        const at::Tensor logits = a.to(at::kFloat);
        sum.add_(averageProbabilities ? at::softmax(logits, 1) : logits);
        accuracy.push_back(sum.argmax(1).eq(labels).sum().item<double>() / double(s.images.count));
    }
    return accuracy;
}

} // namespace

class TestDropoutFused : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void kernelsMatchTheFormula_data()
    {
        QTest::addColumn<int>("path");
        QTest::addColumn<double>("p");
        for (DropoutPath path : {DropoutPath::Plain, DropoutPath::Avx2, DropoutPath::Avx512, DropoutPath::Best})
            for (double p : {0.0, 0.2, 0.5, 1.0 / 65536.0, 0.999}) {
                if (!dropoutPathSupported(path))
                    continue;
                QTest::addRow("%s, p = %g", pathName(path), p) << int(path) << p;
            }
    }

    // Plain dropout and the fused ReLU + dropout in fp32 against relu_ and the original formula,
    // every bit, in place and out of place.
    void kernelsMatchTheFormula()
    {
        QFETCH(int, path);
        QFETCH(double, p);
        const DropoutPath chosen = static_cast<DropoutPath>(path);
        const std::int64_t size = 4099 + 8;
        const std::vector<float> x = awkwardValues(size, 5);
        at::Tensor relu = at::tensor(at::ArrayRef<float>(x));
        relu.relu_();
        const float* rectified = relu.data_ptr<float>();
        const ReferenceMask m(p, 42, 19);
        for (const std::int64_t begin : kOffsets)
            for (const std::int64_t n : kLengths) {
                const std::int64_t end = std::min(begin + n, size);
                std::vector<float> expected(std::size_t(size), 7.0f), actual(expected);
                referenceDropout(x.data(), expected.data(), begin, end, m);
                dropoutApply(x.data(), actual.data(), begin, end, p, 42, 19, chosen);
                QVERIFY2(std::memcmp(expected.data(), actual.data(), sizeof(float) * std::size_t(size)) == 0,
                         qPrintable(QStringLiteral("dropout, [%1, %2)").arg(begin).arg(end)));

                std::fill(expected.begin(), expected.end(), 7.0f);
                referenceDropout(rectified, expected.data(), begin, end, m);
                std::vector<float> inPlace = x;
                std::fill(actual.begin(), actual.end(), 7.0f);
                reluDropoutApply(x.data(), actual.data(), begin, end, p, 42, 19, chosen);
                reluDropoutApply(inPlace.data(), inPlace.data(), begin, end, p, 42, 19, chosen);
                for (std::int64_t i = 0; i < size; ++i)
                    if (i < begin || i >= end)
                        inPlace[std::size_t(i)] = 7.0f;
                QVERIFY2(std::memcmp(expected.data(), actual.data(), sizeof(float) * std::size_t(size)) == 0,
                         qPrintable(QStringLiteral("ReLU + dropout, [%1, %2)").arg(begin).arg(end)));
                QVERIFY2(std::memcmp(expected.data(), inPlace.data(), sizeof(float) * std::size_t(size)) == 0,
                         qPrintable(QStringLiteral("ReLU + dropout in place, [%1, %2)").arg(begin).arg(end)));
            }
    }

    void bf16KernelsMatchTheFormula_data() { kernelsMatchTheFormula_data(); }

    // The same in bfloat16, against LibTorch's bf16 relu_ and the original bf16 formula. A NaN must
    // stay a NaN; its payload is not compared (relu_ on bf16 rewrites it).
    void bf16KernelsMatchTheFormula()
    {
        QFETCH(int, path);
        QFETCH(double, p);
        const DropoutPath chosen = static_cast<DropoutPath>(path);
        const std::int64_t size = 4099 + 8;
        const at::Tensor values = at::tensor(at::ArrayRef<float>(awkwardValues(size, 6))).to(at::kBFloat16);
        const auto* x = reinterpret_cast<const std::uint16_t*>(values.data_ptr<at::BFloat16>());
        const at::Tensor relu = values.clone().relu_();
        const auto* rectified = reinterpret_cast<const std::uint16_t*>(relu.data_ptr<at::BFloat16>());
        const ReferenceMask m(p, 42, 23);
        const auto same = [](const std::vector<std::uint16_t>& a, const std::vector<std::uint16_t>& b) {
            for (std::size_t i = 0; i < a.size(); ++i)
                if (a[i] != b[i] && !(isNanBf16(a[i]) && isNanBf16(b[i])))
                    return false;
            return true;
        };
        for (const std::int64_t begin : kOffsets)
            for (const std::int64_t n : kLengths) {
                const std::int64_t end = std::min(begin + n, size);
                std::vector<std::uint16_t> expected(std::size_t(size), 7), actual(expected);
                referenceDropoutBf16(x, expected.data(), begin, end, m);
                dropoutApplyBf16(x, actual.data(), begin, end, p, 42, 23, chosen);
                QVERIFY2(expected == actual, qPrintable(QStringLiteral("dropout, [%1, %2)").arg(begin).arg(end)));

                std::fill(expected.begin(), expected.end(), std::uint16_t(7));
                referenceDropoutBf16(rectified, expected.data(), begin, end, m);
                std::fill(actual.begin(), actual.end(), std::uint16_t(7));
                reluDropoutApplyBf16(x, actual.data(), begin, end, p, 42, 23, chosen);
                QVERIFY2(same(expected, actual),
                         qPrintable(QStringLiteral("ReLU + dropout, [%1, %2)").arg(begin).arg(end)));
            }
    }

    void sweepAccuraciesAreUnchanged_data()
    {
        QTest::addColumn<bool>("bf16");
        QTest::addColumn<bool>("averageProbabilities");
        QTest::newRow("fp32, probabilities") << false << true;
        QTest::newRow("fp32, logits") << false << false;
        QTest::newRow("bf16, probabilities") << true << true;
        QTest::newRow("bf16, logits") << true << false;
    }

    // The sweep (buffers, addmm_out, the fused pass) against the two-pass formula it replaced, on a
    // small net: every ensemble accuracy exactly.
    void sweepAccuraciesAreUnchanged()
    {
        QFETCH(bool, bf16);
        QFETCH(bool, averageProbabilities);
        SmallNet s = makeSmallNet();
        {
            // Labels: the net's own dropout-off answers.
            c10::InferenceMode inference;
            const ReferenceNet net = referenceNet(s.checkpoint, at::kFloat);
            at::Tensor a = imagesOf(s.images);
            for (std::size_t l = 0; l < net.weight.size(); ++l) {
                a = at::addmm(net.bias[l], a, net.weight[l].t());
                if (l + 1 < net.weight.size())
                    a.relu_();
            }
            const at::Tensor answers = a.argmax(1);
            for (int i = 0; i < s.images.count; ++i)
                s.images.labels[std::size_t(i)] = static_cast<std::uint8_t>(answers[i].item<std::int64_t>());
        }
        const int passes = 12;
        const std::uint64_t seed = 3;
        const EnsembleEvaluation e = evaluateEnsemble(s.checkpoint, s.images, passes, averageProbabilities, seed, bf16);
        QCOMPARE(e.singlePassAcc, 1.0);
        const std::vector<double> expected = referenceEnsemble(s, passes, averageProbabilities, seed, bf16);
        QCOMPARE(e.ensembleAcc, expected);
        // The masks matter here: some ensemble is below the dropout-off accuracy.
        QVERIFY(*std::min_element(expected.begin(), expected.end()) < 1.0);
    }
};

QTEST_APPLESS_MAIN(TestDropoutFused)
#include "tst_dropoutfused.moc"
