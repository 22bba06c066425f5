#pragma once
// Qt draws text only inside a QGuiApplication, and widgets only inside a QApplication. The CLI has
// neither; where it draws (the boundary PNGs, the report's figures) one lives for the duration, on
// the offscreen platform unless QT_QPA_PLATFORM says otherwise, so no display is needed. When an
// application object exists already, nothing is created.

#include <array>
#include <memory>

class QCoreApplication;

namespace initlab::cli {

class OffscreenApplication {
public:
    enum class Kind { Gui, Widgets };
    explicit OffscreenApplication(Kind kind);
    ~OffscreenApplication();
    OffscreenApplication(const OffscreenApplication&) = delete;
    OffscreenApplication& operator=(const OffscreenApplication&) = delete;

private:
    bool m_handlerInstalled = false;
    int m_argc = 1;
    char m_name[12] = "initlab-cli";
    std::array<char*, 2> m_argv{m_name, nullptr};
    std::unique_ptr<QCoreApplication> m_application;
};

} // namespace initlab::cli
