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

// Experiment 3 (dropout); its header is included here so the declarations stay together.
#include "initlab/dropout.h"
Q_DECLARE_METATYPE(initlab::DropoutConfig)
Q_DECLARE_METATYPE(initlab::DropoutEpoch)
Q_DECLARE_METATYPE(initlab::DropoutRunResult)
Q_DECLARE_METATYPE(initlab::DropoutResult)

// Experiment 2 (circles lab).
#include "initlab/circles.h"
Q_DECLARE_METATYPE(initlab::CirclesConfig)
Q_DECLARE_METATYPE(initlab::HistoryBlock)
Q_DECLARE_METATYPE(initlab::BoundaryImage)
Q_DECLARE_METATYPE(initlab::CirclesResult)

namespace initlab::ui {

// Registers the types above by name; idempotent. Needed for string-based lookups such as
// QMetaObject::invokeMethod with Q_ARG and QSignalSpy.
void registerMetaTypes();

} // namespace initlab::ui
