<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
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
        <source>Reset zoom</source>
        <translation>Zoom zurücksetzen</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
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
        <source>Exported to %1</source>
        <translation>Exportiert nach %1</translation>
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
    <name>Shivx::Ui::MainWindow</name>
    <message>
        <source>ShivX Resilience Console</source>
        <translation>ShivX Resilience Console</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
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
        <source>No targets configured.</source>
        <translation>Keine Ziele konfiguriert.</translation>
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
    <name>Shivx::Ui::SeriesPicker</name>
    <message>
        <source>Filter series</source>
        <translation>Reihen filtern</translation>
    </message>
    <message>
        <source>Clear selection</source>
        <translation>Auswahl aufheben</translation>
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
        <source>Configuration error</source>
        <translation>Konfigurationsfehler</translation>
    </message>
    <message>
        <source>The engine could not start</source>
        <translation>Die Engine konnte nicht starten</translation>
    </message>
</context>
</TS>
