#include "initlab/blas.h"

#include <ATen/Parallel.h>
#include <torch/version.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <dlfcn.h>
#include <string_view>
#include <thread>
#include <unistd.h>

namespace initlab {
namespace {

// Set on the re-executed process so it neither loops nor forgets that InitLab chose the kernels.
constexpr const char* kReexecMarker = "INITLAB_BLAS_AUTOSELECTED";

// OpenBLAS is loaded through libblas.so.3 when Debian's alternatives point there; these symbols
// exist only then, so look them up at run time instead of linking OpenBLAS.
const char* openblasCoreName()
{
    using Fn = char* (*)();
    auto fn = reinterpret_cast<Fn>(::dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    return fn ? fn() : nullptr;
}

const char* openblasConfig()
{
    using Fn = char* (*)();
    auto fn = reinterpret_cast<Fn>(::dlsym(RTLD_DEFAULT, "openblas_get_config"));
    return fn ? fn() : nullptr;
}

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool hasAvx512()
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
}

bool hasAvx512Bf16()
{
    __builtin_cpu_init();
    return hasAvx512() && __builtin_cpu_supports("avx512bf16");
}

// The best OpenBLAS 0.3.21 kernel set this CPU can run, or empty when detection is already right.
std::string bestCoreType()
{
    if (hasAvx512Bf16())
        return "COOPERLAKE";
    if (hasAvx512())
        return "SKYLAKEX";
    return {};
}

} // namespace

BlasInfo blasInfo()
{
    BlasInfo info;
    const char* config = openblasConfig();
    const char* core = openblasCoreName();
    info.library = config ? std::string(config) : std::string("not OpenBLAS (reference BLAS or another library)");
    info.coreName = core ? std::string(core) : std::string();
    if (const char* env = std::getenv("OPENBLAS_CORETYPE"))
        info.coreTypeEnv = env;
    info.autoSelected = std::getenv(kReexecMarker) != nullptr && !info.coreTypeEnv.empty();
    info.torchThreads = at::get_num_threads();
    info.hardwareThreads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    info.torchVersion = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "."
        + std::to_string(TORCH_VERSION_PATCH);
    __builtin_cpu_init();
    std::string features;
    if (__builtin_cpu_supports("avx2"))
        features += "AVX2 ";
    if (__builtin_cpu_supports("fma"))
        features += "FMA ";
    if (hasAvx512())
        features += "AVX-512 ";
    if (hasAvx512Bf16())
        features += "AVX-512-BF16 ";
    if (!features.empty())
        features.pop_back();
    info.cpuFeatures = features.empty() ? std::string("baseline x86-64") : features;
    return info;
}

void selectFastBlasKernels(int argc, char** argv)
{
    (void)argc;
    if (std::getenv("OPENBLAS_CORETYPE") || std::getenv(kReexecMarker))
        return; // the user (or a previous pass of this function) has chosen
    if (const char* opt = std::getenv("INITLAB_BLAS_AUTO"); opt && std::string_view(opt) == "0")
        return;
    const char* core = openblasCoreName();
    if (!core)
        return;
    const std::string best = bestCoreType();
    if (best.empty() || lower(core) == lower(best))
        return;
    // OpenBLAS reads OPENBLAS_CORETYPE once, when it is loaded: the only way to switch kernels is
    // to start the program again with the variable set.
    ::setenv("OPENBLAS_CORETYPE", best.c_str(), 1);
    ::setenv(kReexecMarker, core, 1);
    ::execv("/proc/self/exe", argv);
    // exec failed: go on with the kernels we have, and say nothing was auto-selected.
    ::unsetenv("OPENBLAS_CORETYPE");
    ::unsetenv(kReexecMarker);
}

bool cpuHasBf16()
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512bf16") || __builtin_cpu_supports("amx-bf16");
}

int usableThreads(int requested, int hardware)
{
    if (hardware <= 0)
        return std::max(1, requested);
    return requested > 0 ? std::min(requested, hardware) : hardware;
}

int usableThreads(int requested)
{
    return usableThreads(requested, static_cast<int>(std::thread::hardware_concurrency()));
}

int setTorchThreads(int threads)
{
    const int count = usableThreads(threads);
    if (at::get_num_threads() != count)
        at::set_num_threads(count);
    return at::get_num_threads();
}

double measureGemmGflops(int m, int k, int n, double seconds, bool bf16)
{
    // The best of the layouts a program can ask for (A B with both plain, and A B^T as linear()
    // computes it): OpenBLAS's kernels differ by up to 20 % between them on one shape, and the rate
    // a run is compared with should be the best the machine offers.
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(12345);
    const at::ScalarType type = bf16 ? at::kBFloat16 : at::kFloat;
    const at::Tensor a = at::empty({m, k}, at::kFloat).normal_(0.0, 1.0, generator).to(type);
    const at::Tensor bPlain = at::empty({k, n}, at::kFloat).normal_(0.0, 1.0, generator).to(type);
    const at::Tensor bTransposed = bPlain.t().contiguous(); // n x k
    const double flops = 2.0 * m * k * n;
    double best = 0.0;
    using Clock = std::chrono::steady_clock;
    for (int layout = 0; layout < 2; ++layout) {
        const auto product = [&] { return layout == 0 ? at::mm(a, bPlain) : at::linear(a, bTransposed); };
        at::Tensor c = product(); // warm-up: thread pools, page faults
        const auto deadline = Clock::now() + std::chrono::duration<double>(seconds / 2);
        int repetitions = 0;
        do {
            const auto start = Clock::now();
            c = product();
            const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
            best = std::max(best, flops / std::max(elapsed, 1e-9) / 1e9);
            ++repetitions;
        } while (Clock::now() < deadline || repetitions < 3);
    }
    return best;
}

} // namespace initlab
