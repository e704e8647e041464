#!/usr/bin/env bats
# Hostile inputs to the record-stream filters (pvd-clean, pvd-join,
# pvd-aggregate, pvd-render) and to the layers every filter shares with
# pvd-ingest (output, rejects, command line).  Each case asserts the exit
# status, the first message and that the counts reconcile (in = out +
# rejected + skipped).  Generators are bounded (printf, head -c): no case
# depends on time.
load helper

G="$GOLD/hostile-filters"
AGG_Q4="fixtures/render/aggregate-2021-Q4.ndjson"
PROV="fixtures/render/provenance-2021-Q4.json"

setup() {
	cd "$PVD_ROOT"
	T="$BATS_TEST_TMPDIR"
}

# The numbers of the summary line on stderr ($output) reconcile:
# read N ...: emitted M, rejected K[, skipped S] with N = M + K + S.
reconciles() {
	local line n m k s
	line=$(grep -E ': read [0-9]+ (records|rows): emitted' <<<"$output" | tail -1)
	[ -n "$line" ] || fail "no summary line in: $output"
	n=$(sed -E 's/.*read ([0-9]+) .*/\1/' <<<"$line")
	m=$(sed -E 's/.*emitted ([0-9]+).*/\1/' <<<"$line")
	k=$(sed -E 's/.*rejected ([0-9]+).*/\1/' <<<"$line")
	s=$(sed -nE 's/.*skipped ([0-9]+).*/\1/p' <<<"$line")
	[ "$n" -eq $((m + k + ${s:-0})) ] || fail "counts do not reconcile: $line"
	if [ $# -gt 0 ]; then
		[ "$n $m $k" = "$1" ] || fail "expected 'in out rejected' = '$1', got '$n $m $k' ($line)"
	fi
}

# The first line of $output.
first() { head -1 <<<"$output"; }

# $1 levels of nested arrays around 1.
deep() { printf '%*s' "$1" '' | tr ' ' '['; printf 1; printf '%*s' "$1" '' | tr ' ' ']'; }

# Every NDJSON-reading filter, with what it needs to run.
clean() { pvd-clean -d ort "$@"; }
join() { pvd-join --ref pvd=pvd-2021-01 "$@"; }
agg() { pvd-aggregate --period 2021-Q4 "$@"; }

# ---- defect 5: nesting depth, one limit for the reader and the writer ----

@test "hostile: a provenance nested 63 and 64 levels deep is copied whole (the writer's stacks hold it)" {
	for n in 62 63; do
		jq --argjson d "$(deep $n)" '.deep = $d' "$PROV" >"$T/p.json"
		run pvd-render -q --provenance "$T/p.json" -o "$T/out.json" "$AGG_Q4"
		assert_success
		[ "$(jq -c .provenance.deep "$T/out.json")" = "$(deep $n)" ] || fail "depth $n not copied as read"
	done
}

@test "hostile: a provenance nested 65 levels deep is exit 65 naming FILE:LINE:COL, no output" {
	jq --argjson d "$(deep 64)" '.deep = $d' "$PROV" >"$T/p.json"
	run pvd-render -q --provenance "$T/p.json" -o "$T/out.json" "$AGG_Q4"
	assert_failure 65
	assert_output --regexp "^pvd-render: $T/p.json:[0-9]+:[0-9]+: arrays and objects nested more than 64 deep\$"
	[ ! -e "$T/out.json" ]
	[ -z "$(ls -A "$T" | grep tmp)" ]
}

@test "hostile: a record nested 64 levels passes, 65 is an invalid-json reject" {
	# the record is the first level: 63 arrays inside it make 64
	{ printf '{"_dataset":"zz","v":%s}\n' "$(deep 63)"; printf '{"_dataset":"zz","v":%s}\n' "$(deep 64)"; } >"$T/in.ndjson"
	run join --mode left "$T/in.ndjson"
	assert_success
	[ "$(join -q --mode left "$T/in.ndjson" | jq -c .v)" = "$(deep 63)" ]
	assert_line --partial "in.ndjson:2: column 85: invalid JSON: arrays and objects nested more than 64 deep"
	reconciles "2 1 1"
}

# ---- defect 8: duplicate keys ----

@test "hostile: duplicate keys in a record are a duplicate-key reject in pvd-clean, with file:line" {
	printf '{"insee":"01004","statut":"Signée"}\n{"insee":"01004","insee":"01005"}\n' >"$T/in.ndjson"
	run pvd-clean -d ort --rejects "$T/rj.ndjson" "$T/in.ndjson"
	assert_success
	assert_equal "$(first)" "pvd-clean: $T/in.ndjson:2: column 18: duplicate key \"insee\" in one object"
	reconciles "2 1 1"
	assert_equal "$(jq -r '[.reason, .line, .stage] | @tsv' "$T/rj.ndjson")" $'duplicate-key\t2\tclean'
}

@test "hostile: a duplicate _file key (forged provenance) is rejected by every NDJSON filter" {
	printf '{"_file":"a.csv","_line":2,"_dataset":"club","_file":"forged.csv"}\n' >"$T/in.ndjson"
	for f in clean join agg; do
		run $f "$T/in.ndjson"
		assert_line --partial "in.ndjson:1: column 46: duplicate key \"_file\" in one object"
		reconciles "1 0 1"
	done
	run pvd-render "$T/in.ndjson"
	assert_failure 65
	assert_line --index 0 --partial "in.ndjson:1: column 46: duplicate key \"_file\" in one object"
	# in an object nested in the record too: jq would keep the last
	printf '{"_dataset":"zz","o":{"a":1,"b":{"c":1,"\\u0063":2}},"p":{"a":1}}\n' >"$T/nested.ndjson"
	run join --mode left "$T/nested.ndjson"
	assert_line --partial 'nested.ndjson:1: column 40: duplicate key "c" in one object'
	reconciles "1 0 1"
	# many fields: found through the hash index too
	{ printf '{'; for i in $(seq 1 40); do printf '"k%d":%d,' "$i" "$i"; done; printf '"k7":0}\n'; } >"$T/many.ndjson"
	run join --mode left "$T/many.ndjson"
	assert_line --partial 'duplicate key "k7" in one object'
	reconciles "1 0 1"
}

@test "hostile: 100 000 distinct keys in one record are read (names indexed, not compared pairwise)" {
	awk 'BEGIN { printf "{\"_dataset\":\"zz\""; for (i = 0; i < 100000; i++) printf ",\"k%d\":%d", i, i; print "}" }' >"$T/in.ndjson"
	run agg -i fixtures/aggregate/measures.yaml "$T/in.ndjson"
	assert_success
	reconciles "1 0 0"
	assert_line --partial 'skipped 1 (no indicator)'
}

# ---- defect 10: text that is not UTF-8 ----

@test "hostile: invalid UTF-8 in a string is an encoding-error reject in pvd-clean and pvd-join" {
	printf '{"insee":"01004","nom":"Bourg\xe9"}\n{"insee":"01004","nom":"ok"}\n' >"$T/in.ndjson"
	run pvd-clean -d ort --rejects "$T/rj.ndjson" "$T/in.ndjson"
	assert_equal "$(first)" "pvd-clean: $T/in.ndjson:1: column 30: invalid UTF-8 in string"
	reconciles "2 1 1"
	assert_equal "$(jq -r .reason "$T/rj.ndjson")" encoding-error
	# the reject file stays valid UTF-8: the bad byte is shown as U+FFFD
	assert_equal "$(jq -r .raw "$T/rj.ndjson")" '{"insee":"01004","nom":"Bourg�"}'
	run join --rejects "$T/rj2.ndjson" "$T/in.ndjson"
	reconciles
	assert_equal "$(jq -r .reason "$T/rj2.ndjson")" encoding-error
}

@test "hostile: overlong forms, UTF-8 surrogates and code points past U+10FFFF are encoding errors" {
	for bytes in '\xc0\xaf' '\xe0\x80\xaf' '\xf0\x82\x82\xac' '\xed\xa0\x80' '\xf4\x90\x80\x80' '\xc3' '\x80'; do
		printf '{"nom":"a%bz"}\n' "$bytes" >"$T/in.ndjson"
		run clean --rejects "$T/rj.ndjson" "$T/in.ndjson"
		assert_success
		assert_line --index 0 --partial 'in.ndjson:1: column 10: invalid UTF-8 in string'
		reconciles "1 0 1"
		assert_equal "$(jq -r .reason "$T/rj.ndjson")" encoding-error
	done
}

@test "hostile: unpaired surrogate escapes are encoding errors; a pair is one character" {
	for s in '\ud800' '\udc00' '\ud800x' '\ud800\u0041' '\udbff\udbff'; do
		printf '{"nom":"%s"}\n' "$s" >"$T/in.ndjson"
		run clean --rejects "$T/rj.ndjson" "$T/in.ndjson"
		assert_line --index 0 --partial 'in.ndjson:1: column 9: unpaired surrogate in \u escape'
		reconciles "1 0 1"
		assert_equal "$(jq -r .reason "$T/rj.ndjson")" encoding-error
	done
	printf '{"_dataset":"zz","nom":"\\ud83d\\ude00"}\n' | join -q --mode left >"$T/out"
	assert_equal "$(jq -r .nom "$T/out")" "😀"
}

@test "hostile: NUL as \\u0000 is an encoding error; a raw NUL byte is invalid JSON" {
	printf '{"nom":"a\\u0000b"}\n' >"$T/in.ndjson"
	run clean --rejects "$T/rj.ndjson" "$T/in.ndjson"
	assert_line --index 0 --partial 'in.ndjson:1: column 10: \u0000 in string'
	reconciles "1 0 1"
	assert_equal "$(jq -r .reason "$T/rj.ndjson")" encoding-error
	printf '{"nom":"a\0b"}\n' >"$T/in.ndjson"
	run clean --rejects "$T/rj.ndjson" "$T/in.ndjson"
	assert_line --index 0 --partial 'in.ndjson:1: column 10: invalid JSON: control character in string'
	reconciles "1 0 1"
	assert_equal "$(jq -r '.reason, .raw' "$T/rj.ndjson")" $'invalid-json\n{"nom":"a b"}'
}

# ---- the shape of a line ----

@test "hostile: a top-level array, string, number or null is not a record" {
	printf '[{"insee":"01004"}]\n"01004"\n42\nnull\n' >"$T/in.ndjson"
	run clean "$T/in.ndjson"
	assert_success
	assert_equal "$(first)" "pvd-clean: $T/in.ndjson:1: column 1: invalid JSON: a record must be a JSON object"
	assert_equal "$(grep -c 'a record must be a JSON object' <<<"$output")" 4
	reconciles "4 0 4"
}

@test "hostile: NaN, Infinity, 1e999, -0 and a 400-digit number" {
	printf '{"_dataset":"dotations","dotation":"DETR","beneficiaire_insee":"01004","montant":%s}\n' NaN Infinity 1e999 -0 "$(printf '9%.0s' {1..400})" >"$T/in.ndjson"
	run pvd-clean --rejects "$T/rj.ndjson" "$T/in.ndjson" 
	assert_success
	assert_equal "$(first)" "pvd-clean: $T/in.ndjson:1: column 82: invalid JSON: bad number"
	assert_line --partial 'in.ndjson:2: column 82: invalid JSON: bad number'
	assert_line --partial 'in.ndjson:3: montant: not an amount: "1e999"'
	assert_line --partial 'in.ndjson:5: montant: amount out of range: "9999'
	reconciles "5 1 4"
	# -0 is zero, written 0.00; a number is carried verbatim by the other filters
	run pvd-clean -q "$T/in.ndjson"
	assert_output --partial '"montant":0.00'
	printf '{"_dataset":"zz","n":%s}\n' "$(printf '9%.0s' {1..400})" | join -q --mode left >"$T/out"
	grep -q "\"n\":$(printf '9%.0s' {1..400})}" "$T/out"
}

@test "hostile: CRLF lines, blank lines and a last line without a newline: physical line numbers" {
	printf '{"insee":"01004"}\r\n\r\n   \n{"insee":"x"}\r\n{"insee":"01005"}' >"$T/in.ndjson"
	run clean "$T/in.ndjson"
	assert_success
	assert_equal "$(first)" "pvd-clean: $T/in.ndjson:4: insee: not an INSEE commune code: \"x\" (too short)"
	reconciles "3 2 1"
	run clean -q "$T/in.ndjson"
	refute_output --partial $'\r'
	assert_equal "$(grep -c '"insee":"0100[45]"' <<<"$output")" 2
}

@test "hostile: a truncated line, an unterminated string and trailing text are invalid JSON" {
	printf '{"insee":"01004"\n{"insee":"01004}\n{"insee":"01004"} x\n{"insee" "01004"}\n' >"$T/in.ndjson"
	run clean "$T/in.ndjson"
	assert_success
	assert_line --index 0 "pvd-clean: $T/in.ndjson:1: column 17: invalid JSON: ',' or '}' expected"
	assert_line --index 1 "pvd-clean: $T/in.ndjson:2: column 17: invalid JSON: unterminated string"
	assert_line --index 2 "pvd-clean: $T/in.ndjson:3: column 19: invalid JSON: trailing characters after the object"
	assert_line --index 3 "pvd-clean: $T/in.ndjson:4: column 10: invalid JSON: ':' expected"
	reconciles "4 0 4"
}

@test "hostile: a 1 MB key and a 1 MB value pass through unchanged" {
	key=$(head -c 1048576 /dev/zero | tr '\0' k)
	printf '{"_dataset":"zz","%s":"%s"}\n' "$key" "$key" >"$T/in.ndjson"
	join -q --mode left "$T/in.ndjson" >"$T/out.ndjson"
	assert_equal "$(jq -r 'to_entries[] | select(.key | length > 1000) | [(.key | length), (.value | length)] | @tsv' "$T/out.ndjson")" $'1048576\t1048576'
}

@test "hostile: a 100 MB line is one record, read and counted (no cap, no crash)" {
	{ printf '{"_dataset":"zz","x":"'; head -c 104857600 /dev/zero | tr '\0' a; printf '"}\n{"_dataset":"zz"}\n'; } >"$T/in.ndjson"
	run agg -i fixtures/aggregate/measures.yaml "$T/in.ndjson"
	assert_success
	reconciles "2 0 0"
	assert_line --partial 'skipped 2 (no indicator)'
	rm -f "$T/in.ndjson"
}

@test "hostile: a list of 70 000 strings is kept whole (as a JSON array), not a fatal error" {
	awk 'BEGIN { printf "{\"_dataset\":\"zz\",\"l\":[\"a\""; for (i = 1; i < 70000; i++) printf ",\"a\""; print "]}" }' >"$T/in.ndjson"
	run join --mode left "$T/in.ndjson"
	assert_success
	pvd-join --ref pvd=pvd-2021-01 -q --mode left "$T/in.ndjson" | jq '.l | length' >"$T/n"
	assert_equal "$(cat "$T/n")" 70000
}

# ---- defect 11: an output that is one of the inputs ----

@test "hostile: pvd-ingest --rejects x.csv x.csv is exit 64 and x.csv is untouched" {
	printf 'id,nom\n1,a\n2\n' >"$T/x.csv"
	cp "$T/x.csv" "$T/orig.csv"
	run pvd-ingest --rejects "$T/x.csv" "$T/x.csv"
	assert_failure 64
	assert_equal "$(first)" "pvd-ingest: --rejects $T/x.csv: is the input $T/x.csv (same file): refusing to overwrite an input"
	cmp "$T/x.csv" "$T/orig.csv"
}

@test "hostile: --report over an input through a symlink or a hard link is exit 64 (device and inode)" {
	printf 'id,nom\n1,a\n' >"$T/x.csv"
	ln -s x.csv "$T/sym.json"
	ln "$T/x.csv" "$T/hard.json"
	cp "$T/x.csv" "$T/orig.csv"
	run pvd-ingest --report "$T/sym.json" "$T/x.csv"
	assert_failure 64
	assert_line --index 0 --partial "--report $T/sym.json: is the input $T/x.csv (same file)"
	run pvd-ingest --report "$T/hard.json" "$T/x.csv"
	assert_failure 64
	run pvd-ingest --rejects "$T/hard.json" - <"$T/x.csv"
	assert_failure 64
	assert_line --index 0 --partial "is the input <stdin> (same file)"
	cmp "$T/x.csv" "$T/orig.csv"
	[ -L "$T/sym.json" ]
}

@test "hostile: pvd-render -o in.ndjson in.ndjson, and -o in.ndjson < in.ndjson, are exit 64" {
	cp "$AGG_Q4" "$T/in.ndjson"
	run pvd-render -o "$T/in.ndjson" "$T/in.ndjson"
	assert_failure 64
	assert_equal "$(first)" "pvd-render: --output $T/in.ndjson: is the input $T/in.ndjson (same file): refusing to overwrite an input"
	run bash -c 'pvd-render -o "$1" <"$1"' _ "$T/in.ndjson"
	assert_failure 64
	cmp "$T/in.ndjson" "$AGG_Q4"
	# an input named by an option is protected too
	cp "$PROV" "$T/prov.json"
	run pvd-render -q --provenance "$T/prov.json" -o "$T/prov.json" "$AGG_Q4"
	assert_failure 64
	cmp "$T/prov.json" "$PROV"
}

@test "hostile: pvd-clean, pvd-join and pvd-aggregate refuse --rejects or --report over their input" {
	printf '{"insee":"01004"}\n' >"$T/in.ndjson"
	cp "$T/in.ndjson" "$T/orig"
	ln -s in.ndjson "$T/link"
	run clean --rejects "$T/link" "$T/in.ndjson"
	assert_failure 64
	run join --report "$T/in.ndjson" "$T/in.ndjson"
	assert_failure 64
	assert_line --index 0 --partial "--report $T/in.ndjson: is the input"
	run agg --rejects "$T/in.ndjson" "$T/in.ndjson"
	assert_failure 64
	cmp "$T/in.ndjson" "$T/orig"
}

# ---- defect 12: a record that names nothing, a group key that is not one value ----

@test "hostile: pvd-join inner rejects a record of a place dataset with no place field; the club's pass" {
	printf '{"_dataset":"ort"}\n{"_dataset":"club","indicateur":"x","valeur":3}\n{"_dataset":"ort","insee":"01004"}\n' >"$T/in.ndjson"
	run pvd-join --ref pvd=pvd-2021-01 --rejects "$T/rj.ndjson" "$T/in.ndjson"
	assert_success
	assert_line "pvd-join: $T/in.ndjson:1: a record of dataset ort with no insee, beneficiaire_insee, beneficiaire_siren, epci_siren, nom, beneficiaire_nom or commune field: it names no place to match"
	reconciles "3 2 1"
	assert_equal "$(jq -r .reason "$T/rj.ndjson")" required-value
	run join -q "$T/in.ndjson"
	refute_output --partial '{"_dataset":"ort"}'
	assert_output --partial '"_dataset":"club"'
}

@test "hostile: pvd-aggregate rejects an object or array breakdown key instead of the null group" {
	base='"_file":"toy.csv","_dataset":"toy","k":"k1","cat":"a","amount":1.00,"n":1,"d":"2021-10-05","commune_insee":"01001","commune_reg_nom":"ARA","pvd":true'
	printf '{"_line":2,%s,"commune_reg":{"code":"84"}}\n{"_line":3,%s,"commune_reg":["84","11"]}\n{"_line":4,%s,"commune_reg":"84"}\n' "$base" "$base" "$base" >"$T/in.ndjson"
	run agg -i fixtures/aggregate/measures.yaml --rejects "$T/rj.ndjson" "$T/in.ndjson"
	assert_success
	assert_line --index 0 'pvd-aggregate: toy.csv:2: commune_reg: breakdown key commune_reg is a JSON object, not one value: no group for it'
	assert_line --index 1 'pvd-aggregate: toy.csv:3: commune_reg: breakdown key commune_reg is a JSON array, not one value: no group for it'
	reconciles "3 1 2"
	assert_equal "$(jq -r .reason "$T/rj.ndjson" | sort -u)" type-error
	pvd-aggregate -q --period 2021-Q4 -i fixtures/aggregate/measures.yaml "$T/in.ndjson" >"$T/out"
	assert_equal "$(jq -c 'select(.id == "t.count" and .breakdown == "reg") | [.key, .value]' "$T/out")" '["84",1]'
}

# ---- defect 16: no temporary file left behind by a signal ----

# Starts "$@" reading a fifo nobody writes (it blocks with its outputs
# open), waits for its temporary file, sends the signal, checks the status
# and that no .tmp file is left.
killed_leaves_nothing() {
	local sig=$1 status=$2; shift 2
	mkfifo "$T/fifo"
	env --default-signal=INT,HUP,TERM "$@" "$T/fifo" 2>/dev/null &
	local pid=$! i
	for i in $(seq 1 500); do
		ls -A "$T" | grep -q '\.tmp\.' && break
		sleep 0.02
	done
	ls -A "$T" | grep -q '\.tmp\.' || fail "no temporary file appeared"
	kill -"$sig" "$pid"
	local rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" "$status"
	assert_equal "$(ls -A "$T" | grep -c '\.tmp\.')" 0
	rm -f "$T/fifo"
}

@test "hostile: SIGTERM leaves no .tmp beside --rejects (pvd-clean, pvd-join, pvd-aggregate)" {
	killed_leaves_nothing TERM 143 pvd-clean -d ort --rejects "$T/rj.ndjson"
	killed_leaves_nothing TERM 143 pvd-join --ref pvd=pvd-2021-01 -q --rejects "$T/rj.ndjson"
	killed_leaves_nothing TERM 143 pvd-aggregate --period 2021-Q4 --rejects "$T/rj.ndjson"
	[ ! -e "$T/rj.ndjson" ]
}

@test "hostile: SIGINT and SIGHUP leave no .tmp beside -o and --rejects (pvd-render, pvd-ingest)" {
	killed_leaves_nothing INT 130 pvd-render -o "$T/out.json" --rejects "$T/rj.ndjson"
	killed_leaves_nothing HUP 129 pvd-render -o "$T/out.json"
	killed_leaves_nothing TERM 143 pvd-ingest --rejects "$T/rj.ndjson"
	[ ! -e "$T/out.json" ]
}

# ---- defect 18: error paths exit with their status (no leak under ASan) ----

@test "hostile: configuration errors exit 78 (bad schema, bad catalogue, bad dashboard)" {
	run bash -c "echo '{}' | pvd-clean -d fixtures/clean/bad-schema/syntax.yaml"
	assert_failure 78
	run bash -c "echo '{}' | pvd-clean -p fixtures/clean/bad-schema/bad-clean.yaml"
	assert_failure 78
	for f in yaml-syntax unknown-field cycle unknown-dataset; do
		run pvd-aggregate --period 2021-Q4 -i "fixtures/aggregate/bad/$f.yaml" /dev/null
		assert_failure 78
		assert_line --index 0 --partial "fixtures/aggregate/bad/$f.yaml:"
	done
	printf 'sections:\n  - id: a\n    title: A\n    indicators: [pvd.communes, pvd.communes]\n' >"$T/d.yaml"
	run pvd-render -c "$T/d.yaml" "$AGG_Q4"
	assert_failure 78
	assert_equal "$(first)" "pvd-render: $T/d.yaml:4:32: indicator 'pvd.communes' is listed twice (section 'a')"
	run pvd-join --ref pvd="$T/d.yaml" /dev/null
	assert_failure 78
}

@test "hostile: a YAML syntax error in a dashboard, a catalogue's dataset schema or a profile is 78 (nothing leaks)" {
	printf 'sections: [\n' >"$T/bad.yaml"
	run pvd-render -c "$T/bad.yaml" "$AGG_Q4"
	assert_failure 78
	assert_equal "$(first)" "pvd-render: $T/bad.yaml:2:1: YAML syntax: did not find expected node content while parsing a flow node"
	mkdir -p "$T/cat/datasets"
	cp fixtures/aggregate/bad/schema/indicators.yaml "$T/cat/"
	cp "$T/bad.yaml" "$T/cat/datasets/toy.yaml"
	run pvd-aggregate --period 2021-Q4 -i "$T/cat/indicators.yaml" /dev/null
	assert_failure 78
	assert_equal "$(first)" "pvd-aggregate: $T/cat/datasets/toy.yaml:2:1: YAML syntax: did not find expected node content while parsing a flow node"
	run pvd-clean -p "$T/bad.yaml" /dev/null
	assert_failure 78
	run pvd-ingest -p "$T/bad.yaml" /dev/null
	assert_failure 78
}

@test "hostile: an output that cannot be created is 73; a write error is 74 (every filter)" {
	printf '{"insee":"01004"}\n' >"$T/in.ndjson"
	run clean --rejects "$T/no/dir/rj.ndjson" "$T/in.ndjson"
	assert_failure 73
	assert_equal "$(first)" "pvd-clean: $T/no/dir/rj.ndjson: cannot create: No such file or directory"
	run join --rejects "$T/no/rj" "$T/in.ndjson"
	assert_failure 73
	run agg --rejects "$T/no/rj" "$T/in.ndjson"
	assert_failure 73
	run pvd-render -o "$T/no/out.json" "$AGG_Q4"
	assert_failure 73
	run bash -c 'pvd-clean -q -d ort "$1" >/dev/full' _ "$T/in.ndjson"
	assert_failure 74
	assert_output --partial 'write error'
	run bash -c 'pvd-join -q --ref pvd=pvd-2021-01 "$1" >/dev/full' _ "$T/in.ndjson"
	assert_failure 74
	run bash -c 'pvd-aggregate -q --period 2021-Q4 "$1" >/dev/full' _ "$AGG_Q4"
	assert_failure 74
	run bash -c 'pvd-render -q "$1" >/dev/full' _ "$AGG_Q4"
	assert_failure 74
	run pvd-clean -d ort --report "$T/no/r.json" "$T/in.ndjson"
	assert_failure 73
	[ -z "$(ls -A "$T" | grep tmp)" ]
}

# ---- stderr stays readable: --max-messages ----

@test "hostile: at most 20 messages per reason, then one line counting the rest" {
	for i in $(seq 1 30); do echo 'not json'; done >"$T/in.ndjson"
	for i in $(seq 1 25); do echo '{"insee":"x"}'; done >>"$T/in.ndjson"
	run clean --rejects "$T/rj.ndjson" "$T/in.ndjson"
	assert_success
	assert_equal "$(grep -c 'invalid JSON' <<<"$output")" 20
	assert_equal "$(grep -c 'not an INSEE commune code' <<<"$output")" 20
	assert_line "pvd-clean: … and 10 more invalid-json rejects (see --rejects)"
	assert_line "pvd-clean: … and 5 more type-error rejects (see --rejects)"
	reconciles "55 0 55"
	assert_equal "$(grep -c . "$T/rj.ndjson")" 55
	sed "s|$T/||" <<<"$output" >"$T/stderr"
	assert_golden "$T/stderr" "$G/max-messages.stderr"
	run clean --max-messages 0 "$T/in.ndjson"
	assert_equal "$(grep -c 'invalid JSON' <<<"$output")" 30
	refute_output --partial 'more invalid-json'
	run clean --max-messages 2 "$T/in.ndjson"
	assert_equal "$(grep -c 'invalid JSON' <<<"$output")" 2
	assert_line "pvd-clean: … and 28 more invalid-json rejects (not shown: --rejects FILE keeps them all)"
	run clean --max-messages x "$T/in.ndjson"
	assert_failure 64
}

@test "hostile: --max-messages in pvd-join, pvd-aggregate and pvd-ingest (the shared reject layer)" {
	for i in $(seq 1 8); do echo '{"insee":"99999"}'; done >"$T/in.ndjson"
	run pvd-join --ref pvd=pvd-2021-01 --max-messages 3 "$T/in.ndjson"
	assert_equal "$(grep -c 'is neither a current commune' <<<"$output")" 3
	assert_line "pvd-join: … and 5 more no-match rejects (not shown: --rejects FILE keeps them all)"
	reconciles "8 0 8"
	run agg --max-messages 1 "$T/in.ndjson"
	assert_line "pvd-aggregate: … and 7 more unknown-dataset rejects (not shown: --rejects FILE keeps them all)"
	reconciles "8 0 8"
	{ echo 'id,nom'; for i in $(seq 1 8); do echo "$i"; done; } >"$T/x.csv"
	run pvd-ingest --max-messages 2 "$T/x.csv"
	assert_equal "$(grep -c 'x.csv:[0-9]*:' <<<"$output")" 2
	assert_line --partial "… and 6 more missing-cell rejects"
}

# ---- the filters' guard: --max-rejected ----

@test "hostile: --max-rejected 10% with 2 of 4 rejected is exit 65 after writing the rejects and the report" {
	printf '{"insee":"01004"}\n{"insee":"x"}\n{"insee":"y"}\n{"insee":"01005"}\n' >"$T/in.ndjson"
	run clean --max-rejected 10% --rejects "$T/rj.ndjson" --report "$T/rep.json" "$T/in.ndjson"
	assert_failure 65
	assert_line "pvd-clean: 2 of 4 records rejected (50.0%), more than --max-rejected 10% allows"
	reconciles "4 2 2"
	assert_equal "$(grep -c . "$T/rj.ndjson")" 2
	assert_equal "$(jq -c '[.in, .out, .rejected]' "$T/rep.json")" '[4,2,2]'
	run clean --max-rejected 50% "$T/in.ndjson"
	assert_success
	run clean --max-rejected 2 "$T/in.ndjson"
	assert_success
	run clean --max-rejected 1 "$T/in.ndjson"
	assert_failure 65
	run clean "$T/in.ndjson"
	assert_success
	run clean --max-rejected 5x "$T/in.ndjson"
	assert_failure 64
	run clean --max-rejected 101% "$T/in.ndjson"
	assert_failure 64
}

@test "hostile: under --max-rejected, records read and none emitted is a clear exit 65 (every filter)" {
	printf '{"insee":"x"}\n' >"$T/in.ndjson"
	run clean --max-rejected 100% "$T/in.ndjson"
	assert_failure 65
	assert_line "pvd-clean: read 1 records and emitted none (--max-rejected): is this the right input, profile or dataset?"
	run join --max-rejected 100% "$T/in.ndjson"
	assert_failure 65
	run agg --max-rejected 100% "$T/in.ndjson"
	assert_failure 65
	run pvd-render -q --max-rejected 100% "$T/in.ndjson"
	assert_failure 65
	printf 'titre\nid,nom\n' >"$T/x.csv"
	printf 'id;nom\n1\n' >"$T/y.csv"
	run pvd-ingest --max-rejected 100% "$T/y.csv"
	assert_failure 65
	assert_line --partial "rows and emitted none (--max-rejected)"
	# nothing read is not "emitted none"
	run clean --max-rejected 0 /dev/null
	assert_success
}

@test "hostile: empty input, blank lines only: zero records, exit 0, counts reconcile" {
	printf '\n\n  \r\n' >"$T/in.ndjson"
	for f in clean join agg; do
		run $f "$T/in.ndjson"
		assert_success
		reconciles "0 0 0"
	done
}

@test "hostile: a name spelled with an escape is the same name: \"\\u005ffile\" duplicates \"_file\"" {
	printf '{"_file":"a.csv","\\u005ffile":"forged.csv"}\n{"Insee":"01004","insee":"01004"}\n' >"$T/in.ndjson"
	run clean --rejects "$T/rj.ndjson" "$T/in.ndjson"
	assert_success
	assert_equal "$(first)" "pvd-clean: $T/in.ndjson:1: column 18: duplicate key \"_file\" in one object"
	# names differing by case are two names
	reconciles "2 1 1"
	assert_equal "$(jq -r .reason "$T/rj.ndjson")" duplicate-key
}

@test "hostile: two outputs in one file (--rejects and --report) are exit 64 before anything is read" {
	printf '{"insee":"01004"}\n' >"$T/in.ndjson"
	run clean --rejects "$T/o.json" --report "$T/o.json" "$T/in.ndjson"
	assert_failure 64
	assert_equal "$(first)" "pvd-clean: --report $T/o.json: is also the --rejects file"
	[ ! -e "$T/o.json" ]
	: >"$T/o.json"
	ln "$T/o.json" "$T/p.json"
	run pvd-render -o "$T/o.json" --report "$T/p.json" "$AGG_Q4"
	assert_failure 64
	assert_line --index 0 --partial "is also the --output file"
	run pvd-ingest --rejects "$T/r.ndjson" --report "$T/r.ndjson" /dev/null
	assert_failure 64
}

@test "hostile: --max-rejected in pvd-ingest: rows over the limit are exit 65, rejects written" {
	printf 'id,nom\n1,a\n2\n3\n4,d\n' >"$T/x.csv"
	run pvd-ingest --max-rejected 1 --rejects "$T/rj.ndjson" "$T/x.csv"
	assert_failure 65
	assert_line "pvd-ingest: 2 of 5 rows rejected (40.0%), more than --max-rejected 1 allows"
	assert_equal "$(grep -c . "$T/rj.ndjson")" 2
	run pvd-ingest --max-rejected 2 "$T/x.csv"
	assert_success
}

@test "hostile: a NUL byte or a BOM outside a record is invalid JSON, named by line; the next line is read" {
	printf '{"insee":"01004"}\0\n\xef\xbb\xbf{"insee":"01004"}\n{"insee":"01005"}\n' >"$T/in.ndjson"
	run clean "$T/in.ndjson"
	assert_success
	assert_line --index 0 "pvd-clean: $T/in.ndjson:1: column 18: invalid JSON: trailing characters after the object"
	assert_line --index 1 "pvd-clean: $T/in.ndjson:2: column 1: invalid JSON: a record must be a JSON object"
	reconciles "3 1 2"
}

@test "hostile: a _line of LONG_MAX does not overflow the duplicate finder's line runs (fuzzer's find)" {
	# runs of consecutive lines are stored as first line + step: the next
	# expected line after 9223372036854775807 is not computed by overflowing
	local a b
	a='{"_file":"a.csv","_line":9223372036854775807,"_dataset":"dotations","dotation":"DETR","beneficiaire_insee":"01004","montant":"10"}'
	b='{"_file":"a.csv","_line":9223372036854775806,"_dataset":"dotations","dotation":"DETR","beneficiaire_insee":"01005","montant":"10"}'
	run bash -c 'printf "%s\n%s\n%s\n" "$1" "$2" "$2" | pvd-clean -d dotations >/dev/null' _ "$a" "$b"
	[ "$status" -eq 0 ]
	assert_line -n 0 "pvd-clean: a.csv:9223372036854775806: duplicate of a.csv:9223372036854775806"
	reconciles "3 2 1"
}

@test "hostile: a _line that is no line number (1e30, -5, 1.5, \"x\", past LONG_MAX) is line 0, not a line it does not name" {
	local l r
	for l in 1e30 -5 1.5 '"x"' 99999999999999999999; do
		r="{\"_file\":\"a.csv\",\"_line\":$l,\"_dataset\":\"dotations\",\"dotation\":\"DETR\",\"beneficiaire_insee\":\"01004\",\"montant\":\"10\"}"
		run bash -c 'printf "%s\n%s\n" "$1" "$1" | pvd-clean -d dotations >/dev/null' _ "$r"
		[ "$status" -eq 0 ]
		assert_line -n 0 "pvd-clean: a.csv:0: duplicate of a.csv:0"
		reconciles "2 1 1"
	done
}

@test "hostile: 400 000 records each naming another _file: interned by hash, not by a scan of the names seen" {
	# the duplicate set names the first record's file: a scan of every name
	# seen was quadratic (80 000 names: 17 s; 400 000: minutes); linear, well
	# under a second
	awk 'BEGIN { for (i = 1; i <= 400000; i++)
		printf "{\"_file\":\"f%d.csv\",\"_line\":2,\"_dataset\":\"dotations\",\"dotation\":\"DETR\",\"beneficiaire_insee\":\"01004\",\"montant\":\"%d\"}\n", i, i % 7 }' >"$T/in.ndjson"
	run timeout 60 pvd-clean -d dotations --max-messages 1 "$T/in.ndjson"
	[ "$status" -eq 0 ]
	assert_line "pvd-clean: f8.csv:2: duplicate of f1.csv:2"
	reconciles "400000 7 399993"
}
