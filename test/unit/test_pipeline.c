/* The pipeline file of pvd-run (validation with positions, paths), shell
 * quoting, and the plan built from the stage table.  Run from the top of
 * the tree: the fixtures of fixtures/run/ are the files the pipelines name. */
#include "check.h"
#include "pipeline.h"
#include "runplan.h"
#include "shquote.h"
#include <stdlib.h>

static const char *base =
	"period: 2021-Q4\n"
	"sources:\n"
	"  - file: data/dotations.csv\n"
	"    profile: dotations-test\n"
	"  - name: o\n"
	"    file: data/ort.csv\n"
	"    profile: config/sources/ort-test.yaml\n"
	"reference:\n"
	"  pvd: pvd-test\n"
	"  communes: communes-test\n"
	"indicators: config/indicators.yaml\n"
	"output: out/2021-Q4\n";

/* Loads text as fixtures/run/t.yaml; returns the status, e filled. */
static int load(struct pvd_pipeline *p, const char *text, int flags, struct pvd_err *e)
{
	memset(e, 0, sizeof *e);
	return pvd_pipeline_parse(p, "fixtures/run/t.yaml", text, strlen(text), flags, e);
}

/* The error of a bad pipeline as "LINE:COL: message". */
static const char *error_of(const char *text)
{
	static char out[1200];
	struct pvd_pipeline p;
	struct pvd_err e;
	if (load(&p, text, 0, &e) == 0) {
		pvd_pipeline_free(&p);
		return "accepted";
	}
	snprintf(out, sizeof out, "%d %ld:%ld: %s", e.status, e.line, e.col, e.msg);
	return out;
}

/* base with one line replaced (or appended when `from` is NULL). */
static const char *with(const char *from, const char *to)
{
	static char out[4096];
	const char *at = from ? strstr(base, from) : NULL;
	if (!at)
		snprintf(out, sizeof out, "%s%s", base, to);
	else
		snprintf(out, sizeof out, "%.*s%s%s", (int)(at - base), base, to, at + strlen(from));
	return out;
}

int main(void)
{
	setenv("PVD_CONFIG", "fixtures/run/config", 1);

	/* paths */
	static const struct { const char *dir, *rel, *want; } paths[] = {
		{ "pipelines", "../fixtures/exports/x.csv", "fixtures/exports/x.csv" },
		{ "pipelines", "../out/2021-Q4", "out/2021-Q4" },
		{ ".", "a/./b//c", "a/b/c" },
		{ "", "./x", "x" },
		{ "a/b", "../../..", ".." },
		{ "a", "..", "." },
		{ "../up", "../x", "../x" },
		{ "a", "/abs/./p/../q", "/abs/q" },
		{ "/r", "../../x", "/x" },
	};
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		char *got = pvd_path_resolve(paths[i].dir, paths[i].rel);
		CHECK_STR(got, paths[i].want, "path '%s' + '%s'", paths[i].dir, paths[i].rel);
		free(got);
	}

	/* shell quoting */
	static const struct { const char *in, *want; } q[] = {
		{ "pvd-ingest", "pvd-ingest" }, { "--ref", "--ref" }, { "pvd=pvd-2021-01", "pvd=pvd-2021-01" },
		{ "a b", "'a b'" }, { "it's", "'it'\\''s'" }, { "", "''" }, { "$HOME", "'$HOME'" },
		{ "a*", "'a*'" }, { "=x", "'=x'" }, { "~x", "'~x'" }, { "é.csv", "'é.csv'" },
		{ "x;rm -rf", "'x;rm -rf'" }, { "`id`", "'`id`'" },
		/* control characters never leave quotes, never reach the script raw */
		{ "x\ntouch PWNED #.csv", "$'x\\ntouch PWNED #.csv'" }, { "a\rb", "$'a\\rb'" },
		{ "\033[31m", "$'\\x1b[31m'" }, { "it's\t\\", "$'it\\'s\\t\\\\'" }, { "\177" "1", "$'\\x7f1'" },
	};
	for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
		struct pvd_buf b = { 0 };
		pvd_shquote(&b, q[i].in);
		CHECK_STR(pvd_buf_str(&b), q[i].want, "shquote #%zu", i);
		pvd_buf_free(&b);
	}

	/* shares of rejected records, in hundredths of a percent */
	static const struct { const char *in; int want; } sh[] = {
		{ "5%", 500 }, { "0.5%", 50 }, { "12.25 %", 1225 }, { "100%", 10000 }, { "0%", 0 },
		{ "5", -1 }, { "150%", -1 }, { "-1%", -1 }, { "1.234%", -1 }, { "%", -1 }, { "5.%", -1 },
		{ "5%x", -1 }, { "", -1 }, { "99999%", -1 },
	};
	for (size_t i = 0; i < sizeof sh / sizeof *sh; i++)
		CHECK_INT(pvd_share_parse(sh[i].in), sh[i].want, "share '%s'", sh[i].in);

	/* a valid pipeline */
	struct pvd_pipeline p;
	struct pvd_err e;
	CHECK_INT(load(&p, base, 0, &e), 0, "base pipeline loads (%s)", e.msg);
	CHECK_STR(p.period, "2021-Q4", "period");
	CHECK_INT(p.nsources, 2, "two sources");
	CHECK_STR(p.sources[0].name, "dotations-test", "a source is named after its profile by default");
	CHECK_STR(p.sources[0].file, "fixtures/run/data/dotations.csv", "source file relative to the pipeline");
	CHECK_STR(p.sources[0].profile, "dotations-test", "a bare profile name is passed as it is");
	CHECK_STR(p.sources[0].profile_path, "fixtures/run/config/sources/dotations-test.yaml", "and found");
	CHECK_STR(p.sources[1].name, "o", "explicit name");
	CHECK_STR(p.sources[1].profile, "fixtures/run/config/sources/ort-test.yaml", "a profile path is resolved");
	CHECK_INT(p.nrefs, 2, "two references");
	CHECK_STR(p.refs[0].value, "pvd-test", "reference version");
	CHECK_STR(p.refs[0].path, "fixtures/run/config/ref/pvd-test.csv", "reference file found");
	CHECK_STR(p.refs[1].path, "fixtures/run/config/ref/communes-test", "reference directory found");
	CHECK_STR(p.output, "fixtures/run/out/2021-Q4", "output relative to the pipeline");
	CHECK(p.previous == NULL, "no previous");
	CHECK(p.nformats == 1 && strcmp(p.formats[0], "json") == 0, "formats default to json");

	/* the plan: the table's templates filled */
	struct pvd_plan pl;
	pvd_plan_build(&pl, &p, 0);
	CHECK_INT(pl.nsources, 2, "one job per source");
	CHECK_INT(pl.sources[0].ncmds, 4, "ingest, clean, join, aggregate: the TOTAL sums come from clean's report");
	struct pvd_buf b = { 0 };
	for (size_t i = 0; i < pl.sources[0].ncmds; i++) {
		const struct pvd_cmd *c = &pl.sources[0].cmds[i];
		pvd_buf_printf(&b, "%s%s:", i ? " | " : "", c->stage);
		for (char **a = c->argv; a && *a; a++) {
			char *w = pvd_plan_path(*a, "W", "N");
			pvd_buf_printf(&b, " %s", w);
			free(w);
		}
	}
	CHECK_STR(b.p,
		  "ingest: pvd-ingest -q --profile dotations-test --rejects N/rejects/ingest-dotations-test.ndjson"
		  " --report W/ingest-dotations-test.report.json fixtures/run/data/dotations.csv"
		  " | clean: pvd-clean -q --profile dotations-test --rejects N/rejects/clean-dotations-test.ndjson"
		  " --report W/clean-dotations-test.report.json"
		  " | join: pvd-join -q --ref pvd=pvd-test --ref communes=communes-test"
		  " --rejects N/rejects/join-dotations-test.ndjson --report W/join-dotations-test.report.json"
		  " | aggregate: pvd-aggregate -q --partial --indicators fixtures/run/config/indicators.yaml"
		  " --period 2021-Q4 --lineage W/dotations-test.lineage --rejects N/rejects/aggregate-dotations-test.ndjson"
		  " --report W/aggregate-dotations-test.report.json",
		  "a source's command lines");
	pvd_buf_reset(&b);
	for (char **a = pl.merge.cmds[0].argv; *a; a++) {
		char *w = pvd_plan_path(*a, "W", "N");
		pvd_buf_printf(&b, "%s%s", a == pl.merge.cmds[0].argv ? "" : " ", w);
		free(w);
	}
	CHECK_STR(b.p,
		  "pvd-aggregate -q --merge --indicators fixtures/run/config/indicators.yaml --period 2021-Q4"
		  " --lineage N/lineage.ndjson --rejects N/rejects/merge.ndjson --report W/merge.report.json"
		  " W/dotations-test.state W/dotations-test.lineage W/o.state W/o.lineage",
		  "the merge reads every state and every part's lineage");
	pvd_buf_reset(&b);
	for (char **a = pl.renders[0].cmds[0].argv; *a; a++) {
		char *w = pvd_plan_path(*a, "W", "N");
		pvd_buf_printf(&b, "%s%s", a == pl.renders[0].cmds[0].argv ? "" : " ", w);
		free(w);
	}
	CHECK_STR(b.p,
		  "pvd-render -q --provenance N/provenance.json --format json --output N/indicators.json"
		  " --rejects N/rejects/render-json.ndjson --report W/render-json.report.json N/indicators.ndjson",
		  "without previous, no --previous");
	pvd_buf_free(&b);
	pvd_plan_free(&pl);
	pvd_plan_build(&pl, &p, PVD_PLAN_SCRIPT);
	CHECK_INT(pl.sources[0].ncmds, 4, "a script's source: the same four commands");
	CHECK(strstr(pl.renders[0].cmds[0].argv[2], "--provenance") == NULL &&
		      strcmp(pl.renders[0].cmds[0].argv[2], "--format") == 0,
	      "a script's render has no --provenance");
	pvd_plan_free(&pl);
	pvd_pipeline_free(&p);

	/* errors: status, position, message */
	static const struct { const char *from, *to, *want; } bad[] = {
		{ "period: 2021-Q4\n", "period: 2021-Q5\n", "78 1:9: period: expected YYYY-Qn (2021-Q4), got '2021-Q5'" },
		{ "period: 2021-Q4\n", "", "78 1:1: 'period' is required" },
		{ "period: 2021-Q4\n", "period: [2021]\n", "78 1:9: 'period' must be a value" },
		{ NULL, "colour: red\n", "78 13:1: unknown key 'colour'" },
		{ "    profile: dotations-test\n", "    profil: dotations-test\n", "78 4:5: unknown key 'profil'" },
		{ "  - file: data/dotations.csv\n", "  - file: data/nothere.csv\n",
		  "78 3:11: file: cannot read fixtures/run/data/nothere.csv: No such file or directory" },
		{ "  - file: data/dotations.csv\n", "  - file: data\n", "78 3:11: file: cannot read fixtures/run/data: is a directory" },
		{ "    profile: dotations-test\n", "    profile: nosuch\n",
		  "78 4:14: profile: no sources named 'nosuch' (looked for fixtures/run/config/sources/nosuch.yaml)" },
		{ "  - name: o\n", "  - name: dotations-test\n", "78 5:5: two sources named 'dotations-test': give each a distinct 'name:'" },
		{ "  - name: o\n", "  - name: a/b\n", "78 5:11: source name 'a/b' cannot name files: letters, digits, '_', '-', '.'" },
		{ "  pvd: pvd-test\n", "  pvd: pvd-1999\n",
		  "78 9:8: reference 'pvd': no fixtures/run/config/ref/pvd-1999.csv nor fixtures/run/config/ref/pvd-1999" },
		{ "  pvd: pvd-test\n", "  pvd: ../nowhere.csv\n",
		  "78 9:8: reference: cannot read fixtures/nowhere.csv: No such file or directory" },
		{ "indicators: config/indicators.yaml\n", "indicators: \"\"\n", "78 11:13: 'indicators' is empty" },
		{ NULL, "csv: {locale: de}\n", "78 13:15: csv: locale: expected fr or c, got 'de'" },
		{ NULL, "csv: {bom: maybe}\n", "78 13:12: csv: bom: expected true or false" },
		{ NULL, "csv: {sep: ';'}\n", "78 13:7: unknown key 'sep'" },
		{ NULL, "csv: fr\n", "78 13:6: 'csv' must be a mapping ({locale: fr, bom: true})" },
		{ NULL, "previous: out/2021-Q3/indicators.json\n",
		  "78 13:11: previous: cannot read fixtures/run/out/2021-Q3/indicators.json: No such file or directory" },
		{ NULL, "formats: [json, pdf]\n", "78 13:17: formats: unknown format 'pdf' (json, html, md, csv)" },
		{ NULL, "formats: [md, md]\n", "78 13:15: formats: 'md' given twice" },
		{ NULL, "formats: []\n", "78 13:10: formats: at least one format is needed" },
		{ NULL, "formats: json\n", "78 13:10: 'formats' must be a list ([json, html, md, csv])" },
		{ "output: out/2021-Q4\n", "output: ..\n", "78 12:9: output: '..' must name a directory of its own (out/2021-Q4)" },
		{ "output: out/2021-Q4\n", "output: data/.\n", "78 12:9: output: 'data/.' must name a directory of its own (out/2021-Q4)" },
		{ "output: out/2021-Q4\n", "output: data\n",
		  "78 12:9: output: fixtures/run/data holds an input of the run (source 'dotations-test' fixtures/run/data/dotations.csv, and 1 more), which the run would delete" },
		{ "output: out/2021-Q4\n", "output: ../run\n",
		  "78 12:9: output: fixtures/run holds an input of the run (the pipeline file fixtures/run/t.yaml, and 11 more), which the run would delete" },
		{ "  - file: data/dotations.csv\n    profile: dotations-test\n", "  - data/dotations.csv\n",
		  "78 3:5: a source is a mapping (file, profile, name)" },
		{ "period: 2021-Q4\n", "period: 2021-Q4\nperiod: 2021-Q3\n", "78 2:1: duplicate key 'period'" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK_STR(error_of(with(bad[i].from, bad[i].to)), bad[i].want, "bad pipeline #%zu", i);

	/* The config directory is the pipeline's own, whatever the current
	 * directory; $PVD_CONFIG (set above) or --config wins. */
	struct pvd_pipeline pq;
	struct pvd_err qe;
	CHECK_INT(load(&pq, base, 0, &qe), 0, "loads: %s", qe.msg);
	CHECK_STR(pq.config, "fixtures/run/config", "$PVD_CONFIG");
	CHECK_STR(pq.csv_locale, "fr", "CSV: French by default");
	CHECK_INT(pq.csv_bom, 1, "with a BOM");
	pvd_pipeline_free(&pq);
	unsetenv("PVD_CONFIG");
	CHECK_INT(load(&pq, with("indicators: config/indicators.yaml\n", ""), 0, &qe), 0, "loads: %s", qe.msg);
	CHECK_STR(pq.config, "fixtures/run/config", "without $PVD_CONFIG: the config/ beside the pipeline");
	CHECK_STR(pq.indicators, "fixtures/run/config/indicators.yaml", "its catalogue by default");
	pvd_pipeline_free(&pq);
	CHECK_INT(load(&pq, with(NULL, "config: ../run/./config\ncsv: {locale: c}\n"), 0, &qe), 0, "loads: %s", qe.msg);
	CHECK_STR(pq.config, "fixtures/run/config", "config: relative to the pipeline file");
	CHECK_STR(pq.csv_locale, "c", "csv: locale c");
	CHECK_INT(pq.csv_bom, 0, "and then no BOM");
	pvd_pipeline_free(&pq);
	CHECK_INT(load(&pq, with(NULL, "csv: {locale: fr, bom: false}\n"), 0, &qe), 0, "loads: %s", qe.msg);
	CHECK_INT(pq.csv_bom, 0, "bom: false");
	pvd_pipeline_free(&pq);
	CHECK_STR(error_of(with(NULL, "config: data/dotations.csv\n")),
		  "78 13:9: config: fixtures/run/data/dotations.csv is not a directory", "config: a file");
	CHECK_STR(error_of(with("output: out/2021-Q4\n", "output: config/sources\n")),
		  "78 12:9: output: fixtures/run/config/sources holds an input of the run (the profile of source 'dotations-test' fixtures/run/config/sources/dotations-test.yaml, and 2 more), which the run would delete",
		  "the output may not hold the config directory's files");
	CHECK_STR(error_of(with("output: out/2021-Q4\n", "output: config/q4\n")),
		  "78 12:9: output: fixtures/run/config/q4 lies inside a directory the run reads (the config directory fixtures/run/config): the run writes nothing there",
		  "the output may not lie in the config directory");
	CHECK_STR(error_of(with(NULL, "config: nowhere\n")),
		  "78 13:9: config: cannot read fixtures/run/nowhere: No such file or directory", "config: nothing");
	setenv("PVD_CONFIG", "fixtures/run/config", 1);

	CHECK_STR(error_of("period: 2021-Q4\nsources: []\n"), "78 2:10: sources: at least one source is needed", "no source");
	CHECK_STR(error_of("period: 2021-Q4\nsources: [{file: data/ort.csv, profile: ort-test}]\nreference: [pvd]\n"),
		  "78 3:12: 'reference' must be a mapping (NAME: version or path)", "reference not a mapping");
	CHECK_STR(error_of("- a\n- b\n"), "78 1:1: a pipeline is a mapping (period, sources, ...)", "not a mapping");
	CHECK_STR(error_of(""), "78 0:0: empty pipeline file", "empty file");
	CHECK_STR(error_of("period: [\n"), "78 2:1: YAML syntax: did not find expected node content while parsing a flow node",
		  "YAML syntax error");
	const char *nul = with(NULL, "previous: null\n");
	CHECK_INT(load(&p, nul, 0, &e), 0, "previous: null means none");
	CHECK(p.previous == NULL, "no previous document");
	pvd_pipeline_free(&p);

	/* lenient (--print-deps): a previous document not made yet is listed */
	const char *prev = with(NULL, "previous: ../run/out/2021-Q3/indicators.json\n");
	CHECK_INT(load(&p, prev, PVD_PL_LENIENT, &e), 0, "lenient load accepts a missing previous");
	size_t n;
	char **deps = pvd_pipeline_deps(&p, &n);
	b = (struct pvd_buf){ 0 };
	for (size_t i = 0; i < n; i++) {
		pvd_buf_printf(&b, "%s\n", deps[i]);
		free(deps[i]);
	}
	free(deps);
	CHECK_STR(b.p,
		  "fixtures/run/t.yaml\n"
		  "fixtures/run/data/dotations.csv\n"
		  "fixtures/run/config/sources/dotations-test.yaml\n"
		  "fixtures/run/data/ort.csv\n"
		  "fixtures/run/config/sources/ort-test.yaml\n"
		  "fixtures/run/config/ref/pvd-test.csv\n"
		  "fixtures/run/config/ref/communes-test/communes.csv\n"
		  "fixtures/run/config/indicators.yaml\n"
		  "fixtures/run/out/2021-Q3/indicators.json\n",
		  "deps: existing inputs, a reference directory's files, the previous document");
	pvd_buf_free(&b);
	pvd_pipeline_free(&p);
	return check_done();
}
