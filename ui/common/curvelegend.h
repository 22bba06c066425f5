#pragma once
// The legend a tab's charts share (the deep tab's four, the circles lab's three). A curve has the
// same colour on every chart of the tab, so one legend with full names, wrapping onto more lines as
// needed, replaces one-row legends per chart that would cut the names short.


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
