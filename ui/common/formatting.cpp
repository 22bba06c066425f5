#include "formatting.h"

#include <QObject>

#include <cmath>

namespace initlab::ui {

QString durationText(double seconds)
{
    const qint64 s = qint64(std::llround(std::max(0.0, seconds)));
    if (s < 60)
        return QObject::tr("%1 s").arg(s);
    if (s < 3600)
        return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QObject::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString clockText(qint64 milliseconds)
{
    const qint64 seconds = (std::max<qint64>(0, milliseconds) + 500) / 1000;
    if (seconds >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(seconds / 3600)
            .arg(seconds / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

QString runTimeText(double seconds)
{
    if (seconds < 90.0)
        return QString::number(seconds, 'f', 1) + QStringLiteral(" s");
    return QString::number(seconds / 60.0, 'f', 1) + QStringLiteral(" min");
}

QString percentText(double fraction, int decimals)
{
    return QStringLiteral("%1 %").arg(fraction * 100.0, 0, 'f', decimals);
}

QString percentNumber(double fraction, int decimals)
{
    return QString::number(100.0 * fraction, 'f', decimals);
}

QString countText(int n, const QString& singular, const QString& plural)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? singular : plural);
}

QString compactNumber(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    if (value == 0.0)
        return QStringLiteral("0");
    const double magnitude = std::abs(value);
    if (magnitude >= 99.5 && magnitude < 999.5)
        return QString::number(value, 'f', 0);
    if (magnitude >= 1e-2 && magnitude < 99.5)
        return QString::number(value, 'g', 2);
    // "3.2e-8" rather than "3.2e-08": table cells are narrow.
    QString text = QString::number(value, 'e', 1);
    text.replace(QStringLiteral("e+0"), QStringLiteral("e"));
    text.replace(QStringLiteral("e+"), QStringLiteral("e"));
    text.replace(QStringLiteral("e-0"), QStringLiteral("e-"));
    return text;
}

} // namespace initlab::ui
