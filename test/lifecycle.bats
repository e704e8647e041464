#!/usr/bin/env bats
# The one lifecycle of the filters (lib/filter.h): each finishes in the same
# order (summary, --report, --rejects, its own files, its output), and a
# filter that fails drops what it has not finished (never replacing
# --output), while what it emitted on standard output (a stream) goes out
# whole.  A rejects file on a full disk
# (/dev/full) makes a filter fail at its end, after its records.
load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	export PVD_CONFIG=$PVD_ROOT/config
}

@test "pvd-render: the rejects cannot be written, so --output is not replaced" {
	(cat "$FIX/render/aggregate-2021-Q4.ndjson"; echo '{"x":1}') >in.ndjson
	echo previous >doc.json
	run pvd-render -q --rejects /dev/full -o doc.json in.ndjson
	assert_failure 74
	assert_output "pvd-render: write error: No space left on device"
	# the previous document stays: the output is committed last, on success only
	[ "$(cat doc.json)" = previous ]
	[ "$(ls -A)" = "$(printf 'doc.json\nin.ndjson')" ]
}

@test "pvd-ingest: a failure at its end still lets every emitted record out on stdout" {
	good=$(pvd-ingest -q "$FIX/ingest/ragged.csv" | wc -l)
	[ "$good" -gt 0 ]
	run pvd-ingest -q --rejects /dev/full --report rep.json "$FIX/ingest/ragged.csv"
	assert_failure 74
	[ "$(grep -c '"_line"' <<<"$output")" = "$good" ]
	# the report was written before the rejects, in that order
	jq -e '.rejected > 0' rep.json
}

@test "pvd-clean and pvd-join: the same order, the same failure" {
	printf '%s\n' '{"_file":"x.csv","_line":2,"_dataset":"nope"}' >rec.ndjson
	run pvd-clean -q --rejects /dev/full --report rep.json rec.ndjson
	assert_failure 74
	assert_line --index 0 "pvd-clean: write error: No space left on device"
	jq -e '.rejected == 1' rep.json
	rm rep.json
	printf '%s\n' '{"_file":"x.csv","_line":2,"insee":"99999"}' >j.ndjson
	run pvd-join -q --ref pvd=pvd-2021-01 --rejects /dev/full --report rep.json j.ndjson
	assert_failure 74
	assert_output "pvd-join: write error: No space left on device"
	jq -e '.rejected == 1' rep.json
}
