#pragma once
// The form fields the settings columns are built from, one copy each: spin boxes and line edits
// with their name and tooltip, a spin box for small positive numbers written as 3e-4, "label field"
// pairs in a grid (the label's tooltip that of its field, and its buddy, and the label's text the
// field's name), a "from – to" range, and the scrolled column the settings sit in.
//
// A field never shows a number the user did not type. What cannot be used — a number outside a
// spin box's range, a list with a word in it — stays as typed and is the field's input problem:
// the field is drawn in the error red with the problem on top of its tooltip, and a tab refuses to
// start while one of its fields has one, naming it (firstInvalidInput).

#include <QDoubleSpinBox>
#include <QSpinBox>
#include <QString>

#include <functional>
#include <type_traits>

QT_BEGIN_NAMESPACE
class QGridLayout;
class QLabel;
class QLineEdit;
class QScrollArea;
class QWidget;
QT_END_NAMESPACE

namespace initlab::ui {

// The spin boxes are CheckedSpinBoxes (below).
QSpinBox* makeSpin(int minimum, int maximum, int value, int step, const QString& objectName, const QString& tip);
QDoubleSpinBox* makeDoubleSpin(double minimum, double maximum, double value, int decimals, double step,
                               const QString& objectName, const QString& tip);
QLineEdit* makeEdit(const QString& text, const QString& objectName, const QString& tip);

// ---- fields that cannot be used ----

// What is wrong with what was typed into field, as a clause that names it ("Width must be a whole
// number from 1 to 4,096 (got 99999)"); empty clears it. CheckedSpinBox sets its own as it is typed
// in; checkAsTyped gives a line edit one.
void setInputProblem(QWidget* field, const QString& problem);
QString inputProblem(const QWidget* field);
// A problem of several fields together (two ranges that overlap), put on each of them by the form
// that found it, until it takes it off again; empty clears it. The field looks as with an input
// problem, which goes first when it has both.
void markField(QWidget* field, const QString& problem);
// The input problem, else the mark; empty when the field has neither.
QString fieldProblem(const QWidget* field);
// The first field in root, in the order the fields were added, with an input problem; null when
// there is none. Disabled fields are left out: what they hold is not used.
QWidget* firstInvalidInput(const QWidget* root);
// Gives edit the input problem problemOf returns for its text (empty when the text can be used),
// now and whenever the text changes.
void checkAsTyped(QLineEdit* edit, std::function<QString(const QString&)> problemOf);
// What messages call a field: the text of its label (fieldLabel), "The value" when it has none.
QString fieldName(const QWidget* field);

// The format of a spin box for small positive numbers such as learning rates: shows "0.0003" as
// "3e-4" rather than a row of zeros, and steps by doubling and halving, as one explores such a
// number. ScientificSpinBox is the field.
class ScientificFormat : public QDoubleSpinBox
{
public:
    using QDoubleSpinBox::QDoubleSpinBox;

    QString textFromValue(double value) const override;
    double valueFromText(const QString& text) const override;
    QValidator::State validate(QString& text, int& position) const override;
    void stepBy(int steps) override;
};

// A spin box that keeps what is typed into it. Qt's spin boxes drop a keystroke that would make the
// text a number out of range (the "-" of "-1" where the range starts at 0, a fifth digit where 4096
// is the largest), and when the field is left or Enter is pressed they put the last value back over
// text that is not acceptable: either way the field shows, and a run uses, a number that was not
// typed. Here text made of the characters numbers are written with stays as typed; when it is not
// a number in the range it is the field's input problem, and value() keeps the last number in the
// range the field held (typing 99999 passes 999 on the way), which a tab does not run with.
// Typing a number in the range, stepping, or setValue() clears it. Other characters (letters) are
// refused as they are typed, as Qt does.
template <class Spin>
class CheckedSpinBox : public Spin
{
public:
    using Number = std::conditional_t<std::is_same_v<Spin, QSpinBox>, qint64, double>;

    explicit CheckedSpinBox(QWidget* parent = nullptr);

    // setValue(), except that a value outside the range is shown as it is, and marked, as if it
    // had been typed, rather than clamped.
    void showValue(Number value);

    QValidator::State validate(QString& text, int& position) const override;
    void stepBy(int steps) override;

protected:
    bool event(QEvent* event) override;

private:
    void check(const QString& text);
    QString problemWith(const QString& text) const;
    QString numberText(Number value) const;
    void putBackKept();

    QString m_kept;         // the text that cannot be used, while m_keeping
    bool m_keeping = false;
    int m_eventDepth = 0;   // > 0 while the spin box handles an event
};

extern template class CheckedSpinBox<QSpinBox>;
extern template class CheckedSpinBox<QDoubleSpinBox>;
extern template class CheckedSpinBox<ScientificFormat>;

class ScientificSpinBox : public CheckedSpinBox<ScientificFormat>
{
public:
    ScientificSpinBox(double minimum, double maximum, double value, const QString& objectName, const QString& tip);
};

// Sets a spin box of makeSpin, makeDoubleSpin or a ScientificSpinBox to value as showValue() does:
// settings from an experiment file or a run record (whose limits, initlab-cli's, are wider than
// the fields') are never clamped to the field's range without a word.
void setFieldValue(QSpinBox* spin, qint64 value);
void setFieldValue(QDoubleSpinBox* spin, double value);

// A label for field, with field as its buddy and field's tooltip; the label's text (without its
// mnemonic) becomes the field's name, or for a rangeWidget its ends' ("Training images (from)").
QLabel* fieldLabel(const QString& text, QWidget* field);
// Adds a "label field" pair to a grid of such pairs side by side: the pair in `column` takes the
// grid's columns 2·column and 2·column + 1 (the field spanning `span` of them).
void addGridField(QGridLayout* grid, int row, int column, const QString& text, QWidget* field, int span = 1);
// "begin – end" on one line.
QWidget* rangeWidget(QWidget* begin, QWidget* end);

// The column of settings on the left of a tab, put in a vertical scroll area so that a window too
// short for all of it (1280 × 800) scrolls the settings instead of growing past the screen.
QScrollArea* scrollableColumn(QWidget* column, const QString& objectName);

} // namespace initlab::ui
