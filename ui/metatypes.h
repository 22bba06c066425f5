#pragma once
// Core's value types as Qt meta-types, so that queued signals from the worker thread can carry them
// to the GUI thread by copy.

#include "initlab/blas.h"
#include "initlab/deeppropagation.h"

#include <QMetaType>

Q_DECLARE_METATYPE(initlab::Combination)
Q_DECLARE_METATYPE(initlab::DeepConfig)
Q_DECLARE_METATYPE(initlab::ForwardLayerStats)
Q_DECLARE_METATYPE(initlab::BackwardLayerStats)
Q_DECLARE_METATYPE(initlab::CombinationResult)
Q_DECLARE_METATYPE(initlab::DeepResult)
Q_DECLARE_METATYPE(initlab::BlasInfo)

namespace initlab::ui {

// Registers the types above by name; idempotent. Needed for string-based lookups such as
// QMetaObject::invokeMethod with Q_ARG and QSignalSpy.
void registerMetaTypes();

} // namespace initlab::ui
