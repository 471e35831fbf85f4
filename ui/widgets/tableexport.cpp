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

QString tsvField(QString text)
{
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

// The rows of one table as fields, header line first; both formats quote the fields their way.
template <typename Emit>
void forEachLine(
    const QAbstractItemModel *model, const QList<int> &rows, const Columns &columns, Emit emitLine)
{
    QStringList fields;
    if (columns.rowHeaders)
        fields << QString();
    for (int column : columns.columns)
        fields << headerText(model, column);
    emitLine(fields);
    for (int row : rows) {
        fields.clear();
        if (columns.rowHeaders)
            fields << model->headerData(row, Qt::Vertical, Qt::DisplayRole).toString();
        for (int column : columns.columns)
            fields << cellText(model->index(row, column));
        emitLine(fields);
    }
}

} // namespace

QString toTsv(const QAbstractItemModel *model, const QList<int> &rows, const Columns &columns)
{
    QString out;
    forEachLine(model, rows, columns, [&out](QStringList fields) {
        for (QString &f : fields)
            f = tsvField(f);
        out += fields.join(QLatin1Char('\t')) + QLatin1Char('\n');
    });
    return out;
}

QString toCsv(const QAbstractItemModel *model, const Columns &columns)
{
    QList<int> rows(model->rowCount());
    std::iota(rows.begin(), rows.end(), 0);
    QString out;
    forEachLine(model, rows, columns, [&out](QStringList fields) {
        for (QString &f : fields)
            f = csvField(f);
        out += fields.join(QLatin1Char(',')) + QLatin1String("\r\n");
    });
    return out;
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
