#!/usr/bin/env bats
# pvd-run: the pipeline file, --dry-run, failure propagation, the atomic
# output directory, the run report, provenance, progress; the stages are the
# stub of fixtures/run/bin (a copy of pvd-run in a scratch bin/ finds them
# beside itself), except in the end-to-end tests, which run the real filters.
load helper
load run-stub

setup() {
	stub_setup
}

# Every file under a directory with its mode, size and digest.
snapshot() {
	(cd "$1" && find . -printf '%p %y %m %s\n' | sort && find . -type f -exec sha256sum {} + | sort)
}

# A first good run, so that there is a previous output to protect.
first_run() {
	bin/pvd-run -q run/stub.yaml
	snapshot run/out/2021-Q4 >before
}

# The previous output is byte for byte what it was, and nothing is left beside it.
assert_intact() {
	snapshot run/out/2021-Q4 >after
	diff before after
	[ "$(ls -A run/out)" = 2021-Q4 ]
}

@test "--help and --version on stdout; the man page documents every option" {
	run bin/pvd-run --help
	assert_success
	assert_line --index 0 "Usage: pvd-run [OPTION]... PIPELINE.yaml"
	run bin/pvd-run --version
	assert_success
	assert_output "pvd-run (pvd) $(cat "$PVD_ROOT/VERSION")"
	man=$(sed 's/\\-/-/g' "$PVD_ROOT/cmd/pvd-run/pvd-run.1")
	for opt in $(bin/pvd-run --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "$opt" <<<"$man" || { echo "man page lacks $opt"; return 1; }
	done
}

@test "usage errors exit 64" {
	run bin/pvd-run
	assert_failure 64
	assert_line --index 0 "pvd-run: a pipeline file is needed (pipelines/2021-Q4.yaml)"
	run bin/pvd-run --jobs 0 run/stub.yaml
	assert_failure 64
	run bin/pvd-run --dry-run --print-deps run/stub.yaml
	assert_failure 64
}

@test "--dry-run prints the shell pipelines, quoted, and runs nothing" {
	bin/pvd-run --dry-run run/stub.yaml >got
	assert_golden got "$GOLD/run/dry-run.sh"
	[ ! -e run/out ]
}

@test "--dry-run quotes what the shell would interpret" {
	mkdir "run/it's here"
	cp run/data/ort.csv "run/it's here/o \$x.csv"
	sed -e 's|file: data/ort.csv|file: "it'"'"'s here/o $x.csv"|' run/stub.yaml >run/q.yaml
	bin/pvd-run --dry-run run/q.yaml >got
	grep -F "run/it'\\''s here/o \$x.csv'" got
	# and the script runs as printed: bash sees the same file
	PATH="$PWD/bin:$PATH" bash got
	[ -s run/out/2021-Q4/indicators.json ]
}

@test "the --dry-run script computes what pvd-run computes" {
	PATH="$PWD/bin:$PATH" bash <(bin/pvd-run --dry-run run/stub.yaml)
	mv run/out/2021-Q4 by-script
	bin/pvd-run -q run/stub.yaml
	diff by-script/indicators.ndjson run/out/2021-Q4/indicators.ndjson
	diff -r by-script/rejects run/out/2021-Q4/rejects
	# 4 stages x 2 sources, merge, 2 formats: only the 3 that rejected something leave a file
	[ "$(ls run/out/2021-Q4/rejects | wc -l)" = 3 ]
}

@test "stdout checked on close: --dry-run and --print-deps to a full disk exit 74" {
	run bash -c 'bin/pvd-run --dry-run run/stub.yaml >/dev/full'
	assert_failure 74
	assert_output "pvd-run: write error on standard output: No space left on device"
	run bash -c 'bin/pvd-run --print-deps run/stub.yaml >/dev/full'
	assert_failure 74
}

@test "--print-deps lists the files the run reads" {
	run bin/pvd-run --print-deps run/stub.yaml
	assert_success
	assert_output "run/stub.yaml
run/data/dotations.csv
run/config/sources/dotations-test.yaml
run/data/ort.csv
run/config/sources/ort-test.yaml
run/config/ref/pvd-test.csv
run/config/ref/communes-test/communes.csv
run/config/indicators.yaml
run/data/previous.json"
}

@test "--print-deps lists a previous document that is not made yet; --check does not accept it" {
	sed 's|previous: data/previous.json|previous: out/2021-Q3/indicators.json|' run/stub.yaml >run/q.yaml
	run bin/pvd-run --print-deps run/q.yaml
	assert_success
	assert_line --index 8 run/out/2021-Q3/indicators.json
	run bin/pvd-run --check run/q.yaml
	assert_failure 78
	assert_output "pvd-run: run/q.yaml:15:11: previous: cannot read run/out/2021-Q3/indicators.json: No such file or directory"
}

@test "a bad pipeline file exits 78 with FILE:LINE:COL, before anything runs" {
	bad() { # sed expression; the error goes to got
		sed "$1" run/stub.yaml >run/bad.yaml
		bin/pvd-run run/bad.yaml 2>>got && return 1
		[ $? -eq 78 ] || return 1
		[ ! -e run/out ]
	}
	: >got
	bad 's/^period: 2021-Q4/period: Q4-2021/'
	bad 's/^formats:/colours:/'
	bad 's|file: data/ort.csv|file: data/nothere.csv|'
	bad 's/profile: ort-test/profile: ort-typo/'
	bad 's/^  pvd: pvd-test/  pvd: pvd-1999/'
	bad 's/    name: dotations/    name: ort/'
	bad 's/^formats: .*/formats: [json, pdf]/'
	bad 's|^output: out/2021-Q4|output: data|'
	bad 's/^sources:/sources: x/'
	bin/pvd-run run/nothere.yaml 2>>got || [ $? -eq 78 ]
	assert_golden got "$GOLD/run/config-errors.txt"
}

@test "a run: outputs, rejects, a report that reconciles, counts checked by awk" {
	run bin/pvd-run run/stub.yaml
	assert_success
	assert_output "pvd-run: warning: source ort: TOTAL row at line 4: montant declared 13,00, the records sum to 12.50 (difference -0.50)
pvd-run: 2021-Q4: 2 sources, 11 rows read, 3 rejected, 1 warning: wrote run/out/2021-Q4"
	o=run/out/2021-Q4
	[ "$(ls $o | tr '\n' ' ')" = "indicators.json indicators.md indicators.ndjson lineage.ndjson provenance.json quality.html rejects run-report.json run-report.txt " ]
	# independent counts of the fixture: data rows, BAD rows, TOTAL rows, bad amounts, unknown codes
	f=run/data/dotations.csv
	rows=$(wc -l <$f)
	bad=$(awk -F';' '$1 == "BAD"' $f | wc -l)
	tot=$(awk -F';' '$1 == "TOTAL"' $f | wc -l)
	data=$((rows - 1 - bad - tot))
	badamt=$(awk -F';' 'NR > 1 && $1 != "BAD" && $1 != "TOTAL" && $3 !~ /^[0-9]+,[0-9][0-9]$/' $f | wc -l)
	nojoin=$(awk -F';' 'NR > 1 && $1 != "BAD" && $1 != "TOTAL" && $3 ~ /^[0-9]+,[0-9][0-9]$/ && $2 == "99999"' $f | wc -l)
	run jq -c '.sources[0].stages | map([.stage, .in, .out, .rejected, .skipped])' $o/run-report.json
	assert_output "[[\"ingest\",$rows,$data,$bad,$((1 + tot))],[\"clean\",$data,$((data - badamt)),$badamt,0],[\"join\",$((data - badamt)),$((data - badamt - nojoin)),$nojoin,0],[\"aggregate\",$((data - badamt - nojoin)),$((data - badamt - nojoin)),0,0]]"
	# the chain reconciles for every source: each stage read what the one before emitted
	run jq '[.sources[] | .stages as $s | range(1; $s | length) | select($s[.].in != $s[. - 1].out)] | length' $o/run-report.json
	assert_output 0
	run jq -c '[.reconciled, .rejected, (.merge | [.in, .out])]' $o/run-report.json
	assert_output "[true,{\"ingest\":1,\"clean\":1,\"join\":1,\"aggregate\":0,\"merge\":0,\"render\":0,\"total\":3},[4,4]]"
	# each stage's rejects file holds as many lines as its report says
	for s in $(jq -r '.sources[].stages[] | select(.rejects or .rejected > 0) | "\(.rejects)=\(.rejected)"' $o/run-report.json); do
		[ "$(wc -l <"$o/${s%=*}")" = "${s#*=}" ] || { echo "$s"; return 1; }
	done
	# the merged indicators: the stub's records and cents, summed by awk from the fixtures
	cents=$(awk -F';' 'FNR > 1 && $1 != "TOTAL" && $3 ~ /^[0-9]+,[0-9][0-9]$/ && $2 != "99999" { sub(",", "", $3); s += $3 } END { print s }' run/data/dotations.csv run/data/ort.csv)
	run jq -c '[.id, .value]' $o/indicators.ndjson
	assert_output "[\"stub.records\",$((data - badamt - nojoin + 2))]
[\"stub.montant\",$(echo "scale=2; $cents / 100" | bc)]"
	# render got the previous document and the provenance file
	run sed -n 1,3p $o/indicators.md
	assert_line --index 0 "format md"
	assert_line --index 1 "previous run/data/previous.json"
	assert_line --index 2 --regexp '^provenance run/out/\.2021-Q4\.new\.[A-Za-z0-9]{6}/provenance\.json$'
}

@test "run-report.txt" {
	bin/pvd-run -q run/stub.yaml
	# the times are measured: masked
	sed -E 's/wall [0-9]+\.[0-9]{2} s, CPU [0-9]+\.[0-9]{2} s, peak RSS [0-9]+ KiB/wall W s, CPU C s, peak RSS R KiB/' \
		run/out/2021-Q4/run-report.txt >got
	assert_golden got "$GOLD/run/run-report.txt"
}

@test "times: wall, CPU and peak RSS per job from wait4, per stage in pipe mode" {
	bin/pvd-run -q run/stub.yaml
	r=run/out/2021-Q4/run-report.json
	# every job has them; a source's CPU is its stages' sum, its peak their largest
	run jq -c '[.sources[], .merge, .render[] | .time | keys]' $r
	assert_output '[["cpu_ms","max_rss_kib","wall_ms"],["cpu_ms","max_rss_kib","wall_ms"],["cpu_ms","max_rss_kib","wall_ms"],["cpu_ms","max_rss_kib","wall_ms"],["cpu_ms","max_rss_kib","wall_ms"]]'
	run jq '[.sources[] | select(.time.cpu_ms != ([.stages[].time.cpu_ms] | add)
		or .time.max_rss_kib != ([.stages[].time.max_rss_kib] | max)
		or .time.max_rss_kib == 0 or .time.wall_ms < ([.stages[].time.wall_ms] | max))] | length' $r
	assert_output 0
	[ "$(grep -cE '^  [a-z(][a-z)]* +wall [0-9]+\.[0-9]{2} s, CPU [0-9]+\.[0-9]{2} s, peak RSS [0-9]+ KiB$' run/out/2021-Q4/run-report.txt)" = 5 ]
}

@test "TOTAL rows: agreement and difference, computed from the fixtures" {
	bin/pvd-run -q run/stub.yaml
	run jq -c '.sources[] | .totals[] | [.line, .field, .declared, .declared_amount, .sum, .difference, .status]' run/out/2021-Q4/run-report.json
	# dotations: 1200,50 + 300,25 + 10,00 (the row join rejects comes after the sums)
	assert_line --index 0 '[7,"montant","1510,75","1510.75","1510.75","0.00","agree"]'
	assert_line --index 1 '[4,"montant","13,00","13.00","12.50","-0.50","differ"]'
	run jq -c '.warnings' run/out/2021-Q4/run-report.json
	assert_output '["source ort: TOTAL row at line 4: montant declared 13,00, the records sum to 12.50 (difference -0.50)"]'
}

@test "provenance.json: inputs with sha256 and sizes from sha256sum and stat, rejects per stage" {
	bin/pvd-run -q run/stub.yaml
	p=run/out/2021-Q4/provenance.json
	run jq -r '.inputs[] | "\(.sha256)  \(.path) \(.bytes) \(.rows) \(.records)"' $p
	assert_line --index 0 "$(sha256sum run/data/dotations.csv) $(stat -c %s run/data/dotations.csv) 7 4"
	assert_line --index 1 "$(sha256sum run/data/ort.csv) $(stat -c %s run/data/ort.csv) 4 2"
	run jq -r '[.pipeline, .indicators, .previous, .references[].files[]] | .[] | "\(.sha256)  \(.path)"' $p
	assert_output "$(sha256sum run/stub.yaml run/config/indicators.yaml run/data/previous.json run/config/ref/pvd-test.csv run/config/ref/communes-test/communes.csv)"
	run jq -c '[.program, .period, .rejects, .inputs[0].rejected]' $p
	assert_output '["pvd-run","2021-Q4",{"ingest":1,"clean":1,"join":1,"aggregate":0,"merge":0,"total":3},{"ingest":1,"clean":1,"join":1,"aggregate":0}]'
}

@test "a failing stage: its message, pvd-run's line, its status; the previous output intact" {
	first_run
	echo stale >run/out/2021-Q4/.stamp
	snapshot run/out/2021-Q4 >before
	STUB_FAIL=clean:65 STUB_SOURCE=ort run bin/pvd-run -j 1 run/stub.yaml
	assert_failure 65
	assert_output "pvd-clean: data/ort.csv:3: montant: stub failure on purpose
pvd-run: source ort: stage clean (pvd-clean) failed with exit status 65"
	assert_intact
}

@test "a stage killed by a signal: exit 70, the signal named" {
	first_run
	STUB_SIGNAL=join:SEGV STUB_SOURCE=dotations run bin/pvd-run -j 1 run/stub.yaml
	assert_failure 70
	assert_output "pvd-run: source dotations: stage join (pvd-join) killed by signal SIGSEGV"
	assert_intact
}

@test "the writer killed by SIGPIPE is not the cause when its reader failed" {
	STUB_FLOOD=ingest STUB_FAIL=clean:66 STUB_SOURCE=ort run bin/pvd-run -j 1 run/stub.yaml
	assert_failure 66
	assert_line --index 1 "pvd-run: source ort: stage clean (pvd-clean) failed with exit status 66"
	# but it is when nothing else failed (its reader stopped early, with status 0)
	STUB_FLOOD=ingest STUB_EARLY=clean STUB_SOURCE=ort run bin/pvd-run -j 1 run/stub.yaml
	assert_failure 70
	assert_output "pvd-run: source ort: stage ingest (pvd-ingest) killed by signal SIGPIPE"
	[ -z "$(ls -A run/out)" ]
}

@test "counts that do not reconcile fail the run (70)" {
	first_run
	STUB_MISCOUNT=join STUB_SOURCE=ort run bin/pvd-run run/stub.yaml
	assert_failure 70
	assert_output "pvd-run: source ort: counts of stage join (pvd-join) do not reconcile: 2 in + 0 expanded != 3 out + 0 rejected + 0 skipped"
	STUB_LIE=clean STUB_SOURCE=ort run bin/pvd-run run/stub.yaml
	assert_failure 70
	assert_output "pvd-run: source ort: counts do not reconcile: ingest emitted 2, clean read 3"
	STUB_LIE=aggregate STUB_SOURCE=ort run bin/pvd-run run/stub.yaml
	assert_failure 70
	assert_output "pvd-run: source ort: counts do not reconcile: join emitted 2, aggregate read 3"
	STUB_LIE=merge run bin/pvd-run run/stub.yaml
	assert_failure 70
	assert_output "pvd-run: merge: counts do not reconcile: the sources' states stand for 4 records, merge read 5"
	assert_intact
}

@test "a stage that exits 0 without its report fails the run (70)" {
	STUB_NOREPORT=join STUB_SOURCE=dotations run bin/pvd-run run/stub.yaml
	assert_failure 70
	assert_output "pvd-run: source dotations: stage join (pvd-join) exited 0 but wrote no report"
}

@test "merge and render failures name their stage" {
	first_run
	STUB_FAIL=merge:65 run bin/pvd-run run/stub.yaml
	assert_failure 65
	assert_line --index 1 "pvd-run: merge: stage merge (pvd-aggregate) failed with exit status 65"
	STUB_FAIL=render:74 run bin/pvd-run -j 1 run/stub.yaml
	assert_failure 74
	assert_line --index 1 "pvd-run: render json: stage render (pvd-render) failed with exit status 74"
	assert_intact
}

@test "--keep-going finishes the other sources; without it they are not started" {
	STUB_FAIL=ingest:66 STUB_SOURCE=dotations run bin/pvd-run -j 1 --progress run/stub.yaml
	assert_failure 66
	refute_output --partial "source ort done"
	STUB_FAIL=ingest:66 STUB_SOURCE=dotations run bin/pvd-run -j 1 --progress --keep-going run/stub.yaml
	assert_failure 66
	assert_output --partial "source ort done"
	assert_line --index 0 "pvd-ingest: data/dotations.csv:3: montant: stub failure on purpose"
	assert_line "pvd-run: source dotations: stage ingest (pvd-ingest) failed with exit status 66"
	[ ! -e run/out/2021-Q4 ]
}

@test "the filters are found beside pvd-run first, then on PATH; a missing one is named" {
	mkdir alone
	cp bin/pvd-run alone/
	PATH="$PWD/bin:$PATH" run alone/pvd-run -q run/stub.yaml
	assert_success
	rm bin/pvd-join
	# A PATH of one empty directory: an installed pvd (as on a machine that
	# ran the package test) must not stand in for the missing filter.
	mkdir nopath
	PATH="$PWD/nopath" run bin/pvd-run run/stub.yaml
	assert_failure 70
	assert_output "pvd-run: cannot find pvd-join (neither beside pvd-run in $PWD/bin nor on PATH)"
}

@test "an existing output is replaced whole, with or without RENAME_EXCHANGE" {
	first_run
	touch run/out/2021-Q4/old-file
	bin/pvd-run -q run/stub.yaml
	[ ! -e run/out/2021-Q4/old-file ] && [ -s run/out/2021-Q4/run-report.json ]
	touch run/out/2021-Q4/old-file
	PVD_RUN_NO_EXCHANGE=1 bin/pvd-run -q run/stub.yaml
	[ ! -e run/out/2021-Q4/old-file ] && [ -s run/out/2021-Q4/run-report.json ]
	[ "$(ls -A run/out)" = 2021-Q4 ]
}

@test "an output that is a file: exit 73" {
	mkdir -p run/out
	echo x >run/out/2021-Q4
	run bin/pvd-run run/stub.yaml
	assert_failure 73
	assert_output "pvd-run: run/out/2021-Q4: exists and is not a directory"
}

@test "SIGTERM: the stages are stopped, the directories removed, the output intact" {
	first_run
	STUB_SLEEP=ingest:5 bin/pvd-run run/stub.yaml 2>err &
	pid=$!
	for _ in $(seq 50); do [ -e "$(ls -d run/out/.2021-Q4.work.* 2>/dev/null | head -1)" ] && break; sleep 0.1; done
	sleep 0.3
	kill -TERM $pid
	status=0
	wait $pid || status=$?
	[ "$status" -eq 143 ]
	assert_intact
	[ ! -s err ]
}

@test "progress: lines per finished job with --progress; silent otherwise" {
	run bin/pvd-run run/stub.yaml
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	run bin/pvd-run --progress -j 1 run/stub.yaml
	assert_success
	assert_line --index 0 --regexp '^pvd-run: source dotations done in [0-9.]+ s \([0-9.]+ MB/s\): ingest 7 → 4 \(1 rejected\), clean 4 → 3 \(1 rejected\), join 3 → 2 \(1 rejected\), aggregate 2 → 2$'
	assert_line --index 2 --regexp '^pvd-run: merge done in [0-9.]+ s: merge 4 → 4$'
	assert_line --index 3 --regexp '^pvd-run: render json done in [0-9.]+ s: render 2 → 2: indicators.json$'
	refute_output --partial $'\r'
	refute_output --partial $'\e['
}

@test "progress on a terminal: a live line, colour unless NO_COLOR" {
	command -v script >/dev/null || skip "script(1) is needed to give pvd-run a terminal"
	script -qec "bin/pvd-run run/stub.yaml" /dev/null >tty.out
	grep -q $'\r' tty.out
	grep -q $'\e\\[32mdone' tty.out
	NO_COLOR=1 script -qec "bin/pvd-run run/stub.yaml" /dev/null >tty.out
	grep -q $'\r' tty.out
	! grep -q $'\e' tty.out
	grep -q 'source ort done' tty.out
}

# ---- with the real filters ----

need_filters() {
	local missing=
	for p in pvd-ingest pvd-clean pvd-join pvd-aggregate pvd-render; do
		[ -x "$PVD_BIN/$p" ] || missing="$missing $p"
	done
	[ -z "$missing" ] || skip "not built yet:$missing"
	ln -s "$PVD_ROOT/fixtures" fixtures
	ln -s "$PVD_ROOT/config" config
	cp "$FIX/run/e2e/2021-Q4.yaml" "$FIX/run/e2e/2022-Q1.yaml" .
	unset PVD_CONFIG
}

@test "end to end with the real filters: reconciled counts, TOTAL row, provenance" {
	need_filters
	run "$PVD_BIN/pvd-run" 2021-Q4.yaml
	assert_success
	assert_output --regexp '^pvd-run: 2021-Q4: 3 sources, [0-9]+ rows read, [0-9]+ rejected, 0 warnings: wrote out/2021-Q4$'
	o=out/2021-Q4
	[ "$(ls $o | tr '\n' ' ')" = "indicators.csv indicators.html indicators.json indicators.md indicators.ndjson lineage.ndjson provenance.json quality.html rejects run-report.json run-report.txt " ]
	run jq '[.sources[] | .stages as $s | range(1; $s | length) | select($s[.].in != $s[. - 1].out)] | length' $o/run-report.json
	assert_output 0
	# the préfecture table: 6 lines = header + 4 grants + TOTAL; 78999 is no commune
	run jq -c '.sources[2].stages | map([.stage, .in, .out, .rejected])' $o/run-report.json
	assert_output '[["ingest",6,4,0],["clean",4,4,0],["join",4,3,1],["aggregate",3,3,0]]'
	# its TOTAL row: the sums of the column, by awk
	for col in 5:cout 6:montant; do
		want=$(awk -F';' -v c="${col%%:*}" 'NR > 1 && $1 != "TOTAL" { gsub(" ", "", $c); sub(",", ".", $c); printf "%s\n", $c }' fixtures/run/e2e/detr-prefecture.csv | paste -sd+ | bc)
		run jq -r --arg f "${col#*:}" '.sources[2].totals[] | select(.field == $f) | "\(.sum) \(.status)"' $o/run-report.json
		assert_output "$want agree"
	done
	# provenance: every input's digest is sha256sum's
	run jq -r '.inputs[] | "\(.sha256)  \(.path)"' $o/provenance.json
	assert_output "$(sha256sum config/ref/pvd-2021-01.csv fixtures/exports/ort_suivi_conventions_dgaln.csv fixtures/run/e2e/detr-prefecture.csv)"
	# the merged indicators are what pvd-render rendered
	[ "$(grep -c . $o/indicators.ndjson)" = "$(jq '.render[0].in' $o/run-report.json)" ]
	jq -e . $o/indicators.json >/dev/null
	# the next quarter reads this one as its previous document
	run "$PVD_BIN/pvd-run" -q 2022-Q1.yaml
	assert_success
	run jq -r '.previous.sha256' out/2022-Q1/provenance.json
	assert_output "$(sha256sum <$o/indicators.json | cut -d' ' -f1)"
}

@test "end to end: the --dry-run script gives the same indicators" {
	need_filters
	"$PVD_BIN/pvd-run" -q 2021-Q4.yaml
	mv out/2021-Q4 by-run
	PATH="$PVD_BIN:$PATH" bash <("$PVD_BIN/pvd-run" --dry-run 2021-Q4.yaml) 2>/dev/null
	diff by-run/indicators.ndjson out/2021-Q4/indicators.ndjson
	for f in by-run/rejects/*; do cmp "$f" "out/2021-Q4/rejects/${f##*/}"; done
}

@test "sous-total rows: not compared with the whole source, but their sum with the grand total" {
	need_filters
	sed 's#fixtures/run/e2e/detr-prefecture.csv#fixtures/run/e2e/detr-soustotaux.csv#' 2021-Q4.yaml >sub.yaml
	run "$PVD_BIN/pvd-run" -q sub.yaml
	assert_success
	run jq -c '.sources[2].totals[] | select(.field == "montant") | [.line, .label, .status, .sum]' out/2021-Q4/run-report.json
	assert_line --index 0 '[4,"Sous-total DETR","sous-total",null]'
	assert_line --index 1 '[6,"Sous-total FNADT","sous-total",null]'
	assert_line --index 2 '[7,"TOTAL","agree","131000.50"]'
	run jq -c '.warnings' out/2021-Q4/run-report.json
	assert_output '[]'
	# a grand total that its sous-totals do not add up to is a warning
	sed 's/^Sous-total FNADT;;;;40 000,00;20 000,00;;/Sous-total FNADT;;;;40 000,00;19 000,00;;/' fixtures/run/e2e/detr-soustotaux.csv >bad.csv
	sed 's#fixtures/run/e2e/detr-prefecture.csv#bad.csv#' 2021-Q4.yaml >bad.yaml
	run "$PVD_BIN/pvd-run" -q bad.yaml
	assert_success
	run jq -r '.warnings[]' out/2021-Q4/run-report.json
	assert_output 'source detr: TOTAL row at line 7: montant declared 131 000,50, its sous-totals add up to 130000.50'
}

@test "--output DIR: the run goes there, the pipeline's output is untouched; an unsafe DIR is a usage error" {
	need_filters
	run "$PVD_BIN/pvd-run" -q -o elsewhere/q4 2021-Q4.yaml
	assert_success
	[ -f elsewhere/q4/indicators.json ] && [ -f elsewhere/q4/run-report.json ]
	[ ! -e out/2021-Q4 ]
	run "$PVD_BIN/pvd-run" -n -o elsewhere/q4 2021-Q4.yaml
	assert_output --partial 'elsewhere/q4'
	run "$PVD_BIN/pvd-run" -o fixtures 2021-Q4.yaml
	assert_failure 64
	assert_output --partial 'pvd-run: --output: fixtures holds an input of the run'
	run "$PVD_BIN/pvd-run" -o .. 2021-Q4.yaml
	assert_failure 64
	assert_output "pvd-run: --output: '..' must name a directory of its own (out/2021-Q4)"
}
