#pragma once
// What linear algebra runs underneath LibTorch on this machine, and how fast it is.

#include <string>

namespace initlab {

struct BlasInfo {
    std::string library;       // "OpenBLAS 0.3.21 ..." or "reference BLAS (no OpenBLAS loaded)"
    std::string coreName;      // OpenBLAS kernels in use ("SkylakeX", "Prescott"), empty if unknown
    std::string coreTypeEnv;   // value of OPENBLAS_CORETYPE, empty when unset
    bool autoSelected = false; // InitLab chose the kernels (see selectFastBlasKernels)
    int torchThreads = 0;      // LibTorch intra-op threads
    int hardwareThreads = 0;
    std::string torchVersion;
    std::string cpuFeatures;   // "AVX2 AVX-512 AVX-512-BF16"
};
BlasInfo blasInfo();

// OpenBLAS 0.3.21 does not recognise recent AVX-512 CPUs and falls back to generic kernels, and it
// reads OPENBLAS_CORETYPE only when it is loaded. Call first thing in main(): when OpenBLAS runs
// kernels weaker than the CPU supports and the user has not chosen any (OPENBLAS_CORETYPE unset,
// INITLAB_BLAS_AUTO not 0), this sets OPENBLAS_CORETYPE and re-executes the program, so it does not
// return. Otherwise it returns and the program goes on as it is.
void selectFastBlasKernels(int argc, char** argv);

// Whether the CPU has bfloat16 arithmetic (AVX-512-BF16 or AMX-BF16), which oneDNN uses for bf16
// matrix products; elsewhere bf16 is emulated and slower than float32. Plain cpuid, no torch.
bool cpuHasBf16();

// The LibTorch threads a request of `requested` runs on: the request, except that 0 (all) and a
// request above the hardware threads give the hardware threads. Threads beyond the cores only take
// turns and wait for each other at every operation's barrier, which makes a run many times slower.
// hardware <= 0 means unknown, and then only 0 is replaced (by 1). The one place this rule lives:
// setTorchThreads, the run records and initlab-cli's warning all ask here.
int usableThreads(int requested, int hardware);
// usableThreads on this machine (std::thread::hardware_concurrency()).
int usableThreads(int requested);

// Sets LibTorch's intra-op threads to usableThreads(threads). Returns the count in effect.
int setTorchThreads(int threads);

// Measured throughput of float32 GEMM through LibTorch for an m x k by k x n product: the best
// repetition over the plain (mm) and transposed-operand (linear) layouts, about `seconds` in all.
// GFLOP/s. bf16: of bfloat16 operands (oneDNN).
double measureGemmGflops(int m, int k, int n, double seconds = 1.0, bool bf16 = false);

} // namespace initlab
