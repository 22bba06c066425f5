#pragma once
// The form fields the settings columns are built from, one copy each: spin boxes and line edits
// with their name and tooltip, a spin box for small positive numbers written as 3e-4, "label field"
// pairs in a grid (the label's tooltip that of its field, and its buddy), a "from – to" range, and
// the scrolled column the settings sit in.

#include <QDoubleSpinBox>
#include <QString>

QT_BEGIN_NAMESPACE
class QGridLayout;
class QLabel;
class QLineEdit;
class QScrollArea;
class QSpinBox;
class QWidget;
QT_END_NAMESPACE

namespace initlab::ui {

QSpinBox* makeSpin(int minimum, int maximum, int value, int step, const QString& objectName, const QString& tip);
QDoubleSpinBox* makeDoubleSpin(double minimum, double maximum, double value, int decimals, double step,
                               const QString& objectName, const QString& tip);
QLineEdit* makeEdit(const QString& text, const QString& objectName, const QString& tip);

// A spin box for small positive numbers such as learning rates: shows "0.0003" as "3e-4" rather
// than a row of zeros, and steps by doubling and halving, as one explores such a number.
class ScientificSpinBox : public QDoubleSpinBox
{
public:
    ScientificSpinBox(double minimum, double maximum, double value, const QString& objectName, const QString& tip);

    QString textFromValue(double value) const override;
    double valueFromText(const QString& text) const override;
    QValidator::State validate(QString& text, int& position) const override;
    void stepBy(int steps) override;
};

// A label for field, with field as its buddy and field's tooltip.
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
