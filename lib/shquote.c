#include "shquote.h"

static int plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.' || c == '/' || c == ',' || c == ':' || c == '+' ||
	       c == '@' || c == '%' || c == '=';
}

static int control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* bash's $'...': backslash escapes for the control bytes, \ and \'. */
static void ansi_c(struct pvd_buf *out, const char *s)
{
	pvd_buf_adds(out, "$'");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n')
			pvd_buf_adds(out, "\\n");
		else if (*p == '\r')
			pvd_buf_adds(out, "\\r");
		else if (*p == '\t')
			pvd_buf_adds(out, "\\t");
		else if (control(*p))
			pvd_buf_printf(out, "\\x%02x", *p);
		else if (*p == '\\' || *p == '\'')
			pvd_buf_printf(out, "\\%c", *p);
		else
			pvd_buf_addc(out, (char)*p);
	}
	pvd_buf_addc(out, '\'');
}

void pvd_shquote(struct pvd_buf *out, const char *s)
{
	const char *p = s;
	for (const char *c = s; *c; c++)
		if (control((unsigned char)*c)) {
			ansi_c(out, s);
			return;
		}
	while (*p && plain((unsigned char)*p))
		p++;
	/* '=' is only safe after the first character: "=x" is fine in a word, but
	 * a leading '=' (or '~') could be taken for something else in zsh. */
	if (*s && !*p && *s != '=') {
		pvd_buf_adds(out, s);
		return;
	}
	pvd_buf_addc(out, '\'');
	for (p = s; *p; p++) {
		if (*p == '\'')
			pvd_buf_adds(out, "'\\''");
		else
			pvd_buf_addc(out, *p);
	}
	pvd_buf_addc(out, '\'');
}
