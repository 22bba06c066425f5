#include "offscreenapplication.h"

#include <QApplication>
#include <QGuiApplication>
#include <QString>

#include <clocale>
#include <string>

namespace initlab::cli {
namespace {

// Qt's complaint that XDG_RUNTIME_DIR is unset (usual under sudo, cron, containers) concerns
// sockets and caches a PNG does not need; printed on every run it would read like a problem.
QtMessageHandler g_previousHandler = nullptr;

void quietRuntimeDirWarning(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (type == QtWarningMsg && message.startsWith(QLatin1String("QStandardPaths:")))
        return;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

OffscreenApplication::OffscreenApplication(Kind kind)
{
    if (QCoreApplication::instance())
        return;
    g_previousHandler = qInstallMessageHandler(quietRuntimeDirWarning);
    m_handlerInstalled = true;
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // QCoreApplication adopts the environment's locale (setlocale(LC_ALL, "")); the rest of the CLI
    // formats numbers with printf and must keep its "C" decimal point.
    const std::string locale = std::setlocale(LC_ALL, nullptr);
    if (kind == Kind::Widgets)
        m_application = std::make_unique<QApplication>(m_argc, m_argv.data());
    else
        m_application = std::make_unique<QGuiApplication>(m_argc, m_argv.data());
    std::setlocale(LC_ALL, locale.c_str());
}

OffscreenApplication::~OffscreenApplication()
{
    m_application.reset();
    if (m_handlerInstalled)
        qInstallMessageHandler(g_previousHandler);
}

} // namespace initlab::cli
