#!/usr/bin/env bats
# The JSON Schemas of config/schema/: each with its $id, the records' ones
# generated from config/datasets/ and up to date, and every machine-read
# output of a real run valid against its schema, checked by a real validator
# (python3-jsonschema, test/tools/validate-json) that reads the documents
# on standard input and resolves references between schemas by $id only.
load helper

B=https://pvd.invalid/schema

setup_file() {
	python3 -c 'import jsonschema' 2>/dev/null || return 0
	W=$BATS_FILE_TMPDIR/w
	mkdir -p "$W" && cd "$W"
	ln -s "$PVD_ROOT/fixtures" fixtures
	ln -s "$PVD_ROOT/config" config
	cp "$PVD_ROOT/fixtures/run/e2e/2021-Q4.yaml" .
	PVD_CONFIG=config pvd-run -q --keep-work 2021-Q4.yaml >run.out 2>&1
	echo $? >run.rc
}

setup() {
	python3 -c 'import jsonschema' 2>/dev/null || skip "no python3-jsonschema (test/install-deps installs it)"
	W=$BATS_FILE_TMPDIR/w
	V="$PVD_ROOT/test/tools/validate-json"
	cd "$W"
	[ "$(cat run.rc)" = 0 ] || { cat run.out; false; }
	work=$(ls -d out/.2021-Q4.work.*)
}

@test "every schema has an \$id that names its own place under $B/" {
	cd "$PVD_ROOT/config/schema"
	for f in $(find . -name '*.schema.json' | sort); do
		run jq -r '."$id"' "$f"
		assert_output "$B/${f#./}"
	done
}

@test "the records' schemas are generated from config/datasets and up to date (make schemas)" {
	n=0
	for d in "$PVD_ROOT"/config/datasets/*.yaml; do
		name=$(basename "$d" .yaml)
		"$PVD_TOOLS/record-schema" "$d" >"$BATS_TEST_TMPDIR/$name.json"
		diff -u "$PVD_ROOT/config/schema/records/$name.schema.json" "$BATS_TEST_TMPDIR/$name.json"
		n=$((n + 1))
	done
	# and nothing else but the join's additions (written by hand)
	[ "$(ls "$PVD_ROOT/config/schema/records" | grep -vx joined.schema.json | wc -l)" = "$n" ]
}

@test "run report, provenance and dashboard document of a real run are valid" {
	"$V" $B/run-report.schema.json <out/2021-Q4/run-report.json
	"$V" $B/provenance.schema.json <out/2021-Q4/provenance.json
	"$V" $B/dashboard.schema.json <out/2021-Q4/indicators.json
}

@test "rejects, indicator records, partial states and every stage's --report are valid" {
	[ "$(cat out/2021-Q4/rejects/*.ndjson | wc -l)" -gt 0 ]
	cat out/2021-Q4/rejects/*.ndjson | "$V" --ndjson $B/reject.schema.json
	"$V" --ndjson $B/indicator.schema.json <out/2021-Q4/indicators.ndjson
	cat "$work"/*.state | "$V" --ndjson $B/aggregate-state.schema.json
	for f in "$work"/*.report.json; do
		"$V" $B/stage-report.schema.json <"$f" || { echo "$f"; return 1; }
	done
}

@test "every dataset's cleaned and joined records are valid against records/DATASET.schema.json and joined.schema.json" {
	export PVD_CONFIG="$PVD_ROOT/config"
	# one source per profile of the demo quarter: every dataset of config/datasets
	awk '/^ *file:/ { f = $2 } /^ *profile:/ { print $2, f }' "$PVD_ROOT/pipelines/2021-Q4.yaml" | sort -u -k1,1 >"$BATS_TEST_TMPDIR/sources"
	: >"$BATS_TEST_TMPDIR/datasets"
	while read -r profile file; do
		pvd-ingest -q -p "$profile" "$PVD_ROOT/pipelines/$file" | pvd-clean -q >"$BATS_TEST_TMPDIR/clean.ndjson"
		[ -s "$BATS_TEST_TMPDIR/clean.ndjson" ] || { echo "$profile: no record"; return 1; }
		d=$(head -1 "$BATS_TEST_TMPDIR/clean.ndjson" | jq -r ._dataset)
		echo "$d" >>"$BATS_TEST_TMPDIR/datasets"
		"$V" --ndjson "$B/records/$d.schema.json" <"$BATS_TEST_TMPDIR/clean.ndjson" || { echo "$profile"; return 1; }
		# after pvd-join: the dataset's record still, plus the join's members
		pvd-join -q --ref pvd=pvd-2021-01 --mode left <"$BATS_TEST_TMPDIR/clean.ndjson" >"$BATS_TEST_TMPDIR/joined.ndjson"
		[ -s "$BATS_TEST_TMPDIR/joined.ndjson" ]
		"$V" --ndjson "$B/records/$d.schema.json" <"$BATS_TEST_TMPDIR/joined.ndjson" || { echo "$profile joined"; return 1; }
		"$V" --ndjson "$B/records/joined.schema.json" <"$BATS_TEST_TMPDIR/joined.ndjson" || { echo "$profile joined"; return 1; }
	done <"$BATS_TEST_TMPDIR/sources"
	diff <(sort -u "$BATS_TEST_TMPDIR/datasets") <(ls "$PVD_ROOT/config/datasets" | sed -n 's/\.yaml$//p' | sort)
}

@test "the validator refuses what breaks a schema, across a \$ref too" {
	run sh -c "jq '.provenance.inputs[0].records = -1' out/2021-Q4/indicators.json | '$V' $B/dashboard.schema.json"
	assert_failure 1
	assert_output --partial '/provenance'
	run sh -c "echo '{\"_dataset\":\"ort\",\"insee\":\"1004\",\"statut\":\"signée\",\"_line\":0}' | '$V' --ndjson $B/records/ort.schema.json"
	assert_failure 1
	assert_line --partial "/insee: '1004' does not match"
	assert_line --partial "/statut: 'signée' is not one of"
	assert_line --partial "/_line: 0 is less than the minimum of 1"
	# a record of a dataset that names a place has the join's members; the club's has none
	run sh -c "echo '{\"_dataset\":\"ort\",\"insee\":\"01004\"}' | '$V' --ndjson $B/records/joined.schema.json"
	assert_failure 1
	assert_line --partial "'match' is a required property"
	run sh -c "echo '{\"_dataset\":\"club\",\"match\":\"insee\"}' | '$V' --ndjson $B/records/joined.schema.json"
	assert_failure 1
	assert_output --partial '/match'
	run sh -c "jq '.sources[0].stages[0].in = \"1\"' out/2021-Q4/run-report.json | '$V' $B/run-report.schema.json"
	assert_failure 1
	# the quality facts are checked too: a sample without its line, more than five samples
	run sh -c "jq '.quality.rejects[0].samples[0].line = 0' out/2021-Q4/run-report.json | '$V' $B/run-report.schema.json"
	assert_failure 1
	assert_output --partial '/quality/rejects/0/samples/0/line'
	run sh -c "jq '.quality.rejects[0].samples |= (. + . + . + . + . + .)' out/2021-Q4/run-report.json | '$V' $B/run-report.schema.json"
	assert_failure 1
	run sh -c "head -1 $work/pvd.state | jq -c '.catalog = \"x\"' | '$V' --ndjson $B/aggregate-state.schema.json"
	assert_failure 1
}
