#include "circlescomparisongrid.h"

#include "boundarycanvas.h"
#include "chartexport.h"
#include "common/formatting.h"
#include "common/palette.h"
#include "common/names.h"

#include <QGridLayout>
#include <QLabel>

#include <algorithm>

namespace initlab::ui {

CirclesComparisonGrid::CirclesComparisonGrid(QWidget* parent)
    : QWidget(parent)
    , m_layout(new QGridLayout(this))
{
    setObjectName(QStringLiteral("comparisonGrid"));
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(2);
}

void CirclesComparisonGrid::setSettings(const std::vector<InitScheme>& inits,
                                        const std::vector<Normalization>& normalizations, double scaledFactor,
                                        double normalStd)
{
    if (!m_cells.empty() && inits == m_inits && normalizations == m_normalizations && scaledFactor == m_scaledFactor
        && normalStd == m_normalStd) {
        // The same settings as shown: the cells are emptied rather than made anew (fifteen plots
        // built and shown cost the window a noticeable moment at the start of every run).
        for (BoundaryCanvas* cell : m_cells) {
            cell->clearImage();
            cell->setCaption(QString());
            cell->setSelected(false);
        }
        m_selectedRow = m_selectedColumn = -1;
        return;
    }
    m_scaledFactor = scaledFactor;
    m_normalStd = normalStd;
    for (QWidget* widget : m_cells)
        delete widget;
    for (QWidget* widget : m_rowHeaders)
        delete widget;
    for (QWidget* widget : m_columnHeaders)
        delete widget;
    m_cells.clear();
    m_rowHeaders.clear();
    m_columnHeaders.clear();
    m_inits = inits;
    m_normalizations = normalizations;
    m_selectedRow = m_selectedColumn = -1;

    for (std::size_t c = 0; c < normalizations.size(); ++c) {
        auto* header = new QLabel(normalizationTitle(normalizations[c], scaledFactor));
        header->setAlignment(Qt::AlignCenter);
        header->setWordWrap(true);
        header->setToolTip(toQString(description(normalizations[c])));
        m_layout->addWidget(header, 0, int(c) + 1);
        m_columnHeaders.push_back(header);
    }
    for (std::size_t r = 0; r < inits.size(); ++r) {
        const QString title = schemeTitle(inits[r], normalStd);
        // Wrapped at the first space: the column stays narrow and the cells get the width.
        QString wrapped = title.toHtmlEscaped();
        const qsizetype space = wrapped.indexOf(QLatin1Char(' '));
        if (space > 0)
            wrapped[space] = QLatin1Char('\n');
        auto* header = new QLabel;
        header->setTextFormat(Qt::RichText);
        header->setText(
            QStringLiteral("<span style=\"color:%1; font-weight:bold\">■</span> %2")
                .arg(schemeColor(inits[r]).name(), wrapped.replace(QLatin1Char('\n'), QStringLiteral("<br>"))));
        header->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        header->setToolTip(toQString(formula(inits[r])));
        m_layout->addWidget(header, int(r) + 1, 0);
        m_rowHeaders.push_back(header);
        for (std::size_t c = 0; c < normalizations.size(); ++c) {
            auto* canvas = new BoundaryCanvas(true);
            canvas->setObjectName(QStringLiteral("gridCell_%1_%2").arg(r).arg(c));
            canvas->setShowValidation(false);
            canvas->setShowTest(false);
            // Exported cells carry their setting as title and file name.
            canvas->setTitle(tr("%1 · %2").arg(normalizationTitle(normalizations[c], scaledFactor), title));
            chartexport::setExportName(canvas, QStringLiteral("circles_boundary_%1_%2")
                                                   .arg(toQString(initlab::name(normalizations[c])),
                                                        toQString(initlab::name(inits[r]))));
            canvas->setToolTip(tr("%1, %2 data.\nWhile training: the first seed's current boundary. Afterwards: the "
                                  "best seed's boundary with its best-validation weights.\nClick to show it on the big "
                                  "canvas and its curves on the charts.")
                                   .arg(title, normalizationTitle(normalizations[c], scaledFactor)));
            const int row = int(r), column = int(c);
            connect(canvas, &BoundaryCanvas::clicked, this, [this, row, column] { Q_EMIT cellClicked(row, column); });
            m_layout->addWidget(canvas, row + 1, column + 1);
            m_cells.push_back(canvas);
        }
    }
    for (int c = 1; c <= int(normalizations.size()); ++c)
        m_layout->setColumnStretch(c, 1);
    for (int r = 1; r <= int(inits.size()); ++r)
        m_layout->setRowStretch(r, 1);
}

int CirclesComparisonGrid::rowCount() const
{
    return int(m_inits.size());
}

int CirclesComparisonGrid::columnCount() const
{
    return int(m_normalizations.size());
}

InitScheme CirclesComparisonGrid::initOfRow(int row) const
{
    return m_inits.at(std::size_t(row));
}

Normalization CirclesComparisonGrid::normalizationOfColumn(int column) const
{
    return m_normalizations.at(std::size_t(column));
}

BoundaryCanvas* CirclesComparisonGrid::cell(int row, int column) const
{
    if (row < 0 || row >= rowCount() || column < 0 || column >= columnCount())
        return nullptr;
    return m_cells[std::size_t(row) * m_normalizations.size() + std::size_t(column)];
}

BoundaryCanvas* CirclesComparisonGrid::cellFor(Normalization normalization, InitScheme init) const
{
    const auto row = std::find(m_inits.begin(), m_inits.end(), init);
    const auto column = std::find(m_normalizations.begin(), m_normalizations.end(), normalization);
    if (row == m_inits.end() || column == m_normalizations.end())
        return nullptr;
    return cell(int(row - m_inits.begin()), int(column - m_normalizations.begin()));
}

int CirclesComparisonGrid::cellsWithImages() const
{
    return int(std::count_if(m_cells.begin(), m_cells.end(), [](const BoundaryCanvas* c) { return c->hasImage(); }));
}

void CirclesComparisonGrid::setSelected(int row, int column)
{
    m_selectedRow = row;
    m_selectedColumn = column;
    for (int r = 0; r < rowCount(); ++r)
        for (int c = 0; c < columnCount(); ++c)
            cell(r, c)->setSelected(r == row && c == column);
    for (int c = 0; c < columnCount(); ++c) {
        QFont font = m_columnHeaders[std::size_t(c)]->font();
        font.setBold(c == column);
        m_columnHeaders[std::size_t(c)]->setFont(font);
    }
}

int CirclesComparisonGrid::selectedRow() const
{
    return m_selectedRow;
}

int CirclesComparisonGrid::selectedColumn() const
{
    return m_selectedColumn;
}

} // namespace initlab::ui
