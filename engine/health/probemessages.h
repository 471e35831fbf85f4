#pragma once

#include "core/message.h"

#include <QString>

namespace Shivx::ProbeMessages {

// Why a probe failed, and why a target is in its state, as Messages (core/message.h): one
// function per code, so that the HTTP and TCP probes say "connection refused" with the same
// code and the console words each code once (ui/widgets/enginewording.cpp). `detail` is text
// from the system or from curl, passed on as it came.

// Any probe
Message timedOut(qint64 timeoutMs);

// Connecting (http, tcp)
Message connectionRefused();
Message connectionTimedOut();
Message hostNotFound(const QString &host);
Message networkUnreachable(const QString &detail);
Message cannotConnect(const QString &detail);
Message closedByPeer();
Message incompleteResponse();
Message tlsFailed(const QString &detail);
Message noHostPort();

// http
Message notHttpUrl(const QString &url);
Message cannotStartTransfer();
Message noHttpResponse();
Message httpStatus(int status, int expected, const QString &redirectTo);
Message bodyMissing(const QString &needle, bool firstMiBOnly);

// prometheus: `detail` is ExpositionParser's "line N: what was wrong"
Message badExposition(const QString &detail);
Message scrapeTooLarge(qint64 maxBytes);

// process
Message pidFileUnreadable(const QString &file, const QString &detail);
Message pidFileWithoutPid(const QString &file);
Message pidNotRunning(qint64 pid, const QString &file);
Message noProcessNamed(const QString &name);
Message noProcessSpec();

// command
Message noCommand();
Message commandCannotStart(const QString &program, const QString &detail);
// `stderrLine` is the command's first line on stderr, or empty.
Message commandKilled(int signal, const QString &stderrLine);
Message commandExited(int code, const QString &stderrLine);

// The target's state machine (TargetStateMachine) and its monitor
Message probeFailed();
Message probeSucceeded(double latencyMs);
Message slow(double latencyMs, qint64 thresholdMs);
Message flapping(int changes, qint64 windowMs);
Message failureOf(const Message &error, int failure, int threshold);
Message consecutiveFailures(const Message &error, int failures);
// A breaker holds probes back; `lastError` is the last probe's error, or empty when the
// last probe succeeded (a breaker forced open).
Message circuitOpen(const Message &lastError);
// Set by the process supervisor while it holds a target's probes back.
Message startupGrace();
Message restartCommandGrace();
Message crashLoopPaused();

} // namespace Shivx::ProbeMessages
