#include "htmlreportpdf.h"

#include "core/timeutil.h"
#include "reportapplication.h"

#include <QAbstractTextDocumentLayout>
#include <QDateTime>
#include <QFont>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>

namespace Shivx::Reports {

namespace {

constexpr int kDpi = 300;

double mmToPx(double mm)
{
    return mm / 25.4 * kDpi;
}

} // namespace

Result<void> writeHtmlReportPdf(const HtmlReport &report, const QString &path)
{
    if (!canWritePdf())
        return makeError("report.no_gui",
            QStringLiteral("writing %1: PDF reports need a QGuiApplication (create the "
                           "application with Shivx::Reports::createApplication)")
                .arg(path));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError("report.write", QStringLiteral("%1: %2").arg(path, file.errorString()));

    const QString &title = report.title;
    {
        QPdfWriter writer(&file);
        writer.setResolution(kDpi);
        writer.setTitle(title);
        writer.setCreator(QStringLiteral("ShivX Resilience Console"));
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
            QMarginsF(18, 14, 18, 14), QPageLayout::Millimeter));

        QPainter painter;
        if (!painter.begin(&writer))
            return makeError("report.write", QStringLiteral("%1: cannot start the PDF").arg(path));

        const QRectF page = writer.pageLayout().paintRectPixels(kDpi);
        const double headerH = mmToPx(10);
        const double footerH = mmToPx(10);
        const QSizeF body(page.width(), page.height() - headerH - footerH);

        QTextDocument doc;
        doc.documentLayout()->setPaintDevice(&writer);
        QFont base(QStringLiteral("DejaVu Sans"));
        base.setStyleHint(QFont::SansSerif);
        base.setPointSizeF(9);
        // Any letter spacing (>= 1/64 px, invisible at 300 dpi) turns ligatures off, so "fi"
        // stays two letters that an auditor's
        // text search (and pdftotext) finds.
        base.setLetterSpacing(QFont::AbsoluteSpacing, 0.05);
        doc.setDefaultFont(base);
        doc.setDocumentMargin(0);
        doc.setPageSize(body);
        doc.setHtml(report.html);
        const int pages = doc.pageCount();

        QFont small = base;
        small.setPointSizeF(7.5);
        const QPen rule(QColor(0xc8, 0xcc, 0xd2), mmToPx(0.25));
        const QColor muted(0x5f, 0x66, 0x70);
        const QString generated
            = ReportFrame::tr("Generated %1")
                  .arg(TimeUtil::toRfc3339(QDateTime::currentMSecsSinceEpoch()));

        for (int i = 0; i < pages; ++i) {
            if (i > 0)
                writer.newPage();
            // Running header: what this is and its outcome, on every page an auditor may
            // have separated from the first.
            painter.setFont(small);
            painter.setPen(muted);
            const QRectF headerRect(0, 0, page.width(), headerH - mmToPx(3));
            painter.drawText(headerRect, Qt::AlignLeft | Qt::AlignBottom, title);
            painter.drawText(headerRect, Qt::AlignRight | Qt::AlignBottom, report.headerRight);
            painter.setPen(rule);
            painter.drawLine(
                QPointF(0, headerH - mmToPx(2)), QPointF(page.width(), headerH - mmToPx(2)));

            painter.save();
            painter.translate(0, headerH - i * body.height());
            doc.drawContents(&painter, QRectF(0, i * body.height(), body.width(), body.height()));
            painter.restore();

            const double footerTop = page.height() - footerH;
            painter.setPen(rule);
            painter.drawLine(
                QPointF(0, footerTop + mmToPx(2)), QPointF(page.width(), footerTop + mmToPx(2)));
            painter.setFont(small);
            painter.setPen(muted);
            const QRectF footerRect(0, footerTop + mmToPx(3), page.width(), footerH - mmToPx(3));
            painter.drawText(footerRect, Qt::AlignLeft | Qt::AlignTop, generated);
            painter.drawText(footerRect, Qt::AlignRight | Qt::AlignTop,
                ReportFrame::tr("Page %1 of %2").arg(i + 1).arg(pages));
        }
        if (!painter.end())
            return makeError(
                "report.write", QStringLiteral("%1: the PDF could not be finished").arg(path));
    }
    if (!file.commit())
        return makeError("report.write", QStringLiteral("%1: %2").arg(path, file.errorString()));
    return {};
}

} // namespace Shivx::Reports
