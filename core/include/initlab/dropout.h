#pragma once
// Experiment 3: dropout and MC-dropout ensembles on MNIST-format data. A 784-800-800-10 ReLU net
// with Dropout(p) before each Linear trains with AdamW at batch 8, once per p; its best-validation
// weights are kept; then one sweep of T_max dropout-on passes over the test set gives the accuracy of
// every ensemble size T <= T_max from running averages, beside a single dropout-off pass.

#include "initlab/cancellation.h"
#include "initlab/initscheme.h"
#include "initlab/mnist.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace initlab {

struct DropoutConfig {
    std::vector<double> ps{0.0, 0.2, 0.5};
    InitScheme init = InitScheme::Normal;
    double normalStd = 0.1; // the report's code: standard deviation 0.1
    std::vector<int> hidden{800, 800};
    double learningRate = 3e-4;
    double weightDecay = 0.01;
    int batch = 8;
    int epochs = 10;
    std::uint64_t seed = 0;
    // Splits: training and validation are ranges of the training file; the test set is the test file
    // (its first testLimit images; 0 = all).
    int trainBegin = 0, trainEnd = 5000;
    int validationBegin = 5000, validationEnd = 15000;
    int testLimit = 0;
    // Ensembles: one sweep of max(ensembleSizes) passes; confusion matrices for each listed T.
    std::vector<int> ensembleSizes{5, 50, 500, 1000};
    bool averageProbabilities = true; // false: average logits (what the report did)
    bool bf16Inference = false;       // MC passes in bfloat16 (oneDNN), where the CPU supports it
    int galleryCount = 24;            // test images with the highest predictive entropy
    std::string runFolder;            // best checkpoints are written here; empty = nowhere
    int threads = 0;                  // 0 = all cores
};

std::string validate(const DropoutConfig& config, const MnistDataset& data);

struct DropoutEpoch {
    int run = 0; // index into DropoutConfig::ps
    int epoch = 0;
    double trainLoss = 0, trainAcc = 0, valLoss = 0, valAcc = 0;
    double seconds = 0; // wall time of the epoch's training steps
};

// Test images the ensemble is least sure about.
struct UncertainImage {
    int testIndex = 0;
    int label = 0;
    int predicted = 0;
    double entropy = 0.0;                 // of the mean predictive distribution, in nats
    std::vector<float> meanProbability;   // per class
    std::vector<std::uint8_t> pixels;     // rows * cols
};

struct ConfusionMatrix {
    int passes = 0; // 0 = one pass with dropout off
    std::vector<int> counts; // classes x classes, row = true class, column = predicted
};

struct DropoutRunResult {
    double p = 0.0;
    std::vector<DropoutEpoch> history;
    int bestEpoch = 0;
    double bestValAcc = 0.0;
    std::string checkpointPath;
    int divergedEpoch = 0;   // 0 = never
    std::string message;     // why the run stopped early, if it did
    double singlePassAcc = 0.0;          // dropout off (weight scaling)
    std::vector<double> ensembleAcc;     // ensembleAcc[T - 1]: accuracy of the mean of the first T passes
    std::vector<ConfusionMatrix> confusion; // single pass, then each of ensembleSizes
    std::vector<UncertainImage> gallery;
    double ensembleSeconds = 0.0;
    double ensembleFlops = 0.0;
    double stepsPerSecond = 0.0;
};

struct DropoutResult {
    DatasetKind kind = DatasetKind::Unknown;
    std::vector<std::string> classNames;
    int rows = 28, cols = 28;
    bool averageProbabilities = true;
    std::vector<DropoutRunResult> runs;
    bool cancelled = false;
    std::string error;
};

class DropoutSink {
public:
    virtual ~DropoutSink() = default;
    virtual void onEpoch(const DropoutEpoch& epoch) {}
    // The running ensemble accuracy of run `run` after `passes` passes.
    virtual void onEnsemble(int run, int passes, double accuracy) {}
    virtual void onRunFinished(int run, const DropoutRunResult& result) {}
    virtual void onMessage(const std::string& message) {}
    virtual void onProgress(double fraction) {}
};

// Trains and scores every p of the config in turn. With a run folder, each p's best weights are
// written there whenever they improve; a write that fails (a full disk, a file-size limit) ends the
// run with error naming the file and the system's reason, keeping the runs done so far.
DropoutResult runDropout(const DropoutConfig& config, const MnistDataset& data, DropoutSink* sink,
                         const CancelFlag& cancel);

// Best-validation weights on disk: a small self-describing binary file (best-p<p>.ckpt). Format 2
// (see dropoutcheckpoint.cpp) holds a version number, the file's size, the name of the InitLab that
// wrote it, p, the best epoch, the layer sizes and the weights, and ends with a CRC-32 of all of it;
// format 1, without version or checksum, is still read.
struct DropoutCheckpoint {
    double p = 0.0;
    int epoch = 0;
    std::vector<int> sizes;       // 784, 800, 800, 10
    std::vector<float> parameters; // per layer: weight (out x in, row-major), then bias
};
// Writes format 2 through writeFileAtomically. Empty = ok, else the file and the system's reason.
std::string writeCheckpoint(const std::string& path, const DropoutCheckpoint& checkpoint);
// Reads a checkpoint of format 1 or 2. Before anything in a format-2 file is believed its checksum
// is checked (a mismatch: "checksum mismatch: the file is damaged"); a format newer than 2 is refused
// with its version named. Then every field: the dropout probability p (finite, in [0, 1)), the epoch
// (at least 1), the layer sizes and the parameter count they imply. False with an error that names
// the file and the fault.
bool readCheckpoint(const std::string& path, DropoutCheckpoint& out, std::string& error);

// Standard MC-dropout predictions of a checkpoint, for checks and for re-evaluating a saved run.
struct EnsembleEvaluation {
    double singlePassAcc = 0.0;
    std::vector<double> ensembleAcc; // per T = 1..passes
};
// onPass(passes, accuracy) is called after every pass; a set cancel flag stops after the current
// pass and returns the passes done. passes = 0 evaluates only the single dropout-off pass.
EnsembleEvaluation evaluateEnsemble(const DropoutCheckpoint& checkpoint, const ImageSet& test, int passes,
                                    bool averageProbabilities, std::uint64_t seed, bool bf16 = false,
                                    const CancelFlag* cancel = nullptr,
                                    const std::function<void(int, double)>& onPass = {});

// How evaluateCheckpoint reaches its caller. Besides what DropoutSink reports of a run (onEnsemble
// for run 0, throttled as a training run's sweep is; onProgress; onRunFinished once the sweep is
// done), it asks for the data and says when the sweep begins.
class CheckpointEvaluationSink : public DropoutSink {
public:
    // The data whose test images score the checkpoint. Asked for only once the file has passed its
    // checks, so that a bad file is named without reading tens of MB of images first. Null, with
    // error set to the reason, when the data cannot be had.
    virtual const MnistDataset* testData(std::string& error) = 0;
    // The checkpoint fits the data and the passes begin. shown is the evaluation as a run of the one
    // p it was trained with: ps = {checkpoint.p}, hidden from the file, testLimit = the images
    // scored.
    virtual void onBegin(const DropoutConfig& shown, const DropoutCheckpoint& checkpoint) {}
};

// Re-tests a saved best checkpoint without training. Reads the file (readCheckpoint checks its
// header), checks that the net takes the test images' pixels and gives the 10 classes, then makes
// one dropout-off pass and one sweep of max(config.ensembleSizes) MC-dropout passes over the first
// config.testLimit test images (0 = all), with the config's seed, averaging, bf16 and threads: with
// the settings of the run that wrote the checkpoint, the accuracies that run reported, to the bit.
// The result holds that one run (p and bestEpoch from the file) unless an error came first; every
// error names the file (or, when the data cannot be read, the data). A set cancel flag stops after
// the current pass, and the result is cancelled when passes are missing.
DropoutResult evaluateCheckpoint(const std::string& path, const DropoutConfig& config,
                                 CheckpointEvaluationSink& sink, const CancelFlag& cancel);

// FLOPs of one forward pass of a net with these layer sizes over n inputs.
double forwardFlops(const std::vector<int>& sizes, int n);
// Weights and biases of a net with these layer sizes.
std::int64_t parameterCount(const std::vector<int>& sizes);

} // namespace initlab
