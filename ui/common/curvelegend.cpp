#include "curvelegend.h"

namespace initlab::ui {
namespace {

// A short sample of the line, drawn with box-drawing characters in the curve's colour.
QString lineSample(Qt::PenStyle style)
{
    switch (style) {
    case Qt::DashLine:
        return QStringLiteral("╍╍╍");
    case Qt::DotLine:
        return QStringLiteral("┉┉┉");
    default:
        break;
    }
    return QStringLiteral("━━━");
}

} // namespace

CurveLegend::CurveLegend(QWidget* parent)
    : QLabel(parent)
{
    setObjectName(QStringLiteral("curveLegend"));
    setTextFormat(Qt::RichText);
    setWordWrap(true);
    setToolTip(tr("Each combination has the same colour on all four charts."));
    setEntries({});
}

void CurveLegend::setEntries(const QList<Entry>& entries)
{
    m_entries = entries;
    if (entries.isEmpty()) {
        setText(tr("<i>Run a combination to see its curves.</i>"));
        return;
    }
    QStringList parts;
    for (const Entry& entry : entries) {
        // Non-breaking spaces inside an entry, so lines wrap only between entries.
        QString name = entry.name.toHtmlEscaped();
        name.replace(QLatin1Char(' '), QStringLiteral("&nbsp;"));
        parts << QStringLiteral("<span style=\"color:%1; font-weight:bold\">%2</span>&nbsp;%3")
                     .arg(entry.color.name(), lineSample(entry.style), name);
    }
    setText(parts.join(QStringLiteral(" &nbsp;&nbsp; ")));
}

QStringList CurveLegend::names() const
{
    QStringList names;
    for (const Entry& entry : m_entries)
        names << entry.name;
    return names;
}

} // namespace initlab::ui
