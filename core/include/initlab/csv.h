#pragma once
// CSV output of the experiments (the column contracts the README lists) and atomic file writing.

#include "initlab/circles.h"
#include "initlab/deeppropagation.h"
#include "initlab/dropout.h"

#include <string>

namespace initlab {

// deep.csv: init,activation,layer,act_mean,act_std,grad_mean,grad_std,pre_grad_std,theory_std,
// saturated_frac,zero_frac
std::string deepCsv(const DeepResult& result);
// True when some layer of the result has a histogram (the run measured them).
bool hasHistograms(const DeepResult& result);
// deep_hist.csv: init,activation,layer,quantity,bin_low,bin_high,count - quantity "act" (the
// activations) or "pre_grad" (dL/dh); per layer and quantity the kHistogramBins bins in order, then
// three rows counting what lies outside them: "-inf,LOW", "HIGH,inf" and "nan,nan".
std::string deepHistogramCsv(const DeepResult& result);

// circles_history.csv: normalization,init,seed,epoch,train_loss,train_acc,val_loss,val_acc
// (epochs count from 1; a diverged model's rows end before the epoch it diverged).
std::string circlesHistoryCsv(const CirclesResult& result);
// circles_summary.csv: normalization,init,seed,best_epoch,best_val_acc,test_acc,dead_units,diverged_epoch
// (diverged_epoch 0 = never).
std::string circlesSummaryCsv(const CirclesResult& result);

// dropout_history.csv: p,epoch,train_loss,train_acc,val_loss,val_acc
std::string dropoutHistoryCsv(const DropoutResult& result);
// ensemble.csv: p,passes,test_acc,averaging - passes is "single" for one pass with dropout off, then
// each requested ensemble size; averaging is "probabilities" or "logits".
std::string ensembleCsv(const DropoutResult& result, const std::vector<int>& ensembleSizes);
// ensemble_curve.csv: p,passes,test_acc for every T = 1..T_max.
std::string ensembleCurveCsv(const DropoutResult& result);

// Numbers are written with enough digits to round-trip a double.
std::string formatNumber(double value);
// Floats are written with the digits of the float itself (0.6f is "0.6", not "0.6000000238418579").
std::string formatNumber(float value);

// Writes content to path through a temporary file in the same folder, flushed to disk (fsync) and
// renamed into place, so a failure never leaves a partial file and an old file stays whole until the
// new one is. Returns an empty string on success, else "cannot write PATH: " and the reason: the
// system's (strerror) for a failed create, write, fsync, close or rename ("No space left on device",
// "File too large"), or a missing folder.
std::string writeFileAtomically(const std::string& path, const std::string& content);

} // namespace initlab
