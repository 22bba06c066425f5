#pragma once
// The column of settings on the left of a tab, put in a vertical scroll area so that a window too
// short for all of it (1280 × 800) scrolls the settings instead of growing past the screen.

#include <QFrame>
#include <QScrollArea>
#include <QScrollBar>

#include <algorithm>

namespace initlab::ui {

inline QScrollArea* scrollableColumn(QWidget* column, const QString& objectName)
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
