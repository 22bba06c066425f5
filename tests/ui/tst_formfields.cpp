// The form fields keep what is typed into them. A number outside a spin box's range, or text that is
// no number yet, stays in the field as typed — through leaving the field, Enter, hiding and showing
// it — and is marked: the error red, a tooltip and an input problem that name the field and its
// range, while value() keeps the last number in the range the field held (never the typed number
// clamped, and leaving the field does not change it). Typing a
// number in the range, stepping or setValue() clears the mark. Letters are refused as Qt refuses
// them. setFieldValue shows a value beyond the range (from a file) as it is, marked, not clamped. Line edits get the same marks from checkAsTyped, forms mark several fields at once with
// markField, and firstInvalidInput finds the field a tab names when it refuses to start.

#include "common/formfields.h"
#include "common/palette.h"

#include <QFocusEvent>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QVBoxLayout>

#include <limits>
#include <memory>

using namespace initlab::ui;

namespace {

// Selects what the field shows and types text over it, as a user does.
void typeInto(QAbstractSpinBox* spin, const QString& text)
{
    spin->selectAll();
    QTest::keyClicks(spin, text);
}

void leave(QWidget* field)
{
    QFocusEvent out(QEvent::FocusOut, Qt::TabFocusReason);
    QCoreApplication::sendEvent(field, &out);
}

bool looksInvalid(const QWidget* field)
{
    return field->styleSheet() == errorStyleSheet(field->palette());
}

} // namespace

class TestFormFields : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void numberAboveTheRangeIsKeptAndMarked();
    void negativeLearningRateIsKeptNotMadePositive();
    void textThatIsNoNumberIsKept_data();
    void textThatIsNoNumberIsKept();
    void tooManyDecimalsAreKeptNotRounded();
    void specialValueDoesNotHideWhatWasTyped();
    void lettersAreRefusedAsTyped();
    void aNumberInTheRangeClearsTheMark();
    void setValueAndSteppingClearTheMark();
    void valuesSetBeyondTheRangeAreShownNotClamped();
    void lineEditsAreCheckedAsTyped();
    void marksOfSeveralFieldsComeAndGo();
    void firstInvalidInputSkipsDisabledFields();
    void rangeEndsAreNamed();

private:
    // A form of two labelled fields, shown.
    std::unique_ptr<QWidget> m_form;
    QSpinBox* m_width = nullptr;
    QDoubleSpinBox* m_rate = nullptr;
};

void TestFormFields::init()
{
    m_form = std::make_unique<QWidget>();
    auto* grid = new QGridLayout(m_form.get());
    m_width = makeSpin(1, 4096, 512, 32, QStringLiteral("widthSpin"), QStringLiteral("Units per layer."));
    m_rate
        = new ScientificSpinBox(1e-8, 10.0, 3e-4, QStringLiteral("learningRateSpin"), QStringLiteral("AdamW's rate."));
    addGridField(grid, 0, 0, QStringLiteral("&Width"), m_width);
    addGridField(grid, 1, 0, QStringLiteral("&Learning rate"), m_rate);
    m_form->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_form.get()));
}

void TestFormFields::cleanup()
{
    m_form.reset();
}

void TestFormFields::numberAboveTheRangeIsKeptAndMarked()
{
    typeInto(m_width, QStringLiteral("99999"));
    // Qt refused the fifth digit and showed 999; the field keeps every one.
    QCOMPARE(m_width->text(), QStringLiteral("99999"));
    // The last number in the range on the way (keyboard tracking), not 4096.
    QCOMPARE(m_width->value(), 999);
    QSignalSpy changed(m_width, &QSpinBox::valueChanged);
    const QString problem = inputProblem(m_width);
    QVERIFY2(problem.startsWith(QStringLiteral("Width must be a whole number from 1 to ")), qPrintable(problem));
    QVERIFY2(problem.contains(m_width->locale().toString(4096)), qPrintable(problem));
    QVERIFY2(problem.contains(QStringLiteral("(got 99999)")), qPrintable(problem));
    QVERIFY(looksInvalid(m_width));
    QVERIFY2(m_width->toolTip().contains(problem.mid(1).toHtmlEscaped()), qPrintable(m_width->toolTip()));
    QVERIFY(m_width->toolTip().contains(QStringLiteral("Units per layer.")));
    QCOMPARE(firstInvalidInput(m_form.get()), m_width);

    // Leaving the field, Enter, hiding and showing it: Qt writes 512 back; the typed text stays.
    leave(m_width);
    QCOMPARE(m_width->text(), QStringLiteral("99999"));
    QTest::keyClick(m_width, Qt::Key_Return); // sends valueChanged again, as Qt does on Enter
    QCOMPARE(m_width->text(), QStringLiteral("99999"));
    m_form->hide();
    m_form->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_form.get()));
    QCOMPARE(m_width->text(), QStringLiteral("99999"));
    QCOMPARE(m_width->value(), 999);
    QCOMPARE(inputProblem(m_width), problem);
    for (const QList<QVariant>& signal : changed)
        QCOMPARE(signal.at(0).toInt(), 999);
}

void TestFormFields::negativeLearningRateIsKeptNotMadePositive()
{
    typeInto(m_rate, QStringLiteral("-1"));
    // Qt refused the "-" and the rate became 1.
    QCOMPARE(m_rate->text(), QStringLiteral("-1"));
    QTest::keyClick(m_rate, Qt::Key_Return);
    leave(m_rate);
    QCOMPARE(m_rate->text(), QStringLiteral("-1"));
    QCOMPARE(m_rate->value(), 3e-4);
    QCOMPARE(inputProblem(m_rate), QStringLiteral("Learning rate must be a number from 1e-8 to 10 (got -1)"));
    QVERIFY(looksInvalid(m_rate));
    QCOMPARE(firstInvalidInput(m_form.get()), m_rate);
}

void TestFormFields::textThatIsNoNumberIsKept_data()
{
    QTest::addColumn<bool>("scientific");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("got");
    QTest::newRow("empty width") << false << QString() << QStringLiteral("(the field is empty)");
    QTest::newRow("a lone minus") << false << QStringLiteral("-") << QStringLiteral("(got -)");
    QTest::newRow("a fraction where a whole number goes") << false << QStringLiteral("2.5")
                                                           << QStringLiteral("(got 2.5)");
    QTest::newRow("exponent without digits") << true << QStringLiteral("3e-") << QStringLiteral("(got 3e-)");
}

void TestFormFields::textThatIsNoNumberIsKept()
{
    QFETCH(bool, scientific);
    QFETCH(QString, typed);
    QFETCH(QString, got);
    QAbstractSpinBox* spin = scientific ? static_cast<QAbstractSpinBox*>(m_rate) : m_width;
    if (typed.isEmpty()) {
        spin->selectAll();
        QTest::keyClick(spin, Qt::Key_Delete);
    } else {
        typeInto(spin, typed);
    }
    const int width = m_width->value();
    leave(spin);
    QCOMPARE(spin->text(), typed);
    QVERIFY2(inputProblem(spin).endsWith(got), qPrintable(inputProblem(spin)));
    QVERIFY(looksInvalid(spin));
    QCOMPARE(m_width->value(), width);
    QCOMPARE(m_rate->value(), 3e-4); // it takes a value on Enter or leaving only
}

void TestFormFields::tooManyDecimalsAreKeptNotRounded()
{
    // Qt dropped the last digit of 0.00001 in a field of 4 decimals: σ became 0.
    QDoubleSpinBox* sigma = makeDoubleSpin(0.0, 10.0, 0.1, 4, 0.01, QStringLiteral("sigmaSpin"), QString());
    m_form->layout()->addWidget(fieldLabel(QStringLiteral("Normal &σ"), sigma));
    m_form->layout()->addWidget(sigma);
    typeInto(sigma, QStringLiteral("0.00001"));
    QCOMPARE(sigma->value(), 0.0); // "0.0000" on the way
    leave(sigma);
    QCOMPARE(sigma->text(), QStringLiteral("0.00001"));
    QCOMPARE(firstInvalidInput(m_form.get()), sigma);
    QVERIFY2(inputProblem(sigma).contains(QStringLiteral("with at most 4 decimals")), qPrintable(inputProblem(sigma)));
}

void TestFormFields::specialValueDoesNotHideWhatWasTyped()
{
    // At its minimum the field shows "all"; Qt would put "all" back over a typed -3.
    QSpinBox* threads = makeSpin(0, 256, 0, 1, QStringLiteral("threadsSpin"), QString());
    threads->setSpecialValueText(QStringLiteral("all"));
    m_form->layout()->addWidget(fieldLabel(QStringLiteral("Threads"), threads));
    m_form->layout()->addWidget(threads);
    QCOMPARE(threads->text(), QStringLiteral("all"));
    QVERIFY(inputProblem(threads).isEmpty());
    typeInto(threads, QStringLiteral("-3"));
    leave(threads);
    QCOMPARE(threads->text(), QStringLiteral("-3"));
    QCOMPARE(inputProblem(threads), QStringLiteral("Threads must be a whole number from 0 (all) to 256 (got -3)"));
    typeInto(threads, QStringLiteral("0"));
    QVERIFY(inputProblem(threads).isEmpty());
    QCOMPARE(threads->value(), 0);
    leave(threads);
    QCOMPARE(threads->text(), QStringLiteral("all"));
}

void TestFormFields::lettersAreRefusedAsTyped()
{
    typeInto(m_width, QStringLiteral("1x2"));
    QCOMPARE(m_width->text(), QStringLiteral("12"));
    QCOMPARE(m_width->value(), 12);
    QVERIFY(inputProblem(m_width).isEmpty());
}

void TestFormFields::aNumberInTheRangeClearsTheMark()
{
    const QString plainTip = m_width->toolTip();
    typeInto(m_width, QStringLiteral("99999"));
    QVERIFY(!inputProblem(m_width).isEmpty());
    QSignalSpy changed(m_width, &QSpinBox::valueChanged);
    typeInto(m_width, QStringLiteral("2000"));
    QCOMPARE(m_width->value(), 2000);
    QVERIFY(changed.count() > 0);
    QVERIFY(inputProblem(m_width).isEmpty());
    QVERIFY(m_width->styleSheet().isEmpty());
    QCOMPARE(m_width->toolTip(), plainTip);
    QCOMPARE(firstInvalidInput(m_form.get()), nullptr);
    leave(m_width);
    QCOMPARE(m_width->text(), m_width->locale().toString(2000));

    // The scientific field takes its value on Enter.
    typeInto(m_rate, QStringLiteral("-1"));
    typeInto(m_rate, QStringLiteral("1e-3"));
    QTest::keyClick(m_rate, Qt::Key_Return);
    QCOMPARE(m_rate->value(), 1e-3);
    QVERIFY(inputProblem(m_rate).isEmpty());
}

void TestFormFields::setValueAndSteppingClearTheMark()
{
    // An experiment file or a run's record sets the fields: what was typed goes, even when the
    // value set is the one the field kept.
    typeInto(m_width, QStringLiteral("99999"));
    m_width->setValue(512);
    QCOMPARE(m_width->text(), QStringLiteral("512"));
    QVERIFY(inputProblem(m_width).isEmpty());
    QVERIFY(!looksInvalid(m_width));
    // The value it kept: Qt writes its text without a signal.
    typeInto(m_width, QStringLiteral("99999"));
    m_width->setValue(999);
    QCOMPARE(m_width->text(), QStringLiteral("999"));
    QVERIFY(inputProblem(m_width).isEmpty());
    QCOMPARE(firstInvalidInput(m_form.get()), nullptr);
    QTRY_VERIFY(!looksInvalid(m_width)); // at its next event
    leave(m_width);
    QCOMPARE(m_width->text(), QStringLiteral("999"));

    typeInto(m_width, QStringLiteral("0"));
    QVERIFY(!inputProblem(m_width).isEmpty());
    QTest::keyClick(m_width, Qt::Key_Up);
    QVERIFY(inputProblem(m_width).isEmpty());
    QVERIFY(m_width->value() >= 1 && m_width->value() <= 4096);
    QCOMPARE(m_width->text(), m_width->locale().toString(m_width->value()));

    typeInto(m_rate, QStringLiteral("-1"));
    m_rate->stepBy(1); // doubles the last rate in the range
    QCOMPARE(m_rate->value(), 6e-4);
    QCOMPARE(m_rate->text(), QStringLiteral("0.0006"));
    QVERIFY(inputProblem(m_rate).isEmpty());
}

void TestFormFields::valuesSetBeyondTheRangeAreShownNotClamped()
{
    // An experiment file or initlab-cli's run may hold a width of 8192 or σ = 20: setValue() made
    // them 4096 and 10 without a word.
    setFieldValue(m_width, 8192);
    QCOMPARE(m_width->text(), m_width->locale().toString(8192));
    QCOMPARE(m_width->value(), 512);
    QVERIFY2(inputProblem(m_width).endsWith(QStringLiteral("(got %1)").arg(m_width->locale().toString(8192))),
             qPrintable(inputProblem(m_width)));
    leave(m_width);
    QCOMPARE(m_width->text(), m_width->locale().toString(8192));
    QCOMPARE(firstInvalidInput(m_form.get()), m_width);

    QDoubleSpinBox* sigma = makeDoubleSpin(0.0, 10.0, 0.1, 4, 0.01, QStringLiteral("sigmaSpin"), QString());
    m_form->layout()->addWidget(fieldLabel(QStringLiteral("σ"), sigma));
    m_form->layout()->addWidget(sigma);
    setFieldValue(sigma, 20.0);
    QCOMPARE(sigma->text(), QStringLiteral("20"));
    QCOMPARE(inputProblem(sigma), QStringLiteral("σ must be a number from 0 to 10 (got 20)"));
    setFieldValue(m_rate, 100.0);
    QCOMPARE(inputProblem(m_rate), QStringLiteral("Learning rate must be a number from 1e-8 to 10 (got 100)"));

    // A seed beyond what the field holds.
    QSpinBox* seed = makeSpin(0, std::numeric_limits<int>::max(), 0, 1, QStringLiteral("seedSpin"), QString());
    m_form->layout()->addWidget(fieldLabel(QStringLiteral("See&d"), seed));
    m_form->layout()->addWidget(seed);
    setFieldValue(seed, 5'000'000'000);
    QCOMPARE(seed->value(), 0);
    QVERIFY(inputProblem(seed).startsWith(QStringLiteral("Seed must be a whole number from 0 to ")));

    // In the range, it is setValue(), and clears the mark, also of the value the field kept.
    setFieldValue(m_width, 64);
    QCOMPARE(m_width->value(), 64);
    QVERIFY(inputProblem(m_width).isEmpty());
    QVERIFY(!looksInvalid(m_width));
    setFieldValue(sigma, 0.1);
    QCOMPARE(sigma->text(), QStringLiteral("0.1000"));
    QVERIFY(inputProblem(sigma).isEmpty());
    QVERIFY(!looksInvalid(sigma));
}

void TestFormFields::lineEditsAreCheckedAsTyped()
{
    QLineEdit* sizes = makeEdit(QStringLiteral("6,3"), QStringLiteral("hiddenEdit"), QStringLiteral("Hidden sizes."));
    m_form->layout()->addWidget(sizes);
    checkAsTyped(sizes, [](const QString& text) {
        bool ok = false;
        text.toInt(&ok);
        return ok ? QString() : QStringLiteral("the size \"%1\" is not a whole number").arg(text);
    });
    QVERIFY(!inputProblem(sizes).isEmpty()); // "6,3" is no single number here
    sizes->setText(QStringLiteral("6"));
    QVERIFY(inputProblem(sizes).isEmpty());
    QVERIFY(!looksInvalid(sizes));
    sizes->selectAll();
    QTest::keyClicks(sizes, QStringLiteral("x"));
    QCOMPARE(inputProblem(sizes), QStringLiteral("the size \"x\" is not a whole number"));
    QVERIFY(looksInvalid(sizes));
    QVERIFY(sizes->toolTip().contains(QStringLiteral("The size &quot;x&quot; is not a whole number.")));
    QVERIFY(sizes->toolTip().contains(QStringLiteral("Hidden sizes.")));
    QCOMPARE(firstInvalidInput(m_form.get()), sizes);
}

void TestFormFields::marksOfSeveralFieldsComeAndGo()
{
    const QString plainTip = m_width->toolTip();
    markField(m_width, QStringLiteral("the ranges overlap"));
    QCOMPARE(fieldProblem(m_width), QStringLiteral("the ranges overlap"));
    QVERIFY(looksInvalid(m_width));
    QVERIFY(m_width->toolTip().contains(QStringLiteral("The ranges overlap.")));
    // A mark is not an input problem: what the field holds can be used.
    QCOMPARE(firstInvalidInput(m_form.get()), nullptr);

    // With both, the input problem is shown; it going leaves the mark, the mark going the field.
    typeInto(m_width, QStringLiteral("0"));
    QCOMPARE(fieldProblem(m_width), inputProblem(m_width));
    typeInto(m_width, QStringLiteral("64"));
    QCOMPARE(fieldProblem(m_width), QStringLiteral("the ranges overlap"));
    QVERIFY(looksInvalid(m_width));
    markField(m_width, QString());
    QVERIFY(fieldProblem(m_width).isEmpty());
    QVERIFY(!looksInvalid(m_width));
    QCOMPARE(m_width->toolTip(), plainTip);
}

void TestFormFields::firstInvalidInputSkipsDisabledFields()
{
    typeInto(m_width, QStringLiteral("99999"));
    typeInto(m_rate, QStringLiteral("-1"));
    QCOMPARE(firstInvalidInput(m_form.get()), m_width); // in the order of the form
    // A disabled field's value is not used (σ of a scheme not chosen).
    m_width->setEnabled(false);
    QCOMPARE(firstInvalidInput(m_form.get()), m_rate);
    m_rate->setEnabled(false);
    QCOMPARE(firstInvalidInput(m_form.get()), nullptr);
}

void TestFormFields::rangeEndsAreNamed()
{
    QSpinBox* begin = makeSpin(0, 1000, 0, 1, QStringLiteral("trainBeginSpin"), QString());
    QSpinBox* end = makeSpin(1, 1000, 10, 1, QStringLiteral("trainEndSpin"), QString());
    auto* grid = static_cast<QGridLayout*>(m_form->layout());
    addGridField(grid, 2, 0, QStringLiteral("&Training images"), rangeWidget(begin, end));
    QCOMPARE(fieldName(begin), QStringLiteral("Training images (from)"));
    QCOMPARE(fieldName(end), QStringLiteral("Training images (to)"));
    QCOMPARE(fieldName(m_width), QStringLiteral("Width"));
    typeInto(end, QStringLiteral("5000"));
    QVERIFY(inputProblem(end).startsWith(QStringLiteral("Training images (to) must be a whole number")));
}

QTEST_MAIN(TestFormFields)
#include "tst_formfields.moc"
