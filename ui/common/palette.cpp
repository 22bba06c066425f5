#include "palette.h"

#include <QPainter>
#include <QPixmap>

#include <algorithm>
#include <array>

namespace initlab::ui {
namespace {

constexpr std::array<QRgb, kCategoricalColors> kTableau10{0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                                          0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};

bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

} // namespace

QColor categoricalColor(int index)
{
    const int n = int(kTableau10.size());
    return QColor(kTableau10[std::size_t(((index % n) + n) % n)]);
}

QColor schemeColor(InitScheme scheme)
{
    const auto& all = allInitSchemes();
    return categoricalColor(int(std::find(all.begin(), all.end(), scheme) - all.begin()));
}

QColor successColor()
{
    return QColor(0x22, 0x8b, 0x3a);
}

QColor failureColor()
{
    return QColor(0xd9, 0x3a, 0x4a);
}

QColor errorTextColor(const QPalette& palette)
{
    return isDark(palette) ? QColor(0xff, 0x70, 0x7c) : QColor(0xb0, 0x00, 0x20);
}

QString errorStyleSheet(const QPalette& palette)
{
    return QStringLiteral("color: %1; font-weight: bold;").arg(errorTextColor(palette).name());
}

QString errorSpanStyle(const QPalette& palette)
{
    return QStringLiteral("color:%1").arg(errorTextColor(palette).name());
}

QIcon swatchIcon(const QColor& color)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.fillRect(QRect(1, 1, 10, 10), color);
    return QIcon(pixmap);
}

} // namespace initlab::ui
