#include "sheetxml.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define CHUNK 65536

void pvd_xml_fail(struct pvd_xml *x, const char *fmt, ...)
{
	if (!x->err.status) {
		va_list ap;
		va_start(ap, fmt);
		pvd_err_vset(&x->err, PVD_EX_DATA, x->file, 0, 0, fmt, ap);
		va_end(ap);
	}
	XML_StopParser(x->p, XML_FALSE);
}

void pvd_xml_suspend(struct pvd_xml *x)
{
	XML_StopParser(x->p, XML_TRUE);
}

/* No workbook part declares a document type: one that does is hostile. */
static void XMLCALL doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub,
			    int internal)
{
	struct pvd_xml *x = ud;
	pvd_xml_fail(x, "refused: %s declares a document type (entities are not read)", x->part);
}

static void XMLCALL entity(void *ud, const XML_Char *name, int pe, const XML_Char *v, int vlen,
			   const XML_Char *base, const XML_Char *sys, const XML_Char *pub, const XML_Char *notation)
{
	struct pvd_xml *x = ud;
	pvd_xml_fail(x, "refused: %s declares an entity", x->part);
}

static int XMLCALL external(XML_Parser p, const XML_Char *ctx, const XML_Char *base, const XML_Char *sys,
			    const XML_Char *pub)
{
	return XML_STATUS_ERROR;
}

int pvd_xml_open(struct pvd_xml *x, struct pvd_zip *z, const char *file, const char *part, int ns, void *ud,
		 XML_StartElementHandler start, XML_EndElementHandler end, XML_CharacterDataHandler text,
		 struct pvd_err *e)
{
	memset(x, 0, sizeof *x);
	x->file = file;
	x->part = part;
	x->ud = ud;
	int rc = pvd_zip_entry_open(z, part, &x->en, e);
	if (rc)
		return rc;
	x->p = ns ? XML_ParserCreateNS(NULL, '|') : XML_ParserCreate(NULL);
	if (!x->p) {
		pvd_zip_entry_close(x->en);
		return pvd_err_set(e, PVD_EX_SOFTWARE, file, 0, 0, "out of memory");
	}
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, start, end);
	XML_SetCharacterDataHandler(x->p, text);
	XML_SetStartDoctypeDeclHandler(x->p, doctype);
	XML_SetEntityDeclHandler(x->p, entity);
	XML_SetExternalEntityRefHandler(x->p, external);
	XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);
	return 0;
}

static int status(struct pvd_xml *x, enum XML_Status st, struct pvd_err *e)
{
	if (x->err.status) {
		*e = x->err;
		return e->status;
	}
	if (st == XML_STATUS_ERROR)
		return pvd_err_set(e, PVD_EX_DATA, x->file, 0, 0, "corrupt workbook: %s, line %lu: %s", x->part,
				   (unsigned long)XML_GetCurrentLineNumber(x->p), XML_ErrorString(XML_GetErrorCode(x->p)));
	if (st == XML_STATUS_SUSPENDED) {
		x->suspended = 1;
		return 1;
	}
	return 0;
}

int pvd_xml_run(struct pvd_xml *x, struct pvd_err *e)
{
	for (;;) {
		enum XML_Status st;
		if (x->suspended) {
			x->suspended = 0;
			st = XML_ResumeParser(x->p);
		} else {
			if (x->fed_last)
				return 0;
			void *buf = XML_GetBuffer(x->p, CHUNK);
			if (!buf)
				return pvd_err_set(e, PVD_EX_SOFTWARE, x->file, 0, 0, "out of memory");
			ssize_t n = pvd_zip_read(x->en, buf, CHUNK, e);
			if (n < 0)
				return e->status;
			if (x->bytes)
				*x->bytes += (unsigned long long)n;
			x->fed_last = n == 0;
			st = XML_ParseBuffer(x->p, (int)n, x->fed_last);
		}
		int rc = status(x, st, e);
		if (rc)
			return rc;
	}
}

int pvd_xml_parse_part(struct pvd_xml *x, struct pvd_zip *z, const char *file, const char *part, int ns, void *ud,
		       XML_StartElementHandler start, XML_EndElementHandler end, XML_CharacterDataHandler text,
		       struct pvd_err *e)
{
	int rc = pvd_xml_open(x, z, file, part, ns, ud, start, end, text, e);
	if (rc)
		return rc;
	while ((rc = pvd_xml_run(x, e)) == 1)
		;
	pvd_xml_close(x);
	return rc;
}

void pvd_xml_close(struct pvd_xml *x)
{
	if (x->p)
		XML_ParserFree(x->p);
	pvd_zip_entry_close(x->en);
	x->p = NULL;
	x->en = NULL;
}

const char *pvd_xml_local(const char *name)
{
	const char *l = name;
	for (const char *c = name; *c; c++)
		if (*c == '|' || *c == ':')
			l = c + 1;
	return l;
}

const char *pvd_xml_attr(const char **atts, const char *local)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (!strcmp(pvd_xml_local(atts[i]), local))
			return atts[i + 1];
	return NULL;
}

const char *pvd_xml_attr_ns(const char **atts, const char *full)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (!strcmp(atts[i], full))
			return atts[i + 1];
	return NULL;
}
