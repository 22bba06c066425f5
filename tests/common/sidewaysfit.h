#pragma once
// Every tab must be usable in a 1280 x 800 window without scrolling sideways. The window's
// menu, tab bar and status bar leave a panel about 1270 x 720 pixels; 700 keeps a margin for fonts a
// little taller than the test machine's. One check for every panel's test.

#include <QCoreApplication>
#include <QRect>
#include <QScrollArea>
#include <QScrollBar>
#include <QSize>
#include <QString>
#include <QWidget>

inline const QSize kPanelAt1280x800(1270, 700);

// Resizes panel to available and returns what does not fit, empty when everything does: the panel's
// minimum width, a scroll area showing a horizontal bar, or a widget ending beyond the right edge of
// the panel or of the scroll area it sits in (where it would be clipped).
inline QString sidewaysOverflow(QWidget* panel, const QSize& available = kPanelAt1280x800)
{
    if (panel->minimumSizeHint().width() > available.width())
        return QStringLiteral("the panel needs %1 pixels").arg(panel->minimumSizeHint().width());
    panel->resize(available);
    // One turn lays the panel out, the next its scroll areas' contents.
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    for (QScrollArea* scroll : panel->findChildren<QScrollArea*>())
        if (scroll->horizontalScrollBar()->isVisible())
            return QStringLiteral("%1 scrolls sideways").arg(scroll->objectName());
    for (QWidget* child : panel->findChildren<QWidget*>()) {
        if (!child->isVisible() || qobject_cast<QScrollBar*>(child))
            continue;
        QWidget* frame = panel;
        for (QWidget* parent = child->parentWidget(); parent && parent != panel; parent = parent->parentWidget())
            if (auto* scroll = qobject_cast<QScrollArea*>(parent); scroll && scroll->widget()->isAncestorOf(child)) {
                frame = scroll->viewport();
                break;
            }
        const QRect rect(child->mapTo(frame, QPoint(0, 0)), child->size());
        if (rect.right() > frame->rect().right())
            return QStringLiteral("%1 (%2) ends at x = %3")
                .arg(child->objectName(), QString::fromLatin1(child->metaObject()->className()))
                .arg(rect.right());
    }
    return {};
}
