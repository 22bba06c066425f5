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
}

} // namespace initlab::ui
