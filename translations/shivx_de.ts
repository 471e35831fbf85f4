<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Shivx::Reports::DrReport</name>
    <message>
        <source>Pending</source>
        <translation>Ausstehend</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Übersprungen</translation>
    </message>
    <message>
        <source>Rolled back</source>
        <translation>Zurückgerollt</translation>
    </message>
    <message>
        <source>Aborted</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Stop target</source>
        <translation>Ziel stoppen</translation>
    </message>
    <message>
        <source>Start target</source>
        <translation>Ziel starten</translation>
    </message>
    <message>
        <source>Wait until healthy</source>
        <translation>Warten bis gesund</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <source>Verify restore</source>
        <translation>Wiederherstellung prüfen</translation>
    </message>
    <message>
        <source>Guardian mode</source>
        <translation>Guardian-Modus</translation>
    </message>
    <message>
        <source>Isolate source</source>
        <translation>Quelle isolieren</translation>
    </message>
    <message>
        <source>Release source</source>
        <translation>Quelle freigeben</translation>
    </message>
    <message>
        <source>Pin degradation</source>
        <translation>Degradierung festsetzen</translation>
    </message>
    <message>
        <source>Release degradation</source>
        <translation>Degradierung freigeben</translation>
    </message>
    <message>
        <source>Run command</source>
        <translation>Befehl ausführen</translation>
    </message>
    <message>
        <source>Notify</source>
        <translation>Benachrichtigen</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>Audit chain: actions dr.activated, dr.step_* and dr.finished with plan &quot;%1&quot; and run %2, actor %3</source>
        <translation>Audit-Kette: Aktionen dr.activated, dr.step_* und dr.finished mit Plan „%1“ und Lauf %2, Akteur %3</translation>
    </message>
    <message>
        <source>Disaster recovery report</source>
        <translation>Bericht zur Notfallwiederherstellung</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>dry run</source>
        <translation>Probelauf</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Activated by</source>
        <translation>Aktiviert von</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Measured recovery time</source>
        <translation>Gemessene Wiederherstellungszeit</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>Step logs</source>
        <translation>Protokolle der Schritte</translation>
    </message>
    <message>
        <source>Audit references</source>
        <translation>Audit-Verweise</translation>
    </message>
    <message>
        <source>Disaster recovery report: %1</source>
        <translation>Bericht zur Notfallwiederherstellung: %1</translation>
    </message>
    <message>
        <source>Interrupted (the engine stopped)</source>
        <translation>Unterbrochen (die Engine wurde beendet)</translation>
    </message>
</context>
<context>
    <name>Shivx::Reports::ReportFrame</name>
    <message>
        <source>Generated %1</source>
        <translation>Erstellt %1</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>Seite %1 von %2</translation>
    </message>
</context>
<context>
    <name>Shivx::Reports::VerifyWording</name>
    <message>
        <source>%1 bytes</source>
        <translation>%1 Bytes</translation>
    </message>
    <message>
        <source>Audit chain verification report</source>
        <translation>Prüfbericht der Audit-Kette</translation>
    </message>
    <message>
        <source>Verdict: %1</source>
        <translation>Ergebnis: %1</translation>
    </message>
    <message>
        <source>No problem</source>
        <translation>Kein Problem</translation>
    </message>
    <message>
        <source>Hash mismatch</source>
        <translation>Hash stimmt nicht</translation>
    </message>
    <message>
        <source>Broken link</source>
        <translation>Unterbrochene Verkettung</translation>
    </message>
    <message>
        <source>Missing entries</source>
        <translation>Fehlende Einträge</translation>
    </message>
    <message>
        <source>Repeated or reordered entry</source>
        <translation>Wiederholter oder umgestellter Eintrag</translation>
    </message>
    <message>
        <source>Unreadable entry</source>
        <translation>Unlesbarer Eintrag</translation>
    </message>
    <message>
        <source>Entry of another stream</source>
        <translation>Eintrag eines anderen Streams</translation>
    </message>
    <message>
        <source>Missing segment</source>
        <translation>Fehlendes Segment</translation>
    </message>
    <message>
        <source>Segment changed after sealing</source>
        <translation>Segment nach dem Versiegeln geändert</translation>
    </message>
    <message>
        <source>Corrupt compressed segment</source>
        <translation>Beschädigtes komprimiertes Segment</translation>
    </message>
    <message>
        <source>Truncated chain</source>
        <translation>Gekürzte Kette</translation>
    </message>
    <message>
        <source>Checkpoint mismatch</source>
        <translation>Checkpoint stimmt nicht</translation>
    </message>
    <message>
        <source>Invalid checkpoint signature</source>
        <translation>Ungültige Checkpoint-Signatur</translation>
    </message>
    <message>
        <source>Head file disagrees</source>
        <translation>Head-Datei widerspricht</translation>
    </message>
    <message>
        <source>Read error</source>
        <translation>Lesefehler</translation>
    </message>
    <message>
        <source>The entry&apos;s content no longer matches its hash: it was changed after it was written.</source>
        <translation>Der Inhalt des Eintrags passt nicht mehr zu seinem Hash: Er wurde nach dem Schreiben geändert.</translation>
    </message>
    <message>
        <source>The entry does not point to the hash of the entry before it: entries were removed, inserted or replaced.</source>
        <translation>Der Eintrag verweist nicht auf den Hash des vorigen Eintrags: Einträge wurden entfernt, eingefügt oder ersetzt.</translation>
    </message>
    <message>
        <source>Sequence numbers jump forward: entries are missing.</source>
        <translation>Die Sequenznummern springen vorwärts: Einträge fehlen.</translation>
    </message>
    <message>
        <source>A sequence number repeats or goes back: entries were duplicated or reordered.</source>
        <translation>Eine Sequenznummer wiederholt sich oder geht zurück: Einträge wurden verdoppelt oder umgestellt.</translation>
    </message>
    <message>
        <source>The line is not a well-formed audit entry.</source>
        <translation>Die Zeile ist kein wohlgeformter Audit-Eintrag.</translation>
    </message>
    <message>
        <source>The entry names a different stream: it was copied from elsewhere.</source>
        <translation>Der Eintrag nennt einen anderen Stream: Er wurde von anderswo kopiert.</translation>
    </message>
    <message>
        <source>A segment file is missing or segments do not continue each other.</source>
        <translation>Eine Segmentdatei fehlt, oder die Segmente schließen nicht aneinander an.</translation>
    </message>
    <message>
        <source>A sealed segment differs from the hash recorded when it was rotated.</source>
        <translation>Ein versiegeltes Segment weicht von dem Hash ab, der bei seiner Rotation festgehalten wurde.</translation>
    </message>
    <message>
        <source>A compressed segment is not a complete, valid zstd stream: it was damaged or cut short.</source>
        <translation>Ein komprimiertes Segment ist kein vollständiger, gültiger zstd-Strom: Es wurde beschädigt oder abgeschnitten.</translation>
    </message>
    <message>
        <source>The chain ends before an entry that a signed checkpoint vouches for: it was truncated or rolled back.</source>
        <translation>Die Kette endet vor einem Eintrag, für den ein signierter Checkpoint bürgt: Sie wurde gekürzt oder zurückgesetzt.</translation>
    </message>
    <message>
        <source>A signed checkpoint names a hash the chain does not have at that sequence number.</source>
        <translation>Ein signierter Checkpoint nennt einen Hash, den die Kette bei dieser Sequenznummer nicht hat.</translation>
    </message>
    <message>
        <source>A checkpoint&apos;s signature does not verify with the public key.</source>
        <translation>Die Signatur eines Checkpoints lässt sich mit dem öffentlichen Schlüssel nicht bestätigen.</translation>
    </message>
    <message>
        <source>The head file does not agree with the last entry of the chain.</source>
        <translation>Die Head-Datei stimmt nicht mit dem letzten Eintrag der Kette überein.</translation>
    </message>
    <message>
        <source>A file could not be read, so this part of the chain is unverified.</source>
        <translation>Eine Datei war nicht lesbar; dieser Teil der Kette ist daher ungeprüft.</translation>
    </message>
    <message>
        <source>Intact</source>
        <translation>Intakt</translation>
    </message>
    <message>
        <source>Tampered</source>
        <translation>Manipuliert</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>%1 line %2</source>
        <translation>%1 Zeile %2</translation>
    </message>
    <message>
        <source>(seq %1)</source>
        <translation>(Seq %1)</translation>
    </message>
    <message>
        <source>No tampering found. Entries verified: %1, in %2.</source>
        <translation>Keine Manipulation gefunden. Geprüfte Einträge: %1, in %2.</translation>
    </message>
    <message>
        <source>Tampering found.</source>
        <translation>Manipulation gefunden.</translation>
    </message>
    <message>
        <source>Tampering found in %1. First problem: %2 at %3.</source>
        <translation>Manipulation gefunden in %1. Erstes Problem: %2 bei %3.</translation>
    </message>
    <message>
        <source>Verification could not complete: %1</source>
        <translation>Die Prüfung konnte nicht abgeschlossen werden: %1</translation>
    </message>
    <message>
        <source>Stream “%1”</source>
        <translation>Stream „%1“</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Entries</source>
        <translation>Einträge</translation>
    </message>
    <message>
        <source>%1 (seq %2)</source>
        <translation>%1 (Seq %2)</translation>
    </message>
    <message>
        <source>First hash</source>
        <translation>Erster Hash</translation>
    </message>
    <message>
        <source>Last hash</source>
        <translation>Letzter Hash</translation>
    </message>
    <message>
        <source>Segments</source>
        <translation>Segmente</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Seq range</source>
        <translation>Seq-Bereich</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Stored</source>
        <translation>Gespeichert</translation>
    </message>
    <message>
        <source>zstd</source>
        <translation>zstd</translation>
    </message>
    <message>
        <source>plain</source>
        <translation>unkomprimiert</translation>
    </message>
    <message>
        <source>Signed checkpoints</source>
        <translation>Signierte Checkpoints</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>Keine.</translation>
    </message>
    <message>
        <source>Seq</source>
        <translation>Seq</translation>
    </message>
    <message>
        <source>Signed at (UTC)</source>
        <translation>Signiert am (UTC)</translation>
    </message>
    <message>
        <source>Hash</source>
        <translation>Hash</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Signatur</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>gültig</translation>
    </message>
    <message>
        <source>INVALID</source>
        <translation>UNGÜLTIG</translation>
    </message>
    <message>
        <source>Older checkpoints not listed: %1, all with valid signatures. The JSON report lists every checkpoint.</source>
        <translation>Ältere Checkpoints nicht aufgeführt: %1, alle mit gültiger Signatur. Der JSON-Bericht führt jeden Checkpoint auf.</translation>
    </message>
    <message>
        <source>ShivX Resilience Console · %1</source>
        <translation>ShivX Resilience Console · %1</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Verified by</source>
        <translation>Geprüft von</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source> (took %1)</source>
        <translation> (Dauer %1)</translation>
    </message>
    <message>
        <source>Data directory</source>
        <translation>Datenverzeichnis</translation>
    </message>
    <message>
        <source>Streams</source>
        <translation>Streams</translation>
    </message>
    <message>
        <source>Entries verified</source>
        <translation>Geprüfte Einträge</translation>
    </message>
    <message>
        <source>Bytes verified</source>
        <translation>Geprüfte Bytes</translation>
    </message>
    <message>
        <source>Checkpoints checked</source>
        <translation>Geprüfte Checkpoints</translation>
    </message>
    <message>
        <source>Public key</source>
        <translation>Öffentlicher Schlüssel</translation>
    </message>
    <message>
        <source>Key fingerprint</source>
        <translation>Schlüssel-Fingerabdruck</translation>
    </message>
    <message>
        <source>SHA-256 of the raw Ed25519 public key</source>
        <translation>SHA-256 des rohen öffentlichen Ed25519-Schlüssels</translation>
    </message>
    <message>
        <source>Witness file</source>
        <translation>Witness-Datei</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Befunde</translation>
    </message>
    <message>
        <source>No tampering was found in what could be read; see the error above.</source>
        <translation>In dem, was lesbar war, wurde keine Manipulation gefunden; siehe den Fehler oben.</translation>
    </message>
    <message>
        <source>No problems were found. Every entry&apos;s hash, every link to the previous entry, the sequence numbers and every checkpoint signature verified.</source>
        <translation>Es wurden keine Probleme gefunden. Der Hash jedes Eintrags, jede Verkettung mit dem vorigen Eintrag, die Sequenznummern und jede Checkpoint-Signatur wurden bestätigt.</translation>
    </message>
    <message>
        <source>The first problem in each affected stream. Entries after it in that stream cannot be trusted until the cause is understood.</source>
        <translation>Das erste Problem in jedem betroffenen Stream. Den Einträgen danach in diesem Stream ist nicht zu trauen, bis die Ursache geklärt ist.</translation>
    </message>
    <message>
        <source>Stream</source>
        <translation>Stream</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>Segment</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Einzelheiten</translation>
    </message>
    <message>
        <source>Checkpoints</source>
        <translation>Checkpoints</translation>
    </message>
    <message>
        <source>%1 of %2 valid</source>
        <translation>%1 von %2 gültig</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Verfahren</translation>
    </message>
    <message>
        <source>Each stream is a chain of entries in NDJSON segments. For every entry the SHA-256 hash of its canonical JSON (without the hash) followed by the previous entry&apos;s hash was recomputed and compared; sequence numbers were checked to increase by one across segments; sealed segments were compared with the SHA-256 recorded at rotation; every signed checkpoint was verified with the Ed25519 public key above and matched against the entry it names. Anyone with the data directory and the public key can repeat this with “shivx audit verify” and compare the last hashes.</source>
        <translation>Jeder Stream ist eine Kette von Einträgen in NDJSON-Segmenten. Für jeden Eintrag wurde der SHA-256-Hash seines kanonischen JSON (ohne den Hash), gefolgt vom Hash des vorigen Eintrags, neu berechnet und verglichen; es wurde geprüft, dass die Sequenznummern über die Segmente hinweg um eins steigen; versiegelte Segmente wurden mit dem bei der Rotation festgehaltenen SHA-256 verglichen; jeder signierte Checkpoint wurde mit dem obigen öffentlichen Ed25519-Schlüssel geprüft und mit dem Eintrag abgeglichen, den er nennt. Wer das Datenverzeichnis und den öffentlichen Schlüssel hat, kann dies mit „shivx audit verify“ wiederholen und die letzten Hashes vergleichen.</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::AlertHistoryModel</name>
    <message>
        <source>inactive</source>
        <translation>inaktiv</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>Transition</source>
        <translation>Übergang</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::AlertHistoryPanel</name>
    <message>
        <source>Re&amp;load</source>
        <translation>Neu &amp;laden</translation>
    </message>
    <message>
        <source>All rules</source>
        <translation>Alle Regeln</translation>
    </message>
    <message>
        <source>Transitions: %1, newest first</source>
        <translation>Übergänge: %1, neueste zuerst</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::AlertTray</name>
    <message>
        <source>ShivX: alerting is not running</source>
        <translation>ShivX: Alarmierung läuft nicht</translation>
    </message>
    <message>
        <source>ShivX: no alert firing</source>
        <translation>ShivX: kein Alarm aktiv</translation>
    </message>
    <message>
        <source>ShivX: 1 alert firing</source>
        <translation>ShivX: 1 Alarm aktiv</translation>
    </message>
    <message>
        <source>ShivX: %1 alerts firing</source>
        <translation>ShivX: %1 Alarme aktiv</translation>
    </message>
    <message>
        <source>, %1 critical</source>
        <translation>, %1 kritisch</translation>
    </message>
    <message>
        <source>%1 pending</source>
        <translation>%1 anstehend</translation>
    </message>
    <message>
        <source>Show alerts</source>
        <translation>Alarme anzeigen</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>%1 firing (%2)</source>
        <translation>%1 aktiv (%2)</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::AlertsModel</name>
    <message>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>anstehend</translation>
    </message>
    <message>
        <source>firing</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>behoben</translation>
    </message>
    <message>
        <source>%1 since %2</source>
        <translation>%1 seit %2</translation>
    </message>
    <message>
        <source>Inhibited: an alert it depends on fires, so it is not notified.</source>
        <translation>Unterdrückt: ein Alarm, von dem er abhängt, ist aktiv; daher wird nicht benachrichtigt.</translation>
    </message>
    <message>
        <source>%1 (inhibited)</source>
        <translation>%1 (unterdrückt)</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%1 um %2</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Seit</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Bestätigt</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::AlertsPage</name>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Rule editor</source>
        <translation>Regeleditor</translation>
    </message>
    <message>
        <source>&amp;Acknowledge</source>
        <translation>&amp;Bestätigen</translation>
    </message>
    <message>
        <source>S&amp;ilence…</source>
        <translation>S&amp;tummschalten…</translation>
    </message>
    <message>
        <source>Firing (%1)</source>
        <translation>Aktiv (%1)</translation>
    </message>
    <message>
        <source>Pending (%1)</source>
        <translation>Anstehend (%1)</translation>
    </message>
    <message>
        <source>Silenced (%1)</source>
        <translation>Stummgeschaltet (%1)</translation>
    </message>
    <message>
        <source>Alerting is not running</source>
        <translation>Die Alarmierung läuft nicht</translation>
    </message>
    <message>
        <source>Set alerting.enabled: true and start the engine.</source>
        <translation>Setzen Sie alerting.enabled: true und starten Sie die Engine.</translation>
    </message>
    <message>
        <source>No alert firing</source>
        <translation>Kein Alarm aktiv</translation>
    </message>
    <message>
        <source>1 alert firing</source>
        <translation>1 Alarm aktiv</translation>
    </message>
    <message>
        <source>%1 alerts firing</source>
        <translation>%1 Alarme aktiv</translation>
    </message>
    <message>
        <source>%1 critical</source>
        <translation>%1 kritisch</translation>
    </message>
    <message>
        <source>1 rule, evaluated at %1</source>
        <translation>1 Regel, ausgewertet um %1</translation>
    </message>
    <message>
        <source>%1 rules, evaluated at %2</source>
        <translation>%1 Regeln, ausgewertet um %2</translation>
    </message>
    <message>
        <source>Health score trend: likely %1 in ~%2 (%3 points an hour)</source>
        <translation>Trend des Health-Scores: voraussichtlich %1 in ~%2 (%3 Punkte pro Stunde)</translation>
    </message>
    <message>
        <source>Acknowledged: %1.</source>
        <translation>Bestätigt: %1.</translation>
    </message>
    <message>
        <source>Silenced until %1.</source>
        <translation>Stummgeschaltet bis %1.</translation>
    </message>
    <message>
        <source>Silence expired: its alerts notify again.</source>
        <translation>Stummschaltung beendet: ihre Alarme benachrichtigen wieder.</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::AuditEntriesModel</name>
    <message>
        <source>%1, line %2</source>
        <translation>%1, Zeile %2</translation>
    </message>
    <message>
        <source>%1
Unreadable line: %2</source>
        <translation>%1
Unlesbare Zeile: %2</translation>
    </message>
    <message>
        <source>%1
%2 UTC</source>
        <translation>%1
%2 UTC</translation>
    </message>
    <message>
        <source>unreadable line</source>
        <translation>unlesbare Zeile</translation>
    </message>
    <message>
        <source>Seq</source>
        <translation>Seq</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::AuditFilterBar</name>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>e.g. breaker</source>
        <translation>z. B. breaker</translation>
    </message>
    <message>
        <source>e.g. operator</source>
        <translation>z. B. operator</translation>
    </message>
    <message>
        <source>Search entries: data, hashes, any text</source>
        <translation>Einträge durchsuchen: Daten, Hashes, beliebiger Text</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Beliebige Zeit</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Eigener Zeitraum</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>&amp;Leeren</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::AuditPage</name>
    <message>
        <source>Audit streams</source>
        <translation>Audit-Streams</translation>
    </message>
    <message>
        <source>Read the streams again, including entries appended since</source>
        <translation>Die Streams erneut lesen, samt der seither angehängten Einträge</translation>
    </message>
    <message>
        <source>No audit streams in %1 yet.</source>
        <translation>Noch keine Audit-Streams in %1.</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Lese %1…</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 nicht lesbar: %2</translation>
    </message>
    <message>
        <source>Folder: %1</source>
        <translation>Ordner: %1</translation>
    </message>
    <message>
        <source>Segments: %1 (%2 compressed)</source>
        <translation>Segmente: %1 (%2 komprimiert)</translation>
    </message>
    <message>
        <source>Head: seq %1 at %2</source>
        <translation>Head: Seq %1 am %2</translation>
    </message>
    <message>
        <source>Head hash: %1…</source>
        <translation>Head-Hash: %1…</translation>
    </message>
    <message>
        <source>Head: %1</source>
        <translation>Head: %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>Checkpoints: %1 signed, the last at seq %2</source>
        <translation>Checkpoints: %1 signiert, der letzte bei Seq %2</translation>
    </message>
    <message>
        <source>Checkpoints: none yet</source>
        <translation>Checkpoints: noch keine</translation>
    </message>
    <message>
        <source>%1: %2 entries</source>
        <translation>%1: %2 Einträge</translation>
    </message>
    <message>
        <source>Searching %1… %2 matches so far (%3% read)</source>
        <translation>Durchsuche %1… bisher %2 Treffer (%3 % gelesen)</translation>
    </message>
    <message>
        <source>%1: %2 of %3 entries match</source>
        <translation>%1: %2 von %3 Einträgen passen</translation>
    </message>
    <message>
        <source>unreadable: %1</source>
        <translation>unlesbar: %1</translation>
    </message>
    <message>
        <source>Select an entry to see all of it.</source>
        <translation>Einen Eintrag auswählen, um ihn vollständig zu sehen.</translation>
    </message>
    <message>
        <source>%1 · %2 line %3 · row %4</source>
        <translation>%1 · %2 Zeile %3 · Tabellenzeile %4</translation>
    </message>
    <message>
        <source>Time: %1 UTC</source>
        <translation>Zeit: %1 UTC</translation>
    </message>
    <message>
        <source>Unreadable line: %1</source>
        <translation>Unlesbare Zeile: %1</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Neu laden</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::AuditStreamList</name>
    <message>
        <source>Stream</source>
        <translation>Stream</translation>
    </message>
    <message>
        <source>Entries</source>
        <translation>Einträge</translation>
    </message>
    <message>
        <source>Last checkpoint</source>
        <translation>Letzter Checkpoint</translation>
    </message>
    <message>
        <source>seq %1, %2</source>
        <translation>Seq %1, %2</translation>
    </message>
    <message numerus="yes">
        <source>%n signed checkpoint(s); the last one vouches for hash %1</source>
        <translation>
            <numerusform>%n signierter Checkpoint; er bürgt für den Hash %1</numerusform>
            <numerusform>%n signierte Checkpoints; der letzte bürgt für den Hash %1</numerusform>
        </translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>keiner bisher</translation>
    </message>
    <message numerus="yes">
        <source>%1
%n segment(s)</source>
        <translation>
            <numerusform>%1
%n Segment</numerusform>
            <numerusform>%1
%n Segmente</numerusform>
        </translation>
    </message>
    <message>
        <source>%1
head.json: %2</source>
        <translation>%1
head.json: %2</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::BackupHistoryChart</name>
    <message>
        <source>Size (MB)</source>
        <translation>Größe (MB)</translation>
    </message>
    <message>
        <source>Duration (s)</source>
        <translation>Dauer (s)</translation>
    </message>
    <message>
        <source>MB</source>
        <translation>MB</translation>
    </message>
    <message>
        <source>s</source>
        <translation>s</translation>
    </message>
    <message>
        <source>Last backups</source>
        <translation>Letzte Sicherungen</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::BackupHistoryModel</name>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>Operation</translation>
    </message>
    <message>
        <source>Set</source>
        <translation>Satz</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::BackupOperationsPanel</name>
    <message>
        <source>No backup operation is queued or running.</source>
        <translation>Keine Sicherungsoperation wartet oder läuft.</translation>
    </message>
    <message>
        <source>Ca&amp;ncel</source>
        <translation>Abbre&amp;chen</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::BackupPage</name>
    <message>
        <source>Repository</source>
        <translation>Repository</translation>
    </message>
    <message>
        <source>Incremental</source>
        <translation>Inkrementell</translation>
    </message>
    <message>
        <source>Differential</source>
        <translation>Differenziell</translation>
    </message>
    <message>
        <source>Full</source>
        <translation>Vollständig</translation>
    </message>
    <message>
        <source>Incremental reads only files changed since the last snapshot; differential since the last full one; full reads everything</source>
        <translation>Inkrementell liest nur seit dem letzten Snapshot geänderte Dateien, differenziell seit der letzten Vollsicherung, vollständig liest alles</translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation>&amp;Jetzt sichern</translation>
    </message>
    <message>
        <source>Quick (indexes and snapshots)</source>
        <translation>Schnell (Indizes und Snapshots)</translation>
    </message>
    <message>
        <source>Full (reads every pack)</source>
        <translation>Vollständig (liest jedes Pack)</translation>
    </message>
    <message>
        <source>&amp;Restore…</source>
        <translation>&amp;Wiederherstellen…</translation>
    </message>
    <message>
        <source>Restore &amp;drill</source>
        <translation>Wiederherstellungs&amp;übung</translation>
    </message>
    <message>
        <source>Restores the selected set&apos;s newest snapshot into a scratch directory, compares it and records RTO and RPO</source>
        <translation>Stellt den neuesten Snapshot des gewählten Satzes in einem Arbeitsverzeichnis wieder her, vergleicht ihn und hält RTO und RPO fest</translation>
    </message>
    <message>
        <source>Backup sets</source>
        <translation>Sicherungssätze</translation>
    </message>
    <message>
        <source>Operations</source>
        <translation>Operationen</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>The engine is not running: backups are unavailable.</source>
        <translation>Die Engine läuft nicht: Sicherungen sind nicht verfügbar.</translation>
    </message>
    <message>
        <source>never verified</source>
        <translation>nie geprüft</translation>
    </message>
    <message>
        <source>last verified %1 (%2): no problems</source>
        <translation>zuletzt geprüft %1 (%2): keine Probleme</translation>
    </message>
    <message>
        <source>last verified %1 (%2): PROBLEMS FOUND</source>
        <translation>zuletzt geprüft %1 (%2): PROBLEME GEFUNDEN</translation>
    </message>
    <message>
        <source>Repository %1 — %2</source>
        <translation>Repository %1 — %2</translation>
    </message>
    <message>
        <source>Operations cannot run: %1</source>
        <translation>Operationen können nicht laufen: %1</translation>
    </message>
    <message>
        <source>V&amp;erify</source>
        <translation>&amp;Prüfen</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>Sicherungen</translation>
    </message>
    <message>
        <source>DR plans</source>
        <translation>DR-Pläne</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::BackupSetsModel</name>
    <message>
        <source>never verified</source>
        <translation>nie geprüft</translation>
    </message>
    <message>
        <source>OK (%1, %2)</source>
        <translation>OK (%1, %2)</translation>
    </message>
    <message>
        <source>PROBLEMS (%1, %2)</source>
        <translation>PROBLEME (%1, %2)</translation>
    </message>
    <message>
        <source>manual only</source>
        <translation>nur manuell</translation>
    </message>
    <message>
        <source>continuous</source>
        <translation>kontinuierlich</translation>
    </message>
    <message>
        <source>%1 (the last attempt failed)</source>
        <translation>%1 (der letzte Versuch schlug fehl)</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>no drill yet</source>
        <translation>noch keine Übung</translation>
    </message>
    <message>
        <source>OK, RTO %1, RPO %2</source>
        <translation>OK, RTO %1, RPO %2</translation>
    </message>
    <message>
        <source>FAILED, RTO %1, RPO %2</source>
        <translation>FEHLGESCHLAGEN, RTO %1, RPO %2</translation>
    </message>
    <message>
        <source>Share of the newest snapshot&apos;s data the repository already held; %1 were new</source>
        <translation>Anteil der Daten des neuesten Snapshots, die das Repository schon enthielt; %1 waren neu</translation>
    </message>
    <message>
        <source>Set</source>
        <translation>Satz</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Zeitplan</translation>
    </message>
    <message>
        <source>Next run</source>
        <translation>Nächster Lauf</translation>
    </message>
    <message>
        <source>Last backup</source>
        <translation>Letzte Sicherung</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Deduplicated</source>
        <translation>Dedupliziert</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>Geprüft</translation>
    </message>
    <message>
        <source>Last drill</source>
        <translation>Letzte Übung</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::BackupWording</name>
    <message>
        <source>Backup</source>
        <translation>Sicherung</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Wiederherstellung</translation>
    </message>
    <message>
        <source>Prune</source>
        <translation>Bereinigung</translation>
    </message>
    <message>
        <source>Restore drill</source>
        <translation>Wiederherstellungsübung</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>wartend</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>full</source>
        <translation>vollständig</translation>
    </message>
    <message>
        <source>incremental</source>
        <translation>inkrementell</translation>
    </message>
    <message>
        <source>differential</source>
        <translation>differenziell</translation>
    </message>
    <message>
        <source>quick</source>
        <translation>schnell</translation>
    </message>
    <message>
        <source>Backup of %1 (%2)</source>
        <translation>Sicherung von %1 (%2)</translation>
    </message>
    <message>
        <source>Quick verify</source>
        <translation>Schnelle Prüfung</translation>
    </message>
    <message>
        <source>Full verify</source>
        <translation>Vollständige Prüfung</translation>
    </message>
    <message>
        <source>Restore of %1</source>
        <translation>Wiederherstellung von %1</translation>
    </message>
    <message>
        <source>Restore drill of %1</source>
        <translation>Wiederherstellungsübung von %1</translation>
    </message>
    <message>
        <source>queued, waiting for the operation before it</source>
        <translation>wartet auf die Operation davor</translation>
    </message>
    <message>
        <source>%1 so far</source>
        <translation>bisher %1</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>%1, about %2 left</source>
        <translation>%1, noch etwa %2</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>%1 was cancelled.</source>
        <translation>%1 wurde abgebrochen.</translation>
    </message>
    <message>
        <source>%1 is %2.</source>
        <translation>%1: %2.</translation>
    </message>
    <message numerus="yes">
        <source>%1 succeeded: snapshot %2, %n file(s), %3, %4 new.</source>
        <translation>
            <numerusform>%1 erfolgreich: Snapshot %2, %n Datei, %3, davon %4 neu.</numerusform>
            <numerusform>%1 erfolgreich: Snapshot %2, %n Dateien, %3, davon %4 neu.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 found no problems in %n snapshot(s).</source>
        <translation>
            <numerusform>%1 fand keine Probleme in %n Snapshot.</numerusform>
            <numerusform>%1 fand keine Probleme in %n Snapshots.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 found %n problem(s).</source>
        <translation>
            <numerusform>%1 fand %n Problem.</numerusform>
            <numerusform>%1 fand %n Probleme.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Dry run: %n file(s) or directories would change.</source>
        <translation>
            <numerusform>Probelauf: %n Datei oder Verzeichnis würde sich ändern.</numerusform>
            <numerusform>Probelauf: %n Dateien oder Verzeichnisse würden sich ändern.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 succeeded: %n file(s), %2 written to %3.</source>
        <translation>
            <numerusform>%1 erfolgreich: %n Datei, %2 nach %3 geschrieben.</numerusform>
            <numerusform>%1 erfolgreich: %n Dateien, %2 nach %3 geschrieben.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 succeeded: recovery time %2, recovery point %3 old.</source>
        <translation>%1 erfolgreich: Wiederherstellungszeit %2, Wiederherstellungspunkt %3 alt.</translation>
    </message>
    <message>
        <source>%1 succeeded.</source>
        <translation>%1 erfolgreich.</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::BreakersModel</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Opens after %1 consecutive failures or %2% failed of the last %3 calls; tries again after %4 with %5 trial call(s)</source>
        <translation>Öffnet nach %1 Fehlschlägen in Folge oder wenn %2 % der letzten %3 Aufrufe fehlschlagen; neuer Versuch nach %4 mit %5 Testaufruf(en)</translation>
    </message>
    <message>
        <source>%1 failure(s) in a row now</source>
        <translation>Fehlschläge in Folge: %1</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>Aufrufe</translation>
    </message>
    <message>
        <source>Failures</source>
        <translation>Fehlschläge</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Abgewiesen</translation>
    </message>
    <message>
        <source>Last transition</source>
        <translation>Letzter Wechsel</translation>
    </message>
    <message>
        <source>Time in state</source>
        <translation>Zeit im Zustand</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::ConfigErrorDialog</name>
    <message>
        <source>File: %1</source>
        <translation>Datei: %1</translation>
    </message>
    <message>
        <source>Line: %1</source>
        <translation>Zeile: %1</translation>
    </message>
    <message>
        <source>Configuration error</source>
        <translation>Konfigurationsfehler</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Open in &amp;editor</source>
        <translation>Im &amp;Editor öffnen</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::ConsolePages</name>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Recovery</source>
        <translation>Wiederherstellung</translation>
    </message>
    <message>
        <source>Degradation</source>
        <translation>Degradation</translation>
    </message>
    <message>
        <source>Guardian</source>
        <translation>Wächter</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>Audit</translation>
    </message>
    <message>
        <source>Integrity</source>
        <translation>Integrität</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <source>Pipelines</source>
        <translation>Pipelines</translation>
    </message>
    <message>
        <source>Backup &amp; DR</source>
        <translation>Sicherung &amp; DR</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::DagMinimap</name>
    <message>
        <source>Overview of the whole graph: click or drag to move the view there</source>
        <translation>Übersicht über den ganzen Graphen: klicken oder ziehen, um die Ansicht dorthin zu bewegen</translation>
    </message>
    <message>
        <source>Graph overview</source>
        <translation>Graphübersicht</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::DagView</name>
    <message>
        <source>Pending</source>
        <translation>Ausstehend</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>In der Warteschlange</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Übersprungen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation>Wird wiederholt</translation>
    </message>
    <message>
        <source>The graph cannot be shown: its stages depend on each other in a cycle (%1).</source>
        <translation>Der Graph kann nicht angezeigt werden: seine Schritte hängen im Kreis voneinander ab (%1).</translation>
    </message>
    <message>
        <source>The graph cannot be shown: two stages are named “%1”.</source>
        <translation>Der Graph kann nicht angezeigt werden: zwei Schritte heißen „%1“.</translation>
    </message>
    <message>
        <source>The graph cannot be shown: the dependency %1 → %2 names the stage “%3”, which does not exist.</source>
        <translation>Der Graph kann nicht angezeigt werden: die Abhängigkeit %1 → %2 nennt den Schritt „%3“, den es nicht gibt.</translation>
    </message>
    <message>
        <source>The graph cannot be shown: %1</source>
        <translation>Der Graph kann nicht angezeigt werden: %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>stage name: state</comment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Selected stage: %1, %2</source>
        <translation>Ausgewählter Schritt: %1, %2</translation>
    </message>
    <message>
        <source>%1%</source>
        <comment>zoom level</comment>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>−</source>
        <comment>zoom out button</comment>
        <translation>−</translation>
    </message>
    <message>
        <source>Zoom out (-)</source>
        <translation>Verkleinern (-)</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <source>+</source>
        <comment>zoom in button</comment>
        <translation>+</translation>
    </message>
    <message>
        <source>Zoom in (+)</source>
        <translation>Vergrößern (+)</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Vergrößern</translation>
    </message>
    <message>
        <source>1:1</source>
        <comment>zoom to actual size button</comment>
        <translation>1:1</translation>
    </message>
    <message>
        <source>Actual size (0)</source>
        <translation>Originalgröße (0)</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>Originalgröße</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Einpassen</translation>
    </message>
    <message>
        <source>Fit the whole graph into view (F)</source>
        <translation>Den ganzen Graphen einpassen (F)</translation>
    </message>
    <message>
        <source>Fit to view</source>
        <translation>In Ansicht einpassen</translation>
    </message>
    <message>
        <source>Zoom level; the mouse wheel zooms, dragging the background moves the view</source>
        <translation>Vergrößerung; das Mausrad zoomt, Ziehen des Hintergrunds verschiebt die Ansicht</translation>
    </message>
    <message>
        <source>Pipeline graph</source>
        <translation>Pipeline-Graph</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::DashboardView</name>
    <message>
        <source>&amp;Delete dashboard…</source>
        <translation>Dashboard &amp;löschen…</translation>
    </message>
    <message>
        <source>Explore</source>
        <translation>Erkunden</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>This dashboard has no charts.</source>
        <translation>Dieses Dashboard hat keine Diagramme.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>Cannot read history: %1</source>
        <translation>Verlauf kann nicht gelesen werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n chart(s), %1 points, updated %2</source>
        <translation>
            <numerusform>%n Diagramm, %1 Punkte, aktualisiert %2</numerusform>
            <numerusform>%n Diagramme, %1 Punkte, aktualisiert %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n series not in this engine&apos;s history</source>
        <translation>
            <numerusform>%n Reihe nicht im Verlauf dieser Engine</numerusform>
            <numerusform>%n Reihen nicht im Verlauf dieser Engine</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete dashboard</source>
        <translation>Dashboard löschen</translation>
    </message>
    <message numerus="yes">
        <source>Delete the dashboard &quot;%1&quot; and its %n chart(s)? The history itself is kept.</source>
        <translation>
            <numerusform>Das Dashboard „%1“ und sein %n Diagramm löschen? Der Verlauf selbst bleibt erhalten.</numerusform>
            <numerusform>Das Dashboard „%1“ und seine %n Diagramme löschen? Der Verlauf selbst bleibt erhalten.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::DeadLetterPanel</name>
    <message>
        <source>R&amp;etry…</source>
        <translation>&amp;Wiederholen…</translation>
    </message>
    <message>
        <source>Run it again from its failed stage; the stages that succeeded stay done.</source>
        <translation>Ab der fehlgeschlagenen Stufe erneut ausführen; erfolgreiche Stufen bleiben erledigt.</translation>
    </message>
    <message>
        <source>&amp;Discard…</source>
        <translation>&amp;Verwerfen…</translation>
    </message>
    <message>
        <source>Take it out of the dead-letter queue for good.</source>
        <translation>Endgültig aus der Dead-Letter-Queue nehmen.</translation>
    </message>
    <message>
        <source>Runs whose stage failed after its retries wait here for a decision.</source>
        <translation>Läufe, deren Stufe nach allen Wiederholungen fehlschlug, warten hier auf eine Entscheidung.</translation>
    </message>
    <message>
        <source>Retry run %1</source>
        <translation>Lauf %1 wiederholen</translation>
    </message>
    <message>
        <source>Run %1 of %2 goes on from its failed stage %3 with fresh retries. Stages that succeeded are not run again.</source>
        <translation>Lauf %1 von %2 geht ab der fehlgeschlagenen Stufe %3 mit neuen Wiederholungen weiter. Erfolgreiche Stufen laufen nicht noch einmal.</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Run %1 is running again from stage %2.</source>
        <translation>Lauf %1 läuft ab Stufe %2 wieder.</translation>
    </message>
    <message>
        <source>Discard run %1</source>
        <translation>Lauf %1 verwerfen</translation>
    </message>
    <message>
        <source>Run %1 of %2 leaves the dead-letter queue for good; it will not run again. Its logs and artifacts are kept until retention deletes them.</source>
        <translation>Lauf %1 von %2 verlässt die Dead-Letter-Queue endgültig und läuft nicht mehr. Seine Protokolle und Artefakte bleiben, bis die Aufbewahrung sie löscht.</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>Run %1 discarded.</source>
        <translation>Lauf %1 verworfen.</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::DegradationPage</name>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n Stunde</numerusform>
            <numerusform>%n Stunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n Minute</numerusform>
            <numerusform>%n Minuten</numerusform>
        </translation>
    </message>
    <message>
        <source>Pin the level</source>
        <translation>Stufe festsetzen</translation>
    </message>
    <message>
        <source>Level:</source>
        <translation>Stufe:</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Grund:</translation>
    </message>
    <message>
        <source>Why, for the audit log (required)</source>
        <translation>Warum, für das Audit-Protokoll (Pflicht)</translation>
    </message>
    <message>
        <source>Expires after:</source>
        <translation>Läuft ab nach:</translation>
    </message>
    <message>
        <source>Features by level</source>
        <translation>Funktionen je Stufe</translation>
    </message>
    <message>
        <source>Level changes</source>
        <translation>Stufenwechsel</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Nach</translation>
    </message>
    <message>
        <source>Health score</source>
        <translation>Gesundheitswert</translation>
    </message>
    <message>
        <source>%1 (pinned)</source>
        <translation>%1 (festgesetzt)</translation>
    </message>
    <message>
        <source>Since %1</source>
        <translation>Seit %1</translation>
    </message>
    <message>
        <source>Since %1 — %2</source>
        <translation>Seit %1 — %2</translation>
    </message>
    <message>
        <source>Health score now %1</source>
        <translation>Gesundheitswert jetzt %1</translation>
    </message>
    <message>
        <source>No health score yet</source>
        <translation>Noch kein Gesundheitswert</translation>
    </message>
    <message>
        <source>Pinned by %1 until %2: %3</source>
        <translation>Festgesetzt von %1 bis %2: %3</translation>
    </message>
    <message>
        <source>Without the pin the score would mean %1.</source>
        <translation>Ohne die Festsetzung ergäbe der Wert %1.</translation>
    </message>
    <message>
        <source>Recovering to %1: the score must stay good until %2.</source>
        <translation>Erholung auf %1: Der Wert muss bis %2 gut bleiben.</translation>
    </message>
    <message>
        <source>Give a reason: it goes into the audit log.</source>
        <translation>Bitte einen Grund angeben: Er wird im Audit-Protokoll festgehalten.</translation>
    </message>
    <message>
        <source>Pin EMERGENCY?</source>
        <translation>NOTBETRIEB festsetzen?</translation>
    </message>
    <message>
        <source>Every feature but the core switches off and the engine reports not ready, so load balancers stop sending traffic. Liveness is not affected.

Pin EMERGENCY for %1?</source>
        <translation>Alle Funktionen außer dem Kern werden abgeschaltet, und die Engine meldet „nicht bereit“, sodass Load Balancer keinen Verkehr mehr senden. Die Liveness ist nicht betroffen.

NOTBETRIEB für %1 festsetzen?</translation>
    </message>
    <message>
        <source>Not pinned.</source>
        <translation>Nicht festgesetzt.</translation>
    </message>
    <message>
        <source>Pinned %1 until %2.</source>
        <translation>%1 festgesetzt bis %2.</translation>
    </message>
    <message>
        <source>Released; the score decides again (%1).</source>
        <translation>Aufgehoben; der Wert entscheidet wieder (%1).</translation>
    </message>
    <message>
        <source>Reading the history…</source>
        <translation>Lese den Verlauf…</translation>
    </message>
    <message>
        <source>History could not be read: %1</source>
        <translation>Der Verlauf ist nicht lesbar: %1</translation>
    </message>
    <message>
        <source>No level recorded in the history yet.</source>
        <translation>Noch keine Stufe im Verlauf festgehalten.</translation>
    </message>
    <message>
        <source>No level changes in this range.</source>
        <translation>Keine Stufenwechsel in diesem Zeitraum.</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s), newest first.</source>
        <translation>
            <numerusform>%n Wechsel, neuester zuerst.</numerusform>
            <numerusform>%n Wechsel, neueste zuerst.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Pin level</source>
        <translation>Stufe &amp;festsetzen</translation>
    </message>
    <message>
        <source>&amp;Release pin</source>
        <translation>Festsetzung a&amp;ufheben</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::DesktopNotifications</name>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::DisplayFormat</name>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Erreichbar</translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation>Beeinträchtigt</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Ausgefallen</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>TCP</source>
        <translation>TCP</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>Prozess</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Befehl</translation>
    </message>
    <message>
        <source>Healthy</source>
        <translation>Gesund</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>Kritisch</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>Startet</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Stopping</source>
        <translation>Stoppt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Geschlossen</translation>
    </message>
    <message>
        <source>Half-open</source>
        <translation>Halb offen</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>Forced open</source>
        <translation>Erzwungen offen</translation>
    </message>
    <message>
        <source>Forced closed</source>
        <translation>Erzwungen geschlossen</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 d %2 h</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>Level 1</source>
        <translation>Stufe 1</translation>
    </message>
    <message>
        <source>Level 2</source>
        <translation>Stufe 2</translation>
    </message>
    <message>
        <source>Level 3</source>
        <translation>Stufe 3</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation>Notbetrieb</translation>
    </message>
    <message>
        <source>Full service</source>
        <translation>Voller Betrieb</translation>
    </message>
    <message>
        <source>Non-essential work paused</source>
        <translation>Nicht notwendige Arbeit pausiert</translation>
    </message>
    <message>
        <source>Expensive features switched off</source>
        <translation>Aufwendige Funktionen abgeschaltet</translation>
    </message>
    <message>
        <source>Only conversation and core features run</source>
        <translation>Nur Konversation und Kernfunktionen laufen</translation>
    </message>
    <message>
        <source>Core only; the engine reports not ready</source>
        <translation>Nur der Kern; die Engine meldet „nicht bereit“</translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation>vor %1 s</translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation>vor %1 min</translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation>vor %1 h</translation>
    </message>
    <message>
        <source>Prometheus</source>
        <translation>Prometheus</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::DrActivateDialog</name>
    <message>
        <source>Activate DR plan %1</source>
        <translation>DR-Plan %1 aktivieren</translation>
    </message>
    <message>
        <source>&lt;p&gt;You are about to activate the disaster recovery plan &lt;b&gt;%1&lt;/b&gt;. Its steps act on the running system:&lt;/p&gt;&lt;ol&gt;%2&lt;/ol&gt;</source>
        <translation>&lt;p&gt;Sie sind dabei, den Notfallwiederherstellungsplan &lt;b&gt;%1&lt;/b&gt; zu aktivieren. Seine Schritte wirken auf das laufende System:&lt;/p&gt;&lt;ol&gt;%2&lt;/ol&gt;</translation>
    </message>
    <message>
        <source>Type the plan&apos;s name, &lt;b&gt;%1&lt;/b&gt;, to confirm:</source>
        <translation>Geben Sie zur Bestätigung den Namen des Plans ein, &lt;b&gt;%1&lt;/b&gt;:</translation>
    </message>
    <message>
        <source>&amp;Dry run first (checks every step, changes nothing)</source>
        <translation>&amp;Zuerst Probelauf (prüft jeden Schritt, ändert nichts)</translation>
    </message>
    <message>
        <source>&amp;Activate</source>
        <translation>&amp;Aktivieren</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::DrPlansPanel</name>
    <message>
        <source>Disaster recovery plans run their steps in order, each audited. Activate asks for the plan&apos;s name and can dry-run it first.</source>
        <translation>Notfallwiederherstellungspläne führen ihre Schritte der Reihe nach aus, jeden protokolliert in der Audit-Kette. Aktivieren fragt nach dem Namen des Plans und kann zuerst einen Probelauf machen.</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <source>Last run</source>
        <translation>Letzter Lauf</translation>
    </message>
    <message>
        <source>Recovery time</source>
        <translation>Wiederherstellungszeit</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>&amp;Activate…</source>
        <translation>&amp;Aktivieren…</translation>
    </message>
    <message>
        <source>Re&amp;load plans</source>
        <translation>Pläne neu &amp;laden</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>A DR run is in progress; one plan runs at a time</source>
        <translation>Ein DR-Lauf ist im Gang; es läuft immer nur ein Plan</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::DrRunView</name>
    <message>
        <source>Stops the running step (cancels its operation, kills its command) and ends the run; nothing is rolled back</source>
        <translation>Stoppt den laufenden Schritt (bricht seine Operation ab, beendet seinen Befehl) und beendet den Lauf; nichts wird zurückgerollt</translation>
    </message>
    <message>
        <source>E&amp;xport PDF…</source>
        <translation>PDF e&amp;xportieren…</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>No DR plan has run since the engine started. Select a plan and click Activate.</source>
        <translation>Seit dem Start der Engine ist kein DR-Plan gelaufen. Wählen Sie einen Plan und klicken Sie auf Aktivieren.</translation>
    </message>
    <message>
        <source>Run %1 of plan %2 (dry run): %3</source>
        <translation>Lauf %1 von Plan %2 (Probelauf): %3</translation>
    </message>
    <message>
        <source>Run %1 of plan %2: %3</source>
        <translation>Lauf %1 von Plan %2: %3</translation>
    </message>
    <message>
        <source>Measured recovery time: %1. %2</source>
        <translation>Gemessene Wiederherstellungszeit: %1. %2</translation>
    </message>
    <message>
        <source>%1 of %2 steps, %3 elapsed, ETA unknown</source>
        <translation>%1 von %2 Schritten, %3 vergangen, Restzeit unbekannt</translation>
    </message>
    <message>
        <source>%1 of %2 steps, %3 elapsed, ETA %4</source>
        <translation>%1 von %2 Schritten, %3 vergangen, Restzeit %4</translation>
    </message>
    <message>
        <source>the report is ready once the run has ended</source>
        <translation>der Bericht ist fertig, sobald der Lauf beendet ist</translation>
    </message>
    <message>
        <source>Export DR report</source>
        <translation>DR-Bericht exportieren</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <source>Report written to %1</source>
        <translation>Bericht geschrieben nach %1</translation>
    </message>
    <message>
        <source>Could not write the report: %1</source>
        <translation>Der Bericht konnte nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>%1 of %2 steps succeeded in %3</source>
        <translation>%1 von %2 Schritten erfolgreich in %3</translation>
    </message>
    <message>
        <source>Ab&amp;ort</source>
        <translation>A&amp;bbrechen</translation>
    </message>
    <message>
        <source>Ac&amp;tivate for real</source>
        <translation>Wirklich a&amp;ktivieren</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::EngineWording</name>
    <message>
        <source>The engine is not running.</source>
        <translation>Die Engine läuft nicht.</translation>
    </message>
    <message>
        <source>No supervised process is called %1.</source>
        <translation>Es gibt keinen überwachten Prozess namens %1.</translation>
    </message>
    <message>
        <source>No circuit breaker is called %1.</source>
        <translation>Es gibt keinen Circuit Breaker namens %1.</translation>
    </message>
    <message>
        <source>Give a reason of at most 500 characters: it goes into the audit log.</source>
        <translation>Geben Sie einen Grund mit höchstens 500 Zeichen an: Er wird im Audit-Log festgehalten.</translation>
    </message>
    <message>
        <source>A pin lasts from 1 s to %1 (degradation.max_pin).</source>
        <translation>Eine Festsetzung dauert 1 s bis %1 (degradation.max_pin).</translation>
    </message>
    <message>
        <source>No level is pinned.</source>
        <translation>Es ist keine Stufe festgesetzt.</translation>
    </message>
    <message>
        <source>%1 is not an IPv4 or IPv6 address.</source>
        <translation>%1 ist keine IPv4- oder IPv6-Adresse.</translation>
    </message>
    <message>
        <source>An isolation lasts from 1 s to 366 days.</source>
        <translation>Eine Isolierung dauert 1 s bis 366 Tage.</translation>
    </message>
    <message>
        <source>%1 is not isolated.</source>
        <translation>%1 ist nicht isoliert.</translation>
    </message>
    <message>
        <source>The data directory %1 is in use by another engine. Stop it, or start with another --data-dir.</source>
        <translation>Das Datenverzeichnis %1 wird von einer anderen Engine verwendet. Beenden Sie sie oder starten Sie mit einem anderen --data-dir.</translation>
    </message>
    <message>
        <source>The data directory %1 is in use by the engine with process ID %2 (started %3). Stop it, or start with another --data-dir.</source>
        <translation>Das Datenverzeichnis %1 wird von der Engine mit der Prozess-ID %2 verwendet (gestartet %3). Beenden Sie sie oder starten Sie mit einem anderen --data-dir.</translation>
    </message>
    <message>
        <source>The engine runs on its embedded configuration, which has no file to read again. Start it with --config FILE to reload.</source>
        <translation>Die Engine läuft mit ihrer eingebauten Konfiguration, die keine Datei zum erneuten Lesen hat. Starten Sie sie mit --config DATEI, um neu laden zu können.</translation>
    </message>
    <message>
        <source>The configuration file has an error: %1</source>
        <translation>Die Konfigurationsdatei enthält einen Fehler: %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>the recovery timeout of %1 passed</source>
        <translation>die Erholungszeit von %1 ist abgelaufen</translation>
    </message>
    <message>
        <source>the trial call succeeded</source>
        <translation>der Probeaufruf war erfolgreich</translation>
    </message>
    <message>
        <source>%1 trial calls succeeded</source>
        <translation>%1 Probeaufrufe waren erfolgreich</translation>
    </message>
    <message>
        <source>1 consecutive failure</source>
        <translation>1 Fehlschlag in Folge</translation>
    </message>
    <message>
        <source>%1 consecutive failures</source>
        <translation>%1 Fehlschläge in Folge</translation>
    </message>
    <message>
        <source>%1 of the last %2 calls failed</source>
        <translation>%1 der letzten %2 Aufrufe schlugen fehl</translation>
    </message>
    <message>
        <source>the trial call failed</source>
        <translation>der Probeaufruf schlug fehl</translation>
    </message>
    <message>
        <source>forced open</source>
        <translation>erzwungen offen</translation>
    </message>
    <message>
        <source>forced closed</source>
        <translation>erzwungen geschlossen</translation>
    </message>
    <message>
        <source>back to automatic</source>
        <translation>wieder automatisch</translation>
    </message>
    <message>
        <source>no score yet</source>
        <translation>noch kein Gesundheitswert</translation>
    </message>
    <message>
        <source>score %1 means %2</source>
        <translation>Wert %1 bedeutet %2</translation>
    </message>
    <message>
        <source>score %1 below %2</source>
        <translation>Wert %1 unter %2</translation>
    </message>
    <message>
        <source>score %1 at or above %2</source>
        <translation>Wert %1 bei oder über %2</translation>
    </message>
    <message>
        <source>score held at or above %1 for %2</source>
        <translation>Wert blieb %2 lang bei oder über %1</translation>
    </message>
    <message>
        <source>pinned by %1 for %2: %3</source>
        <translation>festgesetzt von %1 für %2: %3</translation>
    </message>
    <message>
        <source>pin released by %1; %2</source>
        <translation>Festsetzung aufgehoben von %1; %2</translation>
    </message>
    <message>
        <source>the pin of %1 by %2 expired; %3</source>
        <translation>die Festsetzung auf %1 durch %2 ist abgelaufen; %3</translation>
    </message>
    <message>
        <source>the engine is not running</source>
        <translation>die Engine läuft nicht</translation>
    </message>
    <message>
        <source>engine started</source>
        <translation>Engine gestartet</translation>
    </message>
    <message>
        <source>critical event %1 from %2</source>
        <translation>kritisches Ereignis %1 von %2</translation>
    </message>
    <message>
        <source>threat score %1 (at least %2) from %3</source>
        <translation>Bedrohungswert %1 (mindestens %2) von %3</translation>
    </message>
    <message>
        <source>%1 warnings within %2</source>
        <translation>%1 Warnungen innerhalb von %2</translation>
    </message>
    <message>
        <source>no warning for %1</source>
        <translation>seit %1 keine Warnung</translation>
    </message>
    <message>
        <source>set by %1: %2</source>
        <translation>gesetzt von %1: %2</translation>
    </message>
    <message>
        <source>policy for %1 from %2</source>
        <translation>Richtlinie für %1 von %2</translation>
    </message>
    <message>
        <source>CPU %1 (warning above %2)</source>
        <translation>CPU %1 (Warnung über %2)</translation>
    </message>
    <message>
        <source>no CPU rate yet</source>
        <translation>noch keine CPU-Auslastung</translation>
    </message>
    <message>
        <source>memory %1 used (warning above %2)</source>
        <translation>Speicher %1 belegt (Warnung über %2)</translation>
    </message>
    <message>
        <source>%1 %2 used (warning above %3)</source>
        <translation>%1 %2 belegt (Warnung über %3)</translation>
    </message>
    <message>
        <source>no filesystems</source>
        <translation>keine Dateisysteme</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 (critical)</source>
        <translation>%1 (kritisch)</translation>
    </message>
    <message>
        <source>the %1 thread has been silent for %2</source>
        <translation>der Thread %1 schweigt seit %2</translation>
    </message>
    <message>
        <source>a critical target is DOWN: the score is capped at %1</source>
        <translation>ein kritisches Ziel ist AUSGEFALLEN: der Wert ist auf %1 begrenzt</translation>
    </message>
    <message>
        <source>timed out after %1</source>
        <translation>Zeitüberschreitung nach %1</translation>
    </message>
    <message>
        <source>connection refused</source>
        <translation>Verbindung abgelehnt</translation>
    </message>
    <message>
        <source>connection timed out</source>
        <translation>Zeitüberschreitung beim Verbinden</translation>
    </message>
    <message>
        <source>host not found: %1</source>
        <translation>Host nicht gefunden: %1</translation>
    </message>
    <message>
        <source>network unreachable: %1</source>
        <translation>Netz nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>cannot connect: %1</source>
        <translation>keine Verbindung möglich: %1</translation>
    </message>
    <message>
        <source>connection closed by the remote host</source>
        <translation>Verbindung von der Gegenseite geschlossen</translation>
    </message>
    <message>
        <source>connection closed by the server before a complete response</source>
        <translation>Server schloss die Verbindung vor einer vollständigen Antwort</translation>
    </message>
    <message>
        <source>TLS handshake failed: %1</source>
        <translation>TLS-Handshake fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>no host and port to connect to</source>
        <translation>kein Host und Port zum Verbinden</translation>
    </message>
    <message>
        <source>not an http(s) URL: %1</source>
        <translation>keine http(s)-URL: %1</translation>
    </message>
    <message>
        <source>cannot start an HTTP transfer</source>
        <translation>HTTP-Übertragung kann nicht gestartet werden</translation>
    </message>
    <message>
        <source>no HTTP response</source>
        <translation>keine HTTP-Antwort</translation>
    </message>
    <message>
        <source>HTTP %1 (expected %2)</source>
        <translation>HTTP %1 (erwartet %2)</translation>
    </message>
    <message>
        <source>%1, redirect to %2</source>
        <translation>%1, Weiterleitung nach %2</translation>
    </message>
    <message>
        <source>the first MiB of the body does not contain &quot;%1&quot;</source>
        <translation>das erste MiB des Inhalts enthält „%1“ nicht</translation>
    </message>
    <message>
        <source>body does not contain &quot;%1&quot;</source>
        <translation>Inhalt enthält „%1“ nicht</translation>
    </message>
    <message>
        <source>cannot read pid file %1: %2</source>
        <translation>PID-Datei %1 nicht lesbar: %2</translation>
    </message>
    <message>
        <source>pid file %1 does not contain a pid</source>
        <translation>PID-Datei %1 enthält keine PID</translation>
    </message>
    <message>
        <source>pid %1 from %2 is not running</source>
        <translation>PID %1 aus %2 läuft nicht</translation>
    </message>
    <message>
        <source>no process named %1</source>
        <translation>kein Prozess namens %1</translation>
    </message>
    <message>
        <source>neither a pid file nor a process name is configured</source>
        <translation>weder PID-Datei noch Prozessname konfiguriert</translation>
    </message>
    <message>
        <source>no command configured</source>
        <translation>kein Befehl konfiguriert</translation>
    </message>
    <message>
        <source>cannot start %1: %2</source>
        <translation>%1 kann nicht gestartet werden: %2</translation>
    </message>
    <message>
        <source>killed by signal %1</source>
        <translation>durch Signal %1 beendet</translation>
    </message>
    <message>
        <source>exited with code %1</source>
        <translation>mit Code %1 beendet</translation>
    </message>
    <message>
        <source>probe failed</source>
        <translation>Prüfung fehlgeschlagen</translation>
    </message>
    <message>
        <source>probe succeeded in %1</source>
        <translation>Prüfung erfolgreich in %1</translation>
    </message>
    <message>
        <source>slow: %1 (threshold %2)</source>
        <translation>langsam: %1 (Schwelle %2)</translation>
    </message>
    <message>
        <source>flapping: %1 state changes in %2</source>
        <translation>instabil: %1 Zustandswechsel in %2</translation>
    </message>
    <message>
        <source>%1 (failure %2 of %3)</source>
        <translation>%1 (Fehlschlag %2 von %3)</translation>
    </message>
    <message>
        <source>%1 (%2 consecutive failures)</source>
        <translation>%1 (%2 Fehlschläge in Folge)</translation>
    </message>
    <message>
        <source>%1; circuit open</source>
        <translation>%1; Circuit Breaker offen</translation>
    </message>
    <message>
        <source>circuit open</source>
        <translation>Circuit Breaker offen</translation>
    </message>
    <message>
        <source>process started; startup grace</source>
        <translation>Prozess gestartet; Anlaufschonfrist</translation>
    </message>
    <message>
        <source>restart command ran; startup grace</source>
        <translation>Neustartbefehl ausgeführt; Anlaufschonfrist</translation>
    </message>
    <message>
        <source>crash loop: restarts paused</source>
        <translation>Absturzschleife: Neustarts pausiert</translation>
    </message>
    <message>
        <source>no heartbeat yet</source>
        <translation>noch kein Lebenszeichen</translation>
    </message>
    <message>
        <source>silent for %1 (limit %2)</source>
        <translation>still seit %1 (Grenze %2)</translation>
    </message>
    <message>
        <source>last heartbeat %1 ago</source>
        <translation>letztes Lebenszeichen vor %1</translation>
    </message>
    <message>
        <source>writable</source>
        <translation>beschreibbar</translation>
    </message>
    <message>
        <source>not writable</source>
        <translation>nicht beschreibbar</translation>
    </message>
    <message>
        <source>%1 requests in %2, %3× the %4 baseline of %5</source>
        <translation>%1 Anfragen in %2, das %3-Fache der Basislinie (%4) von %5</translation>
    </message>
    <message>
        <source>%1 failed token checks in %2</source>
        <translation>%1 fehlgeschlagene Token-Prüfungen in %2</translation>
    </message>
    <message>
        <source>%1 distinct paths in %2</source>
        <translation>%1 verschiedene Pfade in %2</translation>
    </message>
    <message>
        <source>%1 of %2 requests failed</source>
        <translation>%1 von %2 Anfragen fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 requests: too few to judge errors (from %2)</source>
        <translation>%1 Anfragen: zu wenige, um Fehler zu beurteilen (ab %2)</translation>
    </message>
    <message>
        <source>%1 watcher hits in %2</source>
        <translation>%1 Treffer der Log-Wächter in %2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>An integrity check or baseline update is running already; wait for it or cancel it.</source>
        <translation>Eine Integritätsprüfung oder Baseline-Aktualisierung läuft bereits; warten Sie darauf oder brechen Sie sie ab.</translation>
    </message>
    <message>
        <source>No integrity check is running.</source>
        <translation>Es läuft keine Integritätsprüfung.</translation>
    </message>
    <message>
        <source>No path sets are configured (integrity.sets in the configuration file).</source>
        <translation>Es sind keine Pfadgruppen konfiguriert (integrity.sets in der Konfigurationsdatei).</translation>
    </message>
    <message>
        <source>There is no baseline yet: record one first.</source>
        <translation>Es gibt noch keine Baseline: Erfassen Sie zuerst eine.</translation>
    </message>
    <message>
        <source>The baseline %1 was changed outside the engine: its SHA-256 %2 is not the %3 the audit chain recorded at its last update. Nothing was compared. Record a new baseline once you know why.</source>
        <translation>Die Baseline %1 wurde außerhalb der Engine geändert: Ihr SHA-256 %2 ist nicht der Wert %3, den die Audit-Kette bei ihrer letzten Aktualisierung festgehalten hat. Es wurde nichts verglichen. Erfassen Sie eine neue Baseline, sobald Sie den Grund kennen.</translation>
    </message>
    <message>
        <source>The baseline %1 is gone, but the audit chain records one: it was deleted.</source>
        <translation>Die Baseline %1 fehlt, aber die Audit-Kette verzeichnet eine: Sie wurde gelöscht.</translation>
    </message>
    <message>
        <source>The baseline %1 has no digest in the audit chain to be checked against; record a new baseline.</source>
        <translation>Für die Baseline %1 gibt es in der Audit-Kette keinen Hashwert zum Abgleich; erfassen Sie eine neue Baseline.</translation>
    </message>
    <message>
        <source>The baseline %1 cannot be read: %2</source>
        <translation>Die Baseline %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The baseline %1 cannot be written: %2</source>
        <translation>Die Baseline %1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>An accept needs a reason: it goes into the audit chain.</source>
        <translation>Eine Übernahme braucht eine Begründung: Sie wird in der Audit-Kette festgehalten.</translation>
    </message>
    <message>
        <source>Nothing to accept: no check has found differences since the baseline was recorded.</source>
        <translation>Nichts zu übernehmen: Seit die Baseline erfasst wurde, hat keine Prüfung Abweichungen gefunden.</translation>
    </message>
    <message>
        <source>The last check found no differences to accept.</source>
        <translation>Die letzte Prüfung hat keine Abweichungen gefunden, die übernommen werden könnten.</translation>
    </message>
    <message>
        <source>The last check found no difference at %1.</source>
        <translation>Die letzte Prüfung hat bei %1 keine Abweichung gefunden.</translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation>Abgebrochen: %1</translation>
    </message>
    <message>
        <source>There is no backup set %1 in the configuration (backup.sets).</source>
        <translation>Es gibt keinen Sicherungssatz %1 in der Konfiguration (backup.sets).</translation>
    </message>
    <message>
        <source>%1 is not a backup type: choose full, incremental or differential.</source>
        <translation>%1 ist keine Sicherungsart: wählen Sie full, incremental oder differential.</translation>
    </message>
    <message>
        <source>A restore needs absolute paths: %1</source>
        <translation>Eine Wiederherstellung braucht absolute Pfade: %1</translation>
    </message>
    <message>
        <source>That operation is queued or running already; wait for it or cancel it (%1).</source>
        <translation>Diese Operation wartet oder läuft bereits; warten Sie auf sie oder brechen Sie sie ab (%1).</translation>
    </message>
    <message>
        <source>Cancelled by the operator.</source>
        <translation>Vom Bediener abgebrochen.</translation>
    </message>
    <message>
        <source>That operation is not known (any more).</source>
        <translation>Diese Operation ist (nicht mehr) bekannt.</translation>
    </message>
    <message>
        <source>That operation has finished already: there is nothing to cancel.</source>
        <translation>Diese Operation ist bereits beendet: es gibt nichts abzubrechen.</translation>
    </message>
    <message>
        <source>No snapshot matches: %1</source>
        <translation>Kein Snapshot passt: %1</translation>
    </message>
    <message>
        <source>The passphrase or key file does not open the repository: %1</source>
        <translation>Die Passphrase oder Schlüsseldatei öffnet das Repository nicht: %1</translation>
    </message>
    <message>
        <source>The repository&apos;s passphrase cannot be read: %1</source>
        <translation>Die Passphrase des Repositorys kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The configured repository is not a backup repository: %1</source>
        <translation>Das konfigurierte Repository ist kein Sicherungs-Repository: %1</translation>
    </message>
    <message>
        <source>The repository is locked by another process: %1</source>
        <translation>Das Repository ist von einem anderen Prozess gesperrt: %1</translation>
    </message>
    <message>
        <source>The repository was altered: %1. Run a full verify and restore from another copy.</source>
        <translation>Das Repository wurde verändert: %1. Führen Sie eine vollständige Prüfung aus und stellen Sie aus einer anderen Kopie wieder her.</translation>
    </message>
    <message>
        <source>A pack of the repository is truncated: %1</source>
        <translation>Ein Pack des Repositorys ist abgeschnitten: %1</translation>
    </message>
    <message>
        <source>The repository lacks data a snapshot needs: %1</source>
        <translation>Dem Repository fehlen Daten, die ein Snapshot braucht: %1</translation>
    </message>
    <message>
        <source>The verify found problems in the repository: %1</source>
        <translation>Die Prüfung fand Probleme im Repository: %1</translation>
    </message>
    <message>
        <source>The restore drill&apos;s copy differs from the snapshot: %1</source>
        <translation>Die Kopie der Wiederherstellungsübung weicht vom Snapshot ab: %1</translation>
    </message>
    <message>
        <source>A file of the set cannot be read: %1</source>
        <translation>Eine Datei des Satzes kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The restore cannot write: %1</source>
        <translation>Die Wiederherstellung kann nicht schreiben: %1</translation>
    </message>
    <message>
        <source>The backup catalogue in the engine&apos;s database failed: %1</source>
        <translation>Der Sicherungskatalog in der Datenbank der Engine ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>There is no pipeline called %1 (any more).</source>
        <translation>Eine Pipeline namens %1 gibt es nicht (mehr).</translation>
    </message>
    <message>
        <source>The pipeline %1 has no parameter %2; remove it or check its name.</source>
        <translation>Die Pipeline %1 hat keinen Parameter %2; entfernen Sie ihn oder prüfen Sie den Namen.</translation>
    </message>
    <message>
        <source>There is no run %1 (any more): retention may have deleted it.</source>
        <translation>Den Lauf %1 gibt es nicht (mehr): Die Aufbewahrung hat ihn vielleicht gelöscht.</translation>
    </message>
    <message>
        <source>Run %1 has finished already: there is nothing to cancel.</source>
        <translation>Lauf %1 ist schon beendet: Es gibt nichts abzubrechen.</translation>
    </message>
    <message>
        <source>Run %1 is not in the dead-letter queue (any more): it is %2.</source>
        <translation>Lauf %1 ist nicht (mehr) in der Dead-Letter-Queue: Er ist %2.</translation>
    </message>
    <message>
        <source>The pipelines&apos; job store failed: %1</source>
        <translation>Der Job-Speicher der Pipelines ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>A pipeline file has an error: %1</source>
        <translation>Eine Pipeline-Datei hat einen Fehler: %1</translation>
    </message>
    <message>
        <source>%1 cannot be restored: it was added (it is not in the baseline) or differs only in its inode or change time. Accept it instead.</source>
        <translation>%1 kann nicht wiederhergestellt werden: Die Datei ist neu (nicht in der Baseline) oder unterscheidet sich nur in Inode oder Änderungszeit. Übernehmen Sie sie stattdessen.</translation>
    </message>
    <message>
        <source>%1 has no safe snapshot: its set is not protect: restore, or the file was too large or unreadable when the baseline was recorded.</source>
        <translation>%1 hat keinen sicheren Snapshot: Ihr Set ist nicht protect: restore, oder die Datei war beim Aufzeichnen der Baseline zu groß oder nicht lesbar.</translation>
    </message>
    <message>
        <source>The safe snapshot of %1 cannot be trusted; nothing was restored from it: %2</source>
        <translation>Dem sicheren Snapshot von %1 kann nicht vertraut werden; daraus wurde nichts wiederhergestellt: %2</translation>
    </message>
    <message>
        <source>%1 could not be restored: %2</source>
        <translation>%1 konnte nicht wiederhergestellt werden: %2</translation>
    </message>
    <message>
        <source>The integrity snapshot store cannot be used: %1</source>
        <translation>Der Snapshot-Speicher der Integritätsprüfung ist nicht nutzbar: %1</translation>
    </message>
    <message>
        <source>bad exposition: %1</source>
        <translation>fehlerhafte Exposition: %1</translation>
    </message>
    <message>
        <source>the scrape is larger than %1 MiB</source>
        <translation>der Scrape ist größer als %1 MiB</translation>
    </message>
    <message>
        <source>pg_dump or pg_restore failed; nothing of that database was stored or changed: %1</source>
        <translation>pg_dump oder pg_restore ist fehlgeschlagen; von dieser Datenbank wurde nichts gesichert oder geändert: %1</translation>
    </message>
    <message>
        <source>The %1 module is not running</source>
        <translation>Das Modul %1 läuft nicht</translation>
    </message>
    <message>
        <source>Process %1: %2</source>
        <translation>Prozess %1: %2</translation>
    </message>
    <message>
        <source>Process %1 is no longer supervised</source>
        <translation>Prozess %1 wird nicht mehr überwacht</translation>
    </message>
    <message>
        <source>Target %1: %2</source>
        <translation>Ziel %1: %2</translation>
    </message>
    <message>
        <source>No target named %1</source>
        <translation>Kein Ziel namens %1</translation>
    </message>
    <message>
        <source>No supervised process named %1</source>
        <translation>Kein überwachter Prozess namens %1</translation>
    </message>
    <message>
        <source>No backup set named %1</source>
        <translation>Kein Sicherungssatz namens %1</translation>
    </message>
    <message>
        <source>%1 is not an executable program</source>
        <translation>%1 ist kein ausführbares Programm</translation>
    </message>
    <message>
        <source>Dry run: the step would run (%1)</source>
        <translation>Probelauf: Der Schritt würde ausgeführt (%1)</translation>
    </message>
    <message>
        <source>%1 entries match the manifest of snapshot %2</source>
        <translation>%1 Einträge stimmen mit dem Manifest von Snapshot %2 überein</translation>
    </message>
    <message>
        <source>%1 entries would change</source>
        <translation>%1 Einträge würden sich ändern</translation>
    </message>
    <message>
        <source>%1 files (%2) restored from snapshot %3</source>
        <translation>%1 Dateien (%2) aus Snapshot %3 wiederhergestellt</translation>
    </message>
    <message>
        <source>Guardian mode %1 (was %2)</source>
        <translation>Wächtermodus %1 (vorher %2)</translation>
    </message>
    <message>
        <source>%1 is no longer isolated</source>
        <translation>%1 ist nicht mehr isoliert</translation>
    </message>
    <message>
        <source>%1 isolated for %2</source>
        <translation>%1 für %2 isoliert</translation>
    </message>
    <message>
        <source>Degradation level no longer pinned</source>
        <translation>Degradationsstufe nicht mehr festgesetzt</translation>
    </message>
    <message>
        <source>Degradation pinned at %1</source>
        <translation>Degradation auf %1 festgesetzt</translation>
    </message>
    <message>
        <source>Notified: %1 (alert DrNotify sent to the notifiers)</source>
        <translation>Benachrichtigt: %1 (Alarm DrNotify an die Benachrichtigungskanäle gesendet)</translation>
    </message>
    <message>
        <source>Notified: %1 (in the audit chain only: %2)</source>
        <translation>Benachrichtigt: %1 (nur in der Audit-Kette: %2)</translation>
    </message>
    <message>
        <source>The webhook answered HTTP %1</source>
        <translation>Der Webhook antwortete mit HTTP %1</translation>
    </message>
    <message>
        <source>The webhook failed: %1</source>
        <translation>Der Webhook schlug fehl: %1</translation>
    </message>
    <message>
        <source>The command could not start: %1</source>
        <translation>Der Befehl konnte nicht starten: %1</translation>
    </message>
    <message>
        <source>The command ended with exit code %1</source>
        <translation>Der Befehl endete mit Exit-Code %1</translation>
    </message>
    <message>
        <source>Timed out after %1</source>
        <translation>Zeitüberschreitung nach %1</translation>
    </message>
    <message>
        <source>Aborted by %1</source>
        <translation>Abgebrochen von %1</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::FeatureMatrixModel</name>
    <message>
        <source>%1 (now)</source>
        <translation>%1 (jetzt)</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>on</source>
        <translation>an</translation>
    </message>
    <message>
        <source>%1 at %2: %3</source>
        <translation>%1 bei %2: %3</translation>
    </message>
    <message>
        <source>runs at %1 quality</source>
        <translation>läuft mit %1 Qualität</translation>
    </message>
    <message>
        <source>runs</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>switched off</source>
        <translation>abgeschaltet</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::GaugeWidget</name>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::GuardianPage</name>
    <message>
        <source>NORMAL</source>
        <translation>NORMAL</translation>
    </message>
    <message>
        <source>ELEVATED</source>
        <translation>ERHÖHT</translation>
    </message>
    <message>
        <source>LOCKDOWN</source>
        <translation>ABRIEGELUNG</translation>
    </message>
    <message>
        <source>Watching: threats are recorded and policies apply.</source>
        <translation>Beobachtung: Bedrohungen werden erfasst, Richtlinien greifen.</translation>
    </message>
    <message>
        <source>Elevated: an attack may be under way; policies act.</source>
        <translation>Erhöht: Ein Angriff ist möglich; Richtlinien handeln.</translation>
    </message>
    <message>
        <source>Lockdown: beyond loopback only liveness and readiness answer; external targets are stopped.</source>
        <translation>Abriegelung: Außerhalb von Loopback antworten nur Liveness und Readiness; externe Ziele sind gestoppt.</translation>
    </message>
    <message>
        <source>Defense mode</source>
        <translation>Abwehrmodus</translation>
    </message>
    <message>
        <source>M&amp;ode:</source>
        <translation>M&amp;odus:</translation>
    </message>
    <message>
        <source>&amp;Set mode…</source>
        <translation>Modus &amp;setzen…</translation>
    </message>
    <message>
        <source>Threats</source>
        <translation>Bedrohungen</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>Alle Typen</translation>
    </message>
    <message>
        <source>Any severity</source>
        <translation>Jeder Schweregrad</translation>
    </message>
    <message>
        <source>Warning and critical</source>
        <translation>Warnung und kritisch</translation>
    </message>
    <message>
        <source>Critical only</source>
        <translation>Nur kritisch</translation>
    </message>
    <message>
        <source>Filter by source (address, user)</source>
        <translation>Nach Quelle filtern (Adresse, Benutzer)</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>Gesamter Zeitraum</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Isolated sources</source>
        <translation>Isolierte Quellen</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Verbleibend</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>&amp;Release</source>
        <translation>&amp;Freigeben</translation>
    </message>
    <message>
        <source>Threat events per second</source>
        <translation>Bedrohungsereignisse pro Sekunde</translation>
    </message>
    <message>
        <source>seconds ago</source>
        <translation>Sekunden zuvor</translation>
    </message>
    <message>
        <source>Since %1 — %2</source>
        <translation>Seit %1 — %2</translation>
    </message>
    <message>
        <source>An operator set %1: automatic steps stay at or above it.</source>
        <translation>Ein Operator hat %1 gesetzt: Automatische Schritte bleiben auf oder über diesem Modus.</translation>
    </message>
    <message>
        <source>Steps down at %1 if all stays quiet.</source>
        <translation>Stuft um %1 herab, wenn alles ruhig bleibt.</translation>
    </message>
    <message>
        <source>until %1</source>
        <translation>bis %1</translation>
    </message>
    <message>
        <source>%1 of %2 rows shown</source>
        <translation>%1 von %2 Zeilen angezeigt</translation>
    </message>
    <message>
        <source>Set the defense mode</source>
        <translation>Abwehrmodus setzen</translation>
    </message>
    <message>
        <source>Why set %1? The reason goes into the audit log.</source>
        <translation>Warum %1 setzen? Der Grund kommt ins Audit-Protokoll.</translation>
    </message>
    <message>
        <source>Mode set to %1.</source>
        <translation>Modus auf %1 gesetzt.</translation>
    </message>
    <message>
        <source>%1 released.</source>
        <translation>%1 freigegeben.</translation>
    </message>
    <message>
        <source>Request rate</source>
        <translation>Anfragerate</translation>
    </message>
    <message>
        <source>Failed token checks</source>
        <translation>Fehlgeschlagene Token-Prüfungen</translation>
    </message>
    <message>
        <source>Distinct paths</source>
        <translation>Verschiedene Pfade</translation>
    </message>
    <message>
        <source>Error ratio</source>
        <translation>Fehlerquote</translation>
    </message>
    <message>
        <source>Log watchers</source>
        <translation>Log-Wächter</translation>
    </message>
    <message>
        <source>loopback</source>
        <translation>Loopback</translation>
    </message>
    <message>
        <source>private network</source>
        <translation>privates Netz</translation>
    </message>
    <message>
        <source>public address</source>
        <translation>öffentliche Adresse</translation>
    </message>
    <message>
        <source>name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>&amp;Group by source</source>
        <translation>Nach &amp;Quelle gruppieren</translation>
    </message>
    <message>
        <source>Threat score</source>
        <translation>Bedrohungswert</translation>
    </message>
    <message>
        <source>Feature</source>
        <translation>Merkmal</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Punkte</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Select a threat to see why its source scores what it does.</source>
        <translation>Eine Bedrohung auswählen, um zu sehen, warum ihre Quelle diesen Wert hat.</translation>
    </message>
    <message>
        <source>Reading the score of %1…</source>
        <translation>Wert von %1 wird gelesen …</translation>
    </message>
    <message>
        <source>%1 scores %2 of 100 now (source class: %3).</source>
        <translation>%1 hat jetzt %2 von 100 Punkten (Quellklasse: %3).</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::HistoryChartView</name>
    <message>
        <source>%1
%2
%3</source>
        <translation>%1
%2
%3</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::HistoryPage</name>
    <message>
        <source>raw samples</source>
        <translation>Rohwerte</translation>
    </message>
    <message>
        <source>1-minute averages</source>
        <translation>Minutenmittel</translation>
    </message>
    <message>
        <source>1-hour averages</source>
        <translation>Stundenmittel</translation>
    </message>
    <message>
        <source>Last 15 minutes</source>
        <translation>Letzte 15 Minuten</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Eigener Zeitraum</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Bis</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>Drag to zoom in · wheel to zoom time · right-drag or arrow keys to pan</source>
        <translation>Ziehen zum Vergrößern · Mausrad zoomt die Zeit · Rechts ziehen oder Pfeiltasten zum Verschieben</translation>
    </message>
    <message>
        <source>The range must start before it ends.</source>
        <translation>Der Zeitraum muss vor seinem Ende beginnen.</translation>
    </message>
    <message>
        <source>Cannot read history: %1</source>
        <translation>Verlauf nicht lesbar: %1</translation>
    </message>
    <message>
        <source>Tick one or more series on the left</source>
        <translation>Links eine oder mehrere Reihen ankreuzen</translation>
    </message>
    <message numerus="yes">
        <source>%n series available</source>
        <translation>
            <numerusform>%n Reihe verfügbar</numerusform>
            <numerusform>%n Reihen verfügbar</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n series, %1 points (%2), updated %3</source>
        <translation>
            <numerusform>%n Reihe, %1 Punkte (%2), aktualisiert %3</numerusform>
            <numerusform>%n Reihen, %1 Punkte (%2), aktualisiert %3</numerusform>
        </translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>Exportiert nach %1</translation>
    </message>
    <message>
        <source>&amp;Reset zoom</source>
        <translation>&amp;Zoom zurücksetzen</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>CSV &amp;exportieren…</translation>
    </message>
    <message>
        <source>No data in this range</source>
        <translation>Keine Daten in diesem Zeitraum</translation>
    </message>
    <message>
        <source>&amp;Show %1 – %2</source>
        <translation>&amp;Bereich %1 – %2 zeigen</translation>
    </message>
    <message>
        <source>&amp;Show %1</source>
        <translation>&amp;Bereich mit Daten: %1</translation>
    </message>
    <message>
        <source>&amp;Add to dashboard…</source>
        <translation>Zum D&amp;ashboard hinzufügen…</translation>
    </message>
    <message>
        <source>Explore</source>
        <translation>Erkunden</translation>
    </message>
    <message>
        <source>Add to dashboard</source>
        <translation>Zum Dashboard hinzufügen</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>Chart title</source>
        <translation>Diagrammtitel</translation>
    </message>
    <message numerus="yes">
        <source>The chart shows the %n ticked series over the page&apos;s range.</source>
        <translation>
            <numerusform>Das Diagramm zeigt die %n angehakte Reihe über den Zeitraum der Seite.</numerusform>
            <numerusform>Das Diagramm zeigt die %n angehakten Reihen über den Zeitraum der Seite.</numerusform>
        </translation>
    </message>
    <message>
        <source>A dashboard needs a name, and the chart at least one ticked series.</source>
        <translation>Ein Dashboard braucht einen Namen und das Diagramm mindestens eine angehakte Reihe.</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::HostPanel</name>
    <message>
        <source>Host</source>
        <translation>Rechner</translation>
    </message>
    <message>
        <source>Load (1/5/15 min)</source>
        <translation>Last (1/5/15 min)</translation>
    </message>
    <message>
        <source>CPU cores</source>
        <translation>CPU-Kerne</translation>
    </message>
    <message>
        <source>Memory used</source>
        <translation>Speicher belegt</translation>
    </message>
    <message>
        <source>Swap used</source>
        <translation>Auslagerung belegt</translation>
    </message>
    <message>
        <source>Filesystems</source>
        <translation>Dateisysteme</translation>
    </message>
    <message>
        <source>Disk read / write</source>
        <translation>Datenträger lesen / schreiben</translation>
    </message>
    <message>
        <source>Network in / out</source>
        <translation>Netzwerk ein / aus</translation>
    </message>
    <message>
        <source>Engine memory</source>
        <translation>Engine-Speicher</translation>
    </message>
    <message>
        <source>Engine CPU</source>
        <translation>Engine-CPU</translation>
    </message>
    <message>
        <source>Engine threads</source>
        <translation>Engine-Threads</translation>
    </message>
    <message>
        <source>Engine open files</source>
        <translation>Offene Dateien der Engine</translation>
    </message>
    <message>
        <source>%1 / %2 / %3</source>
        <translation>%1 / %2 / %3</translation>
    </message>
    <message>
        <source>%1 of %2 (%3)</source>
        <translation>%1 von %2 (%3)</translation>
    </message>
    <message>
        <source>no swap</source>
        <translation>keine Auslagerung</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 (%2): %3 free of %4</source>
        <translation>%1 (%2): %3 von %4 frei</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::IntegrityDifferencesModel</name>
    <message>
        <source>content</source>
        <translation>Inhalt</translation>
    </message>
    <message>
        <source>size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>permissions</source>
        <translation>Berechtigungen</translation>
    </message>
    <message>
        <source>owner</source>
        <translation>Eigentümer</translation>
    </message>
    <message>
        <source>group</source>
        <translation>Gruppe</translation>
    </message>
    <message>
        <source>inode</source>
        <translation>Inode</translation>
    </message>
    <message>
        <source>modified time</source>
        <translation>Änderungszeit (Inhalt)</translation>
    </message>
    <message>
        <source>change time</source>
        <translation>Statusänderungszeit</translation>
    </message>
    <message>
        <source>type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>readable</source>
        <translation>lesbar</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Hinzugefügt</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>Entfernt</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>SHA-256 %1…</source>
        <translation>SHA-256 %1…</translation>
    </message>
    <message>
        <source>unreadable: %1</source>
        <translation>nicht lesbar: %1</translation>
    </message>
    <message>
        <source>SHA-256 %1
Size %2 bytes, permissions %3, owner %4, group %5, inode %6
Modified %7, changed %8</source>
        <translation>SHA-256 %1
Größe %2 Byte, Berechtigungen %3, Eigentümer %4, Gruppe %5, Inode %6
Inhalt geändert %7, Status geändert %8</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <source>Set</source>
        <translation>Gruppe</translation>
    </message>
    <message>
        <source>What changed</source>
        <translation>Was sich geändert hat</translation>
    </message>
    <message>
        <source>In the baseline</source>
        <translation>In der Baseline</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::IntegrityPage</name>
    <message numerus="yes">
        <source>New baseline of %n file(s) recorded.</source>
        <translation>
            <numerusform>Neue Baseline mit %n Datei erfasst.</numerusform>
            <numerusform>Neue Baseline mit %n Dateien erfasst.</numerusform>
        </translation>
    </message>
    <message>
        <source>Baseline and checks</source>
        <translation>Baseline und Prüfungen</translation>
    </message>
    <message>
        <source>Fast &amp;check</source>
        <translation>Schnelle &amp;Prüfung</translation>
    </message>
    <message>
        <source>Reads only files whose size, inode or change time differ from the baseline</source>
        <translation>Liest nur Dateien, deren Größe, Inode oder Statusänderungszeit von der Baseline abweicht</translation>
    </message>
    <message>
        <source>F&amp;ull check</source>
        <translation>&amp;Vollständige Prüfung</translation>
    </message>
    <message>
        <source>Reads and hashes every file</source>
        <translation>Liest jede Datei und berechnet ihren Hashwert</translation>
    </message>
    <message>
        <source>New &amp;baseline…</source>
        <translation>Neue &amp;Baseline…</translation>
    </message>
    <message>
        <source>Ca&amp;ncel</source>
        <translation>Abbre&amp;chen</translation>
    </message>
    <message>
        <source>Differences from the baseline</source>
        <translation>Abweichungen von der Baseline</translation>
    </message>
    <message>
        <source>&amp;Accept selected…</source>
        <translation>Auswahl &amp;übernehmen…</translation>
    </message>
    <message>
        <source>Accept a&amp;ll…</source>
        <translation>A&amp;lle übernehmen…</translation>
    </message>
    <message>
        <source>No path sets are configured (integrity.sets in the configuration file).</source>
        <translation>Es sind keine Pfadgruppen konfiguriert (integrity.sets in der Konfigurationsdatei).</translation>
    </message>
    <message>
        <source>No baseline yet: record one with New baseline.</source>
        <translation>Noch keine Baseline: Erfassen Sie eine mit „Neue Baseline“.</translation>
    </message>
    <message>
        <source>Baseline NOT verified: %1</source>
        <translation>Baseline NICHT bestätigt: %1</translation>
    </message>
    <message numerus="yes">
        <source>Baseline: %n file(s), recorded %1, verified against the audit chain (SHA-256 %2…)</source>
        <translation>
            <numerusform>Baseline: %n Datei, erfasst %1, mit der Audit-Kette bestätigt (SHA-256 %2…)</numerusform>
            <numerusform>Baseline: %n Dateien, erfasst %1, mit der Audit-Kette bestätigt (SHA-256 %2…)</numerusform>
        </translation>
    </message>
    <message>
        <source>Last check: none since the baseline was recorded.</source>
        <translation>Letzte Prüfung: keine, seit die Baseline erfasst wurde.</translation>
    </message>
    <message>
        <source>fast</source>
        <translation>schnell</translation>
    </message>
    <message>
        <source>full</source>
        <translation>vollständig</translation>
    </message>
    <message>
        <source>%1 added, %2 removed, %3 changed</source>
        <translation>%1 hinzugefügt, %2 entfernt, %3 geändert</translation>
    </message>
    <message>
        <source>Real-time re-checks of critical files: %1</source>
        <translation>Echtzeit-Nachprüfungen kritischer Dateien: %1</translation>
    </message>
    <message numerus="yes">
        <source>Last check: %1, %2 (%n file(s) read) — %3</source>
        <translation>
            <numerusform>Letzte Prüfung: %1, %2 (%n Datei gelesen) — %3</numerusform>
            <numerusform>Letzte Prüfung: %1, %2 (%n Dateien gelesen) — %3</numerusform>
        </translation>
    </message>
    <message>
        <source>verifying the baseline</source>
        <translation>Baseline wird bestätigt</translation>
    </message>
    <message>
        <source>listing files</source>
        <translation>Dateien werden aufgelistet</translation>
    </message>
    <message>
        <source>reading %1 of %2</source>
        <translation>%1 von %2 gelesen</translation>
    </message>
    <message>
        <source>comparing</source>
        <translation>Vergleich</translation>
    </message>
    <message>
        <source>writing the baseline</source>
        <translation>Baseline wird geschrieben</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>%1, about %2 left</source>
        <translation>%1, noch etwa %2</translation>
    </message>
    <message>
        <source>Accept changes</source>
        <translation>Änderungen übernehmen</translation>
    </message>
    <message numerus="yes">
        <source>Accept all %n difference(s) into the baseline. Why are they legitimate? (recorded in the audit chain)</source>
        <translation>
            <numerusform>Die %n Abweichung in die Baseline übernehmen. Warum ist sie rechtmäßig? (wird in der Audit-Kette festgehalten)</numerusform>
            <numerusform>Alle %n Abweichungen in die Baseline übernehmen. Warum sind sie rechtmäßig? (wird in der Audit-Kette festgehalten)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Accept %n selected difference(s) into the baseline. Why are they legitimate? (recorded in the audit chain)</source>
        <translation>
            <numerusform>Die ausgewählte Abweichung in die Baseline übernehmen. Warum ist sie rechtmäßig? (wird in der Audit-Kette festgehalten)</numerusform>
            <numerusform>Die %n ausgewählten Abweichungen in die Baseline übernehmen. Warum sind sie rechtmäßig? (wird in der Audit-Kette festgehalten)</numerusform>
        </translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Übernehmen</translation>
    </message>
    <message>
        <source>An accept needs a reason: it goes into the audit chain.</source>
        <translation>Eine Übernahme braucht eine Begründung: Sie wird in der Audit-Kette festgehalten.</translation>
    </message>
    <message>
        <source>New baseline</source>
        <translation>Neue Baseline</translation>
    </message>
    <message>
        <source>Record the current state of every set as the new baseline, replacing the old one. Why? (recorded in the audit chain)</source>
        <translation>Den jetzigen Stand aller Gruppen als neue Baseline erfassen und die alte ersetzen. Warum? (wird in der Audit-Kette festgehalten)</translation>
    </message>
    <message>
        <source>Record baseline</source>
        <translation>Baseline erfassen</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) accepted into the baseline.</source>
        <translation>
            <numerusform>%n Änderung in die Baseline übernommen.</numerusform>
            <numerusform>%n Änderungen in die Baseline übernommen.</numerusform>
        </translation>
    </message>
    <message>
        <source>restoring files from their snapshots</source>
        <translation>Dateien werden aus ihren Snapshots wiederhergestellt</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::IntegrityRestoreButton</name>
    <message>
        <source>&amp;Restore selected…</source>
        <translation>Auswahl &amp;wiederherstellen…</translation>
    </message>
    <message>
        <source>Puts the selected files back as the baseline recorded them, from their safe snapshots (sets with protect: restore), verified by SHA-256</source>
        <translation>Stellt die ausgewählten Dateien so wieder her, wie die Baseline sie aufgezeichnet hat, aus ihren sicheren Snapshots (Sets mit protect: restore), geprüft per SHA-256</translation>
    </message>
    <message>
        <source>Restore files</source>
        <translation>Dateien wiederherstellen</translation>
    </message>
    <message numerus="yes">
        <source>Restore %n file(s) from their safe snapshots, replacing what is there now. Why? (recorded in the audit chain)</source>
        <translation>
            <numerusform>%n Datei aus ihrem sicheren Snapshot wiederherstellen und ersetzen, was jetzt dort liegt. Warum? (wird in der Audit-Kette festgehalten)</numerusform>
            <numerusform>%n Dateien aus ihren sicheren Snapshots wiederherstellen und ersetzen, was jetzt dort liegt. Warum? (wird in der Audit-Kette festgehalten)</numerusform>
        </translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <source>A restore needs a reason: it goes into the audit chain.</source>
        <translation>Eine Wiederherstellung braucht einen Grund: Er kommt in die Audit-Kette.</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) restored and verified by SHA-256.</source>
        <translation>
            <numerusform>%n Datei wiederhergestellt und per SHA-256 geprüft.</numerusform>
            <numerusform>%n Dateien wiederhergestellt und per SHA-256 geprüft.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::MainMenus</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open configuration…</source>
        <translation>Konfiguration &amp;öffnen…</translation>
    </message>
    <message>
        <source>&amp;Reload configuration</source>
        <translation>Konfiguration &amp;neu laden</translation>
    </message>
    <message>
        <source>Opens %1 in the editor for YAML files.</source>
        <translation>Öffnet %1 im Editor für YAML-Dateien.</translation>
    </message>
    <message>
        <source>Reads %1 again and applies it.</source>
        <translation>Liest %1 erneut ein und wendet die Konfiguration an.</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Documentation</source>
        <translation>&amp;Dokumentation</translation>
    </message>
    <message>
        <source>No documentation folder was installed with this build.</source>
        <translation>Mit diesem Build wurde kein Dokumentationsordner installiert.</translation>
    </message>
    <message>
        <source>Opens %1.</source>
        <translation>Öffnet %1.</translation>
    </message>
    <message>
        <source>&amp;About ShivX Resilience Console</source>
        <translation>Ü&amp;ber ShivX Resilience Console</translation>
    </message>
    <message>
        <source>embedded configuration</source>
        <translation>eingebettete Konfiguration</translation>
    </message>
    <message>
        <source>ShivX Resilience Console %1</source>
        <translation>ShivX Resilience Console %1</translation>
    </message>
    <message>
        <source>Operations console with an embedded resilience engine.</source>
        <translation>Betriebskonsole mit eingebetteter Resilienz-Engine.</translation>
    </message>
    <message>
        <source>Qt</source>
        <translation>Qt</translation>
    </message>
    <message>
        <source>OpenSSL</source>
        <translation>OpenSSL</translation>
    </message>
    <message>
        <source>Data directory</source>
        <translation>Datenverzeichnis</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <source>HTTP API</source>
        <translation>HTTP-API</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>No application is set up to open %1.</source>
        <translation>Keine Anwendung ist zum Öffnen von %1 eingerichtet.</translation>
    </message>
    <message>
        <source>Reload configuration</source>
        <translation>Konfiguration neu laden</translation>
    </message>
    <message>
        <source>Configuration reloaded from %1.</source>
        <translation>Konfiguration neu geladen aus %1.</translation>
    </message>
    <message>
        <source>About ShivX Resilience Console</source>
        <translation>Über ShivX Resilience Console</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>Ans&amp;icht</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Farbschema</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>&amp;System</translation>
    </message>
    <message>
        <source>Uses the colours of the desktop.</source>
        <translation>Verwendet die Farben der Arbeitsumgebung.</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Hell</translation>
    </message>
    <message>
        <source>Dark text on light backgrounds.</source>
        <translation>Dunkle Schrift auf hellem Grund.</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Dunkel</translation>
    </message>
    <message>
        <source>Light text on dark backgrounds.</source>
        <translation>Helle Schrift auf dunklem Grund.</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>Layout &amp;zurücksetzen</translation>
    </message>
    <message>
        <source>Splitters, column widths, sort orders and the window size as they were at first start.</source>
        <translation>Teiler, Spaltenbreiten, Sortierung und Fenstergröße wie beim ersten Start.</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::MainWindow</name>
    <message>
        <source>Waiting for the first sample</source>
        <translation>Warte auf die erste Messung</translation>
    </message>
    <message>
        <source>Health: %1</source>
        <translation>Zustand: %1</translation>
    </message>
    <message>
        <source>Engine: %1</source>
        <translation>Engine: %1</translation>
    </message>
    <message>
        <source>API off</source>
        <translation>API aus</translation>
    </message>
    <message>
        <source>API %1</source>
        <translation>API %1</translation>
    </message>
    <message>
        <source>Data directory: %1</source>
        <translation>Datenverzeichnis: %1</translation>
    </message>
    <message>
        <source>Last sample %1</source>
        <translation>Letzte Messung %1</translation>
    </message>
    <message>
        <source>Health: %1 (%2)</source>
        <translation>Zustand: %1 (%2)</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>Not ready</source>
        <translation>Nicht bereit</translation>
    </message>
    <message>
        <source>%1: %2%3</source>
        <translation>%1: %2%3</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>failing</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>ShivX Resilience Console — %1</source>
        <translation>ShivX Resilience Console — %1</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::OverviewPage</name>
    <message>
        <source>Health score</source>
        <translation>Gesundheitswert</translation>
    </message>
    <message>
        <source>of 100</source>
        <translation>von 100</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>Disk</source>
        <translation>Datenträger</translation>
    </message>
    <message>
        <source>Score breakdown</source>
        <translation>Aufschlüsselung des Werts</translation>
    </message>
    <message>
        <source>Waiting for the first health report…</source>
        <translation>Warte auf den ersten Zustandsbericht…</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>Ziele</translation>
    </message>
    <message>
        <source>load %1</source>
        <translation>Last %1</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>fullest: %1</source>
        <translation>am vollsten: %1</translation>
    </message>
    <message>
        <source>%1: score %2, %3 points off 100 as itemised below</source>
        <translation>%1: Wert %2, %3 Punkte Abzug von 100, unten aufgeschlüsselt</translation>
    </message>
    <message numerus="yes">
        <source>%n target(s): %1 up, %2 degraded, %3 down</source>
        <translation>
            <numerusform>%n Ziel: %1 erreichbar, %2 beeinträchtigt, %3 ausgefallen</numerusform>
            <numerusform>%n Ziele: %1 erreichbar, %2 beeinträchtigt, %3 ausgefallen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, recovering</source>
        <translation>%1, erholt sich</translation>
    </message>
    <message>
        <source>Degradation: %1 (pinned by %2) — %3</source>
        <translation>Degradation: %1 (festgesetzt von %2) — %3</translation>
    </message>
    <message>
        <source>Degradation: %1 — %2</source>
        <translation>Degradation: %1 — %2</translation>
    </message>
    <message numerus="yes">
        <source>Circuit open: %1. Probes are held back until a trial call succeeds; see Recovery.</source>
        <translation>
            <numerusform>Circuit Breaker offen: %1. Prüfungen werden zurückgehalten, bis ein Testaufruf gelingt; siehe Wiederherstellung.</numerusform>
            <numerusform>Circuit Breaker offen: %1. Prüfungen werden zurückgehalten, bis ein Testaufruf gelingt; siehe Wiederherstellung.</numerusform>
        </translation>
    </message>
    <message>
        <source>No targets configured — add one under targets: in the configuration file (see docs/configuration.md), then File &gt; Reload configuration.</source>
        <translation>Keine Ziele konfiguriert — fügen Sie eines unter targets: in der Konfigurationsdatei hinzu (siehe docs/configuration.md), dann Datei &gt; Konfiguration neu laden.</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::PipelineWording</name>
    <message>
        <source>Queued</source>
        <translation>In der Warteschlange</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <source>Dead letter</source>
        <translation>Dead Letter</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Discarded</source>
        <translation>Verworfen</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation>Zeit überschritten</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>manuell</translation>
    </message>
    <message>
        <source>schedule</source>
        <translation>Zeitplan</translation>
    </message>
    <message>
        <source>retry</source>
        <translation>Wiederholung</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::PipelinesModel</name>
    <message>
        <source>by hand</source>
        <translation>von Hand</translation>
    </message>
    <message>
        <source>#%1, %2</source>
        <translation>Nr. %1, %2</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>Untätig</translation>
    </message>
    <message>
        <source>%1
%2</source>
        <translation>%1
%2</translation>
    </message>
    <message>
        <source>Pipeline</source>
        <translation>Pipeline</translation>
    </message>
    <message>
        <source>Stages</source>
        <translation>Stufen</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Zeitplan</translation>
    </message>
    <message>
        <source>Next run</source>
        <translation>Nächster Lauf</translation>
    </message>
    <message>
        <source>Last run</source>
        <translation>Letzter Lauf</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::PipelinesPage</name>
    <message>
        <source>Dead-letter queue (%1)</source>
        <translation>Dead-Letter-Queue (%1)</translation>
    </message>
    <message>
        <source>Pipelines</source>
        <translation>Pipelines</translation>
    </message>
    <message>
        <source>&amp;Run…</source>
        <translation>&amp;Ausführen…</translation>
    </message>
    <message>
        <source>Start a run of the selected pipeline, with its parameters.</source>
        <translation>Einen Lauf der gewählten Pipeline mit ihren Parametern starten.</translation>
    </message>
    <message>
        <source>Graph</source>
        <translation>Graph</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>&amp;Cancel run…</source>
        <translation>Lauf a&amp;bbrechen…</translation>
    </message>
    <message>
        <source>Stop the run: running stages get SIGTERM, then SIGKILL; pending ones do not start.</source>
        <translation>Den Lauf beenden: Laufende Stufen erhalten SIGTERM, dann SIGKILL; wartende starten nicht.</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Pipeline files that did not load:</source>
        <translation>Pipeline-Dateien, die nicht geladen wurden:</translation>
    </message>
    <message>
        <source>No pipelines: put pipeline files into the folder pipelines.directory names.</source>
        <translation>Keine Pipelines: Legen Sie Pipeline-Dateien in den Ordner, den pipelines.directory nennt.</translation>
    </message>
    <message>
        <source>%1 has not run yet: Run starts it.</source>
        <translation>%1 lief noch nie: „Ausführen“ startet sie.</translation>
    </message>
    <message>
        <source>Select a pipeline to see its stages.</source>
        <translation>Wählen Sie eine Pipeline, um ihre Stufen zu sehen.</translation>
    </message>
    <message>
        <source>%1: not run yet (the graph of its current definition)</source>
        <translation>%1: noch nie gelaufen (der Graph ihrer aktuellen Definition)</translation>
    </message>
    <message>
        <source>Run %1 of %2: %3, %4 by %5, created %6</source>
        <translation>Lauf %1 von %2: %3, %4 durch %5, erstellt %6</translation>
    </message>
    <message>
        <source>Parameters: %1</source>
        <translation>Parameter: %1</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <source>Queued: waiting for an earlier run of %1</source>
        <translation>In der Warteschlange: wartet auf einen früheren Lauf von %1</translation>
    </message>
    <message>
        <source>Stages done: %1 of %2</source>
        <translation>Stufen erledigt: %1 von %2</translation>
    </message>
    <message>
        <source>running for %1</source>
        <translation>läuft seit %1</translation>
    </message>
    <message>
        <source>%1, %2, finishing</source>
        <translation>%1, %2, wird abgeschlossen</translation>
    </message>
    <message>
        <source>%1, %2; no earlier run to estimate the time left from</source>
        <translation>%1, %2; kein früherer Lauf, um die Restzeit zu schätzen</translation>
    </message>
    <message>
        <source>%1, %2, about %3 left</source>
        <translation>%1, %2, noch etwa %3</translation>
    </message>
    <message>
        <source>Run %1 of %2 started.</source>
        <translation>Lauf %1 von %2 gestartet.</translation>
    </message>
    <message>
        <source>Cancel run %1</source>
        <translation>Lauf %1 abbrechen</translation>
    </message>
    <message>
        <source>Run %1 of %2 stops: its running stages are terminated and the rest do not start. A cancelled run cannot be resumed.</source>
        <translation>Lauf %1 von %2 endet: Seine laufenden Stufen werden beendet, die übrigen starten nicht. Ein abgebrochener Lauf lässt sich nicht fortsetzen.</translation>
    </message>
    <message>
        <source>Cancel run</source>
        <translation>Lauf abbrechen</translation>
    </message>
    <message>
        <source>Run %1 is being cancelled.</source>
        <translation>Lauf %1 wird abgebrochen.</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::ProcessesModel</name>
    <message>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>Startet</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Waiting to restart</source>
        <translation>Wartet auf Neustart</translation>
    </message>
    <message>
        <source>Crash loop</source>
        <translation>Absturzschleife</translation>
    </message>
    <message>
        <source>Stopping</source>
        <translation>Stoppt</translation>
    </message>
    <message>
        <source>Next start at %1</source>
        <translation>Nächster Start um %1</translation>
    </message>
    <message>
        <source>signal %1</source>
        <translation>Signal %1</translation>
    </message>
    <message>
        <source>code %1</source>
        <translation>Code %1</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>Prozess</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>PID</source>
        <translation>PID</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Laufzeit</translation>
    </message>
    <message>
        <source>Restarts</source>
        <translation>Neustarts</translation>
    </message>
    <message>
        <source>Last exit</source>
        <translation>Letztes Ende</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::ProcessesPanel</name>
    <message>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Log of %1</source>
        <translation>Protokoll von %1</translation>
    </message>
    <message>
        <source>Start the selected process now, ending a restart pause</source>
        <translation>Den ausgewählten Prozess jetzt starten und eine Neustartpause beenden</translation>
    </message>
    <message>
        <source>Stop the selected process and keep it stopped</source>
        <translation>Den ausgewählten Prozess stoppen und gestoppt lassen</translation>
    </message>
    <message>
        <source>Stop and start the selected process (not counted as a crash)</source>
        <translation>Den ausgewählten Prozess stoppen und wieder starten (zählt nicht als Absturz)</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>S&amp;toppen</translation>
    </message>
    <message>
        <source>R&amp;estart</source>
        <translation>&amp;Neu starten</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::RecoveryPage</name>
    <message>
        <source>Could not change breaker %1: %2</source>
        <translation>Circuit Breaker %1 ließ sich nicht ändern: %2</translation>
    </message>
    <message>
        <source>Breaker %1 is automatic again.</source>
        <translation>Circuit Breaker %1 ist wieder automatisch.</translation>
    </message>
    <message>
        <source>Breaker %1 forced open.</source>
        <translation>Circuit Breaker %1 erzwungen offen.</translation>
    </message>
    <message>
        <source>Breaker %1 forced closed.</source>
        <translation>Circuit Breaker %1 erzwungen geschlossen.</translation>
    </message>
    <message>
        <source>Configuration not reloaded; the running configuration stays active. %1</source>
        <translation>Konfiguration nicht neu geladen; die laufende Konfiguration bleibt aktiv. %1</translation>
    </message>
    <message>
        <source>Configuration reloaded from %1.</source>
        <translation>Konfiguration neu geladen aus %1.</translation>
    </message>
    <message>
        <source>No circuit breakers: the configuration has no targets.</source>
        <translation>Keine Circuit Breaker: Die Konfiguration hat keine Ziele.</translation>
    </message>
    <message numerus="yes">
        <source>%n breaker(s)</source>
        <translation>
            <numerusform>%n Circuit Breaker</numerusform>
            <numerusform>%n Circuit Breaker</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n open</source>
        <translation>
            <numerusform>%n offen</numerusform>
            <numerusform>%n offen</numerusform>
        </translation>
    </message>
    <message>
        <source>Circuit breakers</source>
        <translation>Circuit Breaker</translation>
    </message>
    <message>
        <source>Reject every call to the selected target until set back to automatic</source>
        <translation>Jeden Aufruf an das ausgewählte Ziel abweisen, bis wieder auf automatisch gestellt wird</translation>
    </message>
    <message>
        <source>Let every call to the selected target through, whatever fails</source>
        <translation>Jeden Aufruf an das ausgewählte Ziel durchlassen, was auch fehlschlägt</translation>
    </message>
    <message>
        <source>Let the breaker decide again, starting closed</source>
        <translation>Den Circuit Breaker wieder selbst entscheiden lassen, beginnend geschlossen</translation>
    </message>
    <message>
        <source>Read %1 again and apply its targets and recovery settings</source>
        <translation>%1 erneut lesen und seine Ziele und Wiederherstellungseinstellungen anwenden</translation>
    </message>
    <message>
        <source>Force &amp;open</source>
        <translation>&amp;Offen erzwingen</translation>
    </message>
    <message>
        <source>Force c&amp;losed</source>
        <translation>&amp;Geschlossen erzwingen</translation>
    </message>
    <message>
        <source>&amp;Automatic</source>
        <translation>&amp;Automatisch</translation>
    </message>
    <message>
        <source>&amp;Reload configuration</source>
        <translation>&amp;Konfiguration neu laden</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::RestoreWizard</name>
    <message>
        <source>Restore</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <source>Which backup</source>
        <translation>Welche Sicherung</translation>
    </message>
    <message>
        <source>Choose the set and the point in time to restore.</source>
        <translation>Wählen Sie den Satz und den Zeitpunkt, der wiederhergestellt werden soll.</translation>
    </message>
    <message>
        <source>The newest snapshot taken no later than:</source>
        <translation>Der neueste Snapshot, der nicht später entstand als:</translation>
    </message>
    <message>
        <source>This snapshot:</source>
        <translation>Dieser Snapshot:</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>Snapshot</translation>
    </message>
    <message>
        <source>Set:</source>
        <translation>Satz:</translation>
    </message>
    <message>
        <source>What and where</source>
        <translation>Was und wohin</translation>
    </message>
    <message>
        <source>Restore everything or a part, to where it was or elsewhere.</source>
        <translation>Alles oder einen Teil wiederherstellen, am ursprünglichen Ort oder anderswo.</translation>
    </message>
    <message>
        <source>Everything in the snapshot</source>
        <translation>Alles im Snapshot</translation>
    </message>
    <message>
        <source>One directory with everything below it</source>
        <translation>Ein Verzeichnis mit allem darunter</translation>
    </message>
    <message>
        <source>One file</source>
        <translation>Eine Datei</translation>
    </message>
    <message>
        <source>absolute path as it was backed up, e.g. /etc/app</source>
        <translation>absoluter Pfad wie gesichert, z. B. /etc/app</translation>
    </message>
    <message>
        <source>To the original place (overwrites what is there)</source>
        <translation>An den ursprünglichen Ort (überschreibt, was dort liegt)</translation>
    </message>
    <message>
        <source>Into this directory:</source>
        <translation>In dieses Verzeichnis:</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <source>Restore into</source>
        <translation>Wiederherstellen nach</translation>
    </message>
    <message>
        <source>Dry run</source>
        <translation>Probelauf</translation>
    </message>
    <message>
        <source>What the restore would change; nothing has been written yet.</source>
        <translation>Was die Wiederherstellung ändern würde; noch ist nichts geschrieben.</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <source>Give the absolute path of the directory or file as it was backed up.</source>
        <translation>Geben Sie den absoluten Pfad des Verzeichnisses oder der Datei an, wie er gesichert wurde.</translation>
    </message>
    <message>
        <source>Give an absolute directory to restore into.</source>
        <translation>Geben Sie ein absolutes Zielverzeichnis an.</translation>
    </message>
    <message>
        <source>Reading the set&apos;s snapshots…</source>
        <translation>Die Snapshots des Satzes werden gelesen…</translation>
    </message>
    <message>
        <source>This set has no snapshot yet: back it up first.</source>
        <translation>Dieser Satz hat noch keinen Snapshot: sichern Sie ihn zuerst.</translation>
    </message>
    <message numerus="yes">
        <source>%n snapshot(s).</source>
        <translation>
            <numerusform>%n Snapshot.</numerusform>
            <numerusform>%n Snapshots.</numerusform>
        </translation>
    </message>
    <message>
        <source>Running the dry run…</source>
        <translation>Der Probelauf läuft…</translation>
    </message>
    <message numerus="yes">
        <source>From snapshot %1 (%2): %n file(s) or directories would be created or overwritten in %3.</source>
        <translation>
            <numerusform>Aus Snapshot %1 (%2): %n Datei oder Verzeichnis würde in %3 angelegt oder überschrieben.</numerusform>
            <numerusform>Aus Snapshot %1 (%2): %n Dateien oder Verzeichnisse würden in %3 angelegt oder überschrieben.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The first %n are listed.</source>
        <translation>
            <numerusform>%n davon ist aufgeführt.</numerusform>
            <numerusform>Die ersten %n sind aufgeführt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Everything is in place already.</source>
        <translation>Alles ist bereits vorhanden.</translation>
    </message>
    <message>
        <source>create</source>
        <translation>anlegen</translation>
    </message>
    <message>
        <source>overwrite</source>
        <translation>überschreiben</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::RuleEditor</name>
    <message>
        <source>%1 of %2 series, about %3 left</source>
        <translation>%1 von %2 Reihen, noch etwa %3</translation>
    </message>
    <message>
        <source>%1 of %2 series</source>
        <translation>%1 von %2 Reihen</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 6 hours</source>
        <translation>Letzte 6 Stunden</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>&amp;Vorschau</translation>
    </message>
    <message>
        <source>&amp;Save rule</source>
        <translation>Regel &amp;speichern</translation>
    </message>
    <message>
        <source>Set alerting.rules to a directory for the console to save rules into.</source>
        <translation>Setzen Sie alerting.rules auf ein Verzeichnis, in das die Konsole Regeln speichern kann.</translation>
    </message>
    <message>
        <source>Writes the rule to %1 and applies it.</source>
        <translation>Schreibt die Regel nach %1 und wendet sie an.</translation>
    </message>
    <message>
        <source>Reading the history…</source>
        <translation>Lese den Verlauf…</translation>
    </message>
    <message>
        <source>Preview cancelled.</source>
        <translation>Vorschau abgebrochen.</translation>
    </message>
    <message>
        <source>Previewed over %1 in %2.</source>
        <translation>Vorschau über %1 in %2.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Nicht gespeichert: %1</translation>
    </message>
    <message>
        <source>Saved %1 to %2; the engine evaluates it from now on.</source>
        <translation>%1 in %2 gespeichert; die Engine wertet sie ab jetzt aus.</translation>
    </message>
    <message>
        <source>Ca&amp;ncel</source>
        <translation>Abbre&amp;chen</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::RuleForm</name>
    <message>
        <source>Start &amp;from:</source>
        <translation>&amp;Ausgehend von:</translation>
    </message>
    <message>
        <source>A new rule</source>
        <translation>Eine neue Regel</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>S&amp;eries:</source>
        <translation>&amp;Reihe:</translation>
    </message>
    <message>
        <source>F&amp;unction:</source>
        <translation>F&amp;unktion:</translation>
    </message>
    <message>
        <source>&amp;Window:</source>
        <translation>&amp;Fenster:</translation>
    </message>
    <message>
        <source>&amp;Condition:</source>
        <translation>Be&amp;dingung:</translation>
    </message>
    <message>
        <source>Fo&amp;r:</source>
        <translation>&amp;Dauer:</translation>
    </message>
    <message>
        <source>Se&amp;verity:</source>
        <translation>Sch&amp;weregrad:</translation>
    </message>
    <message>
        <source>Su&amp;mmary:</source>
        <translation>Zusa&amp;mmenfassung:</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>letters, digits and _</source>
        <translation>Buchstaben, Ziffern und _</translation>
    </message>
    <message>
        <source>e.g. 5m</source>
        <translation>z. B. 5m</translation>
    </message>
    <message>
        <source>0s fires at once</source>
        <translation>0s löst sofort aus</translation>
    </message>
    <message>
        <source>threshold</source>
        <translation>Schwellwert</translation>
    </message>
    <message>
        <source>{{ $labels.target }} is at {{ $value }}</source>
        <translation>{{ $labels.target }} steht bei {{ $value }}</translation>
    </message>
    <message>
        <source>quantile:</source>
        <translation>Quantil:</translation>
    </message>
    <message>
        <source>target:</source>
        <translation>Zielwert:</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::RulePreviewChart</name>
    <message>
        <source>pending</source>
        <translation>anstehend</translation>
    </message>
    <message>
        <source>firing</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>Preview a rule to see where it would have fired on the stored history.</source>
        <translation>Zeigen Sie die Vorschau einer Regel, um zu sehen, wo sie im gespeicherten Verlauf ausgelöst hätte.</translation>
    </message>
    <message>
        <source>No stored series matches %1 in this range.</source>
        <translation>Keine gespeicherte Reihe passt in diesem Zeitraum zu %1.</translation>
    </message>
    <message>
        <source>%1: would have fired once</source>
        <translation>%1: hätte einmal ausgelöst</translation>
    </message>
    <message>
        <source>%1: would have fired %2 times</source>
        <translation>%1: hätte %2-mal ausgelöst</translation>
    </message>
    <message>
        <source>, pending without firing: %1</source>
        <translation>, anstehend ohne Auslösung: %1</translation>
    </message>
    <message>
        <source>%1 of %2 matching series shown</source>
        <translation>%1 von %2 passenden Reihen gezeigt</translation>
    </message>
    <message>
        <source>threshold %1</source>
        <translation>Schwellwert %1</translation>
    </message>
    <message>
        <source>%1 over the window</source>
        <translation>%1 über das Fenster</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::RunParamsDialog</name>
    <message>
        <source>Run %1</source>
        <translation>%1 ausführen</translation>
    </message>
    <message>
        <source>%1 declares no parameters: it runs as defined.</source>
        <translation>%1 hat keine Parameter: Sie läuft wie definiert.</translation>
    </message>
    <message>
        <source>Parameters of this run (the stages read them as $SHIVX_PARAM_NAME). Values left as they are keep the pipeline&apos;s defaults.</source>
        <translation>Parameter dieses Laufs (die Stufen lesen sie als $SHIVX_PARAM_NAME). Unveränderte Werte behalten die Vorgaben der Pipeline.</translation>
    </message>
    <message>
        <source>Parameter</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Add parameter</source>
        <translation>Parameter hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ausführen</translation>
    </message>
    <message>
        <source>Row %1 has a value but no parameter name.</source>
        <translation>Zeile %1 hat einen Wert, aber keinen Parameternamen.</translation>
    </message>
    <message>
        <source>The parameter %1 is given twice (row %2).</source>
        <translation>Der Parameter %1 ist doppelt angegeben (Zeile %2).</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::RunsModel</name>
    <message>
        <source>Version %1
Started by %2
Parameters: %3</source>
        <translation>Version %1
Gestartet von %2
Parameter: %3</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Pipeline</source>
        <translation>Pipeline</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>Auslöser</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Failed stage</source>
        <translation>Fehlgeschlagene Stufe</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::RunsPanel</name>
    <message>
        <source>All pipelines</source>
        <translation>Alle Pipelines</translation>
    </message>
    <message>
        <source>Any state</source>
        <translation>Jeder Zustand</translation>
    </message>
    <message>
        <source>Search runs: id, parameter, actor, error</source>
        <translation>Läufe durchsuchen: ID, Parameter, Akteur, Fehler</translation>
    </message>
    <message>
        <source>%1 of %2 runs shown</source>
        <translation>%1 von %2 Läufen angezeigt</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::ScoreBreakdownModel</name>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>Disk</source>
        <translation>Datenträger</translation>
    </message>
    <message>
        <source>Disk %1</source>
        <translation>Datenträger %1</translation>
    </message>
    <message>
        <source>Target %1</source>
        <translation>Ziel %1</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>Ziele</translation>
    </message>
    <message>
        <source>Critical target cap</source>
        <translation>Deckelung durch kritisches Ziel</translation>
    </message>
    <message>
        <source>Watchdog %1</source>
        <translation>Watchdog %1</translation>
    </message>
    <message>
        <source>−%1 of %2</source>
        <translation>−%1 von %2</translation>
    </message>
    <message>
        <source>−%1</source>
        <translation>−%1</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Komponente</translation>
    </message>
    <message>
        <source>Points off</source>
        <translation>Abzug</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>0 of %1</source>
        <translation>0 von %1</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::SelectableText</name>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::SeriesPicker</name>
    <message>
        <source>Filter series</source>
        <translation>Reihen filtern</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>Reihen</translation>
    </message>
    <message>
        <source>%1
from %2
to %3</source>
        <translation>%1
von %2
bis %3</translation>
    </message>
    <message>
        <source>&amp;Clear selection</source>
        <translation>Auswahl a&amp;ufheben</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::SilenceDialog</name>
    <message>
        <source>Silence alert</source>
        <translation>Alarm stummschalten</translation>
    </message>
    <message>
        <source>Silence alerts whose labels are all</source>
        <translation>Alarme stummschalten, deren Labels alle lauten</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>Minuten</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>Stunden</translation>
    </message>
    <message>
        <source>days</source>
        <translation>Tage</translation>
    </message>
    <message>
        <source>Why (goes into the audit log)</source>
        <translation>Warum (geht ins Audit-Log)</translation>
    </message>
    <message>
        <source>&amp;For:</source>
        <translation>&amp;Für:</translation>
    </message>
    <message>
        <source>&amp;Comment:</source>
        <translation>&amp;Kommentar:</translation>
    </message>
    <message>
        <source>&amp;Silence</source>
        <translation>&amp;Stummschalten</translation>
    </message>
    <message>
        <source>until %1</source>
        <translation>bis %1</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::SilencesPanel</name>
    <message>
        <source>Silences</source>
        <translation>Stummschaltungen</translation>
    </message>
    <message>
        <source>Matches</source>
        <translation>Trifft zu auf</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>Endet</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Verbleibend</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <source>&amp;Expire silence</source>
        <translation>Stummschaltung b&amp;eenden</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::StageDetailsPanel</name>
    <message>
        <source>Attempt</source>
        <translation>Versuch</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Exit</source>
        <translation>Exit-Code</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Artifact</source>
        <translation>Artefakt</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Standard output</source>
        <translation>Standardausgabe</translation>
    </message>
    <message>
        <source>Standard error</source>
        <translation>Standardfehlerausgabe</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Artifacts (%1)</source>
        <translation>Artefakte (%1)</translation>
    </message>
    <message>
        <source>Click a stage in the graph for its attempts, log and artifacts.</source>
        <translation>Klicken Sie im Graphen auf eine Stufe, um ihre Versuche, ihr Protokoll und ihre Artefakte zu sehen.</translation>
    </message>
    <message>
        <source>Stage %1 of run %2: %3</source>
        <translation>Stufe %1 von Lauf %2: %3</translation>
    </message>
    <message>
        <source>Stage %1: no run yet</source>
        <translation>Stufe %1: noch kein Lauf</translation>
    </message>
    <message>
        <source>signal %1</source>
        <translation>Signal %1</translation>
    </message>
    <message>
        <source>No attempt yet.</source>
        <translation>Noch kein Versuch.</translation>
    </message>
    <message>
        <source>This attempt has no log file.</source>
        <translation>Dieser Versuch hat keine Protokolldatei.</translation>
    </message>
    <message>
        <source>Nothing written.</source>
        <translation>Nichts ausgegeben.</translation>
    </message>
    <message>
        <source>The log cannot be read: %1</source>
        <translation>Das Protokoll kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>No log file (yet).</source>
        <translation>(Noch) keine Protokolldatei.</translation>
    </message>
    <message>
        <source>[%1 of earlier output not shown]
</source>
        <translation>[%1 frühere Ausgabe nicht angezeigt]
</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::TableActions</name>
    <message>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Could not write %1:
%2</source>
        <translation>%1 konnte nicht geschrieben werden:
%2</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy the selected rows as tab-separated text with the column names</source>
        <translation>Die ausgewählten Zeilen als tabulatorgetrennten Text mit den Spaltennamen kopieren</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Write every row of this table to a CSV file</source>
        <translation>Alle Zeilen dieser Tabelle in eine CSV-Datei schreiben</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::TargetsModel</name>
    <message>
        <source>%1 (critical)</source>
        <translation>%1 (kritisch)</translation>
    </message>
    <message numerus="yes">
        <source>%1, %n state change(s) recently</source>
        <translation>
            <numerusform>%1, %n Zustandswechsel kürzlich</numerusform>
            <numerusform>%1, %n Zustandswechsel kürzlich</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 consecutive failure(s); %2 of %3 checks failed since start</source>
        <translation>%1 Fehlschläge in Folge; %2 von %3 Prüfungen seit dem Start fehlgeschlagen</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <source>Failures</source>
        <translation>Fehlschläge</translation>
    </message>
    <message>
        <source>Last check</source>
        <translation>Letzte Prüfung</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::ThreatsModel</name>
    <message>
        <source>info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <source>First seen %1, last seen %2</source>
        <translation>Zuerst gesehen %1, zuletzt gesehen %2</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Zuletzt gesehen</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Punkte</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>Beleg</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::VerifyBanner</name>
    <message>
        <source>Verification cancelled</source>
        <translation>Prüfung abgebrochen</translation>
    </message>
    <message>
        <source>Nothing was concluded. Verify again to check the chain.</source>
        <translation>Es wurde nichts festgestellt. Erneut prüfen, um die Kette zu kontrollieren.</translation>
    </message>
    <message>
        <source>Audit chain intact</source>
        <translation>Audit-Kette intakt</translation>
    </message>
    <message>
        <source>Tampering detected</source>
        <translation>Manipulation erkannt</translation>
    </message>
    <message>
        <source>Verification failed</source>
        <translation>Prüfung fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%1 bei %2</translation>
    </message>
    <message>
        <source>show</source>
        <translation>anzeigen</translation>
    </message>
    <message>
        <source>Verified %1 by %2</source>
        <translation>Geprüft am %1 von %2</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Anzeigen</translation>
    </message>
</context>
<context>
    <name>Shivx::Ui::VerifyPanel</name>
    <message>
        <source>Verification</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>Recompute every entry&apos;s hash and link and check the signed checkpoints</source>
        <translation>Den Hash und die Verkettung jedes Eintrags neu berechnen und die signierten Checkpoints prüfen</translation>
    </message>
    <message>
        <source>Last verified %1: %2</source>
        <translation>Zuletzt geprüft am %1: %2</translation>
    </message>
    <message>
        <source>Verifying…</source>
        <translation>Prüfe…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Breche ab…</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>There is no verification to report yet.</source>
        <translation>Es gibt noch keine Prüfung, über die berichtet werden kann.</translation>
    </message>
    <message>
        <source>%1: the report can be written as .pdf or .json</source>
        <translation>%1: Der Bericht kann als .pdf oder .json geschrieben werden</translation>
    </message>
    <message>
        <source>Export verification report</source>
        <translation>Prüfbericht exportieren</translation>
    </message>
    <message>
        <source>PDF document (*.pdf);;JSON report (*.json)</source>
        <translation>PDF-Dokument (*.pdf);;JSON-Bericht (*.json)</translation>
    </message>
    <message>
        <source>Report written to %1</source>
        <translation>Bericht geschrieben nach %1</translation>
    </message>
    <message>
        <source>Could not write the report: %1</source>
        <translation>Der Bericht konnte nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>Verify &amp;all streams</source>
        <translation>Alle Streams &amp;prüfen</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>A&amp;bbrechen</translation>
    </message>
    <message>
        <source>&amp;Export report…</source>
        <translation>Bericht &amp;exportieren…</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Operations console with an embedded resilience engine.</source>
        <translation>Betriebskonsole mit eingebetteter Resilienz-Engine.</translation>
    </message>
    <message>
        <source>Configuration file (default: the embedded one).</source>
        <translation>Konfigurationsdatei (Vorgabe: die eingebettete).</translation>
    </message>
    <message>
        <source>Data directory (overrides the configuration).</source>
        <translation>Datenverzeichnis (ersetzt das der Konfiguration).</translation>
    </message>
    <message>
        <source>HTTP API address, HOST:PORT; port 0 picks a free one.</source>
        <translation>Adresse der HTTP-API, HOST:PORT; Port 0 wählt einen freien.</translation>
    </message>
    <message>
        <source>Invalid command line</source>
        <translation>Ungültige Befehlszeile</translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation>Unerwartetes Argument: %1</translation>
    </message>
    <message>
        <source>The engine could not start</source>
        <translation>Die Engine konnte nicht starten</translation>
    </message>
</context>
</TS>
