#pragma once
// Experiment files: an experiment's settings as JSON, saved from the GUI and read by the GUI and by
// `initlab-cli <experiment> --config FILE`. The schema is versioned; unknown keys are reported as
// warnings, and a wrong type or an out-of-range value is refused with the key's name.
//
//   { "initlab_experiment": 1, "experiment": "deep" | "circles" | "dropout", "settings": { ... } }

#include "initlab/circles.h"
#include "initlab/deeppropagation.h"
#include "initlab/dropout.h"

#include <string>
#include <vector>

namespace initlab {

inline constexpr int kExperimentFileVersion = 1;

enum class ExperimentKind { Deep, Circles, Dropout };
std::string_view name(ExperimentKind kind); // "deep", "circles", "dropout"

// Settings that belong to the GUI or CLI rather than to a runner's config.
struct CirclesExtras {
    double successThreshold = 0.95;
};
struct DropoutExtras {
    std::string dataFolder; // empty: search the default places
};

struct ExperimentFile {
    ExperimentKind kind = ExperimentKind::Deep;
    DeepConfig deep;
    CirclesConfig circles;
    CirclesExtras circlesExtras;
    DropoutConfig dropout;
    DropoutExtras dropoutExtras;
};

std::string experimentFileJson(const DeepConfig& config);
std::string experimentFileJson(const CirclesConfig& config, const CirclesExtras& extras = {});
std::string experimentFileJson(const DropoutConfig& config, const DropoutExtras& extras = {});

// Parses an experiment file. Keys that are absent keep the defaults of the config structs (no deep
// combinations, as for an empty list: the caller chooses, the report's seven). On failure
// returns false with error naming the key ("settings.depth: expected an integer, got \"ten\"");
// warnings lists unknown keys, which are ignored.
bool parseExperimentFile(const std::string& json, ExperimentFile& out, std::string& error,
                         std::vector<std::string>& warnings);

// Reads and parses a file; errors start with the path.
bool readExperimentFile(const std::string& path, ExperimentFile& out, std::string& error,
                        std::vector<std::string>& warnings);

} // namespace initlab
