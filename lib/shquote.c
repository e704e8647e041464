#include "shquote.h"

static int plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.' || c == '/' || c == ',' || c == ':' || c == '+' ||
	       c == '@' || c == '%' || c == '=';
}

void pvd_shquote(struct pvd_buf *out, const char *s)
{
	const char *p = s;
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
