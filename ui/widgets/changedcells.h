#pragma once

#include <QList>

namespace Shivx::Ui {

// For live tables that emit dataChanged for exactly the cells that changed: walks one row's
// columns and calls emitRange(first, last, roles) once per run of adjacent changed columns,
// with the union of their roles. Unchanged cells are not reported, so the view repaints only
// what changed (see TargetsModel, BreakersModel).
template <typename Differs, typename RolesFor, typename EmitRange>
void forEachChangedRun(int columnCount, Differs differs, RolesFor rolesFor, EmitRange emitRange)
{
    int column = 0;
    while (column < columnCount) {
        if (!differs(column)) {
            ++column;
            continue;
        }
        int last = column;
        QList<int> roles = rolesFor(column);
        while (last + 1 < columnCount && differs(last + 1)) {
            ++last;
            for (int role : rolesFor(last)) {
                if (!roles.contains(role))
                    roles.append(role);
            }
        }
        emitRange(column, last, roles);
        column = last + 1;
    }
}

} // namespace Shivx::Ui
