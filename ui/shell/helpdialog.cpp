#include "helpdialog.h"

#include <QDialogButtonBox>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace initlab::ui {

HelpDialog::HelpDialog(QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("helpDialog"));
    setWindowTitle(tr("InitLab guide"));
    m_pages = new QTabWidget;
    m_pages->setObjectName(QStringLiteral("helpPages"));
    const auto addPage = [this](Page page, const QString& title, const QString& name, const QString& html) {
        auto* browser = new QTextBrowser;
        browser->setObjectName(name);
        browser->setOpenExternalLinks(true);
        browser->setHtml(html);
        m_browsers[int(page)] = browser;
        m_pages->addTab(browser, title);
    };
    addPage(Page::Deep, tr("Deep signal propagation"), QStringLiteral("deepGuidePage"), deepGuide());
    addPage(Page::Circles, tr("Circles lab"), QStringLiteral("circlesGuidePage"), circlesGuide());
    addPage(Page::Dropout, tr("Dropout && ensembles"), QStringLiteral("dropoutGuidePage"), dropoutGuide());
    addPage(Page::Shortcuts, tr("Keyboard shortcuts"), QStringLiteral("shortcutsPage"), QString());

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);
    layout->addWidget(buttons);
    resize(760, 640);
}

void HelpDialog::showPage(Page page)
{
    m_pages->setCurrentIndex(int(page));
}

HelpDialog::Page HelpDialog::currentPage() const
{
    return Page(m_pages->currentIndex());
}

void HelpDialog::setShortcuts(const QList<Shortcut>& shortcuts)
{
    QString html = tr("<h3>Keyboard shortcuts</h3><table cellspacing=\"0\" cellpadding=\"4\">");
    for (const Shortcut& shortcut : shortcuts)
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(shortcut.second.toString(QKeySequence::NativeText).toHtmlEscaped(),
                         shortcut.first.toHtmlEscaped());
    html += tr("</table><p>In a tab, Alt with the underlined letter of a field's label moves to that field.</p>");
    m_browsers[int(Page::Shortcuts)]->setHtml(html);
}

QTextBrowser* HelpDialog::page(Page page) const
{
    return m_browsers[int(page)];
}

QTabWidget* HelpDialog::pages() const
{
    return m_pages;
}

QString HelpDialog::deepGuide()
{
    return tr(
        "<h3>Deep signal propagation</h3>"
        "<p>A batch of N(0, I) vectors goes forward through a deep fully connected net (biases zero, the "
        "activation after every layer), a cross-entropy loss against random targets is taken on the last layer, "
        "and the gradient goes back. The targets are random on purpose: nothing is learned, only the <i>size</i> "
        "of what reaches each layer matters.</p>"
        "<h4>What to try</h4><ul>"
        "<li><b>Report's seven</b> (or Ctrl+R with no cell selected) reproduces the report's Figures 1–4: tanh × "
        "{original heuristic, Xavier uniform, Xavier normal} and ReLU × {Xavier uniform, Xavier normal, Kaiming "
        "uniform, Kaiming normal}.</li>"
        "<li>Click single cells of the matrix: <b>zeros</b> (the symmetry problem), <b>sigmoid</b> with Xavier "
        "(its mean is not zero), <b>SELU</b> with LeCun normal (self-normalizing), <b>orthogonal</b>.</li>"
        "<li>Change the depth and the width; switch on <b>Mean-field theory</b> and <b>Pre-activation "
        "gradient</b>.</li>"
        "<li>Drag the <b>σ slider</b> under the matrix across its red tick, the critical σ of the activation "
        "beside it at the net's width (σ²·n = 1 for tanh, 2 for ReLU): each position re-runs a preview of the "
        "Normal(σ) cell and the dashed mean-field curve follows at once. Below the tick the signal vanishes; "
        "above it tanh settles at a non-zero level, saturating, and ReLU explodes.</li></ul>"
        "<p>A click answers within a second: the curves of a preview on 500 vectors come first, marked "
        "<i>preview</i> in the legend, and the full batch then replaces them layer by layer.</p>"
        "<p><b>bf16 products</b> (under Net and data, where the CPU has bf16 instructions) runs the matrix products "
        "in bfloat16 and keeps the activations and gradients in bfloat16: about twice as fast. The activation "
        "statistics, the saturated and zero fractions and dL/dh stay within a fraction of a percent of float32's; "
        "the weight-gradient statistics can move by several percent (up to 11 % in the vanishing layers of ReLU "
        "with Xavier): compare those in float32.</p>"
        "<h4>What to look for</h4><ul>"
        "<li><b>tanh</b>: the original heuristic U(−1/√n, 1/√n) has n·Var(w) = 1/3, so the activation std shrinks "
        "about √3-fold per layer; Xavier keeps n·Var(w) ≈ 1 and the signal fades only slowly, through tanh's "
        "saturation.</li>"
        "<li><b>ReLU</b> zeroes half of its input: with Xavier the std shrinks about √2-fold per layer (2<sup>−25</sup> "
        "≈ 3·10<sup>−8</sup> after 50 layers); Kaiming's gain √2 makes up for exactly that and keeps it "
        "level.</li>"
        "<li>A curve that reaches exactly zero cannot be drawn on a log axis: the chart says <i>vanished</i> from "
        "that layer on instead of dropping the points.</li>"
        "<li>The matrix cells are coloured by how much of the signal reached the last layer.</li></ul>"
        "<h4>What the plots mean</h4><ul>"
        "<li><b>Activation |mean|</b> and <b>std</b> per layer: the mean is signed, so its magnitude is plotted; "
        "the std is how much signal is left at that depth.</li>"
        "<li><b>Weight-gradient |mean|</b> and <b>std</b>: the gradient of the loss with respect to each layer's "
        "weights, the learning signal each layer would get.</li>"
        "<li><b>Why the weight-gradient std stays flat while the pre-activation gradient vanishes.</b> The weight "
        "gradient of layer l is dL/dW<sub>l</sub> = δ<sub>l</sub> x<sub>l−1</sub><sup>T</sup>: the gradient "
        "δ<sub>l</sub> = dL/dh<sub>l</sub> with respect to the layer's pre-activations times the layer's "
        "input. On the way back δ is multiplied at every layer by W<sup>T</sup> and φ′(h), so with a shrinking "
        "init it shrinks towards the <i>first</i> layer (the dotted curve of <b>Pre-activation gradient</b>). "
        "The input x shrinks towards the <i>last</i> layer by the same per-layer factor (square 512 × 512 "
        "layers). Their product is therefore about the same in every layer: the weight-gradient std is nearly "
        "flat (Glorot &amp; Bengio, 2010, saw the same), and its level, not its slope, tells how small every "
        "layer's update is. The dotted pre-activation curve is the one that shows the vanishing.</li>"
        "<li><b>Mean-field theory</b> (dashed): the activation std an infinitely wide net with the same weight "
        "variance would have. Where a measured curve leaves its dashed line, finite width or the symmetry of the "
        "init decides.</li></ul>");
}

QString HelpDialog::circlesGuide()
{
    return tr(
        "<h3>Circles lab</h3>"
        "<p>Two rings centred at (10, 10), class 1 at radius 4 and class 0 at radius 1, each radius perturbed by "
        "U(−1, 1). A 2-6-3-2 net with ReLU learns to separate them with AdamW (lr 3·10<sup>−4</sup>, full batch); "
        "the weights of the epoch with the best validation accuracy are kept and scored on the test points.</p>"
        "<h4>What to try</h4><ul>"
        "<li><b>Train all</b> with the defaults (Ctrl+R): every ticked init scheme × raw, standardized and "
        "standardized × 0.01.</li>"
        "<li>Switch the charts between the normalizations with <b>View</b>, click a cell of the comparison grid or "
        "a row of the summary table to put that setting on the big canvas.</li>"
        "<li>Raise <b>Seeds</b> to see how much of a result is luck: the table gives mean ± sd and a success "
        "rate.</li>"
        "<li>Look at the data in <b>normalized space</b> to see what the net actually gets.</li></ul>"
        "<h4>Why standardization matters for the rings</h4><ul>"
        "<li><b>Raw</b>: every input is about (10, 10) ± 5. A first-layer unit computes w·x + b, and w·(10, 10) "
        "dominates the part that differs between the points, so at initialization each ReLU is on for almost all "
        "points or off for almost all (a dead unit). To cut the rings the units' lines must move about ten units "
        "away from the origin, and a bias moves by about the learning rate per step: thousands of epochs, and "
        "often a poor local solution. The report reached at most 84.2 % test accuracy here.</li>"
        "<li><b>Standardized</b> with the <i>training</i> mean and std (applied to every split): the rings are "
        "centred at 0 with unit spread, which is what Xavier and Kaiming assume of their inputs. Lines through "
        "the origin already cut the rings and training converges quickly (99.4 % in the report).</li>"
        "<li><b>× 0.01</b>: the same shape 100 times smaller. The output barely depends on the input at first, and "
        "since Adam's steps have a fixed size the first-layer weights need about 100 times more of them to "
        "matter: within the default epochs it stays far behind the standardized data.</li>"
        "<li>The training loss starts near ln 2 ≈ 0.69, the cross-entropy of a guess between two classes.</li>"
        "<li>The report found <b>Kaiming normal</b> failing on standardized data (its Fig. 11) and blamed a local "
        "minimum. With a net this small one init decides a lot: with several seeds you see how often a "
        "scheme fails, and the table counts dead units.</li>"
        "</ul>"
        "<h4>What the plots mean</h4><ul>"
        "<li><b>Training loss</b>, <b>training accuracy</b>, <b>validation accuracy</b> per epoch, one line per "
        "init scheme (mean over the seeds) for the normalization being viewed.</li>"
        "<li>The <b>big canvas</b>: P(class 1) of the viewed model as a heat map, its 0.5 contour (the decision "
        "boundary), and the points.</li>"
        "<li>The <b>comparison grid</b>: one small boundary per (init, normalization), live while training.</li>"
        "<li>The <b>summary table</b>: test accuracy (mean ± sd over the seeds), success rate at the threshold, "
        "best seed, dead units and divergences per setting.</li></ul>");
}

QString HelpDialog::dropoutGuide()
{
    return tr(
        "<h3>Dropout &amp; ensembles</h3>"
        "<p>A 784-800-800-10 net on MNIST-format images (Fashion-MNIST by default), Dropout(p) before each "
        "Linear, ReLU between, weights N(0, 0.1²). It is trained once per p with AdamW (lr 3·10<sup>−4</sup>, batch "
        "8) on images 0–4999 and validated on 5000–14999; the best checkpoint is then tested on the 10000 test "
        "images.</p>"
        "<h4>What to try</h4><ul>"
        "<li><b>Start</b> with the defaults (Ctrl+R) reproduces Table I: it takes minutes. For a quick look use "
        "1–2 epochs and ensemble sizes 5, 50. Esc cancels and keeps what has finished.</li>"
        "<li>Compare the <b>Averaging</b> choices, and p = 0.2 with p = 0.5.</li>"
        "<li>Put your own MNIST files in the data folder (see the README).</li></ul>"
        "<h4>What to look for</h4><ul>"
        "<li>With dropout the <b>training</b> loss and accuracy get worse (every step trains a thinned net) while "
        "the <b>validation</b> loss and accuracy get better: it regularises (the report's Figs. 12–14). A "
        "validation loss that rises while the training loss keeps falling is overfitting.</li>"
        "<li><b>MC dropout</b> keeps dropout on at test time and averages T passes, each a different thinned net. "
        "One pass with dropout off uses the full net with the kept weights' scale, a cheap approximation of the "
        "average of all thinned nets. At p = 0 every pass is the same net, so T changes nothing. At p = 0.5 the "
        "thinned nets differ most: a single thinned pass is much worse than the full net, so a small T is noisy "
        "and can lose to the one-pass column, while a large T averages the noise out and estimates the real "
        "ensemble mean, which is where MC dropout can gain. Watch the accuracy-vs-T curve flatten.</li>"
        "<li>The report's Table I has a one-pass accuracy for p = 0 (86.3 %) that differs from its ensembles "
        "(87.62 %), which cannot happen when both score the same p = 0 checkpoint; and it averaged logits. "
        "Here both columns use the same best checkpoint.</li>"
        "<li><b>Softmax vs logits</b>: averaging the passes' softmax probabilities gives the MC-dropout estimate of "
        "the predictive distribution (Gal &amp; Ghahramani, 2016). Averaging the logits and taking the argmax "
        "amounts to a renormalised <i>geometric</i> mean of the passes' probabilities, in which one very "
        "confident pass can outvote the others. At p = 0 the two are identical.</li></ul>"
        "<h4>What the plots mean</h4><ul>"
        "<li><b>Training</b> page: training loss and accuracy (dropout on) and validation loss and accuracy "
        "(dropout off) per epoch, one colour per p.</li>"
        "<li><b>Ensembles</b> page: Table I (one pass vs T passes per p) and test accuracy against T.</li>"
        "<li><b>Uncertainty</b> page: the test images with the highest entropy of the ensemble's mean prediction, "
        "and the confusion matrix for a chosen p and T.</li></ul>");
}

} // namespace initlab::ui
