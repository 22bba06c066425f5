#include "initlab/mnist.h"

#include "initlab/idx.h"

#include <cstdlib>
#include <filesystem>
#include <numeric>

namespace initlab {
namespace {

namespace fs = std::filesystem;

// The file for a base name: the raw file if present, else the .gz one, else empty.
std::string locate(const std::string& folder, std::string_view base)
{
    std::error_code ec;
    const fs::path raw = fs::path(folder) / std::string(base);
    if (fs::is_regular_file(raw, ec))
        return raw.string();
    const fs::path gz = fs::path(folder) / (std::string(base) + ".gz");
    if (fs::is_regular_file(gz, ec))
        return gz.string();
    return {};
}

// Fashion-MNIST's clothes cover far more of the frame than MNIST's pen strokes: the mean training
// pixel is about 73 against 33. Both have 60000 + 10000 images of 28 x 28.
DatasetKind recognise(const MnistDataset& d)
{
    if (d.train.rows != 28 || d.train.cols != 28 || d.train.count != 60000 || d.test.count != 10000)
        return DatasetKind::Unknown;
    const double mean
        = std::accumulate(d.train.pixels.begin(), d.train.pixels.end(), 0.0) / double(d.train.pixels.size());
    if (mean > 20 && mean < 45)
        return DatasetKind::Mnist;
    if (mean > 55 && mean < 95)
        return DatasetKind::FashionMnist;
    return DatasetKind::Unknown;
}

std::vector<std::string> classNamesOf(DatasetKind kind)
{
    switch (kind) {
    case DatasetKind::Mnist:
        return {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    case DatasetKind::FashionMnist:
        return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    case DatasetKind::Unknown:
        break;
    }
    std::vector<std::string> names;
    for (int c = 0; c < kMnistClasses; ++c)
        names.push_back("class " + std::to_string(c));
    return names;
}

} // namespace

std::string_view displayName(DatasetKind kind)
{
    switch (kind) {
    case DatasetKind::Mnist:
        return "MNIST";
    case DatasetKind::FashionMnist:
        return "Fashion-MNIST";
    case DatasetKind::Unknown:
        break;
    }
    return "MNIST-format data";
}

bool loadImageSet(const std::string& imagesPath, const std::string& labelsPath, ImageSet& out, std::string& error)
{
    IdxArray images;
    IdxArray labels;
    if (!readIdxFile(imagesPath, images, error) || !readIdxFile(labelsPath, labels, error))
        return false;
    if (images.dims.size() != 3) {
        error = imagesPath + ": images need 3 dimensions (count, rows, columns), the file has "
            + std::to_string(images.dims.size());
        return false;
    }
    if (labels.dims.size() != 1) {
        error = labelsPath + ": labels need 1 dimension, the file has " + std::to_string(labels.dims.size());
        return false;
    }
    if (images.dims[0] != labels.dims[0]) {
        error = imagesPath + " holds " + std::to_string(images.dims[0]) + " images but " + labelsPath + " holds "
            + std::to_string(labels.dims[0]) + " labels";
        return false;
    }
    if (images.dims[1] > 1024 || images.dims[2] > 1024) {
        error = imagesPath + ": images of " + std::to_string(images.dims[1]) + " x " + std::to_string(images.dims[2])
            + " pixels are larger than InitLab supports (1024 x 1024)";
        return false;
    }
    for (std::size_t i = 0; i < labels.data.size(); ++i)
        if (labels.data[i] >= kMnistClasses) {
            error = labelsPath + ": label " + std::to_string(labels.data[i]) + " of item " + std::to_string(i)
                + " is not a class 0-" + std::to_string(kMnistClasses - 1);
            return false;
        }
    out.count = static_cast<int>(images.dims[0]);
    out.rows = static_cast<int>(images.dims[1]);
    out.cols = static_cast<int>(images.dims[2]);
    out.pixels = std::move(images.data);
    out.labels = std::move(labels.data);
    return true;
}

bool hasMnistFiles(const std::string& folder)
{
    for (std::string_view base : {kTrainImages, kTrainLabels, kTestImages, kTestLabels})
        if (locate(folder, base).empty())
            return false;
    return true;
}

bool loadMnistFolder(const std::string& folder, MnistDataset& out, std::string& error)
{
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        error = folder + ": no such folder";
        return false;
    }
    std::string paths[4];
    const std::string_view bases[4] = {kTrainImages, kTrainLabels, kTestImages, kTestLabels};
    for (int i = 0; i < 4; ++i) {
        paths[i] = locate(folder, bases[i]);
        if (paths[i].empty()) {
            error = folder + ": " + std::string(bases[i]) + " (or " + std::string(bases[i])
                + ".gz) is missing; a data folder needs the four MNIST-format files";
            return false;
        }
    }
    MnistDataset d;
    d.folder = folder;
    if (!loadImageSet(paths[0], paths[1], d.train, error) || !loadImageSet(paths[2], paths[3], d.test, error))
        return false;
    if (d.train.rows != d.test.rows || d.train.cols != d.test.cols) {
        error = folder + ": training images are " + std::to_string(d.train.rows) + " x " + std::to_string(d.train.cols)
            + " but test images are " + std::to_string(d.test.rows) + " x " + std::to_string(d.test.cols);
        return false;
    }
    d.kind = recognise(d);
    d.classNames = classNamesOf(d.kind);
    out = std::move(d);
    return true;
}

std::vector<std::string> dataFolderCandidates()
{
    std::vector<std::string> folders;
    if (const char* env = std::getenv("INITLAB_DATA"); env && *env)
        folders.emplace_back(env);
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        folders.push_back((fs::path(xdg) / "initlab" / "mnist").string());
    else if (const char* home = std::getenv("HOME"); home && *home)
        folders.push_back((fs::path(home) / ".local" / "share" / "initlab" / "mnist").string());
    folders.emplace_back("/usr/share/datasets/fashion-mnist");
    return folders;
}

std::string findDataFolder()
{
    for (const std::string& folder : dataFolderCandidates())
        if (hasMnistFiles(folder))
            return folder;
    return {};
}

} // namespace initlab
