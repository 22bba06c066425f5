#pragma once
// GalleryView is the Dropout tab's uncertainty gallery: the test images the MC-dropout ensemble is
// least sure about (highest entropy of its mean predictive distribution), as crisp enlarged
// thumbnails with the true and predicted class, the entropy and small bars of the mean probability
// of every class. The tiles flow into as many columns as the width allows; a tile's tooltip lists
// the probabilities by name.

#include "initlab/dropout.h"

#include <QImage>
#include <QScrollArea>
#include <QStringList>

#include <vector>

namespace initlab::ui {

class GalleryView : public QScrollArea
{
    Q_OBJECT

public:
    explicit GalleryView(QWidget* parent = nullptr);

    // rows x cols is the images' size; classNames has one name per class.
    void setImages(const std::vector<initlab::UncertainImage>& images, int rows, int cols,
                   const QStringList& classNames);
    void clear();
    // Shown while there are no images.
    void setPlaceholder(const QString& text);

    int thumbnailCount() const;
    // The enlarged image of thumbnail i, as drawn.
    QImage thumbnail(int i) const;
    QString thumbnailText(int i) const; // the tile's caption, one line per row
    QString thumbnailToolTip(int i) const;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    class Canvas;

    Canvas* m_canvas = nullptr;
};

} // namespace initlab::ui
