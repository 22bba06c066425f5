#pragma once
// HelpDialog is the in-app guide: one page per experiment tab (what to try, what to look for, what
// the plots mean) and a page listing the keyboard shortcuts the window actually has. It is
// non-modal, so the guide can stay open next to the tab it explains.

#include <QDialog>
#include <QKeySequence>
#include <QList>
#include <QPair>

QT_BEGIN_NAMESPACE
class QTabWidget;
class QTextBrowser;
QT_END_NAMESPACE

namespace initlab::ui {

class HelpDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Page { Deep, Circles, Dropout, Shortcuts };
    using Shortcut = QPair<QString, QKeySequence>; // what it does, its keys

    explicit HelpDialog(QWidget* parent = nullptr);

    void showPage(Page page);
    Page currentPage() const;
    // Fills the shortcuts page (the window passes its actions, so the list is never out of date).
    void setShortcuts(const QList<Shortcut>& shortcuts);
    QTextBrowser* page(Page page) const;
    QTabWidget* pages() const;

    // The guide texts, HTML.
    static QString deepGuide();
    static QString circlesGuide();
    static QString dropoutGuide();

private:
    QTabWidget* m_pages = nullptr;
    QTextBrowser* m_browsers[4] = {};
};

} // namespace initlab::ui
