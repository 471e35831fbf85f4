#include "widgets/tableexport.h"

#include <QAbstractItemModel>
#include <QDir>
#include <QSaveFile>

#include <algorithm>
#include <numeric>

namespace Shivx::Ui::TableExport {

namespace {

QString headerText(const QAbstractItemModel *model, int column)
{
    return model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
}

QString tsvField(const QString &cell)
{
    QString text = cell;
    for (QChar &c : text) {
        if (c == QLatin1Char('\t') || c == QLatin1Char('\n') || c == QLatin1Char('\r'))
            c = QLatin1Char(' ');
    }
    return text;
}

} // namespace

QString cellText(const QModelIndex &index)
{
    const QVariant exported = index.data(ExportRole);
    return exported.isValid() ? exported.toString() : index.data(Qt::DisplayRole).toString();
}

QString csvField(const QString &text)
{
    static const QString special = QStringLiteral(",\"\r\n");
    const bool needsQuotes
        = std::any_of(text.cbegin(), text.cend(), [](QChar c) { return special.contains(c); });
    if (!needsQuotes)
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

namespace {

// The header line, then `rows`, each field passed through `field` (the format's quoting).
QString joinLines(const QAbstractItemModel *model, const QList<int> &rows, const Columns &columns,
    QString (*field)(const QString &), QChar separator, QLatin1String lineEnd)
{
    QString out;
    QStringList fields;
    const auto endLine = [&] {
        out += fields.join(separator) + lineEnd;
        fields.clear();
    };
    if (columns.rowHeaders)
        fields << QString();
    for (int column : columns.columns)
        fields << field(headerText(model, column));
    endLine();
    for (int row : rows) {
        if (columns.rowHeaders)
            fields << field(model->headerData(row, Qt::Vertical, Qt::DisplayRole).toString());
        for (int column : columns.columns)
            fields << field(cellText(model->index(row, column)));
        endLine();
    }
    return out;
}

} // namespace

QString toTsv(const QAbstractItemModel *model, const QList<int> &rows, const Columns &columns)
{
    return joinLines(model, rows, columns, &tsvField, QLatin1Char('\t'), QLatin1String("\n"));
}

QString toCsv(const QAbstractItemModel *model, const Columns &columns)
{
    QList<int> rows(model->rowCount());
    std::iota(rows.begin(), rows.end(), 0);
    return joinLines(model, rows, columns, &csvField, QLatin1Char(','), QLatin1String("\r\n"));
}

Result<void> writeCsv(const QAbstractItemModel *model, const Columns &columns, const QString &path)
{
    const auto failed = [&path](const QString &reason) {
        return makeError("export.write_failed",
            QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), reason),
            { QDir::toNativeSeparators(path), reason });
    };
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return failed(file.errorString());
    const QByteArray bytes = toCsv(model, columns).toUtf8();
    if (file.write(bytes) != bytes.size() || !file.commit())
        return failed(file.errorString());
    return {};
}

} // namespace Shivx::Ui::TableExport
