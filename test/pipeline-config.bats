#!/usr/bin/env bats
# A pipeline is self-contained (lib/pipeline.c): its config directory is
# its own (`config:`, else the project's config/), never the caller's
# ./config; --config DIR / $PVD_CONFIG win; pvd-run hands it to the filters;
# --print-deps lists every file the run reads; `csv:` sets the CSV output's
# locale and BOM (French by default).  Runs with the built programs from
# unrelated directories.
load helper

# A project: the e2e pipeline of fixtures/run with its own copy of config/
# (a copy, so that a test can change it) and the inputs it names.
setup() {
	unset PVD_CONFIG
	P=$BATS_TEST_TMPDIR/proj
	mkdir -p "$P/fixtures/run/e2e" "$P/fixtures/exports" "$BATS_TEST_TMPDIR/elsewhere"
	cp -R "$PVD_ROOT/config" "$P/config"
	cp "$PVD_ROOT/fixtures/run/e2e/detr-prefecture.csv" "$P/fixtures/run/e2e/"
	cp "$PVD_ROOT/fixtures/exports/ort_suivi_conventions_dgaln.csv" "$P/fixtures/exports/"
	sed 's/^formats:.*/formats: [json, csv]/' "$PVD_ROOT/fixtures/run/e2e/2021-Q4.yaml" >"$P/q4.yaml"
	cd "$BATS_TEST_TMPDIR/elsewhere"
}

@test "run from another directory: the pipeline's project config, not ./config, reaches every filter" {
	# a decoy ./config whose profiles and dashboard would break the run
	mkdir -p config/sources
	printf 'dataset: nothing\n' >config/sources/ort-dgaln.yaml
	printf 'title: [\n' >config/dashboard.yaml
	sed -i 's/^title: .*/title: Tableau du projet/' "$P/config/dashboard.yaml"
	run pvd-run -q "$P/q4.yaml"
	assert_success
	run jq -r .title "$P/out/2021-Q4/indicators.json"
	assert_output "Tableau du projet"
	run pvd-run -n "$P/q4.yaml"
	assert_line "export PVD_CONFIG=$P/config"
}

@test "config: names the config directory, relative to the pipeline file; --config and \$PVD_CONFIG win over it" {
	cp -R "$P/config" "$P/conf"
	rm -r "$P/config/sources"
	run pvd-run --check "$P/q4.yaml"
	assert_failure 78
	assert_output --partial "profile: no sources named 'pvd-liste-2021'"
	sed -i '1i config: conf' "$P/q4.yaml"
	run pvd-run --check "$P/q4.yaml"
	assert_success
	run pvd-run -n "$P/q4.yaml"
	assert_line "export PVD_CONFIG=$P/conf"
	# another directory given: it is the one used, and it lacks the profiles
	mkdir -p empty
	run pvd-run --config empty --check "$P/q4.yaml"
	assert_failure 78
	assert_output --partial "(looked for empty/sources/pvd-liste-2021.yaml)"
	PVD_CONFIG=empty run pvd-run --check "$P/q4.yaml"
	assert_failure 78
	assert_output --partial "(looked for empty/sources/pvd-liste-2021.yaml)"
	sed -i 's/^config: conf/config: [conf]/' "$P/q4.yaml"
	run pvd-run --check "$P/q4.yaml"
	assert_failure 78
	assert_output --partial "q4.yaml:1:9: 'config' must be a directory"
}

@test "--print-deps lists the schemas, the dashboard layout and each file of a reference directory" {
	run pvd-run --print-deps "$P/q4.yaml"
	assert_success
	for f in q4.yaml config/sources/ort-dgaln.yaml config/ref/pvd-2021-01.csv config/indicators.yaml \
		config/dashboard.yaml config/datasets/ort.yaml config/datasets/dotations.yaml config/datasets/pvd.yaml; do
		assert_line "$P/$f"
	done
	for f in "$PVD_ROOT"/config/ref/cog-2026/*; do assert_line "$P/config/ref/cog-2026/$(basename "$f")"; done
	# and every file listed exists and is read: changing one of the
	# dataset schemas changes the run
	run pvd-run --print-deps "$P/q4.yaml"
	for l in "${lines[@]}"; do [ -f "$l" ] || { echo "$l"; return 1; }; done
}

@test "--print-deps lists every file a run opens: a map's geometry, the previous run's provenance, no README" {
	command -v strace >/dev/null || skip "no strace"
	D=$BATS_TEST_TMPDIR/demo
	mkdir -p "$D/pipelines" "$D/fixtures"
	cp "$PVD_ROOT"/pipelines/2021-Q3.yaml "$PVD_ROOT"/pipelines/2021-Q4.yaml "$D/pipelines/"
	cp -R "$PVD_ROOT/fixtures/demo" "$D/fixtures/"
	cp -R "$PVD_ROOT/config" "$D/config"
	pvd-run -q "$D/pipelines/2021-Q3.yaml"
	run pvd-run --print-deps "$D/pipelines/2021-Q4.yaml"
	assert_success
	assert_line "$D/config/ref/map/france-departments.svg"
	assert_line "$D/out/2021-Q3/provenance.json"
	refute_line "$D/config/datasets/README.md"
	printf '%s\n' "${lines[@]}" | xargs -d '\n' realpath -e | sort -u >deps
	# what the run opens for reading in the project, its own work and output aside
	# (LeakSanitizer cannot run under ptrace: off for this run of an ASan build)
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -qq -e trace=openat -o trace pvd-run -q "$D/pipelines/2021-Q4.yaml"
	sed -nE 's/^[0-9]+ +openat\([^"]*"([^"]+)", O_RDONLY[^)]*\) = [0-9]+$/\1/p' trace | sort -u |
		while IFS= read -r f; do [ -f "$f" ] && realpath -e "$f"; done |
		grep "^$(realpath "$D")/" | grep -v "/out/\.2021-Q4\.\|/out/2021-Q4/" | sort -u >opened
	[ -s opened ]
	comm -23 opened deps >missing
	[ ! -s missing ] || { echo "opened, not in --print-deps:"; cat missing; return 1; }
}

@test "csv: French by default (';', decimal comma, CRLF, BOM); {locale: c}; bom: overrides" {
	run pvd-run -q "$P/q4.yaml"
	assert_success
	head -c 3 "$P/out/2021-Q4/indicators.csv" | od -An -tx1 | grep -q 'ef bb bf'
	head -1 "$P/out/2021-Q4/indicators.csv" | grep -q $'^\xef\xbb\xbfperiod;section;id;.*\r$'
	printf 'csv: {locale: c}\n' >>"$P/q4.yaml"
	run pvd-run -q "$P/q4.yaml"
	assert_success
	run head -1 "$P/out/2021-Q4/indicators.csv"
	assert_output --regexp '^period,section,id,'
	sed -i 's/^csv: .*/csv: {locale: fr, bom: false}/' "$P/q4.yaml"
	run pvd-run -n "$P/q4.yaml"
	assert_line --partial "pvd-render -q --format csv --locale fr --bom no --output"
	run pvd-run -q "$P/q4.yaml"
	assert_success
	run head -c 7 "$P/out/2021-Q4/indicators.csv"
	assert_output 'period;'
}

@test "pvd-render --bom yes|no against the locale's habit" {
	pvd-run -q "$P/q4.yaml"
	N=$P/out/2021-Q4/indicators.ndjson
	export PVD_CONFIG=$P/config
	run sh -c "pvd-render -q -f csv --bom yes '$N' | head -c 9"
	assert_output $'\xef\xbb\xbfperiod'
	run sh -c "pvd-render -q -f csv -l fr --bom no '$N' | head -c 7"
	assert_output 'period;'
	run sh -c "pvd-render -q -f csv -l fr '$N' | head -c 3 | od -An -tx1"
	assert_output ' ef bb bf'
	run pvd-render -f csv --bom maybe "$N"
	assert_failure 64
	assert_line --index 0 "pvd-render: --bom: 'maybe' is not yes or no"
}
