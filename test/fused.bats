#!/usr/bin/env bats
# pvd-run's fused mode (the default: each source's ingest → clean → join →
# aggregate --partial in one process, records passed by pointer) against its
# pipe mode (--pipes: one process per stage, NDJSON through pipes, as the
# --dry-run script): the same bytes in every output, the same exit status
# and messages when a source fails.  The pipe mode is the oracle: each of
# its stages is the filter a user runs by hand.
load helper

# A scratch tree with pipelines/ and links to the fixtures and config.
tree() {
	mkdir -p "$1/pipelines"
	cp "$PVD_ROOT"/pipelines/2021-Q3.yaml "$PVD_ROOT"/pipelines/2021-Q4.yaml "$1/pipelines/"
	ln -s "$PVD_ROOT/fixtures" "$1/fixtures"
	ln -s "$PVD_ROOT/config" "$1/config"
}

# Two output directories hold the same files with the same bytes, but for
# the times the run report gives (they are measured, so they vary).
same_outputs() {
	diff -r -x run-report.json -x run-report.txt "$1" "$2"
	diff <(mask_times <"$1/run-report.json") <(mask_times <"$2/run-report.json")
	diff <(mask_times_txt <"$1/run-report.txt") <(mask_times_txt <"$2/run-report.txt")
}
mask_times() { jq 'del(.. | objects | .time?)'; }
mask_times_txt() { sed -E 's/wall [0-9]+\.[0-9]{2} s, CPU [0-9]+\.[0-9]{2} s, peak RSS [0-9]+ KiB/wall W s, CPU C s, peak RSS R KiB/'; }

# A generated export of ROWS rows (test/tools/gen-export) dealt into two
# sources, the second with bad rows (an amount that is not one, a commune
# code that is none, a short row) and a TOTAL row that disagrees.
gen_sources() {
	"$PVD_TOOLS/gen-export" "$1" >all.csv
	awk 'NR == 1 { print > "a.csv"; print > "b.csv"; next } { print > (NR % 2 ? "a.csv" : "b.csv") }' all.csv
	printf '%s\n' '2A004;Ajaccio;DETR;"x";12,3,4;1,00;01/02/2021;2021' \
		'99999;Nulle part;DETR;"y";1 000,00;2,00;01/02/2021;2021' '01001;Court;DETR' \
		'TOTAL;;;;;123,45;;' >>b.csv
	cp "$PVD_ROOT/test/bench/export-profile.yaml" profile.yaml
	cat >q.yaml <<-EOF
		period: 2021-Q4
		sources:
		  - {name: a, file: a.csv, profile: profile.yaml}
		  - {name: b, file: b.csv, profile: profile.yaml}
		reference: {pvd: pvd-2021-01, communes: cog-2026}
		indicators: $PVD_ROOT/config/indicators.yaml
		output: out/q
		formats: [json, csv, md]
	EOF
}

# Both modes fail with status $1 and the same messages ($output: fused's).
same_failure() {
	run pvd-run -j 1 -k --pipes q.yaml
	assert_failure "$1"
	echo "$output" >p.err
	run pvd-run -j 1 -k q.yaml
	assert_failure "$1"
	diff p.err - <<<"$output"
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	export PVD_CONFIG=$PVD_ROOT/config
	unset PVD_RUN_PIPES
}

@test "the demo quarters: fused and --pipes write the same bytes" {
	tree p
	tree f
	(cd p && pvd-run -q --pipes pipelines/2021-Q3.yaml && pvd-run -q --pipes pipelines/2021-Q4.yaml)
	(cd f && pvd-run -q pipelines/2021-Q3.yaml && pvd-run -q pipelines/2021-Q4.yaml)
	for q in 2021-Q3 2021-Q4; do
		same_outputs p/out/$q f/out/$q
	done
}

@test "generated sources with rejects and a TOTAL row: same outputs, same messages" {
	gen_sources 3000
	run pvd-run --pipes -o outp q.yaml
	assert_success
	echo "$output" >p.err
	run pvd-run -o outf q.yaml
	assert_success
	diff p.err <(sed 's/wrote outf$/wrote outp/' <<<"$output")
	# the planted rows are rejected, by the stage that should
	run jq -c 'select(.line == 1502) | .reason' outf/rejects/clean-b.ndjson
	assert_output '"type-error"'
	run jq -c 'select(.line == 1504) | .reason' outf/rejects/ingest-b.ndjson
	assert_output '"missing-cell"'
	grep -q 'TOTAL row at line 1505: montant declared 123,45' outf/run-report.json
	mv outp/run-report.json p.json
	mv outf/run-report.json f.json
	diff <(jq 'del(.output) | del(.. | objects | .time?)' p.json) <(jq 'del(.output) | del(.. | objects | .time?)' f.json)
	diff -r -x run-report.txt outp outf
	diff <(mask_times_txt <outp/run-report.txt) <(mask_times_txt <outf/run-report.txt)
	# both modes time each source and each of its stages, in the same shape:
	# measured with --pipes (a process per stage), sampled when fused
	for f in p.json f.json; do
		run jq -c '[.sources[] | [(.time | keys), ([.stages[] | [.stage, (.time | keys)]] | unique)]] | unique' $f
		assert_output '[[["cpu_ms","max_rss_kib","wall_ms"],[["aggregate",["cpu_ms","max_rss_kib","sampled","wall_ms"]],["clean",["cpu_ms","max_rss_kib","sampled","wall_ms"]],["ingest",["cpu_ms","max_rss_kib","sampled","wall_ms"]],["join",["cpu_ms","max_rss_kib","sampled","wall_ms"]]]]]'
	done
	jq -e '[.sources[].stages[].time.sampled] | all(. == false)' p.json
	jq -e '[.sources[].stages[].time.sampled] | all(. == true)' f.json
	# one schema for both
	V="$PVD_ROOT/test/tools/validate-json"
	"$V" "$PVD_ROOT/config/schema/run-report.schema.json" p.json f.json
	run "$V" "$PVD_ROOT/config/schema/run-report.schema.json" <(jq '.sources[0].stages[1].time.cpu_ms = -1' f.json)
	assert_failure 1
}

# Fused: the process's times shared among its stages by their samples
# (lib/sampler.h): they add up to the source's, each stage has its share
# (values vary from run to run: only their shape and sums are checked).
@test "fused: each stage of each source has its sampled times, adding up to the source's" {
	gen_sources 40000
	pvd-run -q -o out q.yaml
	jq -e '.sources | length == 2' out/run-report.json
	for s in 0 1; do
		src=".sources[$s]"
		jq -e "[$src.stages[].stage] == [\"ingest\", \"clean\", \"join\", \"aggregate\"]" out/run-report.json
		jq -e "[$src.stages[].time | (.wall_ms, .cpu_ms, .max_rss_kib) | numbers | select(. >= 0)] | length == 12" out/run-report.json
		# wall: sampled every 2 ms of a source that takes far longer
		jq -e "([$src.stages[].time.wall_ms] | add) == $src.time.wall_ms" out/run-report.json
		# CPU: the same, unless the process ran too little to be sampled at all
		jq -e "([$src.stages[].time.cpu_ms] | add) as \$c | \$c == $src.time.cpu_ms or \$c == 0" out/run-report.json
		jq -e "([$src.stages[].time.max_rss_kib] | unique) == [$src.time.max_rss_kib]" out/run-report.json
		# the ingest stage parses every row: some of the time is its own
		jq -e "$src.stages[0].time.wall_ms > 0" out/run-report.json
	done
}

@test "a source whose ingest fails: the same status and messages, the output untouched" {
	gen_sources 400
	pvd-run -q q.yaml
	sed '1s/Montant attribué/Montant/' b.csv >c.csv
	sed -i 's/file: b.csv/file: c.csv/' q.yaml
	cp -R out/q before
	for mode in --pipes --keep-going; do
		run pvd-run -j 1 -k $([ $mode = --pipes ] && echo --pipes) q.yaml
		assert_failure 65
		echo "$output" >"err$mode"
	done
	diff err--pipes err--keep-going
	assert_line --index 0 --partial 'pvd-ingest: c.csv:1: profile profile: required column missing: montant ("Montant attribué")'
	assert_line --index 1 "pvd-run: source b: stage ingest (pvd-ingest) failed with exit status 65"
	diff -r before out/q
}

@test "a reference the join refuses: loaded once, each source's join fails as its process would" {
	gen_sources 200
	printf 'foo;bar\n1;2\n' >badref.csv
	sed -i 's/pvd: pvd-2021-01/pvd: badref.csv/' q.yaml
	same_failure 78
	assert_line --index 0 "pvd-join: badref.csv:1: no column insee_com (header names accepted: insee_com|insee|code_insee|codgeo|code_commune|com)"
	assert_line --index 1 "pvd-run: source a: stage join (pvd-join) failed with exit status 78"
	assert_line --index 3 "pvd-run: source b: stage join (pvd-join) failed with exit status 78"
	[ ! -e out/q ]
}

@test "a catalogue that does not load: the same status and messages" {
	gen_sources 200
	printf 'indicators: [\n' >bad.yaml
	sed -i "s|indicators: .*|indicators: bad.yaml|" q.yaml
	same_failure 78
	assert_line --index 0 --partial "pvd-aggregate: bad.yaml:2:1: YAML syntax:"
	assert_line --index 1 "pvd-run: source a: stage aggregate (pvd-aggregate) failed with exit status 78"
}

@test "a profile that does not load: loaded once, the same status and messages" {
	gen_sources 200
	printf 'dataset: [\n' >bad.yaml
	sed -i 's/name: b, file: b.csv, profile: profile.yaml/name: b, file: b.csv, profile: bad.yaml/' q.yaml
	same_failure 78
	assert_line --index 0 --partial "pvd-ingest: bad.yaml:2:1: YAML syntax:"
	assert_line "pvd-run: source b: stage ingest (pvd-ingest) failed with exit status 78"
}

# A record passed in memory is bounded as a line through a pipe is (64 MiB,
# lib/input.h): a row of 15 MB of control bytes, kept as extra columns,
# is 90 MB of JSON ("\u0001" each); the reader after ingest refuses it in
# either mode, with the same reject.
@test "a record longer than an NDJSON line may be: rejected by the next stage in either mode" {
	gen_sources 20000
	echo 'others: keep' >>profile.yaml
	python3 - <<-'EOF'
		rows = open("b.csv", encoding="utf-8").read().splitlines()
		with open("b.csv", "w", encoding="utf-8") as out:
		    out.write(rows[0] + "".join(";X%d" % i for i in range(15)) + "\n")
		    for r in rows[1:]:
		        out.write(r + ";" * 15 + "\n")
		    out.write(rows[1].replace("Commune", "Longue") + ("; " + "\x01" * 1000000) * 15 + "\n")
	EOF
	pvd-run -q --pipes -o out q.yaml
	mv out outp
	pvd-run -q -o out q.yaml
	same_outputs outp out
	run jq -c 'select(.reason == "invalid-json") | [.stage, .file, .message]' out/rejects/clean-b.ndjson
	assert_output '["clean","<stdin>","line longer than 67108864 bytes: not read"]'
}

# A process that dies (SIGKILL, here when a stage writes its file) names
# the stage that was running: fused, the stage index the chain keeps in
# memory shared with pvd-run (lib/sampler.h), as --pipes does by process.
@test "a fused source killed while a stage runs: that stage is named, as with --pipes" {
	gen_sources 3000
	# enough rejects for clean and join to write theirs while records flow
	for i in $(seq 2000); do
		echo "2A004;Ajaccio;DETR;\"x$i\";12,3,$i;1,00;01/02/2021;2021"
		echo "99999;Nulle part;DETR;\"y$i\";1 000,00;2,00;01/02/2021;2021"
	done >>b.csv
	printf '%s\n' '#define _GNU_SOURCE' '#include <dlfcn.h>' '#include <signal.h>' '#include <stdio.h>' \
		'#include <stdlib.h>' '#include <string.h>' '#include <unistd.h>' \
		'ssize_t write(int fd, const void *b, size_t n) {' \
		'	static ssize_t (*real)(int, const void *, size_t);' \
		'	char p[64], l[4096]; const char *on = getenv("KILL_ON_WRITE");' \
		'	if (!real) real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");' \
		'	snprintf(p, sizeof p, "/proc/self/fd/%d", fd);' \
		'	ssize_t k = readlink(p, l, sizeof l - 1);' \
		'	if (on && k > 0) { l[k] = 0; if (strstr(l, on)) raise(SIGKILL); }' \
		'	return real(fd, b, n); }' >kill.c
	${CC:-cc} -shared -fPIC -o kill.so kill.c -ldl
	pre="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 LD_PRELOAD=$PWD/kill.so"
	for stage in clean:clean-b join:join-b aggregate:b.lineage; do
		for mode in --pipes --keep-going; do
			run env $pre KILL_ON_WRITE=${stage#*:} pvd-run -q -j 1 $mode q.yaml
			assert_failure 70
			assert_line "pvd-run: source b: stage ${stage%%:*} (pvd-${stage%%:*}) killed by signal SIGKILL"
		done
	done
	[ ! -e out/q ]
}

@test "--dry-run prints the pipe script in either mode; --pipes is in the help" {
	gen_sources 10
	pvd-run --dry-run q.yaml >a.sh
	pvd-run --dry-run --pipes q.yaml >b.sh
	cmp a.sh b.sh
	grep -q 'pvd-ingest .* |$' a.sh
	pvd-run --help | grep -q -- '--pipes'
}

@test "PVD_RUN_PIPES=1 is --pipes: the stages are the programs beside pvd-run" {
	gen_sources 50
	mkdir bin
	cp "$PVD_BIN/pvd-run" "$PVD_BIN/pvd-aggregate" "$PVD_BIN/pvd-render" bin/
	printf '#!/bin/sh\necho "stub $0" >&2\nexit 3\n' >bin/pvd-ingest
	chmod +x bin/pvd-ingest
	ln -s "$PVD_BIN/pvd-clean" bin/pvd-clean
	ln -s "$PVD_BIN/pvd-join" bin/pvd-join
	# fused: pvd-ingest's program is not run
	run bin/pvd-run -q q.yaml
	assert_success
	PVD_RUN_PIPES=1 run bin/pvd-run -q -j 1 q.yaml
	assert_failure 3
	assert_line --index 0 --partial "stub "
}
