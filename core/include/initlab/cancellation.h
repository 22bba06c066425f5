#pragma once
// The cancellation flag every runner polls. Control crosses threads through an atomic, never
// through a queued call, because a running loop blocks its own thread's event queue.

#include <atomic>

namespace initlab {

using CancelFlag = std::atomic<bool>;

} // namespace initlab
