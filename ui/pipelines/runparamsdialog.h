#pragma once

#include <QDialog>
#include <QMap>

class QDialogButtonBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace Shivx::Ui {

// Asks for a run's parameters before Run: one row per parameter (name, value), filled with
// the pipeline's defaults; rows can be added and removed. OK is refused, with the reason
// shown, for a row with a value but no name and for a name given twice; the engine refuses
// names the pipeline does not have (pipeline.unknown_param), worded on the page.
class RunParamsDialog : public QDialog
{
    Q_OBJECT
public:
    RunParamsDialog(
        const QString &pipeline, const QMap<QString, QString> &defaults, QWidget *parent = nullptr);

    // The rows with a name, as given.
    QMap<QString, QString> params() const;
    // Sets (or adds) the row of `name`; for tests and callers that prefill.
    void setParam(const QString &name, const QString &value);
    QTableWidget *table() const { return m_table; }

    void accept() override;

private:
    void addRow(const QString &name, const QString &value);
    QString problem() const;

    QTableWidget *m_table;
    QPushButton *m_add;
    QPushButton *m_remove;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace Shivx::Ui
