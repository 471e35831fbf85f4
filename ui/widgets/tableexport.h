#pragma once

#include "core/result.h"

#include <QList>
#include <QString>

class QAbstractItemModel;
class QModelIndex;

namespace Shivx::Ui::TableExport {

// Item-data role (QString) a cell is copied and exported as when its DisplayRole text is
// for the eye only: a relative age ("3 min ago") exports as its absolute UTC time. Cells
// without it export their DisplayRole text. Far above the models' own Qt::UserRole + n roles.
constexpr int ExportRole = Qt::UserRole + 0x4000;

// What `index` is copied and exported as: ExportRole if set, else DisplayRole.
QString cellText(const QModelIndex &index);

// One CSV field, RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled.
QString csvField(const QString &text);

// Which part of a model is written: `columns` in this order, and with `rowHeaders` a first
// column holding the vertical header (tables whose rows are named there, the feature matrix).
struct Columns
{
    QList<int> columns;
    bool rowHeaders = false;
};

// Tab-separated text of `rows` (in the order given) of `model`, the header line (the model's
// horizontal DisplayRole headers) first, lines ended by '\n'. Tabs and line breaks inside a
// cell become spaces: TSV has no quoting that spreadsheets agree on.
QString toTsv(const QAbstractItemModel *model, const QList<int> &rows, const Columns &columns);

// RFC 4180 CSV of every row of `model`, header line first, lines ended by CRLF.
QString toCsv(const QAbstractItemModel *model, const Columns &columns);

// Writes toCsv() as UTF-8 to `path` atomically (QSaveFile): a failed write leaves what was
// there before. The error ("export.write_failed", args: path, reason) names the file.
Result<void> writeCsv(const QAbstractItemModel *model, const Columns &columns, const QString &path);

} // namespace Shivx::Ui::TableExport
