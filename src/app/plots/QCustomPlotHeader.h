#pragma once

// Include qcustomplot.h through this header. Two inline templates in it (plottableAt, itemAt)
// use Qt's `foreach`, which QT_NO_FOREACH (on for our code) removes; both loops only read, so a
// range-based for stands in while the header is parsed.
#ifndef foreach
#define foreach(declaration, container) for (declaration : container)
#define TEXTGRAD_QCP_FOREACH
#endif
#include <qcustomplot.h>
#ifdef TEXTGRAD_QCP_FOREACH
#undef foreach
#undef TEXTGRAD_QCP_FOREACH
#endif
