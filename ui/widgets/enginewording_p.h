#pragma once

// Shared by the files that word the engine's message codes (enginewording.cpp, the table, and
// drstepwording.cpp, the outcomes of DR plan steps).
#include "degradation/degradationlevel.h"
#include "health/target.h"
#include "widgets/displayformat.h"

#include <QHash>
#include <QVariantList>

#include <functional>

namespace Shivx::Ui::Internal {

using Wording = std::function<QString(const QVariantList &)>;

// "Up", "Down", ... for a target state code; the code itself when it is not one.
inline QString targetState(const QVariant &code)
{
    for (TargetState s :
        { TargetState::Unknown, TargetState::Up, TargetState::Degraded, TargetState::Down })
        if (toString(s) == code.toString())
            return DisplayFormat::targetState(s);
    return code.toString();
}

// "Level 2", ... for a degradation level code; the code itself when it is not one.
inline QString level(const QVariant &code)
{
    const auto l = parseDegradationLevel(code.toString());
    return l ? DisplayFormat::degradationLevel(*l) : code.toString();
}

// Adds the wordings of the `dr.*` codes (DR plan step outcomes) to `table`.
void addDrStepWordings(QHash<QString, Wording> &table);

} // namespace Shivx::Ui::Internal
