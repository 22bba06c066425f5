#include "boundarypng.h"

#include "offscreenapplication.h"

#include "figures/boundarycanvas.h"
#include "figures/chartexport.h"
#include "figures/unitmapsfigure.h"

#include <QByteArray>
#include <QString>

namespace initlab::cli {
namespace {

// Half the report's resolution: a file per setting that opens quickly and still prints sharp at
// half the width.
const ui::PngSize kPngSize{16.0, 150};

bool isDrawable(const BoundaryImage& b)
{
    return b.resolution >= 2 && b.probability.size() == std::size_t(b.resolution) * b.resolution && b.xMax > b.xMin
        && b.yMax > b.yMin;
}

// The canvas breaks a caption onto more lines at its " · " separators only; the subtitle's parts
// ("2-6-3-2 ReLU, weights of epoch …: test accuracy …, 3 dead units") are too long for one line.
QString captionOf(const std::string& subtitle)
{
    return QString::fromStdString(subtitle)
        .replace(QStringLiteral(": "), QStringLiteral(" · "))
        .replace(QStringLiteral(", "), QStringLiteral(" · "));
}

// The plot as the window's decision-boundary canvas draws it, in its print look.
QByteArray renderPlot(const BoundaryPlot& plot)
{
    ui::BoundaryCanvas canvas(false);
    canvas.setTitle(QString::fromStdString(plot.title));
    canvas.setPoints(plot.train);
    canvas.setImage(plot.boundary);
    canvas.setCaption(captionOf(plot.subtitle));
    canvas.resize(640, 640);
    return ui::chartexport::renderPng(canvas, kPngSize);
}

} // namespace

bool renderBoundaryPngs(const std::vector<BoundaryPlot>& plots, std::vector<std::string>& pngs, std::string& error)
{
    pngs.clear();
    for (const BoundaryPlot& plot : plots) {
        if (!isDrawable(plot.boundary)) {
            error = "no decision boundary to draw for '" + plot.title + "'";
            return false;
        }
    }
    const OffscreenApplication application(OffscreenApplication::Kind::Widgets);
    for (const BoundaryPlot& plot : plots) {
        const QByteArray bytes = renderPlot(plot);
        if (bytes.isEmpty()) {
            error = "cannot encode the PNG of '" + plot.title + "' (Qt's PNG writer failed)";
            return false;
        }
        pngs.emplace_back(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    }
    return true;
}

bool renderUnitPngs(const std::vector<UnitsPlot>& plots, std::vector<std::string>& pngs, std::string& error)
{
    pngs.clear();
    const OffscreenApplication application(OffscreenApplication::Kind::Widgets);
    for (const UnitsPlot& plot : plots) {
        ui::UnitMapsFigure figure;
        figure.setData({plot.maps, plot.diedAt, QString::fromStdString(plot.title), QString::fromStdString(plot.subtitle)});
        const QByteArray bytes = ui::chartexport::renderPng(figure, kPngSize);
        if (bytes.isEmpty()) {
            error = "cannot encode the PNG of '" + plot.title + "' (Qt's PNG writer failed)";
            return false;
        }
        pngs.emplace_back(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    }
    return true;
}

} // namespace initlab::cli
