/* The QGIS style (QML) of each exported layer, which export.c stores in the GeoPackage's
 * layer_styles table as the layer's default: what QGIS shows when the file is opened. */
#ifndef HUB_EXPORT_STYLES_H
#define HUB_EXPORT_STYLES_H

#include "util/lang.h"
#include "util/strbuf.h"

/* Appends the QML of the export layer named layer (sites, batteries, gemeenten, wijken,
 * buurten, cells_100m, cells_500m, uncovered, regions, changes) to out (the caller's), its
 * legend in l. 0, -ENOENT for a layer without a style, or -ENOMEM. */
int export_style_qml(const char *layer, enum lang l, struct strbuf *out);

#endif
