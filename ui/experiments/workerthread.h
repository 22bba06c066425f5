#pragma once
// WorkerThread owns a thread and a worker that lives on it: the worker is made, moved to the thread
// and the thread started in the constructor; stop() (and the destructor) asks a running job to
// cancel, ends the thread's event loop and waits for it, and the worker is deleted on its own thread
// as the thread finishes. The window keeps one per experiment tab; tests make their own the same way.

#include "experimentworker.h"

#include <QPointer>
#include <QString>
#include <QThread>

#include <climits>

namespace initlab::ui {

template <class Worker>
class WorkerThread
{
public:
    explicit WorkerThread(const QString& name = QString())
        : m_worker(new Worker)
    {
        if (!name.isEmpty())
            m_thread.setObjectName(name);
        m_worker->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_worker.data(), &QObject::deleteLater);
        m_thread.start();
    }
    ~WorkerThread() { stop(); }
    WorkerThread(const WorkerThread&) = delete;
    WorkerThread& operator=(const WorkerThread&) = delete;

    // Null once the thread has stopped.
    Worker* worker() const { return m_worker.data(); }
    QThread* thread() { return &m_thread; }

    // The running job polls the cancel flag, so quit() is seen soon after. False when the thread
    // did not end within timeoutMs.
    bool stop(unsigned long timeoutMs = ULONG_MAX)
    {
        if (!m_thread.isRunning())
            return true;
        if (m_worker)
            m_worker->requestCancel();
        m_thread.quit();
        return m_thread.wait(timeoutMs);
    }

private:
    QThread m_thread;
    QPointer<Worker> m_worker;
};

} // namespace initlab::ui
