#pragma once
// A file-size limit for the test process (RLIMIT_FSIZE), the way to make writes fail when the tests
// run as root, which no file mode stops. While it is in place a write past the limit fails with EFBIG
// ("File too large") instead of raising SIGXFSZ, which would kill the test; the destructor puts back
// the limit and the signal's handler as they were.

#include <csignal>
#include <sys/resource.h>

namespace initlab::test {

class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        m_previousHandler = std::signal(SIGXFSZ, SIG_IGN);
        m_active = ::getrlimit(RLIMIT_FSIZE, &m_previous) == 0;
        if (m_active) {
            rlimit limited = m_previous;
            limited.rlim_cur = bytes;
            m_active = ::setrlimit(RLIMIT_FSIZE, &limited) == 0;
        }
    }
    ~FileSizeLimit()
    {
        if (m_active)
            ::setrlimit(RLIMIT_FSIZE, &m_previous);
        std::signal(SIGXFSZ, m_previousHandler);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

    bool active() const { return m_active; }

private:
    rlimit m_previous{};
    bool m_active = false;
    void (*m_previousHandler)(int) = SIG_DFL;
};

} // namespace initlab::test
