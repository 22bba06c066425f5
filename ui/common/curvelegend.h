#pragma once
// The legend the Deep tab's four charts share. A combination has the same colour on every chart,
// so one legend with full names, wrapping onto more lines as needed, replaces four one-row legends
// that would cut the names short.


#include <QColor>
#include <QLabel>
#include <QList>

namespace initlab::ui {

class CurveLegend : public QLabel
{
    Q_OBJECT

public:
    struct Entry {
        QString name;
        QColor color;
        Qt::PenStyle style = Qt::SolidLine; // solid, dashed or dotted
    };

    explicit CurveLegend(QWidget* parent = nullptr);

    void setEntries(const QList<Entry>& entries);
    QStringList names() const;

private:
    QList<Entry> m_entries;
};

} // namespace initlab::ui
