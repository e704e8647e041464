/* pvd-render's building blocks: the escapers of each output format, the
 * JSON tree reader with literal numbers, exact differences. */
#include "check.h"
#include "jtree.h"
#include "render.h"
#include <stdint.h>

static struct pvd_buf b;

static const char *html(const char *in)
{
	pvd_buf_reset(&b);
	pvd_html_escape(&b, in, strlen(in));
	return pvd_buf_str(&b);
}
static const char *md(const char *in)
{
	pvd_buf_reset(&b);
	pvd_md_escape(&b, in, strlen(in));
	return pvd_buf_str(&b);
}
static const char *csv(const char *in, char sep, int text)
{
	pvd_buf_reset(&b);
	pvd_csv_cell(&b, in, strlen(in), sep, text);
	return pvd_buf_str(&b);
}

static void escapes(void)
{
	CHECK_STR(html("<script>alert('x')</script> & \"q\""),
		  "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;", "html: markup, quotes, ampersand");
	CHECK_STR(html("\" onmouseover=\"alert(1)"), "&quot; onmouseover=&quot;alert(1)", "html: attribute break-out");
	CHECK_STR(html("a\x01" "b\tc\nd"), "a b\tc\nd", "html: C0 controls become spaces, tab and newline kept");
	CHECK_STR(html("Île-de-France · 87 %"), "Île-de-France · 87 %", "html: UTF-8 untouched");

	CHECK_STR(md("a|b *c* _d_ [e](f) <g> `h` #i ~j~ !k &l\nm\\n"),
		  "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\<g\\> \\`h\\` \\#i \\~j\\~ \\!k \\&l m\\\\n", "md: markup characters");
	CHECK_STR(md("<script>alert(1)</script>"), "\\<script\\>alert(1)\\</script\\>", "md: raw HTML neutralised");
	CHECK_STR(md("Provence-Alpes-Côte d'Azur"), "Provence-Alpes-Côte d'Azur", "md: plain text untouched");

	CHECK_STR(csv("=cmd|' /C calc'!A0", ',', 1), "'=cmd|' /C calc'!A0", "csv: formula neutralised");
	CHECK_STR(csv("+33 6 12", ',', 1), "'+33 6 12", "csv: leading + neutralised");
	CHECK_STR(csv("-2+3", ',', 1), "'-2+3", "csv: leading - in text neutralised");
	CHECK_STR(csv("@SUM(A1)", ';', 1), "'@SUM(A1)", "csv: leading @ neutralised");
	CHECK_STR(csv("\tx", ',', 1), "'\tx", "csv: leading tab neutralised");
	CHECK_STR(csv("=1,2", ',', 1), "\"'=1,2\"", "csv: neutralised and quoted");
	CHECK_STR(csv("-12.00", ',', 0), "-12.00", "csv: a number is never prefixed");
	CHECK_STR(csv("a;b", ';', 1), "\"a;b\"", "csv: separator quoted");
	CHECK_STR(csv("a;b", ',', 1), "a;b", "csv: other separator left");
	CHECK_STR(csv("say \"hi\"", ',', 1), "\"say \"\"hi\"\"\"", "csv: quotes doubled");
	CHECK_STR(csv("two\nlines", ',', 1), "\"two\nlines\"", "csv: newline quoted");
	CHECK_STR(csv("", ',', 1), "", "csv: empty cell");
}

static void jtree(void)
{
	static const char doc[] = "{\"a\": 3076335.49, \"b\": [1, \"x\\u00e9\", null, true],\n"
				  " \"c\": {\"d\": \"\\ud83d\\ude00\", \"e\": -0.5e3}}";
	struct pvd_jnode *root = NULL;
	struct pvd_err e = { 0 };
	CHECK(pvd_jtree_parse("t", doc, strlen(doc), &root, &e) == 0, "parse a document");
	const struct pvd_jnode *a = pvd_j_get(root, "a"), *bb = pvd_j_get(root, "b");
	CHECK(a && a->type == PVD_J_NUM, "a number");
	CHECK_STR(a ? a->text : NULL, "3076335.49", "number kept as its literal");
	CHECK(bb && bb->type == PVD_J_ARR && bb->n == 4, "array of 4");
	CHECK_STR(bb && bb->n == 4 ? bb->items[1]->text : NULL, "x\xc3\xa9", "\\u00e9 decoded to UTF-8");
	CHECK(bb && bb->n == 4 && bb->items[2]->type == PVD_J_NULL && bb->items[3]->type == PVD_J_BOOL, "null and true");
	CHECK_STR(pvd_j_str(pvd_j_get(root, "c"), "d"), "\xf0\x9f\x98\x80", "surrogate pair decoded");
	CHECK_STR(pvd_j_get(pvd_j_get(root, "c"), "e")->text, "-0.5e3", "exponent kept verbatim");
	CHECK(pvd_j_get(root, "c")->line == 2 && pvd_j_get(root, "c")->col == 7, "node position line 2 col 7");
	CHECK(pvd_j_str(root, "a") == NULL && pvd_j_typed(root, "b", PVD_J_OBJ) == NULL, "typed lookups");
	pvd_jnode_free(root);

	static const struct { const char *in; long line, col; const char *msg; } bad[] = {
		{ "{\"a\":1,}", 1, 8, "expected a key" },
		{ "{\"a\":1 \"b\":2}", 1, 8, "expected ',' or '}'" },
		{ "{\"a\":1,\"a\":2}", 1, 11, "duplicate key" },
		{ "[\"\\u0000\"]", 1, 3, "\\u0000 in string" },
		{ "[\"\\ud800\"]", 1, 3, "unpaired surrogate in \\u escape" },
		{ "[1,", 1, 4, "unexpected end of input" },
		{ "[\"\xff\"]", 1, 3, "invalid UTF-8 in string" },
		{ "{\n  \"a\": x\n}", 2, 8, "bad number" },
		{ "[01]", 1, 3, "expected ',' or ']'" },
		{ "{} {}", 1, 4, "trailing characters after the document" },
		{ "[\"a\nb\"]", 1, 4, "control character in string" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct pvd_err be = { 0 };
		int rc = pvd_jtree_parse("t", bad[i].in, strlen(bad[i].in), &root, &be);
		CHECK(rc == PVD_EX_DATA && root == NULL && be.line == bad[i].line && be.col == bad[i].col,
		      "bad document #%zu refused at %ld:%ld (got %ld:%ld)", i, bad[i].line, bad[i].col, be.line, be.col);
		CHECK_STR(be.msg, bad[i].msg, "bad document #%zu message", i);
	}
	char deep[300];
	memset(deep, '[', sizeof deep);
	CHECK(pvd_jtree_parse("t", deep, sizeof deep, &root, &e) == PVD_EX_DATA && strcmp(e.msg, "arrays and objects nested more than 64 deep") == 0,
	      "nesting limited");
}

static void diffs(void)
{
	struct pvd_qty c = { PVD_Q_VALUE, 1426, 1, 0 }, p = { PVD_Q_VALUE, 1312, 1, 0 };
	struct pvd_qty d = pvd_qty_diff(&c, &p);
	CHECK(d.state == PVD_Q_VALUE && d.n == 114 && d.d == 1, "count difference");
	struct pvd_qty cs = { PVD_Q_VALUE, 1426, 1640, 1 }, ps = { PVD_Q_VALUE, 1312, 1625, 1 };
	d = pvd_qty_diff(&cs, &ps);
	CHECK(d.state == PVD_Q_VALUE && d.n == 1426 * 1625 - 1312 * 1640 && d.d == 1640 * 1625, "share difference exact");
	pvd_buf_reset(&b);
	pvd_qty_text(PVD_UK_PART, &d, '.', &b);
	CHECK_STR(pvd_buf_str(&b), "0.062128", "share difference as text");
	struct pvd_qty none = { 0 }, null = { PVD_Q_NULL, 0, 0, 1 };
	CHECK(pvd_qty_diff(&c, &none).state == PVD_Q_NONE, "no previous: no difference");
	CHECK(pvd_qty_diff(&cs, &null).state == PVD_Q_NULL, "previous not computable: difference neither");
	struct pvd_qty big = { PVD_Q_VALUE, INT64_MAX, 3, 1 }, other = { PVD_Q_VALUE, 1, 7, 1 };
	CHECK(pvd_qty_diff(&big, &other).state == PVD_Q_NULL, "overflow: not computable, not wrong");
	struct pvd_qty neg = { PVD_Q_VALUE, -12345, 100, 0 };
	pvd_buf_reset(&b);
	pvd_qty_text(PVD_UK_EUR, &neg, ',', &b);
	CHECK_STR(pvd_buf_str(&b), "-123,45", "amount text with a decimal comma");
}

int main(void)
{
	escapes();
	jtree();
	diffs();
	pvd_buf_free(&b);
	return check_done();
}
