#!/usr/bin/env bats
# pvd-run against a hostile or careless user: outputs that would delete an
# input (by an absolute path, `..`, a symbolic link, a bind mount), pipeline
# files that try the YAML parser, names that try the --dry-run script, runs
# killed or short of disk, sources that lose everything.  Each case asserts
# the exit status, the first message and that no input was deleted or
# changed (a digest of every file of the fixture before and after).  The
# stages are the stub of fixtures/run/bin, as in test/run.bats.
load helper
load run-stub

setup() {
	stub_setup
	inputs_before
}

teardown() {
	if [ -n "${MNT:-}" ]; then umount "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null || true; fi
}

# Every file of the fixture (not the outputs) with its digest.
digest() {
	(cd run && find . -path ./out -prune -o -print0 | sort -z | xargs -0 -I{} sh -c \
		'if [ -L "$1" ]; then echo "$1 -> $(readlink "$1")"; elif [ -f "$1" ]; then sha256sum "$1"; else echo "$1 dir"; fi' _ {})
}
inputs_before() { digest >"$BATS_TEST_TMPDIR/inputs.before"; }
# Nothing of the fixture deleted, changed or added.
assert_inputs_intact() {
	digest >"$BATS_TEST_TMPDIR/inputs.after"
	diff "$BATS_TEST_TMPDIR/inputs.before" "$BATS_TEST_TMPDIR/inputs.after"
}

# A pipeline run/t.yaml: the stub's with its output replaced.
with_output() {
	sed "s|^output: .*|output: $1|" run/stub.yaml >run/t.yaml
	inputs_before
}

# Refused both by --check and by a run: exit 78, first line $1 (a prefix),
# nothing deleted.
refused() {
	run bin/pvd-run --check run/t.yaml
	assert_failure 78
	assert_line --index 0 --partial "$1"
	run bin/pvd-run -q run/t.yaml
	assert_failure 78
	assert_line --index 0 --partial "$1"
	assert_inputs_intact
}

# ---- defect 14: the output must hold no input, whatever its path says ----

@test "output: config/sources (the profiles' directory) is refused, no profile deleted" {
	with_output config/sources
	refused "pvd-run: run/t.yaml:16:9: output: run/config/sources holds an input of the run (the profile of source 'dotations' run/config/sources/dotations-test.yaml"
}

@test "output: an absolute path over the raw exports is refused" {
	with_output "$PWD/run/data"
	refused "pvd-run: run/t.yaml:16:9: output: $PWD/run/data holds an input of the run (source 'dotations' run/data/dotations.csv, and 2 more)"
}

@test "output: through a symbolic link to the pipeline's directory is refused" {
	ln -s run lnk
	with_output ../lnk/data
	refused "output: lnk/data holds an input of the run (source 'dotations' run/data/dotations.csv"
}

@test "output: a symbolic link to a reference directory is refused" {
	ln -s config/ref/communes-test run/refs
	with_output refs
	refused "output: run/refs holds an input of the run (reference 'communes' run/config/ref/communes-test)"
}

@test "output: a symbolic link to an empty directory is refused by the run (73), nothing followed" {
	mkdir elsewhere && ln -s ../elsewhere run/out-link
	with_output out-link
	run bin/pvd-run -q run/t.yaml
	assert_failure 73
	assert_output "pvd-run: run/out-link: exists and is not a directory"
	[ -z "$(ls -A elsewhere)" ]
}

@test "output: out/../data (a .. inside) is refused" {
	with_output out/../data
	refused "output: run/data holds an input of the run"
}

@test "output: data/ (a trailing slash) is refused" {
	with_output data/
	refused "output: run/data holds an input of the run"
}

@test "output: the pipeline's own directory is refused" {
	with_output ../run
	refused "output: run holds an input of the run (the pipeline file run/t.yaml"
}

@test "output: a source file itself is refused" {
	with_output data/ort.csv
	refused "output: run/data/ort.csv holds an input of the run (source 'ort' run/data/ort.csv)"
}

@test "output: inside a reference directory is refused" {
	with_output config/ref/communes-test/out
	refused "output: run/config/ref/communes-test/out lies inside a directory the run reads (reference 'communes' run/config/ref/communes-test)"
}

@test "output: inside the config directory is refused" {
	with_output config/q4
	refused "output: run/config/q4 lies inside a directory the run reads (the config directory run/config)"
}

@test "output: the directory of the previous document is refused" {
	mkdir run/prev && mv run/data/previous.json run/prev/
	sed -i 's|previous: data/previous.json|previous: prev/previous.json|' run/stub.yaml
	with_output prev
	refused "output: run/prev holds an input of the run (the previous document run/prev/previous.json)"
}

@test "output: the directory of the catalogue is refused" {
	mkdir run/cat && cp run/config/indicators.yaml run/cat/
	sed -i 's|^indicators: .*|indicators: cat/indicators.yaml|' run/stub.yaml
	with_output cat
	refused "output: run/cat holds an input of the run (the catalogue run/cat/indicators.yaml)"
}

@test "output: a source that is a symbolic link into the output is refused" {
	mkdir -p run/keep && mv run/data/ort.csv run/keep/ort.csv && ln -s ../keep/ort.csv run/data/ort.csv
	with_output keep
	refused "output: run/keep holds an input of the run (source 'ort' run/data/ort.csv)"
}

@test "output: a bind mount of the exports is refused (device and inode, not names)" {
	mkdir run/mnt
	mount --bind run/data run/mnt 2>/dev/null || skip "cannot bind-mount here"
	MNT=$PWD/run/mnt
	with_output mnt
	run bin/pvd-run -q run/t.yaml
	assert_failure 78
	assert_output --partial "output: run/mnt holds an input of the run (source 'dotations' run/data/dotations.csv"
	assert_inputs_intact
}

@test "--output over the exports by an absolute path: usage error 64, nothing deleted" {
	run bin/pvd-run -q --output "$PWD/run/data" run/stub.yaml
	assert_failure 64
	assert_output "pvd-run: --output: $PWD/run/data holds an input of the run (source 'dotations' run/data/dotations.csv, and 2 more), which the run would delete"
	assert_inputs_intact
}

@test "--check reports every error of the file at once" {
	sed -e 's/^period: 2021-Q4/period: Q4/' -e 's|file: data/ort.csv|file: data/none.csv|' \
		-e 's/^formats: .*/formats: [pdf, json, json]/' -e 's|^output: .*|output: config/sources|' \
		-e 's/^  pvd: pvd-test/  pvd: pvd-1999/' -e 's/^max_rejected: .*/max_rejected: lots/' \
		run/stub.yaml >run/t.yaml
	echo 'colour: red' >>run/t.yaml
	run bin/pvd-run --check run/t.yaml
	assert_failure 78
	echo "$output" >got
	assert_golden got "$GOLD/run/hostile-check-all.txt"
}

# ---- the pipeline file itself ----

@test "a pipeline with a duplicate key is refused" {
	printf 'output: out/x\n' >>run/stub.yaml
	run bin/pvd-run --check run/stub.yaml
	assert_failure 78
	assert_output "pvd-run: run/stub.yaml:19:1: duplicate key 'output'"
}

@test "a billion-laughs pipeline (anchors and aliases) is refused at once" {
	{
		echo 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
		for i in b c d e f g h i; do
			p=$(printf '%s' "$i" | tr 'b-i' 'a-h')
			echo "$i: &$i [*$p,*$p,*$p,*$p,*$p,*$p,*$p,*$p,*$p]"
		done
		echo 'period: *i'
	} >run/lol.yaml
	run timeout 10 bin/pvd-run --check run/lol.yaml
	assert_failure 78
	assert_output "pvd-run: run/lol.yaml:2:8: YAML aliases are not supported in pvd configs"
}

@test "a pipeline file that is a directory, or an endless device: 78 at once, no hang" {
	run timeout 10 bin/pvd-run --check run
	assert_failure 78
	assert_output "pvd-run: run:1:1: YAML syntax: input error"
	run timeout 10 bin/pvd-run --check /dev/zero
	assert_failure 78
	assert_output "pvd-run: /dev/zero:1:1: YAML syntax: control characters are not allowed"
}

@test "a period or a source name that would reach a file name or a shell is refused" {
	sed 's/^period: .*/period: "2021-Q4; rm -rf ."/' run/stub.yaml >run/t.yaml
	run bin/pvd-run run/t.yaml
	assert_failure 78
	assert_output "pvd-run: run/t.yaml:3:9: period: expected YYYY-Qn (2021-Q4), got '2021-Q4; rm -rf .'"
	sed 's/^  - name: ort$/  - name: ..\/..\/evil/' run/stub.yaml >run/t.yaml
	run bin/pvd-run run/t.yaml
	assert_failure 78
	assert_output "pvd-run: run/t.yaml:8:11: source name '../../evil' cannot name files: letters, digits, '_', '-', '.'"
	[ ! -e run/out ] && [ ! -e evil ]
}

@test "a source file name with a newline: a one-line error, the newline shown as \\n" {
	sed "s|file: data/ort.csv|file: \"data/x\\\\ny.csv\"|" run/stub.yaml >run/t.yaml
	run bin/pvd-run --check run/t.yaml
	assert_failure 78
	assert_output 'pvd-run: run/t.yaml:9:11: file: cannot read run/data/x\ny.csv: No such file or directory'
	[ "${#lines[@]}" -eq 1 ]
}

@test "a missing source and a source that is a directory: 78 each, both said" {
	sed -e 's|file: data/ort.csv|file: data/missing.csv|' -e 's|file: data/dotations.csv|file: data|' run/stub.yaml >run/t.yaml
	run bin/pvd-run run/t.yaml
	assert_failure 78
	assert_line --index 0 "pvd-run: run/t.yaml:5:11: file: cannot read run/data: is a directory"
	assert_line --index 1 "pvd-run: run/t.yaml:9:11: file: cannot read run/data/missing.csv: No such file or directory"
	[ ! -e run/out ]
}

@test "max_rejected that is not a share is refused" {
	for v in 5 150% -1% 1.234% '"%"' '[5%]'; do
		sed "s/^max_rejected: .*/max_rejected: $v/" run/stub.yaml >run/t.yaml
		run bin/pvd-run --check run/t.yaml
		assert_failure 78
		assert_output --partial "run/t.yaml:18:15: max_rejected: expected a share of the rows from 0% to 100% (5%, 0.5%)"
	done
}

# ---- defect 15: --dry-run never lets a name out of its quotes ----

@test "--dry-run: a file name with a newline cannot run a command from a comment" {
	mkdir -p "run/x
touch PWNED #"
	cp run/data/ort.csv "run/x
touch PWNED #/o.csv"
	sed 's|file: data/ort.csv|file: "x\\ntouch PWNED #/o.csv"|' run/stub.yaml >run/t.yaml
	bin/pvd-run --dry-run run/t.yaml >script
	# no control character but the line ends
	run grep -c $'[\x01-\x09\x0b-\x1f\x7f]' script
	assert_output 0
	grep -F "# source ort: \$'run/x\\ntouch PWNED #/o.csv', profile ort-test" script
	mkdir scratch && cp -R run bin script scratch/ && cd scratch
	PATH="$PWD/bin:$PATH" bash script
	[ ! -e PWNED ] && [ ! -e run/PWNED ]
	[ -s run/out/2021-Q4/indicators.json ]
}

@test "--dry-run: a profile path and an output with a newline and an escape stay quoted" {
	cp run/config/sources/ort-test.yaml "run/p
touch PWNED2 #.yaml"
	sed -e 's|profile: ort-test|profile: "p\\ntouch PWNED2 #.yaml"|' \
		-e 's|^output: .*|output: "out/q\\n\\e[31mred"|' run/stub.yaml >run/t.yaml
	bin/pvd-run --dry-run run/t.yaml >script
	run grep -c $'[\x01-\x09\x0b-\x1f\x7f]' script
	assert_output 0
	mkdir scratch && cp -R run bin script scratch/ && cd scratch
	PATH="$PWD/bin:$PATH" bash script
	[ ! -e PWNED2 ] && [ ! -e run/PWNED2 ]
	[ -s "run/out/q
"$'\e'"[31mred/indicators.json" ]
}

# ---- defect 16: what killed runs leave is removed by the next ----

# Starts pvd-run in its own session, the ingest stages sleeping; waits for
# its work directory.
start_slow() {
	local before cur
	before=$(ls -d run/out/.2021-Q4.work.* 2>/dev/null || true)
	STUB_SLEEP=ingest:${1:-30} setsid bin/pvd-run -q run/stub.yaml 2>slow.err &
	pid=$!
	# its own work directory: the one there before (a killed run's) goes first
	for _ in $(seq 100); do
		cur=$(ls -d run/out/.2021-Q4.work.* 2>/dev/null || true)
		[ -n "$cur" ] && [ "$cur" != "$before" ] && break
		sleep 0.1
	done
	[ -n "$cur" ] && [ "$cur" != "$before" ]
}

@test "kill -KILL of pvd-run: its stages stop, and the next run removes its directories" {
	bin/pvd-run -q run/stub.yaml
	for _ in 1 2 3; do
		start_slow 3
		kill -KILL "$pid"
		wait "$pid" || true
	done
	# each run removed what the one killed before it left: one pair is left
	[ "$(ls -d run/out/.2021-Q4.* | wc -l)" -eq 2 ]
	# the stages died with it (parent-death signal)
	for _ in $(seq 50); do pgrep -f "$BATS_TEST_TMPDIR/bin/pvd-ingest" >/dev/null || break; sleep 0.1; done
	! pgrep -f "$BATS_TEST_TMPDIR/bin/pvd-ingest"
	bin/pvd-run -q run/stub.yaml
	[ "$(ls -A run/out)" = 2021-Q4 ]
}

@test "a run leaves the directories of a live run alone" {
	start_slow 8
	bin/pvd-run -q run/stub.yaml
	# the slow run's directories are still there, and it finishes well
	[ "$(ls -d run/out/.2021-Q4.work.* | wc -l)" -eq 1 ]
	[ "$(ls -d run/out/.2021-Q4.new.* | wc -l)" -eq 1 ]
	wait "$pid"
	[ "$(ls -A run/out)" = 2021-Q4 ]
}

@test "leftovers without a lock (an older pvd-run's) are removed; a kept work directory is not" {
	mkdir -p run/out/.2021-Q4.work.abc123 run/out/.2021-Q4.new.def456/rejects run/out/.2021-Q4.old.ghi789
	echo x >run/out/.2021-Q4.new.def456/indicators.json
	mkdir run/out/.other.work.abc123
	bin/pvd-run -q --keep-work run/stub.yaml 2>err
	kept=$(ls -d run/out/.2021-Q4.work.*)
	[ -f "$kept/kept" ]
	bin/pvd-run -q run/stub.yaml
	[ "$(ls -A run/out | LC_ALL=C sort | tr '\n' ' ')" = ".2021-Q4.work.${kept##*.} .other.work.abc123 2021-Q4 " ]
}

@test "a killed fallback swap: the previous output is put back, not deleted" {
	bin/pvd-run -q run/stub.yaml
	mv run/out/2021-Q4 run/out/.2021-Q4.old.zzz111
	echo previous >run/out/.2021-Q4.old.zzz111/marker
	mkdir run/out/.2021-Q4.new.zzz111
	# a failing run: it only cleans up, and the previous output is back
	export STUB_FAIL=clean:65
	run bin/pvd-run -q run/stub.yaml
	assert_failure 65
	[ "$(cat run/out/2021-Q4/marker)" = previous ]
	[ "$(ls -A run/out)" = 2021-Q4 ]
}

@test "SIGINT: the stages are stopped and the run's directories removed" {
	bin/pvd-run -q run/stub.yaml
	# a background job starts with SIGINT ignored: give it back its default
	STUB_SLEEP=ingest:30 perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV' bin/pvd-run -q run/stub.yaml 2>err &
	pid=$!
	for _ in $(seq 100); do ls -d run/out/.2021-Q4.work.* >/dev/null 2>&1 && break; sleep 0.1; done
	sleep 0.2
	kill -INT "$pid"
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 130 ]
	[ "$(ls -A run/out)" = 2021-Q4 ]
	[ ! -s err ]
}

# ---- defect 17: the stage's own words on a full disk ----

@test "a full disk: the stage's 'No space left on device' reaches the user" {
	mkdir full
	mount -t tmpfs -o size=256k tmpfs full 2>/dev/null || skip "cannot mount a tmpfs here"
	MNT=$PWD/full
	dd if=/dev/zero of=full/fill bs=4k 2>/dev/null || true
	run bin/pvd-run -q --output full/q4 run/stub.yaml
	# the stub stages say it and go on; pvd-run's sum tap fails on it (74)
	assert_failure 74
	assert_line --regexp '/pvd-ingest: line [0-9]+: printf: write error: No space left on device$'
	rm full/fill
	[ "$(ls -A full)" = "" ]
	assert_inputs_intact
}

# ---- loud failure instead of quiet emptiness ----

@test "a stage that receives records and emits none fails the source: 65, source and stage named" {
	printf 'id;insee;montant\nBAD;;\nBAD;;\nBAD;;\n' >run/data/ort.csv
	run bin/pvd-run -q run/stub.yaml
	assert_failure 65
	assert_line "pvd-run: source ort: stage ingest (pvd-ingest) received 3 records and emitted none: 3 rejected"
	[ -z "$(ls -A run/out)" ]
}

@test "a stage downstream that rejects everything is named too" {
	printf 'id;insee;montant\no1;01004;abc\no2;01005;x\n' >run/data/ort.csv
	run bin/pvd-run -q run/stub.yaml
	assert_failure 65
	assert_line "pvd-run: source ort: stage clean (pvd-clean) received 2 records and emitted none: 2 rejected"
}

@test "more rejected than max_rejected: a warning on stderr, in run-report.json and .txt" {
	sed -i 's/^max_rejected: .*/max_rejected: 50%/' run/stub.yaml
	run bin/pvd-run run/stub.yaml
	assert_success
	assert_line --index 0 "pvd-run: warning: source dotations: 3 of 5 records rejected (60%), more than its max_rejected 50%"
	run jq -r '.warnings[0], (.sources[] | "\(.name) \(.records) \(.rejected) \(.max_rejected)")' run/out/2021-Q4/run-report.json
	assert_output "source dotations: 3 of 5 records rejected (60%), more than its max_rejected 50%
dotations 5 3 50%
ort 2 0 50%"
	grep -F "  source dotations: 3 of 5 records rejected (60%), more than its max_rejected 50%" run/out/2021-Q4/run-report.txt
}

@test "the built-in max_rejected is 5%; a source's own wins over the pipeline's" {
	sed -i '/^max_rejected: /d' run/stub.yaml
	run bin/pvd-run -q run/stub.yaml
	assert_success
	[ "$(jq -r '.sources[0].max_rejected' run/out/2021-Q4/run-report.json)" = 5% ]
	[ "$(jq '.warnings | length' run/out/2021-Q4/run-report.json)" = 2 ]
	sed -i 's/^    name: dotations$/    name: dotations\n    max_rejected: 60%/' run/stub.yaml
	run bin/pvd-run -q run/stub.yaml
	assert_success
	[ "$(jq -r '.sources[0].max_rejected' run/out/2021-Q4/run-report.json)" = 60% ]
	[ "$(jq '.warnings | length' run/out/2021-Q4/run-report.json)" = 1 ]
}

@test "more rejected than fail_rejected fails the source (65), the previous output intact" {
	bin/pvd-run -q run/stub.yaml
	sed -i 's/^    name: dotations$/    name: dotations\n    fail_rejected: 50%/' run/stub.yaml
	run bin/pvd-run -q run/stub.yaml
	assert_failure 65
	assert_output "pvd-run: source dotations: 3 of 5 records rejected (60%), more than its fail_rejected 50%"
	[ "$(ls -A run/out)" = 2021-Q4 ]
}
