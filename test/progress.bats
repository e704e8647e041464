#!/usr/bin/env bats
# The live progress line of the filters (lib/progress.c): forced with
# --progress, on its own under a terminal (a pseudo-terminal made by
# script(1)) for a regular file only, never with -q, colour only without
# NO_COLOR.  Rates and times vary: only their shape is checked.
load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	printf '%s\n' '{"insee":"1004","statut":"Signée"}' 'not json' '{"insee":"2A004","statut":"Non signée"}' >in.ndjson
	size=$(stat -c %s in.ndjson)
	export PVD_CONFIG="$PVD_ROOT/config"
}

# stderr with the carriage returns of the live line made into newlines
lines() { tr '\r' '\n' <"$1" | grep -v '^ *$'; }

@test "--progress: the final line counts the file's bytes, records and rejects, then the summary" {
	run sh -c 'pvd-clean -d ort --progress in.ndjson 2>err >/dev/null'
	assert_success
	run lines err
	assert_line --index 0 --partial 'in.ndjson:2: column 1'
	assert_line --index 1 --regexp "^pvd-clean: in\.ndjson: $size B of $size B 100%, 3 records, 1 rejected, [0-9.]+ [kMG]?B/s, 0:00:0[0-9]\$"
	assert_line --index 2 'pvd-clean: read 3 records: emitted 2, rejected 1'
	# the reject message and the summary are on lines of their own
	[ "$(tail -c 1 err | od -An -c | tr -d ' ')" = '\n' ]
}

@test "--progress on a pipe: bytes and records, no size, no percentage, no ETA" {
	run sh -c 'cat in.ndjson | pvd-clean -d ort -q --progress 2>err >/dev/null'
	assert_success
	[ ! -s err ]   # -q wins over --progress, whatever the order
	run sh -c 'cat in.ndjson | pvd-clean --progress -d ort 2>err >/dev/null'
	run lines err
	assert_line --index 1 --regexp "^pvd-clean: <stdin>: $size B, 3 records, 1 rejected, [0-9.]+ [kMG]?B/s, 0:00:0[0-9]\$"
}

@test "pvd-ingest --progress counts rows; a newline in the file name does not break the line" {
	printf 'a;b\n1;2\n3;4\n' >"$(printf 'x\ny.csv')"
	run sh -c 'pvd-ingest --progress x*y.csv 2>err >/dev/null'
	assert_success
	run lines err
	assert_line --index 0 --regexp '^pvd-ingest: x\?y\.csv: 12 B of 12 B 100%, 3 rows, 0 rejected, '
	assert_line --index 1 --partial 'pvd-ingest: read 3 rows: emitted 2'
}

@test "one line: the records' file, not the reference tables or documents a filter loads" {
	A=$PVD_ROOT/fixtures/render/aggregate-2021-Q4.ndjson
	pvd-join --ref pvd=pvd-2021-01 --progress "$A" 2>err >/dev/null
	run sh -c "tr '\\r' '\\n' <err | grep ' of .* 100%'"
	[ "${#lines[@]}" = 1 ]
	assert_output --regexp "^pvd-join: $A: [0-9.]+ kB of [0-9.]+ kB 100%, 192 records, 0 rejected, "
	pvd-render --progress --provenance "$PVD_ROOT/fixtures/render/provenance-2021-Q4.json" "$A" 2>err >/dev/null
	run sh -c "tr '\\r' '\\n' <err | grep ' of .* 100%'"
	[ "${#lines[@]}" = 1 ]
	assert_output --regexp "^pvd-render: $A: [0-9.]+ kB of [0-9.]+ kB 100%, 192 records, 0 rejected, "
}

@test "without --progress and stderr not a terminal: no progress line" {
	pvd-clean -d ort in.ndjson 2>err >/dev/null
	run cat err
	assert_line --index 0 --partial 'in.ndjson:2: column 1'
	assert_line --index 1 'pvd-clean: read 3 records: emitted 2, rejected 1'
	[ "${#lines[@]}" = 2 ]
}

@test "on a terminal: shown for a regular file, in colour unless NO_COLOR; not for a pipe, not with -q, not over the records, but beside -o" {
	command -v script >/dev/null || skip "no script(1) (util-linux)"
	script -qc "pvd-join --help >/dev/null; pvd-clean -d ort in.ndjson >/dev/null" /dev/null >tty.out </dev/null
	run lines tty.out
	assert_line --regexp "^.\[2mpvd-clean: in\.ndjson: $size B of $size B 100%, 3 records, 1 rejected, .*.\[0m\$"
	NO_COLOR=1 script -qc "pvd-clean -d ort in.ndjson >/dev/null" /dev/null >tty.out </dev/null
	run lines tty.out
	assert_line --regexp "^pvd-clean: in\.ndjson: $size B of $size B 100%, 3 records"
	refute_output --partial $'\033'
	script -qc "cat in.ndjson | pvd-clean -d ort >/dev/null" /dev/null >tty.out </dev/null
	run lines tty.out
	refute_output --partial '100%'
	refute_output --partial 'B/s'
	assert_output --partial 'read 3 records'
	script -qc "pvd-clean -q -d ort in.ndjson >/dev/null" /dev/null >tty.out </dev/null
	[ ! -s tty.out ]
	# the records themselves on the terminal: no line to cut them
	script -qc "pvd-clean -d ort in.ndjson" /dev/null >tty.out </dev/null
	run lines tty.out
	assert_output --partial '"insee":"01004"'
	refute_output --partial '100%'
	# pvd-render -o: the records go to a file, the terminal shows the line
	cp "$PVD_ROOT/fixtures/render/aggregate-2021-Q4.ndjson" agg.ndjson
	script -qc "pvd-render -o out.json agg.ndjson" /dev/null >tty.out </dev/null
	run lines tty.out
	assert_line --regexp "^.\[2mpvd-render: agg\.ndjson: [0-9.]+ kB of [0-9.]+ kB 100%, 192 records, 0 rejected, "
	[ -s out.json ]
}

@test "every filter takes --progress, documented in its help and man page" {
	for p in pvd-ingest pvd-clean pvd-join pvd-aggregate pvd-render; do
		"$p" --help | grep -q -- '--progress' || { echo "$p --help"; return 1; }
		grep -q -- '\\-\\-progress' "$PVD_ROOT/cmd/$p/$p.1" || { echo "$p.1"; return 1; }
	done
}
