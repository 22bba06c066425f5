#include "formfields.h"

#include "palette.h"

#include <QEvent>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QTextDocument>

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace initlab::ui {
namespace {

// Dynamic properties: a field's problems, the tooltip it had before one, the ends of a rangeWidget.
constexpr char kInputProblem[] = "initlabInputProblem";
constexpr char kProblemText[] = "initlabProblemText"; // the text the input problem was found in
constexpr char kMark[] = "initlabMark";
constexpr char kPlainToolTip[] = "initlabPlainToolTip";
constexpr char kRangeFrom[] = "initlabRangeFrom";
constexpr char kRangeTo[] = "initlabRangeTo";

// The field in the error red, with its problem on top of its tooltip; as it was without one.
void showProblem(QWidget* field)
{
    const QString problem = fieldProblem(field);
    const QVariant plain = field->property(kPlainToolTip);
    if (problem.isEmpty()) {
        if (plain.isValid()) {
            field->setToolTip(plain.toString());
            field->setProperty(kPlainToolTip, QVariant());
        }
        if (!field->styleSheet().isEmpty())
            field->setStyleSheet(QString());
        return;
    }
    const QString tip = plain.isValid() ? plain.toString() : field->toolTip();
    if (!plain.isValid())
        field->setProperty(kPlainToolTip, tip);
    QString sentence = problem;
    sentence[0] = sentence[0].toUpper();
    QString text = QStringLiteral("<p><b>%1.</b></p>").arg(sentence.toHtmlEscaped());
    if (!tip.isEmpty())
        text += Qt::mightBeRichText(tip) ? tip : QStringLiteral("<p>%1</p>").arg(tip.toHtmlEscaped());
    field->setToolTip(text);
    const QString style = errorStyleSheet(field->palette());
    if (field->styleSheet() != style)
        field->setStyleSheet(style);
}

// The characters numbers are written with, in the C locale and the field's: digits, signs, the
// decimal point and group separators, the exponent's e, spaces.
bool isNumberText(const QString& text, const QLocale& locale)
{
    const QString extra = locale.decimalPoint() + locale.groupSeparator() + locale.negativeSign()
        + locale.positiveSign() + locale.exponential();
    return std::all_of(text.begin(), text.end(), [&extra](QChar c) {
        return c.isDigit() || c.isSpace() || QStringLiteral("+-.,eE").contains(c) || extra.contains(c);
    });
}

// What a spin box or line edit shows; empty for other widgets.
QString textOf(const QWidget* field)
{
    if (const auto* spin = qobject_cast<const QAbstractSpinBox*>(field))
        return spin->text();
    if (const auto* edit = qobject_cast<const QLineEdit*>(field))
        return edit->text();
    return {};
}

template <class Spin>
QString numberPart(const Spin& spin, const QString& text)
{
    QString number = text;
    if (!spin.prefix().isEmpty() && number.startsWith(spin.prefix()))
        number.remove(0, spin.prefix().size());
    if (!spin.suffix().isEmpty() && number.endsWith(spin.suffix()))
        number.chop(spin.suffix().size());
    return number.trimmed();
}

} // namespace

QSpinBox* makeSpin(int minimum, int maximum, int value, int step, const QString& objectName, const QString& tip)
{
    auto* spin = new CheckedSpinBox<QSpinBox>;
    spin->setRange(minimum, maximum);
    spin->setValue(value);
    spin->setSingleStep(step);
    spin->setGroupSeparatorShown(true);
    spin->setObjectName(objectName);
    spin->setToolTip(tip);
    return spin;
}

QDoubleSpinBox* makeDoubleSpin(double minimum, double maximum, double value, int decimals, double step,
                               const QString& objectName, const QString& tip)
{
    auto* spin = new CheckedSpinBox<QDoubleSpinBox>;
    spin->setRange(minimum, maximum);
    spin->setDecimals(decimals);
    spin->setSingleStep(step);
    spin->setValue(value);
    spin->setObjectName(objectName);
    spin->setToolTip(tip);
    return spin;
}

QLineEdit* makeEdit(const QString& text, const QString& objectName, const QString& tip)
{
    auto* edit = new QLineEdit(text);
    edit->setObjectName(objectName);
    edit->setToolTip(tip);
    return edit;
}

void setInputProblem(QWidget* field, const QString& problem)
{
    field->setProperty(kProblemText, problem.isEmpty() ? QVariant() : QVariant(textOf(field)));
    if (field->property(kInputProblem).toString() == problem)
        return;
    field->setProperty(kInputProblem, problem.isEmpty() ? QVariant() : QVariant(problem));
    showProblem(field);
}

QString inputProblem(const QWidget* field)
{
    // A problem is about the text it was found in. A spin box's setValue() writes the value's text
    // with its line edit's signals blocked; the field sees that only at its next event.
    const QVariant text = field->property(kProblemText);
    if (text.isValid() && text.toString() != textOf(field))
        return {};
    return field->property(kInputProblem).toString();
}

void markField(QWidget* field, const QString& problem)
{
    if (field->property(kMark).toString() == problem)
        return;
    field->setProperty(kMark, problem.isEmpty() ? QVariant() : QVariant(problem));
    showProblem(field);
}

QString fieldProblem(const QWidget* field)
{
    const QString problem = inputProblem(field);
    return problem.isEmpty() ? field->property(kMark).toString() : problem;
}

QWidget* firstInvalidInput(const QWidget* root)
{
    const QList<QWidget*> fields = root->findChildren<QWidget*>();
    const auto found = std::find_if(fields.begin(), fields.end(), [root](const QWidget* field) {
        return !inputProblem(field).isEmpty() && field->isEnabledTo(root);
    });
    return found == fields.end() ? nullptr : *found;
}

void checkAsTyped(QLineEdit* edit, std::function<QString(const QString&)> problemOf)
{
    setInputProblem(edit, problemOf(edit->text()));
    QObject::connect(edit, &QLineEdit::textChanged, edit,
                     [edit, problemOf = std::move(problemOf)](const QString& text) {
                         setInputProblem(edit, problemOf(text));
                     });
}

QString fieldName(const QWidget* field)
{
    const QString name = field->accessibleName();
    return name.isEmpty() ? QObject::tr("The value") : name;
}

// ---- CheckedSpinBox ----

template <class Spin>
CheckedSpinBox<Spin>::CheckedSpinBox(QWidget* parent)
    : Spin(parent)
{
    // Edits are checked as they happen. The spin box writes its value's text with the line edit's
    // signals blocked: while it handles an event that is its correction of kept text (put back after
    // the event, in event()); from outside, setValue() above all, it replaces the kept text, seen
    // at once when the value changes and else at the next event.
    QObject::connect(this->lineEdit(), &QLineEdit::textEdited, this, [this](const QString& text) { check(text); });
    QObject::connect(this, &Spin::valueChanged, this, [this] {
        if (m_keeping && m_eventDepth == 0)
            check(this->lineEdit()->text());
    });
}

template <class Spin>
void CheckedSpinBox<Spin>::showValue(Number value)
{
    if (value >= this->minimum() && value <= this->maximum()) {
        this->setValue(static_cast<decltype(this->value())>(value));
        check(this->lineEdit()->text()); // the same value as kept writes no signal
        return;
    }
    const QString text = this->prefix() + numberText(value) + this->suffix();
    this->lineEdit()->setText(text);
    check(text);
}

template <class Spin>
QString CheckedSpinBox<Spin>::numberText(Number value) const
{
    if constexpr (std::is_same_v<Spin, QSpinBox>) {
        QString text = this->locale().toString(value);
        if (!this->isGroupSeparatorShown())
            text.remove(this->locale().groupSeparator());
        return text;
    } else if constexpr (std::is_same_v<Spin, QDoubleSpinBox>) {
        // The number, not its rounding to the field's decimals ("0", not "0.0000").
        return this->locale().toString(value, 'g', 12);
    } else {
        return this->textFromValue(value);
    }
}

template <class Spin>
QValidator::State CheckedSpinBox<Spin>::validate(QString& text, int& position) const
{
    const QValidator::State state = Spin::validate(text, position);
    // Intermediate text is kept in the line edit, Invalid text refused.
    if (state == QValidator::Invalid && isNumberText(numberPart(*this, text), this->locale()))
        return QValidator::Intermediate;
    return state;
}

template <class Spin>
void CheckedSpinBox<Spin>::stepBy(int steps)
{
    // Stepping asks for a number in the range: from the last one, as Qt steps.
    m_keeping = false;
    m_kept.clear();
    setInputProblem(this, QString());
    Spin::stepBy(steps);
}

template <class Spin>
bool CheckedSpinBox<Spin>::event(QEvent* event)
{
    if (event->type() == QEvent::DeferredDelete)
        return Spin::event(event);
    // Text written from outside since the last event (setValue() of the value kept): no longer
    // what was typed.
    if (m_keeping && m_eventDepth == 0 && this->lineEdit()->text() != m_kept)
        check(this->lineEdit()->text());
    ++m_eventDepth;
    const bool handled = Spin::event(event);
    --m_eventDepth;
    // Leaving the field, Enter, hiding and showing it write the value over text that is not
    // acceptable (QAbstractSpinBox's correction): what was typed goes back.
    if (m_keeping && m_eventDepth == 0 && this->lineEdit()->text() != m_kept)
        putBackKept();
    return handled;
}

template <class Spin>
void CheckedSpinBox<Spin>::check(const QString& text)
{
    const QString problem = problemWith(text);
    m_keeping = !problem.isEmpty();
    m_kept = m_keeping ? text : QString();
    setInputProblem(this, problem);
}

template <class Spin>
QString CheckedSpinBox<Spin>::problemWith(const QString& text) const
{
    if (!this->specialValueText().isEmpty() && text == this->specialValueText())
        return {};
    QString copy = text;
    int position = 0;
    if (validate(copy, position) == QValidator::Acceptable)
        return {};
    const QString number = numberPart(*this, text);
    QString lowest = numberText(this->minimum());
    if (!this->specialValueText().isEmpty())
        lowest += QStringLiteral(" (%1)").arg(this->specialValueText());
    const QString highest = numberText(this->maximum());
    QString needed;
    if constexpr (std::is_same_v<Spin, QSpinBox>) {
        needed = QObject::tr("a whole number from %1 to %2").arg(lowest, highest);
    } else {
        needed = QObject::tr("a number from %1 to %2").arg(lowest, highest);
        // A number in the range that is refused has more decimals than the field keeps.
        bool ok = false;
        double value = this->locale().toDouble(number, &ok);
        if (!ok)
            value = QLocale::c().toDouble(number, &ok);
        if (ok && value >= this->minimum() && value <= this->maximum())
            needed += this->decimals() == 1 ? QObject::tr(" with at most 1 decimal")
                                            : QObject::tr(" with at most %1 decimals").arg(this->decimals());
    }
    const QString got = number.isEmpty() ? QObject::tr("the field is empty") : QObject::tr("got %1").arg(number);
    return QObject::tr("%1 must be %2 (%3)").arg(fieldName(this), needed, got);
}

template <class Spin>
void CheckedSpinBox<Spin>::putBackKept()
{
    QLineEdit* edit = this->lineEdit();
    const bool allSelected = edit->hasSelectedText() && edit->selectedText() == edit->text();
    edit->setText(m_kept);
    if (allSelected)
        edit->selectAll();
}

template class CheckedSpinBox<QSpinBox>;
template class CheckedSpinBox<QDoubleSpinBox>;
template class CheckedSpinBox<ScientificFormat>;

void setFieldValue(QSpinBox* spin, qint64 value)
{
    if (auto* checked = dynamic_cast<CheckedSpinBox<QSpinBox>*>(spin))
        checked->showValue(value);
    else
        spin->setValue(int(std::clamp<qint64>(value, spin->minimum(), spin->maximum())));
}

void setFieldValue(QDoubleSpinBox* spin, double value)
{
    if (auto* checked = dynamic_cast<CheckedSpinBox<QDoubleSpinBox>*>(spin))
        checked->showValue(value);
    else if (auto* scientific = dynamic_cast<CheckedSpinBox<ScientificFormat>*>(spin))
        scientific->showValue(value);
    else
        spin->setValue(value);
}

// ---- ScientificSpinBox ----

ScientificSpinBox::ScientificSpinBox(double minimum, double maximum, double value, const QString& objectName,
                                     const QString& tip)
{
    setDecimals(12); // QDoubleSpinBox rounds values to its decimals
    setKeyboardTracking(false);
    setRange(minimum, maximum);
    setValue(value);
    setObjectName(objectName);
    setToolTip(tip);
}

QString ScientificFormat::textFromValue(double value) const
{
    QString text = QString::number(value, 'g', 6);
    text.replace(QStringLiteral("e-0"), QStringLiteral("e-"));
    text.replace(QStringLiteral("e+0"), QStringLiteral("e"));
    text.replace(QStringLiteral("e+"), QStringLiteral("e"));
    return text;
}

double ScientificFormat::valueFromText(const QString& text) const
{
    return text.trimmed().toDouble();
}

QValidator::State ScientificFormat::validate(QString& text, int&) const
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return QValidator::Intermediate;
    bool ok = false;
    const double value = trimmed.toDouble(&ok);
    if (!ok) {
        // "3e" or "3e-" on the way to "3e-4".
        static const QRegularExpression partial(QStringLiteral("^[0-9.]+(e[-+]?)?$"));
        return trimmed.contains(partial) ? QValidator::Intermediate : QValidator::Invalid;
    }
    return value >= minimum() && value <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
}

void ScientificFormat::stepBy(int steps)
{
    setValue(value() * std::pow(2.0, steps));
}

QLabel* fieldLabel(const QString& text, QWidget* field)
{
    auto* label = new QLabel(text);
    label->setBuddy(field);
    label->setToolTip(field->toolTip());
    // Also what screen readers call it.
    const QString name = QString(text).remove(QLatin1Char('&'));
    auto* from = qvariant_cast<QWidget*>(field->property(kRangeFrom));
    auto* to = qvariant_cast<QWidget*>(field->property(kRangeTo));
    if (from && to) {
        from->setAccessibleName(QObject::tr("%1 (from)").arg(name));
        to->setAccessibleName(QObject::tr("%1 (to)").arg(name));
    } else if (field->accessibleName().isEmpty()) {
        field->setAccessibleName(name);
    }
    return label;
}

void addGridField(QGridLayout* grid, int row, int column, const QString& text, QWidget* field, int span)
{
    grid->addWidget(fieldLabel(text, field), row, 2 * column);
    grid->addWidget(field, row, 2 * column + 1, 1, span);
}

QWidget* rangeWidget(QWidget* begin, QWidget* end)
{
    auto* widget = new QWidget;
    widget->setProperty(kRangeFrom, QVariant::fromValue(begin));
    widget->setProperty(kRangeTo, QVariant::fromValue(end));
    auto* layout = new QHBoxLayout(widget);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(begin, 1);
    layout->addWidget(new QLabel(QStringLiteral("–")));
    layout->addWidget(end, 1);
    return widget;
}

QScrollArea* scrollableColumn(QWidget* column, const QString& objectName)
{
    auto* scroll = new QScrollArea;
    scroll->setObjectName(objectName);
    scroll->setWidget(column);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // As wide as the column wants (the width it had without the scroll area), plus the bar.
    scroll->setFixedWidth(std::min(column->sizeHint().width(), column->maximumWidth())
                          + scroll->verticalScrollBar()->sizeHint().width());
    return scroll;
}

} // namespace initlab::ui
