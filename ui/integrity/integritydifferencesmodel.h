#pragma once

#include "integrity/integritysnapshot.h"

#include <QAbstractTableModel>

namespace Shivx::Ui {

// The differences of the last integrity check, one row each: the kind of change, the path,
// its set, the attributes that changed, and the recorded and current state. Cell text is
// built when data() asks; a new list replaces the old one whole (it changes once per check
// or real-time finding, never per second). Qt::UserRole on any cell gives the path.
class IntegrityDifferencesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        KindColumn,
        PathColumn,
        SetColumn,
        AttributesColumn,
        BeforeColumn,
        AfterColumn,
        ColumnCount
    };
    static constexpr int PathRole = Qt::UserRole;

    explicit IntegrityDifferencesModel(QObject *parent = nullptr);

    void setDifferences(QList<IntegrityDifference> differences);
    const QList<IntegrityDifference> &differences() const { return m_rows; }

    // The words of one attribute ("content" -> "Content"), and of a whole set of bits.
    static QString attributeName(quint32 attribute);
    static QString attributes(quint32 flags);
    static QString kindName(IntegrityDifference::Kind kind);
    // "sha256 1a2b3c4d…, 0644, 1000:100, 1.2 KiB" or a dash when the side does not exist.
    static QString stateSummary(const FileState &state);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Headers and cells again in the current language.
    void retranslate();

private:
    QList<IntegrityDifference> m_rows;
};

} // namespace Shivx::Ui
