#pragma once
// How the window writes numbers for people: durations, percentages, counts and compact numbers for
// table cells. One copy of each, so the same quantity reads the same on every tab, dialog and report.

#include <QString>
#include <QtGlobal>

namespace initlab::ui {

// "42 s", "3 min 05 s", "1 h 02 min": a run's elapsed or remaining time.
QString durationText(double seconds);
// "0:42", "3:05", "1:02:03": a clock on the status bar.
QString clockText(qint64 milliseconds);
// "12.3 s", "1.5 min": a run time in a report's sentence.
QString runTimeText(double seconds);

// "99.4 %": a fraction as a percentage with its sign.
QString percentText(double fraction, int decimals = 1);
// "87.31": a fraction as a bare percentage, for a column headed "(%)".
QString percentNumber(double fraction, int decimals = 2);

// "1 model", "15 models": the tabs ship without translations, so tr()'s %n plural forms are not
// available and the English plural is made here.
QString countText(int n, const QString& singular, const QString& plural);

// Compact number for a table cell or a note: "0.81", "12", "3.2e-8", "0", "NaN".
QString compactNumber(double value);

} // namespace initlab::ui
