// The fused AdamW kernel of core against LibTorch's own torch::optim::AdamW: the same parameters
// after many steps, for several learning rates and weight decays. This is the check that the
// optimisation (one vectorized pass instead of the reference's tensor ops) changed no result.

#include "torch_adamw.h"
#include "tolerance.h"

#include <QTest>
#include <torch/optim/adamw.h>

class TestAdamW : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesLibTorch_data()
    {
        QTest::addColumn<double>("lr");
        QTest::addColumn<double>("weightDecay");
        QTest::newRow("report: 3e-4, 0.01") << 3e-4 << 0.01;
        QTest::newRow("no decay") << 1e-3 << 0.0;
        QTest::newRow("strong decay") << 1e-2 << 0.5;
    }

    void matchesLibTorch()
    {
        QFETCH(double, lr);
        QFETCH(double, weightDecay);
        torch::manual_seed(3);
        const int n = 100003; // not a multiple of any vector width
        const at::Tensor start = torch::randn({n});

        torch::Tensor reference = start.clone().set_requires_grad(true);
        torch::optim::AdamW optimizer({reference}, torch::optim::AdamWOptions(lr).weight_decay(weightDecay));
        const at::Tensor fused = start.clone();
        initlab::FlatAdamW ours(fused, lr, weightDecay);

        for (int step = 0; step < 200; ++step) {
            // A gradient that changes sign and scale over time, with exact zeros.
            const at::Tensor gradient = torch::sin(start * (step + 1)) * (step % 7) * 0.1;
            reference.mutable_grad() = gradient.clone();
            optimizer.step();
            ours.step(gradient);
        }
        const double difference = (reference.detach() - fused).abs().max().item<double>();
        const double moved = (start - fused).abs().max().item<double>();
        QVERIFY2(moved > 10 * lr, "the parameters did not move");
        QVERIFY2(difference < 1e-5 * std::max(1.0, moved), qPrintable(QString::number(difference)));
    }
};

QTEST_APPLESS_MAIN(TestAdamW)
#include "tst_adamw.moc"
