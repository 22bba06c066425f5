#include "stallprobe.h"

#include <algorithm>
#include <ctime>

namespace initlab::ui {

namespace {

qint64 threadCpuNs()
{
    timespec t{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return qint64(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

} // namespace

StallProbe::StallProbe(int intervalMs, double recordMs, QObject* parent)
    : QObject(parent), m_intervalMs(intervalMs), m_recordMs(recordMs)
{
    // A precise timer: a coarse one may legitimately fire up to 5 % late, which is not a stall.
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(m_intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &StallProbe::tick);
}

void StallProbe::start()
{
    m_clock.start();
    m_lastNs = 0;
    m_lastCpuNs = threadCpuNs();
    m_ticks = 0;
    m_longest = {};
    m_longestBusy = {};
    m_stalls.clear();
    m_marks.clear();
    m_timer.start();
}

void StallProbe::mark(const QString& what)
{
    if (m_clock.isValid())
        m_marks.append({double(m_clock.nsecsElapsed()) * 1e-9, what});
}

void StallProbe::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    const qint64 cpu = threadCpuNs();
    const double late = double(now - m_lastNs) * 1e-6 - m_intervalMs;
    const double busy = double(cpu - m_lastCpuNs) * 1e-6;
    m_lastNs = now;
    m_lastCpuNs = cpu;
    ++m_ticks;
    if (late <= 0.0)
        return;
    const Stall stall{double(now) * 1e-9, late, busy};
    if (late > m_longest.ms)
        m_longest = stall;
    if (busy > 0.5 * late && late > m_longestBusy.ms)
        m_longestBusy = stall;
    if (late > m_recordMs)
        m_stalls.append(stall);
}

int StallProbe::stallsOver(double ms) const
{
    return int(std::count_if(m_stalls.begin(), m_stalls.end(), [ms](const Stall& s) { return s.ms > ms; }));
}

QString StallProbe::summary() const
{
    const double seconds = m_clock.isValid() ? double(m_clock.nsecsElapsed()) * 1e-9 : 0.0;
    return QStringLiteral("longest stall %1 ms at %2 s (busy %3 ms); longest busy stall %4 ms at %5 s; "
                          "%6 over 50 ms; %7 ticks of %8 ms in %9 s")
        .arg(m_longest.ms, 0, 'f', 1)
        .arg(m_longest.atSeconds, 0, 'f', 1)
        .arg(m_longest.busyMs, 0, 'f', 1)
        .arg(m_longestBusy.ms, 0, 'f', 1)
        .arg(m_longestBusy.atSeconds, 0, 'f', 1)
        .arg(stallsOver(50.0))
        .arg(m_ticks)
        .arg(m_intervalMs)
        .arg(seconds, 0, 'f', 1);
}

QString StallProbe::log() const
{
    QList<QPair<double, QString>> lines = m_marks;
    for (const Stall& stall : m_stalls)
        lines.append({stall.atSeconds,
                      QStringLiteral("stall %1 ms (busy %2 ms)").arg(stall.ms, 0, 'f', 1).arg(stall.busyMs, 0, 'f', 1)});
    std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    QString text = summary() + QLatin1Char('\n');
    for (const auto& [at, what] : lines)
        text += QStringLiteral("%1 s  %2\n").arg(at, 8, 'f', 3).arg(what);
    return text;
}

} // namespace initlab::ui
