#include "integrity/integritydifferencesmodel.h"

#include "widgets/displayformat.h"

#include <QLocale>

namespace Shivx::Ui {

IntegrityDifferencesModel::IntegrityDifferencesModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void IntegrityDifferencesModel::setDifferences(QList<IntegrityDifference> differences)
{
    beginResetModel();
    m_rows = std::move(differences);
    endResetModel();
}

QString IntegrityDifferencesModel::attributeName(quint32 attribute)
{
    switch (attribute) {
    case AttrContent:
        return tr("content");
    case AttrSize:
        return tr("size");
    case AttrMode:
        return tr("permissions");
    case AttrOwner:
        return tr("owner");
    case AttrGroup:
        return tr("group");
    case AttrInode:
        return tr("inode");
    case AttrMtime:
        return tr("modified time");
    case AttrCtime:
        return tr("change time");
    case AttrType:
        return tr("type");
    case AttrReadable:
        return tr("readable");
    }
    return QString();
}

QString IntegrityDifferencesModel::attributes(quint32 flags)
{
    QStringList words;
    for (quint32 bit = 1; bit <= AttrReadable; bit <<= 1)
        if (flags & bit)
            words << attributeName(bit);
    return words.join(tr(", "));
}

QString IntegrityDifferencesModel::kindName(IntegrityDifference::Kind kind)
{
    switch (kind) {
    case IntegrityDifference::Kind::Added:
        return tr("Added");
    case IntegrityDifference::Kind::Removed:
        return tr("Removed");
    case IntegrityDifference::Kind::Changed:
        return tr("Changed");
    }
    return QString();
}

QString IntegrityDifferencesModel::stateSummary(const FileState &s)
{
    if (s.path.isEmpty())
        return DisplayFormat::noValue();
    QStringList parts;
    if (!s.sha256.isEmpty())
        parts << tr("SHA-256 %1…").arg(QString::fromLatin1(s.sha256.toHex().left(12)));
    parts << QStringLiteral("%1").arg(s.mode & 07777, 4, 8, QLatin1Char('0'));
    parts << QStringLiteral("%1:%2").arg(s.uid).arg(s.gid);
    parts << DisplayFormat::bytes(quint64(s.size));
    if (!s.error.isEmpty())
        parts << tr("unreadable: %1").arg(s.error);
    return parts.join(QStringLiteral(", "));
}

int IntegrityDifferencesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int IntegrityDifferencesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IntegrityDifferencesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const IntegrityDifference &d = m_rows.at(index.row());
    if (role == PathRole)
        return d.path;
    if (role == Qt::ToolTipRole
        && (index.column() == BeforeColumn || index.column() == AfterColumn)) {
        const FileState &s = index.column() == BeforeColumn ? d.before : d.after;
        if (s.path.isEmpty())
            return {};
        return tr("SHA-256 %1\nSize %2 bytes, permissions %3, owner %4, group %5, inode %6\n"
                  "Modified %7, changed %8")
            .arg(QString::fromLatin1(s.sha256.toHex()), QLocale().toString(s.size),
                QStringLiteral("%1").arg(s.mode & 07777, 4, 8, QLatin1Char('0')))
            .arg(s.uid)
            .arg(s.gid)
            .arg(s.inode)
            .arg(DisplayFormat::dateTime(s.mtimeNs / 1'000'000),
                DisplayFormat::dateTime(s.ctimeNs / 1'000'000));
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case KindColumn:
        return kindName(d.kind);
    case PathColumn:
        return d.path;
    case SetColumn:
        return d.set;
    case AttributesColumn:
        return d.kind == IntegrityDifference::Kind::Changed ? attributes(d.changed) : QString();
    case BeforeColumn:
        return stateSummary(d.before);
    case AfterColumn:
        return stateSummary(d.after);
    }
    return {};
}

QVariant IntegrityDifferencesModel::headerData(
    int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case KindColumn:
        return tr("Change");
    case PathColumn:
        return tr("Path");
    case SetColumn:
        return tr("Set");
    case AttributesColumn:
        return tr("What changed");
    case BeforeColumn:
        return tr("In the baseline");
    case AfterColumn:
        return tr("Now");
    }
    return {};
}

void IntegrityDifferencesModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

} // namespace Shivx::Ui
