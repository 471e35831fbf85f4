#pragma once

#include <QList>
#include <QObject>

// Records the values of a signal emitted on another thread, delivered queued to the test's
// thread. QSignalSpy appends in the emitting thread while the test reads the list: a data
// race under TSan.
template <class T> class QueuedRecorder
{
public:
    template <class Sender, class Signal> QueuedRecorder(Sender *sender, Signal signal)
    {
        QObject::connect(
            sender, signal, &m_context, [this](const T &value) { values.append(value); },
            Qt::QueuedConnection);
    }

    bool isEmpty() const { return values.isEmpty(); }
    QList<T> values;

private:
    QObject m_context;
};
