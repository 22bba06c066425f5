#pragma once
// EnsembleThrottle decides which passes of an MC-dropout sweep are reported: every listed ensemble
// size, the last pass, and otherwise at most one every 50 ms, so that a sweep of thousands of quick
// passes does not flood a window with updates. A training run's sweep and a checkpoint's
// evaluation report alike through it.

#include <algorithm>
#include <chrono>
#include <vector>

namespace initlab {

class EnsembleThrottle {
public:
    EnsembleThrottle(const std::vector<int>& listed, int lastPass)
        : m_listed(listed)
        , m_lastPass(lastPass)
    {
    }

    // True when the sweep should report these passes now.
    bool due(int passes)
    {
        const auto now = Clock::now();
        const bool listed = std::find(m_listed.begin(), m_listed.end(), passes) != m_listed.end();
        if (listed || passes == m_lastPass || now - m_lastReport > std::chrono::milliseconds(50)) {
            m_lastReport = now;
            return true;
        }
        return false;
    }

private:
    using Clock = std::chrono::steady_clock;

    std::vector<int> m_listed;
    int m_lastPass = 0;
    Clock::time_point m_lastReport = Clock::now();
};

} // namespace initlab
