#include "contour.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace initlab::ui {
namespace {

// The image's samples with their positions. Every crossing of the contour lies on a grid edge
// between two samples; an edge's key lets the segments of neighbouring squares share the crossing
// and be joined into polylines.
struct SampleGrid {
    const BoundaryImage& image;
    double level;
    int n = image.resolution;
    double dx = (image.xMax - image.xMin) / n;
    double dy = (image.yMax - image.yMin) / n;

    double value(int row, int col) const { return double(image.probability[std::size_t(row) * n + col]); }
    double centreX(int col) const { return image.xMin + (col + 0.5) * dx; }
    double centreY(int row) const { return image.yMin + (row + 0.5) * dy; }
    std::int64_t horizontalKey(int row, int col) const { return (std::int64_t(row) * n + col) * 2; }
    std::int64_t verticalKey(int row, int col) const { return (std::int64_t(row) * n + col) * 2 + 1; }
};

using Crossings = std::unordered_map<std::int64_t, QPointF>;

struct Segment {
    std::int64_t a, b; // the keys of the crossings it joins
};

// One square of four samples, its corners bottom-left, bottom-right, top-right, top-left.
struct Square {
    int row, col;
    std::array<double, 4> v;
};

// The crossing on an edge, interpolated between its two samples, made the first time it is asked for.
std::int64_t crossingOn(Crossings& crossings, double level, std::int64_t key, QPointF p0, double v0, QPointF p1,
                        double v1)
{
    if (crossings.find(key) == crossings.end()) {
        const double t = v1 == v0 ? 0.5 : std::clamp((level - v0) / (v1 - v0), 0.0, 1.0);
        crossings.emplace(key, p0 + t * (p1 - p0));
    }
    return key;
}

// The crossing on one edge of a square: 0 bottom, 1 right, 2 top, 3 left.
std::int64_t edgeCrossing(const SampleGrid& grid, const Square& s, int edge, Crossings& crossings)
{
    const double x0 = grid.centreX(s.col), x1 = grid.centreX(s.col + 1);
    const double y0 = grid.centreY(s.row), y1 = grid.centreY(s.row + 1);
    switch (edge) {
    case 0:
        return crossingOn(crossings, grid.level, grid.horizontalKey(s.row, s.col), {x0, y0}, s.v[0], {x1, y0}, s.v[1]);
    case 1:
        return crossingOn(crossings, grid.level, grid.verticalKey(s.row, s.col + 1), {x1, y0}, s.v[1], {x1, y1},
                          s.v[2]);
    case 2:
        return crossingOn(crossings, grid.level, grid.horizontalKey(s.row + 1, s.col), {x0, y1}, s.v[3], {x1, y1},
                          s.v[2]);
    default:
        return crossingOn(crossings, grid.level, grid.verticalKey(s.row, s.col), {x0, y0}, s.v[0], {x0, y1}, s.v[3]);
    }
}

// The pairs of edges the contour joins in a square whose corners at or above the level make code
// (bit k for corner k). A saddle (5 or 10) is resolved by whether the square's centre is inside.
QList<std::pair<int, int>> edgePairs(int code, bool centreInside)
{
    switch (code) {
    case 1:
    case 14:
        return {{3, 0}};
    case 2:
    case 13:
        return {{0, 1}};
    case 3:
    case 12:
        return {{3, 1}};
    case 4:
    case 11:
        return {{1, 2}};
    case 6:
    case 9:
        return {{0, 2}};
    case 7:
    case 8:
        return {{3, 2}};
    case 5: // bottom-left and top-right inside
        return centreInside ? QList<std::pair<int, int>>{{0, 1}, {2, 3}} : QList<std::pair<int, int>>{{3, 0}, {1, 2}};
    case 10: // bottom-right and top-left inside
        return centreInside ? QList<std::pair<int, int>>{{3, 0}, {1, 2}} : QList<std::pair<int, int>>{{0, 1}, {2, 3}};
    default:
        return {};
    }
}

void addSquareSegments(const SampleGrid& grid, const Square& square, Crossings& crossings,
                       std::vector<Segment>& segments)
{
    const std::array<double, 4>& v = square.v;
    if (std::any_of(v.begin(), v.end(), [](double x) { return std::isnan(x); }))
        return;
    int code = 0;
    for (int k = 0; k < 4; ++k)
        code |= (v[k] >= grid.level ? 1 : 0) << k;
    const bool centreInside = (v[0] + v[1] + v[2] + v[3]) / 4.0 >= grid.level;
    for (const auto& [from, to] : edgePairs(code, centreInside)) {
        const std::int64_t a = edgeCrossing(grid, square, from, crossings);
        const std::int64_t b = edgeCrossing(grid, square, to, crossings);
        segments.push_back({a, b});
    }
}

std::vector<Segment> marchSquares(const SampleGrid& grid, Crossings& crossings)
{
    std::vector<Segment> segments;
    for (int row = 0; row + 1 < grid.n; ++row)
        for (int col = 0; col + 1 < grid.n; ++col)
            addSquareSegments(grid, {row, col, {grid.value(row, col), grid.value(row, col + 1),
                                                grid.value(row + 1, col + 1), grid.value(row + 1, col)}},
                              crossings, segments);
    return segments;
}

// Joins segments that share a crossing into polylines: each crossing belongs to at most two.
class SegmentJoiner {
public:
    SegmentJoiner(const std::vector<Segment>& segments, const Crossings& crossings)
        : m_segments(segments)
        , m_crossings(crossings)
        , m_used(segments.size(), false)
    {
        for (int i = 0; i < int(segments.size()); ++i) {
            m_atCrossing[segments[i].a].push_back(i);
            m_atCrossing[segments[i].b].push_back(i);
        }
    }

    QList<QPolygonF> lines()
    {
        QList<QPolygonF> lines;
        for (int start : openEndsFirst())
            if (!m_used[start])
                lines.append(lineThrough(start));
        return lines;
    }

private:
    bool isOpenEnd(std::int64_t key) { return m_atCrossing[key].size() == 1; }

    // Open lines first (they start where a crossing has one segment), so they are walked end to
    // end; the rest are closed loops.
    std::vector<int> openEndsFirst()
    {
        std::vector<int> order(m_segments.size());
        for (int i = 0; i < int(m_segments.size()); ++i)
            order[i] = i;
        std::stable_partition(order.begin(), order.end(),
                              [&](int i) { return isOpenEnd(m_segments[i].a) || isOpenEnd(m_segments[i].b); });
        return order;
    }

    int nextFrom(std::int64_t key)
    {
        for (int s : m_atCrossing[key])
            if (!m_used[s])
                return s;
        return -1;
    }

    void walk(std::int64_t from, std::vector<std::int64_t>& chain)
    {
        for (int s = nextFrom(from); s >= 0; s = nextFrom(from)) {
            m_used[s] = true;
            from = m_segments[s].a == from ? m_segments[s].b : m_segments[s].a;
            chain.push_back(from);
        }
    }

    // The whole polyline that segment start belongs to.
    QPolygonF lineThrough(int start)
    {
        m_used[start] = true;
        std::int64_t head = m_segments[start].a, tail = m_segments[start].b;
        if (isOpenEnd(tail))
            std::swap(head, tail); // walk away from the open end
        std::vector<std::int64_t> forward{head, tail};
        walk(tail, forward);
        std::vector<std::int64_t> backward;
        walk(head, backward);
        QPolygonF line;
        line.reserve(qsizetype(forward.size() + backward.size()));
        for (auto it = backward.rbegin(); it != backward.rend(); ++it)
            line.append(m_crossings.at(*it));
        for (std::int64_t key : forward)
            line.append(m_crossings.at(key));
        return line;
    }

    const std::vector<Segment>& m_segments;
    const Crossings& m_crossings;
    std::unordered_map<std::int64_t, std::vector<int>> m_atCrossing;
    std::vector<bool> m_used;
};

} // namespace

QList<QPolygonF> contourLines(const BoundaryImage& image, double level)
{
    const int n = image.resolution;
    if (n < 2 || image.probability.size() != std::size_t(n) * n)
        return {};
    const SampleGrid grid{image, level};
    Crossings crossings;
    const std::vector<Segment> segments = marchSquares(grid, crossings);
    return SegmentJoiner(segments, crossings).lines();
}

} // namespace initlab::ui
