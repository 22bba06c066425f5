#include "welcomepage.h"

#include <QCheckBox>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QVBoxLayout>

namespace initlab::ui {

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("welcomePage"));

    auto* title = new QLabel(tr("<h2>Welcome to InitLab</h2>"
                                "<p>A laboratory for three questions of a deep-learning homework: how the weight "
                                "initialization decides whether a signal survives fifty layers, why a small net "
                                "needs normalized inputs, and what dropout and MC-dropout ensembles do. Each tab "
                                "below reproduces one experiment of the report, and every setting can be "
                                "changed. Help ▸ Guide to this tab (F1) explains what to try and what to look for.</p>"));
    title->setWordWrap(true);
    title->setTextFormat(Qt::RichText);

    QWidget* deep = card(
        ExperimentKind::Deep, tr("Deep signal propagation"),
        tr("A batch of random vectors goes through a deep fully connected net (the report's 50 layers of 512 "
           "units) and back, once per init scheme × activation you pick in the matrix. Four log-scale charts show, "
           "layer by layer, the |mean| and the standard deviation of the activations and of the weight "
           "gradients. You see which combinations keep the signal alive to the last layer and which let it "
           "vanish or explode."),
        tr("Switches to the tab and runs the report's seven combinations (tanh × heuristic, Xavier uniform, "
           "Xavier normal; ReLU × Xavier uniform, Xavier normal, Kaiming uniform, Kaiming normal) with the tab's "
           "depth, width and batch (the report's 50 × 512, batch 10000, unless you changed them)."));
    QWidget* circles = card(
        ExperimentKind::Circles, tr("Circles lab"),
        tr("A 2-6-3-2 net learns to tell two concentric rings centred at (10, 10) apart, once for raw inputs, "
           "once standardized and once standardized then shrunk by 0.01, for every init scheme you tick. Curves "
           "of training loss and training and validation accuracy fill in while decision boundaries form live, "
           "one small canvas per setting and a big one for the setting you click. When the run ends a table "
           "gives each setting's test accuracy over the seeds."),
        tr("Switches to the tab and presses Train all with the tab's settings (the report's: AdamW, lr 3e-4, "
           "full batch, the three normalizations)."));
    QWidget* dropout = card(
        ExperimentKind::Dropout, tr("Dropout && ensembles"),
        tr("A 784-800-800-10 net is trained on MNIST-format images once per dropout probability p (0, 0.2, 0.5), "
           "with training and validation curves per epoch. Each p's best checkpoint is then tested with dropout "
           "off and as an MC-dropout ensemble of T passes, which gives the report's Table I and an "
           "accuracy-vs-T curve. The least certain test images and a confusion matrix show where the net "
           "hesitates.<br><b>The default run takes minutes</b> (three nets × ten epochs, then up to 1000 passes "
           "over the test set); Esc cancels it and keeps what has finished."),
        tr("Switches to the tab and presses Start with the tab's settings (the report's: p = 0, 0.2, 0.5, ten "
           "epochs, T = 5, 50, 500, 1000). This takes minutes; fewer epochs or smaller T make a quick look."));

    m_showAtStart = new QCheckBox(tr("Open InitLab on this page"));
    m_showAtStart->setObjectName(QStringLiteral("showWelcomeAtStart"));
    m_showAtStart->setToolTip(tr("Without the tick InitLab opens on the Deep signal propagation tab; this page stays "
                                 "here as the first tab and under Help ▸ Welcome page."));
    m_showAtStart->setChecked(QSettings().value(showAtStartKey(), false).toBool());
    connect(m_showAtStart, &QCheckBox::toggled, this,
            [](bool checked) { QSettings().setValue(showAtStartKey(), checked); });

    // All three at once, as the report did: one folder with report.html, figures 1-14 and Table I.
    m_reproduce = new QPushButton(tr("Reproduce the whole report …"));
    m_reproduce->setObjectName(QStringLiteral("welcomeReproduceButton"));
    m_reproduce->setToolTip(tr("Runs all three experiments at the report's settings and writes report.html with "
                               "figures 1–14, Table I, the CSV files and the run records into a folder "
                               "(Export ▸ Reproduce the report). A quick version takes a few minutes."));
    connect(m_reproduce, &QPushButton::clicked, this, &WelcomePage::reproduceRequested);
    auto* reproduceText = new QLabel(tr("Or all three at once, into one report you can open in a browser:"));
    auto* reproduceRow = new QHBoxLayout;
    reproduceRow->addWidget(reproduceText);
    reproduceRow->addWidget(m_reproduce);
    reproduceRow->addStretch(1);

    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->addWidget(title);
    layout->addWidget(deep);
    layout->addWidget(circles);
    layout->addWidget(dropout);
    layout->addLayout(reproduceRow);
    layout->addWidget(m_showAtStart);
    layout->addStretch(1);
    content->setMaximumWidth(1100);

    // Centred, and scrollable when the window is small.
    auto* centring = new QWidget;
    auto* centringLayout = new QHBoxLayout(centring);
    centringLayout->addStretch(1);
    centringLayout->addWidget(content, 100);
    centringLayout->addStretch(1);
    auto* scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("welcomeScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(centring);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
}

QString WelcomePage::showAtStartKey()
{
    return QStringLiteral("welcome/showAtStart");
}

bool WelcomePage::takeShowAtStart()
{
    QSettings settings;
    const bool show = settings.value(showAtStartKey(), true).toBool();
    if (show && !settings.contains(showAtStartKey()))
        settings.setValue(showAtStartKey(), false); // the first start: show it once
    return show;
}

QPushButton* WelcomePage::runButton(ExperimentKind experiment) const
{
    return m_run[int(experiment)];
}

QPushButton* WelcomePage::openButton(ExperimentKind experiment) const
{
    return m_open[int(experiment)];
}

QCheckBox* WelcomePage::showAtStartToggle() const
{
    return m_showAtStart;
}

QPushButton* WelcomePage::reproduceButton() const
{
    return m_reproduce;
}

QWidget* WelcomePage::card(ExperimentKind experiment, const QString& title, const QString& text, const QString& runTip)
{
    static const char* const kNames[] = {"deep", "circles", "dropout"};
    const QString name = QLatin1String(kNames[int(experiment)]);

    auto* box = new QFrame;
    box->setObjectName(name + QStringLiteral("WelcomeCard"));
    box->setFrameShape(QFrame::StyledPanel);
    auto* heading = new QLabel(QStringLiteral("<h3>%1</h3>").arg(QString(title).replace(QStringLiteral("&&"),
                                                                                         QStringLiteral("&amp;"))));
    heading->setTextFormat(Qt::RichText);
    auto* body = new QLabel(text);
    body->setObjectName(name + QStringLiteral("WelcomeText"));
    body->setTextFormat(Qt::RichText);
    body->setWordWrap(true);

    auto* run = new QPushButton(tr("Run the report's default"));
    run->setObjectName(name + QStringLiteral("RunDefaultButton"));
    run->setToolTip(runTip);
    connect(run, &QPushButton::clicked, this, [this, experiment] { Q_EMIT runRequested(experiment); });
    auto* open = new QPushButton(tr("Open the tab"));
    open->setObjectName(name + QStringLiteral("OpenButton"));
    open->setToolTip(tr("Switches to the %1 tab without starting anything.").arg(QString(title).replace(
        QStringLiteral("&&"), QStringLiteral("&"))));
    connect(open, &QPushButton::clicked, this, [this, experiment] { Q_EMIT openRequested(experiment); });
    m_run[int(experiment)] = run;
    m_open[int(experiment)] = open;

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(run);
    buttons->addWidget(open);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(box);
    layout->addWidget(heading);
    layout->addWidget(body);
    layout->addLayout(buttons);
    return box;
}

} // namespace initlab::ui
