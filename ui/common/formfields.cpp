#include "formfields.h"

#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>

#include <algorithm>
#include <cmath>

namespace initlab::ui {

QSpinBox* makeSpin(int minimum, int maximum, int value, int step, const QString& objectName, const QString& tip)
{
    auto* spin = new QSpinBox;
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
    auto* spin = new QDoubleSpinBox;
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

QString ScientificSpinBox::textFromValue(double value) const
{
    QString text = QString::number(value, 'g', 6);
    text.replace(QStringLiteral("e-0"), QStringLiteral("e-"));
    text.replace(QStringLiteral("e+0"), QStringLiteral("e"));
    text.replace(QStringLiteral("e+"), QStringLiteral("e"));
    return text;
}

double ScientificSpinBox::valueFromText(const QString& text) const
{
    return text.trimmed().toDouble();
}

QValidator::State ScientificSpinBox::validate(QString& text, int&) const
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

void ScientificSpinBox::stepBy(int steps)
{
    setValue(value() * std::pow(2.0, steps));
}

QLabel* fieldLabel(const QString& text, QWidget* field)
{
    auto* label = new QLabel(text);
    label->setBuddy(field);
    label->setToolTip(field->toolTip());
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
