#pragma once
// How long the GUI thread is kept from its event loop. A timer asks to run every few milliseconds;
// when anything blocks the thread (drawing, a slot doing heavy work, a wait), the next tick comes
// late by as much. The longest lateness is the longest time the window did not react to the user.
// `initlab --stall-log FILE` writes what a session measured; marks ("circles run started") put the
// stalls in context. On a busy machine a tick also comes late when the thread simply got no core:
// each stall therefore also records how much of it the thread spent working (its CPU time), and
// "busy" stalls, mostly work, are the window's own fault.

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

namespace initlab::ui {

class StallProbe : public QObject
{
    Q_OBJECT
public:
    struct Stall {
        double atSeconds = 0.0; // since start(), when the late tick came
        double ms = 0.0;        // how much later than asked
        double busyMs = 0.0;    // of the time since the previous tick, the thread's CPU time
    };

    // Stalls longer than recordMs are kept with their time; shorter ones only count.
    explicit StallProbe(int intervalMs = 5, double recordMs = 20.0, QObject* parent = nullptr);

    void start();
    // A note in the log at the current time ("export started").
    void mark(const QString& what);

    double longestMs() const { return m_longest.ms; }
    // The longest stall the thread spent mostly working in (busy over half of it).
    double longestBusyMs() const { return m_longestBusy.ms; }
    double longestAtSeconds() const { return m_longest.atSeconds; }
    int stallsOver(double ms) const;
    qint64 ticks() const { return m_ticks; }
    const QList<Stall>& stalls() const { return m_stalls; }

    // "longest stall 12.3 ms at 4.5 s; 0 over 50 ms; 1234 ticks in 10.0 s"
    QString summary() const;
    // The summary, then every mark and every recorded stall in time order.
    QString log() const;

private:
    void tick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    int m_intervalMs;
    double m_recordMs;
    qint64 m_lastNs = 0;
    qint64 m_lastCpuNs = 0;
    qint64 m_ticks = 0;
    Stall m_longest;
    Stall m_longestBusy;
    QList<Stall> m_stalls;
    QList<QPair<double, QString>> m_marks;
};

} // namespace initlab::ui
