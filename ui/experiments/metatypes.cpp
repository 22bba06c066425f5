#include "metatypes.h"

namespace initlab::ui {

void registerMetaTypes()
{
    qRegisterMetaType<initlab::Combination>("initlab::Combination");
    qRegisterMetaType<initlab::DeepConfig>("initlab::DeepConfig");
    qRegisterMetaType<initlab::ForwardLayerStats>("initlab::ForwardLayerStats");
    qRegisterMetaType<initlab::BackwardLayerStats>("initlab::BackwardLayerStats");
    qRegisterMetaType<initlab::CombinationResult>("initlab::CombinationResult");
    qRegisterMetaType<initlab::DeepResult>("initlab::DeepResult");
    qRegisterMetaType<initlab::BlasInfo>("initlab::BlasInfo");
    qRegisterMetaType<initlab::DropoutConfig>("initlab::DropoutConfig");
    qRegisterMetaType<initlab::DropoutEpoch>("initlab::DropoutEpoch");
    qRegisterMetaType<initlab::DropoutRunResult>("initlab::DropoutRunResult");
    qRegisterMetaType<initlab::DropoutResult>("initlab::DropoutResult");
    qRegisterMetaType<initlab::CirclesConfig>("initlab::CirclesConfig");
    qRegisterMetaType<initlab::HistoryBlock>("initlab::HistoryBlock");
    qRegisterMetaType<initlab::BoundaryImage>("initlab::BoundaryImage");
    qRegisterMetaType<std::vector<initlab::BoundaryImage>>("std::vector<initlab::BoundaryImage>");
    qRegisterMetaType<initlab::CirclesResult>("initlab::CirclesResult");
    qRegisterMetaType<std::shared_ptr<const initlab::CirclesResult>>("std::shared_ptr<const initlab::CirclesResult>");
}

} // namespace initlab::ui
