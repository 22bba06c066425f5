#pragma once
// The one helper every test uses to compare floating-point numbers: an explicit relative tolerance.

#include <QString>
#include <QTest>
#include <cmath>

namespace initlab::test {

inline bool withinRelative(double actual, double expected, double relTol)
{
    if (!std::isfinite(actual) || !std::isfinite(expected))
        return false;
    return std::abs(actual - expected) <= relTol * std::abs(expected);
}

inline QByteArray describe(double actual, double expected, double relTol)
{
    return QStringLiteral("actual %1, expected %2 (relative tolerance %3, off by %4)")
        .arg(actual, 0, 'g', 10)
        .arg(expected, 0, 'g', 10)
        .arg(relTol)
        .arg(expected != 0 ? std::abs(actual - expected) / std::abs(expected) : std::abs(actual), 0, 'g', 3)
        .toUtf8();
}

} // namespace initlab::test

// Fails the test when actual is not within relTol (relative) of expected, saying by how much.
#define INITLAB_COMPARE_REL(actual, expected, relTol)                                                     \
    do {                                                                                                  \
        const double initlabActual_ = (actual);                                                          \
        const double initlabExpected_ = (expected);                                                      \
        QVERIFY2(initlab::test::withinRelative(initlabActual_, initlabExpected_, (relTol)),              \
                 initlab::test::describe(initlabActual_, initlabExpected_, (relTol)).constData());       \
    } while (false)
