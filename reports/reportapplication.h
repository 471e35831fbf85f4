#pragma once

#include <QCoreApplication>

#include <memory>

namespace Shivx::Reports {

// The PDF writer lays text out with QFont, which needs a QGuiApplication; a QCoreApplication
// cannot be upgraded once it exists. A command-line program therefore creates its
// application object through this function instead of constructing QCoreApplication:
//
//   int main(int argc, char **argv) {
//       auto app = Shivx::Reports::createApplication(argc, argv);
//       ...
//
// When the arguments ask for a PDF (`--report FILE.pdf` or `--report=FILE.pdf`, any case),
// it returns a QGuiApplication on the "offscreen" platform, so no display is needed (an
// explicit QT_QPA_PLATFORM is respected); otherwise a plain QCoreApplication.
// Call once, before any other Qt object, on the main thread.
std::unique_ptr<QCoreApplication> createApplication(int &argc, char **argv);

// True when the arguments contain --report with a .pdf file.
bool argumentsAskForPdf(int argc, char **argv);

// True when a QGuiApplication exists, i.e. writeVerifyReportPdf() can work.
bool canWritePdf();

} // namespace Shivx::Reports
