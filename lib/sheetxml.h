/* sheetxml — one XML part of a zipped workbook, parsed as it is read.
 *
 * expat is fed 64 KiB at a time from the zip entry; a handler may suspend
 * the parse (a row is complete) and pvd_xml_run() returns, to resume where
 * it stopped on the next call: memory does not grow with the part.  A
 * document type declaration (hence any entity, internal or external) is
 * refused: no workbook part has one, and entities are the way to make a
 * small file expand or read another.  Element and attribute names reach
 * the handlers as "namespace-uri|local", or as written ("x:row") when the
 * part is opened without namespace processing (faster; see pvd_xml_local). */
#ifndef PVD_SHEETXML_H
#define PVD_SHEETXML_H
#include "diag.h"
#include "zipsafe.h"
#include <expat.h>

struct pvd_xml {
	XML_Parser p;
	struct pvd_zip_entry *en;
	const char *file, *part;     /* for messages */
	int fed_last, suspended;
	struct pvd_err err;          /* set by a handler through pvd_xml_fail */
	unsigned long long *bytes;   /* counts the part's bytes, may be NULL */
	void *ud;                    /* the reader's: handlers receive the pvd_xml */
};

/* Opens part of z for parsing, with namespace processing when ns.  Handlers receive x as their user data, and
 * find theirs in x->ud. */
int pvd_xml_open(struct pvd_xml *x, struct pvd_zip *z, const char *file, const char *part, int ns, void *ud,
		 XML_StartElementHandler start, XML_EndElementHandler end, XML_CharacterDataHandler text,
		 struct pvd_err *e);
/* Opens, parses whole and closes a part (for parts read once, whole). */
int pvd_xml_parse_part(struct pvd_xml *x, struct pvd_zip *z, const char *file, const char *part, int ns, void *ud,
		       XML_StartElementHandler start, XML_EndElementHandler end, XML_CharacterDataHandler text,
		       struct pvd_err *e);
/* Parses on: 1 when a handler suspended, 0 at the end of the part, or an
 * error status with e filled. */
int pvd_xml_run(struct pvd_xml *x, struct pvd_err *e);
/* From a handler: stop after this event, to be resumed. */
void pvd_xml_suspend(struct pvd_xml *x);
/* From a handler: stop for good with this error (PVD_EX_DATA). */
void pvd_xml_fail(struct pvd_xml *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pvd_xml_close(struct pvd_xml *x);
/* The local part of a "uri|local" or "prefix:local" name. */
const char *pvd_xml_local(const char *name);
/* An attribute's value by local name (first match), or NULL. */
const char *pvd_xml_attr(const char **atts, const char *local);
/* An attribute's value by full "uri|local" name, or NULL. */
const char *pvd_xml_attr_ns(const char **atts, const char *full);
#endif
