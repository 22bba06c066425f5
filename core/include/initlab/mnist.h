#pragma once
// MNIST-format data sets: the four IDX files of a folder, where to find them, and which data set
// they are (MNIST digits, Fashion-MNIST, or something else in the same format).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace initlab {

struct ImageSet {
    int count = 0;
    int rows = 0;
    int cols = 0;
    std::vector<std::uint8_t> pixels; // count * rows * cols, row-major
    std::vector<std::uint8_t> labels; // count, each < kMnistClasses
    int pixelsPerImage() const { return rows * cols; }
};

inline constexpr int kMnistClasses = 10;

enum class DatasetKind { Mnist, FashionMnist, Unknown };

struct MnistDataset {
    std::string folder;
    DatasetKind kind = DatasetKind::Unknown;
    std::vector<std::string> classNames; // kMnistClasses names
    ImageSet train;
    ImageSet test;
};

std::string_view displayName(DatasetKind kind); // "MNIST", "Fashion-MNIST", "MNIST-format data"

// The base names looked for; each may also end in .gz.
inline constexpr std::string_view kTrainImages = "train-images-idx3-ubyte";
inline constexpr std::string_view kTrainLabels = "train-labels-idx1-ubyte";
inline constexpr std::string_view kTestImages = "t10k-images-idx3-ubyte";
inline constexpr std::string_view kTestLabels = "t10k-labels-idx1-ubyte";

// Reads one images file and its labels file and checks they belong together.
bool loadImageSet(const std::string& imagesPath, const std::string& labelsPath, ImageSet& out, std::string& error);

// Loads the four files of a folder. Errors name the file and the problem.
bool loadMnistFolder(const std::string& folder, MnistDataset& out, std::string& error);

// Where InitLab looks for data, in order: $INITLAB_DATA, the user's data folder
// ($XDG_DATA_HOME or ~/.local/share, then initlab/mnist), and Debian's Fashion-MNIST package.
std::vector<std::string> dataFolderCandidates();
// The first candidate that holds all four files, or empty when none does.
std::string findDataFolder();
// Whether a folder holds the four files (raw or .gz).
bool hasMnistFiles(const std::string& folder);

} // namespace initlab
