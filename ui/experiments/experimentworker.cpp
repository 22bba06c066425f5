#include "experimentworker.h"

#include "metatypes.h"

namespace initlab::ui {

ExperimentWorker::ExperimentWorker(QObject* parent)
    : QObject(parent)
{
    registerMetaTypes();
}

void ExperimentWorker::requestCancel()
{
    m_cancel.store(true);
}

bool ExperimentWorker::isCancelRequested() const
{
    return m_cancel.load();
}

void ExperimentWorker::queue(std::function<void()> job)
{
    m_cancel.store(false);
    QMetaObject::invokeMethod(
        this,
        [this, job = std::move(job)] {
            m_lastProgress = -1.0;
            job();
        },
        Qt::QueuedConnection);
}

const CancelFlag& ExperimentWorker::cancelFlag() const
{
    return m_cancel;
}

void ExperimentWorker::reportProgress(double fraction)
{
    if (fraction >= 1.0 || fraction - m_lastProgress >= 0.001) {
        m_lastProgress = fraction;
        Q_EMIT progress(fraction);
    }
}

} // namespace initlab::ui
