#pragma once

#include "degradation/featuremap.h"

#include <QAbstractTableModel>

namespace Shivx::Ui {

// The feature map as a table: one row per feature, one column per level, each cell saying
// whether the feature runs there and at what quality. The column of the level in effect is
// highlighted (bold, tinted, IsCurrentLevelRole true).
class FeatureMatrixModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Roles {
        IsCurrentLevelRole = Qt::UserRole + 1, // bool: the cell's column is the level in effect
        EnabledRole, // bool: the feature runs at the column's level
        QualityRole, // double 0-1
    };

    explicit FeatureMatrixModel(QObject *parent = nullptr);

    void setFeatureMap(const FeatureMap &map);
    // Re-highlights only the two columns that change.
    void setCurrentLevel(DegradationLevel level);
    DegradationLevel currentLevel() const { return m_current; }
    // Words headers and cells again after a language change.
    void retranslate();
    // The header of the level in effect ("Level 2 (now)"); views size columns by it.
    static QString currentLevelHeader(DegradationLevel level);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    FeatureMap m_map;
    DegradationLevel m_current = DegradationLevel::Normal;
};

} // namespace Shivx::Ui
