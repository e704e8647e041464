#!/usr/bin/env bats
# pvd-ingest (and the amount parser of pvd-clean) against hostile raw exports:
# each case asserts the exit status, the first message on stderr and that
# the counts reconcile (read = emitted + rejected + skipped, emitted = lines
# on stdout), or that nothing was emitted when the run stops.
load helper

G="$GOLD/ingest/hostile"

setup() {
	export PVD_CONFIG="$PVD_ROOT/config"
	T=$BATS_TEST_TMPDIR
	O=$T/out
	E=$T/err
}

# Runs pvd-ingest with stdout and stderr kept apart; sets status.
ingest() {
	status=0
	pvd-ingest "$@" >"$O" 2>"$E" || status=$?
}

# Guard for inputs that used to hang: the run is killed (status 124) rather
# than the suite hanging.  Not a timing assertion.
ingest_guarded() {
	status=0
	timeout 120 pvd-ingest "$@" >"$O" 2>"$E" || status=$?
}

first_err() { head -n 1 "$E"; }

assert_first_err() {
	local got
	got=$(first_err)
	if [ "$got" != "$1" ]; then
		printf 'first stderr line:\n  got:  %s\n  want: %s\n' "$got" "$1" >&2
		return 1
	fi
}

# The summary line: read N = emitted M + rejected K + skipped T, M records
# on stdout; with expected N M K T when given.
reconcile() {
	local s
	s=$(grep -E '^pvd-ingest: read [0-9]+ rows' "$E") || { echo "no summary line" >&2; return 1; }
	[[ $s =~ read\ ([0-9]+)\ rows:\ emitted\ ([0-9]+),\ rejected\ ([0-9]+),\ skipped\ ([0-9]+) ]]
	local n=${BASH_REMATCH[1]} m=${BASH_REMATCH[2]} k=${BASH_REMATCH[3]} t=${BASH_REMATCH[4]}
	[ "$n" -eq $((m + k + t)) ] || { echo "counts do not reconcile: $s" >&2; return 1; }
	[ "$(wc -l <"$O")" -eq "$m" ] || { echo "$m emitted but $(wc -l <"$O") lines on stdout" >&2; return 1; }
	if [ $# -gt 0 ]; then
		[ "$n $m $k $t" = "$1 $2 $3 $4" ] || { echo "counts: $s; want $*" >&2; return 1; }
	fi
}

# A run that stopped: nothing on stdout.
nothing_emitted() {
	[ ! -s "$O" ] || { echo "records emitted by a failed run:" >&2; head -3 "$O" >&2; return 1; }
}

profile() { cat >"$T/p.yaml"; }

# $T/u16.csv: $T/u8.csv in UTF-16 (le, the default, or be) after its
# byte-order mark.
utf16_with_bom() {
	local bom='\xff\xfe'
	[ "${1:-le}" = be ] && bom='\xfe\xff'
	{ printf "$bom"; iconv -f UTF-8 -t "UTF-16${1:-le}" "$T/u8.csv"; } >"$T/u16.csv"
}

# The records of the last run ($O) are those of $T/u8.csv read as UTF-8,
# but for _file.
same_records_as_utf8() {
	jq -c 'del(._file)' "$O" >"$T/got"
	ingest "$T/u8.csv"
	jq -c 'del(._file)' "$O" | diff - "$T/got"
}

# --- defects of the hostile-files review --------------------------------

@test "defect 1: an amount of 46 space-separated digit groups is a type-error reject, no crash" {
	v=$(printf '1 %.0s' {1..45})1
	printf '{"dotation":"DETR","beneficiaire_insee":"01004","montant":"%s"}\n' "$v" >"$T/in.ndjson"
	status=0
	pvd-clean -d dotations --rejects "$T/rj" "$T/in.ndjson" >"$O" 2>"$E" || status=$?
	[ "$status" -eq 0 ]
	[ "$(jq -r .reason "$T/rj")" = type-error ]
	[ "$(jq -r .field "$T/rj")" = montant ]
	grep -q '^pvd-clean: read 1 records: emitted 0, rejected 1' "$E"
	nothing_emitted
}

@test "defect 1: 40 and 41 groups are refused as amounts too (the array bound)" {
	for k in 39 40 41; do
		v=$(printf '1 %.0s' $(seq "$k"))1
		printf '{"dotation":"DETR","beneficiaire_insee":"01004","montant":"%s"}\n' "$v" >"$T/in.ndjson"
		status=0
		pvd-clean -q -d dotations --rejects "$T/rj" "$T/in.ndjson" >"$O" 2>"$E" || status=$?
		[ "$status" -eq 0 ]
		[ "$(jq -r .reason "$T/rj")" = type-error ]
	done
}

@test "defect 2: CR-only line ends and a field over the cap: field-too-large, no crash" {
	printf 't\r,%070d' 0 >"$T/m.csv"
	ingest --max-field 64 --rejects "$T/rj" "$T/m.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/m.csv:2: a field is larger than 64 bytes"
	[ "$(jq -r .reason "$T/rj")" = field-too-large ]
	reconcile 2 0 1 1
}

@test "defect 2: a lone CR in an LF file, then an unquoted field over the cap at the end" {
	printf 'a,b\n1,2\rx,%070d' 0 >"$T/m.csv"
	ingest --max-field 64 --rejects "$T/rj" "$T/m.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/m.csv:2: a field is larger than 64 bytes"
	[ "$(jq -r .line "$T/rj")" = 2 ]
	reconcile 3 1 1 1
}

@test "defect 3: an empty first header cell (the corner of a table) is named _col1" {
	printf ',nom,montant\n1,Un,10\n' >"$T/c.csv"
	ingest "$T/c.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/c.csv:1: blank-header: column 1 has no name; called _col1"
	[ "$(jq -c 'del(._file)' "$O")" = '{"_line":2,"_col1":"1","nom":"Un","montant":"10"}' ]
	reconcile 2 1 0 1
}

@test "defect 4: header cells equal up to a NUL byte end the run (65), no endless renaming" {
	printf 'a,a\0\n1,2\n' >"$T/n.csv"
	ingest_guarded "$T/n.csv"
	[ "$status" -eq 65 ]
	assert_first_err "pvd-ingest: $T/n.csv:1: the header row is not valid text: a NUL byte at column 4 (UTF-16 without a byte-order mark? try --encoding utf-16le or utf-16be)"
	nothing_emitted
}

@test "defect 4: a NUL byte in a data cell is an encoding-error reject, never \\u0000" {
	printf 'a,b\n1,x\0y\n3,4\n' >"$T/n.csv"
	ingest --rejects "$T/rj" "$T/n.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/n.csv:2: line 2, column 4: a NUL byte (0x00) is not text"
	[ "$(jq -r .reason "$T/rj")" = encoding-error ]
	! grep -q 'u0000' "$O"
	reconcile 3 1 1 1
}

# A million columns: some seconds when the renaming is linear, most of an
# hour if it were quadratic (40 000 columns took 5 s then), so the guard
# of ingest_guarded fails it on any machine.
@test "defect 6: 1 000 000 header cells of one name are renamed in linear time" {
	awk 'BEGIN { n = 1000000; for (i = 1; i <= n; i++) printf "a%s", (i < n ? "," : "\n");
		for (i = 1; i <= n; i++) printf "%d%s", i, (i < n ? "," : "\n") }' >"$T/w.csv"
	ingest_guarded "$T/w.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/w.csv:1: duplicate-header: column 2 repeats the name \"a\"; called a_2"
	[ "$(jq -r '.a_1000000' "$O")" = 1000000 ]
	[ "$(jq -r 'keys | length' "$O")" = 1000002 ]
	reconcile 2 1 0 1
}

@test "defect 6: 100 000 columns under a profile are matched once each" {
	profile <<'EOF'
dataset: dotations
fields:
  beneficiaire_insee: [Code INSEE]
  montant: [Montant]
fixed: {dotation: detr}
EOF
	awk 'BEGIN { n = 100000; printf "Code INSEE"; for (i = 2; i < n; i++) printf ",x%d", i; print ",Montant";
		printf "01004"; for (i = 2; i < n; i++) printf ",%d", i; print ",12" }' >"$T/w.csv"
	ingest_guarded -p "$T/p.yaml" "$T/w.csv"
	[ "$status" -eq 0 ]
	[ "$(jq -c 'del(._file)' "$O")" = '{"_line":2,"_dataset":"dotations","_source":"p","beneficiaire_insee":"01004","montant":"12","dotation":"detr"}' ]
	reconcile 2 1 0 1
}

@test "defect 7: CR-only file with a stray quote: every row counted, true line numbers, as the LF file" {
	printf 'id,nom\r1,a\r2,"b\r3,c\r4,d\r5,e\r' >"$T/cr.csv"
	printf 'id,nom\n1,a\n2,"b\n3,c\n4,d\n5,e\n' >"$T/lf.csv"
	ingest --rejects "$T/rj" "$T/cr.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/cr.csv:3: unterminated quoted field: its opening quote is on this line"
	reconcile 6 4 1 1
	[ "$(jq -r ._line "$O" | paste -sd,)" = 2,4,5,6 ]
	[ "$(jq -r .line "$T/rj")" = 3 ]
	jq -c 'del(._file)' "$O" >"$T/cr.ndjson"
	ingest "$T/lf.csv"
	reconcile 6 4 1 1
	jq -c 'del(._file)' "$O" | diff - "$T/cr.ndjson"
}

@test "defect 7: a lone CR inside a line of an LF file starts a row on that line, not line 0" {
	printf 'a,b\n1,2\r3,4\n5,6\n' >"$T/x.csv"
	ingest "$T/x.csv"
	[ "$status" -eq 0 ]
	[ "$(jq -r ._line "$O" | paste -sd,)" = 2,2,3 ]
	reconcile 4 3 0 1
}

@test "defect 8: raw columns named _file, _line, _dataset, _source, _sheet are renamed raw_..., never provenance" {
	printf '_file,_line,_dataset,_source,_sheet,x\nevil.csv,999,ort,forged,S,1\n' >"$T/f.csv"
	ingest "$T/f.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/f.csv:1: reserved-header: column 1 is named \"_file\", a name pvd keeps for its own fields; called raw_file"
	[ "$(grep -c reserved-header "$E")" -eq 5 ]
	[ "$(jq -c . "$O")" = "{\"_file\":\"$T/f.csv\",\"_line\":2,\"raw_file\":\"evil.csv\",\"raw_line\":\"999\",\"raw_dataset\":\"ort\",\"raw_source\":\"forged\",\"raw_sheet\":\"S\",\"x\":\"1\"}" ]
	reconcile 2 1 0 1
}

@test "defect 8: a raw _x next to a raw raw_x stays distinct" {
	printf '_x,raw_x\n1,2\n' >"$T/f.csv"
	ingest "$T/f.csv"
	[ "$status" -eq 0 ]
	[ "$(jq -c 'del(._file, ._line)' "$O")" = '{"raw_x":"1","raw_x_2":"2"}' ]
	reconcile 2 1 0 1
}

@test "defect 8: others: keep never lets a raw column overwrite a canonical field or provenance" {
	profile <<'EOF'
dataset: dotations
fields:
  beneficiaire_insee: [Code INSEE]
  montant: [Montant attribué]
fixed: {dotation: detr}
others: keep
EOF
	printf 'Code INSEE,Montant attribué,montant,dotation,_source,note\n01004,100,999,dsil,forged,ok\n' >"$T/k.csv"
	ingest -p "$T/p.yaml" "$T/k.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/k.csv:1: duplicate-header: column 3 repeats the name \"montant\"; called montant_2"
	[ "$(jq -c 'del(._file)' "$O")" = '{"_line":2,"_dataset":"dotations","_source":"p","beneficiaire_insee":"01004","montant":"100","dotation":"detr","montant_2":"999","dotation_2":"dsil","raw_source":"forged","note":"ok"}' ]
	reconcile 2 1 0 1
}

@test "defect 8: a profile's fixed: may not set a _ field (78 at FILE:LINE:COL)" {
	profile <<'EOF'
dataset: dotations
fields:
  montant: [Montant]
fixed: {_file: forged.csv}
EOF
	printf 'Montant\n1\n' >"$T/a.csv"
	ingest -p "$T/p.yaml" "$T/a.csv"
	[ "$status" -eq 78 ]
	assert_first_err "pvd-ingest: $T/p.yaml:4:9: fixed field '_file': names starting with '_' are provenance fields"
	nothing_emitted
}

@test "defect 8: a profile's fixed: may not hide a mapped field (78)" {
	profile <<'EOF'
dataset: dotations
fields:
  montant: [Montant]
fixed:
  montant: "0"
EOF
	printf 'Montant\n1\n' >"$T/a.csv"
	ingest -p "$T/p.yaml" "$T/a.csv"
	[ "$status" -eq 78 ]
	assert_first_err "pvd-ingest: $T/p.yaml:5:3: fixed field 'montant' is also mapped under fields:"
	nothing_emitted
}

@test "defect 9: two columns matching one field after case/accent folding: 65 naming both" {
	profile <<'EOF'
dataset: dotations
fields:
  beneficiaire_insee: [Code INSEE]
  montant: [Montant attribué]
EOF
	printf 'Code INSEE,Montant attribué,x,MONTANT ATTRIBUE\n01004,1,2,3\n' >"$T/d.csv"
	ingest -p "$T/p.yaml" "$T/d.csv"
	[ "$status" -eq 65 ]
	first_err | sed "s|$T|T|" >"$T/first"
	assert_golden "$T/first" "$G/two-columns-one-field.err"
	nothing_emitted
}

@test "defect 9: two different listed headers of one field are two columns for it too" {
	profile <<'EOF'
dataset: dotations
fields:
  beneficiaire_nom: [Commune, Bénéficiaire]
EOF
	printf 'Bénéficiaire,Commune\nA,B\n' >"$T/d.csv"
	ingest -p "$T/p.yaml" "$T/d.csv"
	[ "$status" -eq 65 ]
	assert_first_err "pvd-ingest: $T/d.csv:1: profile p: columns 1 (\"Bénéficiaire\") and 2 (\"Commune\") both match field beneficiaire_nom: rename one, or say duplicates: first for beneficiaire_nom in the profile"
	nothing_emitted
}

@test "defect 9: duplicates: first takes the first column, knowingly" {
	profile <<'EOF'
dataset: dotations
fields:
  montant: {headers: [Montant], duplicates: first}
others: keep
EOF
	printf 'Montant,montant,x\n1,2,3\n' >"$T/d.csv"
	ingest -p "$T/p.yaml" "$T/d.csv"
	[ "$status" -eq 0 ]
	[ "$(jq -c 'del(._file, ._line, ._dataset, ._source)' "$O")" = '{"montant":"1","x":"3"}' ]
	reconcile 2 1 0 1
}

@test "defect 13: UTF-16LE with a BOM is decoded: the same records as the UTF-8 file" {
	printf 'id;nom\r\n1;Ambérieu\r\n2;Œuvre € 😀\r\n' >"$T/u8.csv"
	utf16_with_bom le
	ingest --report "$T/r.json" "$T/u16.csv"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.files[0].encoding' "$T/r.json")" = utf-16le ]
	[ "$(jq -r '.files[0].delimiter' "$T/r.json")" = ";" ]
	reconcile 3 2 0 1
	same_records_as_utf8
}

@test "defect 13: UTF-16BE with a BOM is decoded too" {
	printf 'id,nom\n1,Saint-Étienne\n' >"$T/u8.csv"
	utf16_with_bom be
	ingest "$T/u16.csv"
	[ "$status" -eq 0 ]
	[ "$(jq -r .nom "$O")" = "Saint-Étienne" ]
	reconcile 2 1 0 1
	same_records_as_utf8
}

@test "defect 13: an unpaired UTF-16 surrogate rejects its row (encoding-error)" {
	{ printf '\xff\xfe'; printf 'a,b\n1,2\n' | iconv -f UTF-8 -t UTF-16LE; printf '3\x00,\x00\x00\xd8\n\x00'; } >"$T/s.csv"
	ingest --rejects "$T/rj" "$T/s.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/s.csv:3: line 3, column 3: byte 0xFF is not valid utf-16le"
	[ "$(jq -r .reason "$T/rj")" = encoding-error ]
	reconcile 3 1 1 1
}

@test "defect 13: UTF-16 cut in the middle of a character: the last row is rejected, not garbled" {
	{ printf '\xff\xfe'; printf 'a,b\n1,2\n3,4' | iconv -f UTF-8 -t UTF-16LE; printf '\x41'; } >"$T/s.csv"
	ingest --rejects "$T/rj" "$T/s.csv"
	[ "$status" -eq 0 ]
	[ "$(jq -r .line "$T/rj")" = 3 ]
	reconcile 3 1 1 1
}

# --- loud failures ------------------------------------------------------

@test "empty input: exit 65, no header" {
	: >"$T/e.csv"
	ingest "$T/e.csv"
	[ "$status" -eq 65 ]
	assert_first_err "pvd-ingest: $T/e.csv: no header row found: the input is empty"
	nothing_emitted
}

@test "a BOM and nothing else: exit 65" {
	printf '\xef\xbb\xbf' >"$T/e.csv"
	ingest "$T/e.csv"
	[ "$status" -eq 65 ]
	assert_first_err "pvd-ingest: $T/e.csv: no header row found: the input holds only a byte-order mark"
	nothing_emitted
}

@test "blank lines only (spaces, tabs, CRLF): exit 65" {
	printf '\r\n  \n\t\n' >"$T/e.csv"
	ingest "$T/e.csv"
	[ "$status" -eq 65 ]
	assert_first_err "pvd-ingest: $T/e.csv: no header row found: none of its 3 rows has named cells"
	nothing_emitted
}

@test "every row skipped under a profile: exit 65 naming the required columns looked for" {
	printf 'foo,bar\n1,2\n3,4\n' >"$T/x.csv"
	ingest -p "$PVD_ROOT/fixtures/ingest/detr-test.yaml" "$T/x.csv"
	[ "$status" -eq 65 ]
	first_err | sed "s|$T|T|" >"$T/first"
	assert_golden "$T/first" "$G/no-header-profile.err"
	nothing_emitted
}

@test "a title row with two filled cells is not taken for the header of a wider table" {
	printf 'Export DETR,2021\nCode INSEE,Commune,Montant\n01004,Ambérieu,10\n01033,Valserhône,20\n' >"$T/t.csv"
	ingest --report "$T/r.json" "$T/t.csv"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.files[0].header_line' "$T/r.json")" = 2 ]
	[ "$(jq -c 'del(._file)' "$O" | head -1)" = '{"_line":3,"Code INSEE":"01004","Commune":"Ambérieu","Montant":"10"}' ]
	assert_first_err "pvd-ingest: read 4 rows: emitted 2, rejected 0, skipped 2 (1 header, 1 title, 0 total, 0 blank)"
	reconcile 4 2 0 2
}

@test "a title block of full rows above the header, with a blank line and a ragged data row" {
	printf 'Préfecture de l'"'"'Ain,DETR,2021\n\nid,nom,montant,date\n1,a,1,x\n2,b,2\n3,c,3,z\n4,d,4,w\n' >"$T/t.csv"
	ingest --rejects "$T/rj" "$T/t.csv"
	[ "$status" -eq 0 ]
	[ "$(jq -r ._line "$O" | paste -sd,)" = 4,6,7 ]
	[ "$(jq -r .reason "$T/rj")" = missing-cell ]
	reconcile 7 3 1 3
}

@test "a header and no data rows: exit 0, nothing emitted, the header counted" {
	printf 'a,b\n' >"$T/h.csv"
	ingest "$T/h.csv"
	[ "$status" -eq 0 ]
	reconcile 1 0 0 1
}

@test "profile with an unknown dataset: 78 at FILE:LINE:COL with did you mean" {
	profile <<'EOF'
dataset: dotation
fields:
  montant: [Montant]
EOF
	ingest -p "$T/p.yaml" /dev/null
	[ "$status" -eq 78 ]
	assert_first_err "pvd-ingest: $T/p.yaml:1:10: unknown dataset 'dotation' (no $PVD_ROOT/config/datasets/dotation.yaml) (did you mean 'dotations'?)"
	nothing_emitted
}

@test "profile with an unknown canonical field: 78 with did you mean" {
	profile <<'EOF'
dataset: dotations
fields:
  montant: [Montant]
  beneficiare_insee: [Code INSEE]
EOF
	ingest -p "$T/p.yaml" /dev/null
	[ "$status" -eq 78 ]
	assert_first_err "pvd-ingest: $T/p.yaml:4:3: field 'beneficiare_insee' is not a field of dataset dotations ($PVD_ROOT/config/datasets/dotations.yaml) (did you mean 'beneficiaire_insee'?)"
	nothing_emitted
}

@test "profile with an unknown fixed field: 78" {
	profile <<'EOF'
dataset: dotations
fields:
  montant: [Montant]
fixed: {dotatoin: detr}
EOF
	ingest -p "$T/p.yaml" /dev/null
	[ "$status" -eq 78 ]
	assert_first_err "pvd-ingest: $T/p.yaml:4:9: fixed field 'dotatoin' is not a field of dataset dotations ($PVD_ROOT/config/datasets/dotations.yaml) (did you mean 'dotation'?)"
}

@test "profile with unknown keys: 78 naming them, with did you mean when one is close" {
	profile <<'EOF'
datset: dotations
fields:
  montant: [Montant]
EOF
	ingest -p "$T/p.yaml" /dev/null
	[ "$status" -eq 78 ]
	assert_first_err "pvd-ingest: $T/p.yaml:1:1: unknown key 'datset' (did you mean 'dataset'?)"
	# A key of a field's mapping: "typ" is close to nothing a profile has.
	for kv in "typ: eur|unknown key 'typ'" "optionnal: true|unknown key 'optionnal' (did you mean 'optional'?)"; do
		printf 'dataset: dotations\nfields:\n  montant: {headers: [Montant], %s}\n' "${kv%%|*}" >"$T/p.yaml"
		ingest -p "$T/p.yaml" /dev/null
		[ "$status" -eq 78 ]
		assert_first_err "pvd-ingest: $T/p.yaml:3:33: ${kv#*|}"
	done
}

# --- hostile files -------------------------------------------------------

@test "a directory as input: exit 66, named" {
	mkdir "$T/d.csv"
	ingest "$T/d.csv"
	[ "$status" -eq 66 ]
	assert_first_err "pvd-ingest: $T/d.csv: cannot read: is a directory"
	nothing_emitted
}

@test "a symlink loop as input: exit 66, named" {
	ln -s "$T/b" "$T/a"
	ln -s "$T/a" "$T/b"
	ingest "$T/a"
	[ "$status" -eq 66 ]
	assert_first_err "pvd-ingest: $T/a: cannot open: Too many levels of symbolic links"
	nothing_emitted
}

@test "a FIFO as input is read like a file" {
	mkfifo "$T/f.csv"
	printf 'a,b\n1,2\n' >"$T/f.csv" &
	ingest_guarded "$T/f.csv"
	wait
	[ "$status" -eq 0 ]
	[ "$(jq -c 'del(._file)' "$O")" = '{"_line":2,"a":"1","b":"2"}' ]
	reconcile 2 1 0 1
}

@test "a quote left open at the very end of the file: stray-quote, the rows before it kept" {
	printf 'a,b\n1,2\n3,"x' >"$T/q.csv"
	ingest --rejects "$T/rj" "$T/q.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/q.csv:3: unterminated quoted field at the end of the file"
	[ "$(jq -r .reason "$T/rj")" = stray-quote ]
	reconcile 3 1 1 1
}

@test "a huge quoted cell over --max-field spanning lines: the rest of the file is read" {
	{ printf 'a,b\n1,"'; for i in $(seq 200); do printf 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n'; done; printf '",2\n3,4\n'; } >"$T/big.csv"
	ingest --max-field 1000 --rejects "$T/rj" "$T/big.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/big.csv:2: quoted field opened on this line still open after 1000 bytes: a stray quote, or a field larger than the cap"
	[ "$(jq -r 'select(.a == "3") | ._line' "$O")" = 203 ]
	reconcile 203 1 201 1
}

@test "one line of 5 MB without a newline over --max-field: field-too-large, no crash" {
	{ printf 'a,b\n1,'; head -c 5000000 /dev/zero | tr '\0' x; } >"$T/big.csv"
	ingest --max-field 1024 --rejects "$T/rj" "$T/big.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/big.csv:2: a field is larger than 1024 bytes"
	reconcile 2 0 1 1
}

@test "overlong and surrogate UTF-8 sequences (forced UTF-8) are encoding-error rejects" {
	printf 'a,b\n1,\xc0\xaf\n2,\xed\xa0\x80\n3,\xe0\x80\xaf\n4,ok\n' >"$T/o.csv"
	ingest -e utf-8 --rejects "$T/rj" "$T/o.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/o.csv:2: line 2, column 3: byte 0xC0 is not valid utf-8"
	[ "$(jq -r .reason "$T/rj" | sort -u)" = encoding-error ]
	reconcile 5 1 3 1
}

@test "an invalid UTF-8 byte after the first block: its row rejected, the file still read as UTF-8" {
	{ printf 'a,b\n'; awk 'BEGIN { for (i = 1; i <= 50000; i++) printf "%d,abcdefghijklmnopqrstuvwxyz\n", i }';
	  printf 'x,\xff\ny,é\n'; } >"$T/l.csv"
	ingest --rejects "$T/rj" --report "$T/r.json" "$T/l.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/l.csv:50002: line 50002, column 3: byte 0xFF is not valid utf-8"
	[ "$(jq -r '.files[0].encoding' "$T/r.json")" = utf-8 ]
	[ "$(tail -1 "$O" | jq -r .b)" = é ]
	reconcile 50003 50001 1 1
}

@test "header cells differing only by a trailing space or case stay distinct fields" {
	printf 'a,a ,A\n1,2,3\n' >"$T/s.csv"
	ingest "$T/s.csv"
	[ "$status" -eq 0 ]
	[ "$(jq -c 'del(._file, ._line)' "$O")" = '{"a":"1","a_2":"2","A":"3"}' ]
	reconcile 2 1 0 1
}

@test "a header name with a newline inside quotes becomes one name with a space" {
	printf '"Montant\nattribué",b\n1,2\n' >"$T/n.csv"
	ingest "$T/n.csv"
	[ "$status" -eq 0 ]
	[ "$(jq -c 'del(._file, ._line)' "$O")" = '{"Montant attribué":"1","b":"2"}' ]
	reconcile 2 1 0 1
}

@test "a CR-only file larger than the read block: every row, true line numbers" {
	awk 'BEGIN { printf "id,nom\r"; for (i = 1; i <= 30000; i++) printf "%d,nom %d\r", i, i }' >"$T/cr.csv"
	ingest "$T/cr.csv"
	[ "$status" -eq 0 ]
	[ "$(tail -1 "$O" | jq -c 'del(._file)')" = '{"_line":30001,"id":"30000","nom":"nom 30000"}' ]
	[ "$(jq -r 'select(._line != (.id | tonumber) + 1) | ._line' "$O" | wc -l)" -eq 0 ]
	reconcile 30001 30000 0 1
}

@test "CR-only with CRLF-free quoted newlines: the cell keeps its line break as LF" {
	printf 'id,note\r1,"a\rb"\r2,c\r' >"$T/cr.csv"
	ingest "$T/cr.csv"
	[ "$status" -eq 0 ]
	[ "$(jq -c 'del(._file)' "$O" | paste -sd' ')" = '{"_line":2,"id":"1","note":"a\nb"} {"_line":4,"id":"2","note":"c"}' ]
	reconcile 3 2 0 1
}

@test "UTF-16LE larger than the read block, surrogate pairs across its edges: same records as UTF-8" {
	awk 'BEGIN { print "id,txt"; for (i = 1; i <= 20000; i++) printf "%d,é😀€ %d\n", i, i }' >"$T/u8.csv"
	utf16_with_bom le
	ingest "$T/u16.csv"
	[ "$status" -eq 0 ]
	reconcile 20001 20000 0 1
	same_records_as_utf8
}

@test "UTF-16 on standard input" {
	{ printf '\xff\xfe'; printf 'a,b\n1,2\n' | iconv -f UTF-8 -t UTF-16LE; } >"$T/u16.csv"
	status=0
	pvd-ingest - <"$T/u16.csv" >"$O" 2>"$E" || status=$?
	[ "$status" -eq 0 ]
	[ "$(jq -c . "$O")" = '{"_file":"<stdin>","_line":2,"a":"1","b":"2"}' ]
	reconcile 2 1 0 1
}

@test "a NUL byte in a Windows-1252 file rejects its row too" {
	printf 'a,b\n1,caf\xe9\n2,x\0\n' >"$T/w.csv"
	ingest --rejects "$T/rj" --report "$T/r.json" "$T/w.csv"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.files[0].encoding' "$T/r.json")" = windows-1252 ]
	assert_first_err "pvd-ingest: $T/w.csv:3: line 3, column 4: a NUL byte (0x00) is not text"
	[ "$(jq -r .b "$O")" = café ]
	reconcile 3 1 1 1
}

@test "--skip 0 on a file whose first row is undecodable: exit 65, the header cannot be read" {
	printf 'a,\xff\n1,2\n' >"$T/h.csv"
	ingest -e utf-8 --skip 0 "$T/h.csv"
	[ "$status" -eq 65 ]
	assert_first_err "pvd-ingest: $T/h.csv:1: the header row is not valid text: an undecodable byte at column 3 (try --encoding, or --skip)"
	nothing_emitted
}

@test "a header cell of spaces only in the middle is named by its column" {
	printf 'a,  ,c\n1,2,3\n' >"$T/s.csv"
	ingest "$T/s.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/s.csv:1: blank-header: column 2 has no name; called _col2"
	[ "$(jq -c 'del(._file, ._line)' "$O")" = '{"a":"1","_col2":"2","c":"3"}' ]
	reconcile 2 1 0 1
}

@test "the real France Services export under a two-cell title row: 2845 records, not 2846 rejects" {
	{ printf 'Liste des structures France Services,01/08/2024\n'; cat "$FIX/exports/france_services_liste-fs-20240801.csv"; } >"$T/fs.csv"
	ingest --report "$T/r.json" "$T/fs.csv"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.files[0].header_line' "$T/r.json")" = 2 ]
	[ "$(head -1 "$O" | jq -r .lib_fs)" = "$(pvd-ingest -q "$FIX/exports/france_services_liste-fs-20240801.csv" | head -1 | jq -r .lib_fs)" ]
	reconcile 2847 2845 0 2
}

@test "UTF-16LE and UTF-16BE without a BOM: detected by their NULs, decoded like the UTF-8 file" {
	printf 'id;nom\n1;Ambérieu\n2;€ 😀\n' >"$T/u8.csv"
	for e in le be; do
		iconv -f UTF-8 -t "UTF-16$e" "$T/u8.csv" >"$T/u.csv"
		ingest --report "$T/r.json" "$T/u.csv"
		[ "$status" -eq 0 ]
		[ "$(jq -c '.files[0] | [.encoding, .bom, .delimiter]' "$T/r.json")" = "[\"utf-16$e\",false,\";\"]" ]
		reconcile 3 2 0 1
		same_records_as_utf8
		# forcing the encoding gives the same
		ingest -e "utf-16$e" "$T/u.csv"
		same_records_as_utf8
	done
}

@test "a few NUL bytes in a UTF-8 header are not UTF-16: refused at the header with the hint" {
	printf 'id,n\0m\0\n1,a\n' >"$T/n.csv"
	ingest "$T/n.csv"
	[ "$status" -eq 65 ]
	assert_first_err "pvd-ingest: $T/n.csv:1: the header row is not valid text: a NUL byte at column 5 (UTF-16 without a byte-order mark? try --encoding utf-16le or utf-16be)"
	nothing_emitted
}

# Defect 18 (pvd-ingest's main): a failed output used to leak the profile or
# leave the rejects stream open, so the ASan build exited 1, not 73.
@test "--rejects that cannot be created, with a profile: exit 73, nothing leaked, nothing emitted" {
	ingest -p france-services --rejects "$T/no/such/dir/r.ndjson" "$FIX/exports/france_services_liste-fs-20240801.csv"
	[ "$status" -eq 73 ]
	assert_first_err "pvd-ingest: $T/no/such/dir/r.ndjson: cannot create: No such file or directory"
	[ ! -s "$O" ]
}

@test "--report that cannot be created: exit 73 after the run, and no rejects file left half-made" {
	printf 'a,b\n1,2\n3\n' >"$T/x.csv"
	ingest --rejects "$T/rj.ndjson" --report "$T/no/such/dir/r.json" "$T/x.csv"
	[ "$status" -eq 73 ]
	grep -qF "$T/no/such/dir/r.json" "$E"
	[ ! -e "$T/rj.ndjson" ]
	[ -z "$(ls -A "$T" | grep '\.tmp\.')" ]
}

@test "an endless YAML stream as a profile stops at a million nodes: exit 78 at FILE:LINE" {
	yes -- '- a' | head -c 50M >"$T/p.yaml"
	printf 'a\n1\n' >"$T/in.csv"
	ingest_guarded --profile "$T/p.yaml" "$T/in.csv"
	[ "$status" -eq 78 ]
	[ "$(first_err)" = "pvd-ingest: $T/p.yaml:1000000: more than 1000000 YAML nodes" ]
	[ ! -s "$O" ]
}

@test "a profile over 16 MiB (one long comment) is refused: exit 78, FILE: message" {
	{ echo 'dataset: dotations'; head -c 17M /dev/zero | tr '\0' '#'; echo; } >"$T/p.yaml"
	printf 'a\n1\n' >"$T/in.csv"
	ingest_guarded --profile "$T/p.yaml" "$T/in.csv"
	[ "$status" -eq 78 ]
	[ "$(first_err)" = "pvd-ingest: $T/p.yaml: config file larger than 16 MiB" ]
	[ ! -s "$O" ]
}

# --- memory bounded by the caps, whatever the line ----------------------
# A line is never kept whole past 16 times the field cap (at least 16 MiB):
# peak memory for a 300 MB line is that of a 40 MB one.  Inputs come through
# a pipe, generated (nothing big is committed); RSS is compared between the
# two sizes, not against a number of the machine.

# huge_cell BYTES: a header, a row, a cell of BYTES 'x' with no newline
# inside, then a last row.
huge_cell() { printf 'a,b\n1,2\n3,'; head -c "$1" /dev/zero | tr '\0' x; printf '\n4,5\n'; }

# rss_of CMD...: peak RSS in KB of CMD (stdin as given), stdout to $O, stderr to $E.
rss_of() { /usr/bin/time -o "$T/rss" -f %M "$@" >"$O" 2>"$E" || true; cat "$T/rss" | tail -1; }

@test "a 300 MB cell without newline through a pipe: field-too-large, next line read, memory bounded" {
	small=$(huge_cell 40000000 | rss_of pvd-ingest --rejects "$T/rj" -)
	big=$(huge_cell 300000000 | rss_of pvd-ingest --rejects "$T/rj" -)
	assert_first_err "pvd-ingest: <stdin>:3: a field is larger than 1048576 bytes"
	reconcile 4 2 1 1
	[ "$(jq -r ._line "$O" | tr '\n' ' ')" = "2 4 " ]
	[ "$(jq -r .reason "$T/rj")" = field-too-large ]
	[ "$(jq -r .line "$T/rj")" = 3 ]
	# the reject keeps the start of the line, not 300 MB of it
	[ "$(jq -r '.raw | length' "$T/rj")" -le 4096 ]
	[ "$big" -lt $((small + 16384)) ] || { echo "peak RSS: $small KB for a 40 MB cell, $big KB for 300 MB" >&2; false; }
}

@test "a file of one huge line and nothing else: the line rejected, exit 65 no header, memory bounded" {
	small=$(head -c 40000000 /dev/zero | tr '\0' x | rss_of pvd-ingest -)
	big=$(head -c 300000000 /dev/zero | tr '\0' x | rss_of pvd-ingest -)
	assert_first_err "pvd-ingest: <stdin>:1: a field is larger than 1048576 bytes"
	[ "$(sed -n 2p "$E")" = "pvd-ingest: <stdin>: no header row found: none of its 1 rows has named cells" ]
	nothing_emitted
	[ "$big" -lt $((small + 16384)) ] || { echo "peak RSS: $small KB for 40 MB, $big KB for 300 MB" >&2; false; }
}

@test "a 100 MB line of small fields: rejected as longer than 16 times the field cap, memory bounded" {
	line() { printf 'a,b\n1,2\n3,'; yes 'x,' | head -c "$1" | tr -d '\n'; printf '\n4,5\n'; }
	small=$(line 40000000 | rss_of pvd-ingest --max-field 100 -)
	big=$(line 100000000 | rss_of pvd-ingest --max-field 100 -)
	assert_first_err "pvd-ingest: <stdin>:3: line 3 is longer than 16777216 bytes (16 times the field cap)"
	reconcile 4 2 1 1
	[ "$big" -lt $((small + 16384)) ] || { echo "peak RSS: $small KB for 40 MB, $big KB for 100 MB" >&2; false; }
}

@test "a huge cell in a CR-only file and in UTF-16: field-too-large, true line numbers, memory bounded" {
	cr() { printf 'a,b\r1,2\r3,'; head -c "$1" /dev/zero | tr '\0' x; printf '\r\n4,5\r'; }
	small=$(cr 40000000 | rss_of pvd-ingest -)
	big=$(cr 200000000 | rss_of pvd-ingest -)
	assert_first_err "pvd-ingest: <stdin>:3: a field is larger than 1048576 bytes"
	reconcile 4 2 1 1
	[ "$(jq -r ._line "$O" | tr '\n' ' ')" = "2 4 " ]
	[ "$big" -lt $((small + 16384)) ] || { echo "CR-only peak RSS: $small KB for 40 MB, $big KB for 200 MB" >&2; false; }
	small=$(huge_cell 20000000 | iconv -f UTF-8 -t UTF-16 | rss_of pvd-ingest -)
	big=$(huge_cell 100000000 | iconv -f UTF-8 -t UTF-16 | rss_of pvd-ingest -)
	assert_first_err "pvd-ingest: <stdin>:3: a field is larger than 1048576 bytes"
	reconcile 4 2 1 1
	[ "$(jq -r ._line "$O" | tr '\n' ' ')" = "2 4 " ]
	[ "$big" -lt $((small + 16384)) ] || { echo "UTF-16 peak RSS: $small KB for 20 MB, $big KB for 100 MB" >&2; false; }
}

@test "a quoted field that runs into a huge line: its row rejected once, the next line read" {
	{ printf 'a,b\n1,"abc\ndef'; head -c 50000000 /dev/zero | tr '\0' x; printf '"\n4,5\n'; } >"$T/q.csv"
	ingest --rejects "$T/rj" "$T/q.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/q.csv:2: a field is larger than 1048576 bytes"
	reconcile 3 1 1 1
	[ "$(jq -r ._line "$O")" = 4 ]
}

@test "NDJSON: a 300 MB line is an invalid-json reject in bounded memory, the next line read" {
	nd() { printf '{"dotation":"DETR","montant":"'; head -c "$1" /dev/zero | tr '\0' 1; printf '"}\n{"dotation":"DETR","beneficiaire_insee":"01004","montant":"12"}\n'; }
	small=$(nd 80000000 | rss_of pvd-clean -d dotations --rejects "$T/rj" -)
	big=$(nd 300000000 | rss_of pvd-clean -d dotations --rejects "$T/rj" -)
	[ "$(first_err)" = "pvd-clean: <stdin>:1: line longer than 67108864 bytes: not read" ]
	grep -q '^pvd-clean: read 2 records: emitted 1, rejected 1' "$E"
	[ "$(jq -r .reason "$T/rj")" = invalid-json ]
	grep -q "\"montant\":12.00" "$O"
	[ "$big" -lt $((small + 16384)) ] || { echo "peak RSS: $small KB for 80 MB, $big KB for 300 MB" >&2; false; }
}

# --- warnings under --max-messages ----------------------------------------

@test "a header of 200 000 repeated names: its warnings capped by --max-messages, the rest counted" {
	awk 'BEGIN { n = 200000; for (i = 1; i <= n; i++) printf "a%s", (i < n ? "," : "\n");
		for (i = 1; i <= n; i++) printf "%d%s", i, (i < n ? "," : "\n") }' >"$T/w.csv"
	ingest --max-messages 3 "$T/w.csv"
	[ "$status" -eq 0 ]
	sed "s|$T/||" "$E" >"$T/got.err"
	assert_golden "$T/got.err" "$G/header-warnings-cap.err"
	reconcile 2 1 0 1
	ingest "$T/w.csv"
	[ "$(grep -c 'duplicate-header: column' "$E")" -eq 20 ]
	grep -qx 'pvd-ingest: … and 199979 more duplicate-header warnings (not shown)' "$E"
	ingest --max-messages 0 "$T/w.csv"
	[ "$(grep -c 'duplicate-header: column' "$E")" -eq 199999 ]
	! grep -q 'more duplicate-header' "$E"
}

@test "blank, reserved and repeated header names and TOTAL rows: each kind capped on its own" {
	{ printf ',,,_file,_line,_x,b,b,b\n'; for i in 1 2 3 4; do printf '1,2,3,4,5,6,7,8,9\nTOTAL,,,,,,,,9\n'; done; } >"$T/h.csv"
	ingest --max-messages 2 "$T/h.csv"
	[ "$status" -eq 0 ]
	sed "s|$T/||" "$E" >"$T/got.err"
	assert_golden "$T/got.err" "$G/warning-kinds-cap.err"
	reconcile 9 4 0 5
}

# --- the reader, once more as an attacker --------------------------------

@test "an undecodable title row (NUL) above the header: rejected, the header still found (detected, --skip 1, profile)" {
	printf 'Titre\0\nCode INSEE,Montant\n01004,12\n' >"$T/t.csv"
	profile <<'EOF2'
dataset: dotations
fields:
  beneficiaire_insee: [Code INSEE]
  montant: [Montant]
fixed: {dotation: detr}
EOF2
	for opt in "" "-s 1" "-p $T/p.yaml"; do
		# shellcheck disable=SC2086
		ingest $opt --report "$T/r.json" "$T/t.csv"
		[ "$status" -eq 0 ]
		assert_first_err "pvd-ingest: $T/t.csv:1: line 1, column 6: a NUL byte (0x00) is not text"
		[ "$(jq -r '.files[0].header_line' "$T/r.json")" = 2 ]
		[ "$(jq -r ._line "$O")" = 3 ]
		reconcile 3 1 1 1
	done
}

@test "a CR-only file with a CRLF pasted in a quoted cell, around the read block's edges: as the LF file" {
	for pad in 65534 65535 65536 65537 131071 131072; do
		{ printf 'id,txt,t\r1,'; head -c $((pad - 13)) /dev/zero | tr '\0' x
		  printf ',y\r2,"a\rb\r\nc",z\r3,"q""\r",w\r4,"\r\r",v\r'; } >"$T/cr.csv"
		# the same text with LF line ends (the pasted CRLF becomes one LF)
		sed 's/\r$//' <"$T/cr.csv" | tr '\r' '\n' >"$T/lf.csv"
		ingest -q "$T/lf.csv"
		jq -c 'del(._file)' "$O" >"$T/want"
		ingest --report "$T/r.json" "$T/cr.csv"
		[ "$status" -eq 0 ]
		[ "$(jq -c 'del(._file)' "$O")" = "$(cat "$T/want")" ] || { echo "differs at $pad" >&2; diff <(jq -c 'del(._file)' "$O") "$T/want" | cut -c1-120 >&2; false; }
		[ "$(jq -r 'select(.id == "4") | ._line' "$O")" = 8 ]
		reconcile 5 4 0 1
	done
}

@test "a byte-order mark in the middle (files put end to end): its row is an encoding-error reject" {
	printf '\xef\xbb\xbfid,nom\n1,a\n' >"$T/one.csv"
	cat "$T/one.csv" "$T/one.csv" >"$T/two.csv"
	ingest --rejects "$T/rj" "$T/two.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/two.csv:3: line 3, column 1: a byte-order mark (U+FEFF) inside the file (files put end to end?)"
	[ "$(jq -r .reason "$T/rj")" = encoding-error ]
	[ "$(jq -r ._line "$O" | tr '\n' ' ')" = "2 4 " ]
	reconcile 4 2 1 1
}

@test "an invisible U+FEFF inside a cell, in UTF-8, Windows-1252 and UTF-16: rejected, never \"\\uFEFF01004\"" {
	printf 'id,nom\n\xef\xbb\xbf01004,a\n2,b\xef\xbb\xbf\n3,c\n' >"$T/b.csv"
	for e in auto windows-1252; do
		ingest -e "$e" --rejects "$T/rj" "$T/b.csv"
		[ "$status" -eq 0 ]
		assert_first_err "pvd-ingest: $T/b.csv:2: line 2, column 1: a byte-order mark (U+FEFF) inside the file (files put end to end?)"
		[ "$(sed -n 2p "$E")" = "pvd-ingest: $T/b.csv:3: line 3, column 4: a byte-order mark (U+FEFF) inside the file (files put end to end?)" ]
		[ "$(jq -r .id "$O")" = 3 ]
		reconcile 4 1 2 1
	done
	iconv -f UTF-8 -t UTF-16 "$T/b.csv" >"$T/b16.csv"
	ingest "$T/b16.csv"
	[ "$status" -eq 0 ]
	assert_first_err "pvd-ingest: $T/b16.csv:2: line 2, column 1: a byte-order mark (U+FEFF) inside the file (files put end to end?)"
	reconcile 4 1 2 1
}

@test "a byte-order mark inside the header row: exit 65, named" {
	printf 'id,\xef\xbb\xbfnom\n1,a\n' >"$T/h.csv"
	ingest "$T/h.csv"
	[ "$status" -eq 65 ]
	assert_first_err "pvd-ingest: $T/h.csv:1: the header row is not valid text: a byte-order mark (U+FEFF) at column 4 (files put end to end? remove it)"
	nothing_emitted
}

@test "a symlink to /dev/zero, /dev/zero on stdin, /dev/urandom, a zeroed file: refused as not text (65), no endless read" {
	ln -s /dev/zero "$T/z.csv"
	ingest_guarded "$T/z.csv"
	[ "$status" -eq 65 ]
	assert_first_err "pvd-ingest: $T/z.csv: not text: 1048576 of its first 1048576 bytes are control characters (a binary file, or a device such as /dev/zero?)"
	nothing_emitted
	status=0
	timeout 120 pvd-ingest </dev/zero >"$O" 2>"$E" || status=$?
	[ "$status" -eq 65 ]
	assert_first_err "pvd-ingest: <stdin>: not text: 1048576 of its first 1048576 bytes are control characters (a binary file, or a device such as /dev/zero?)"
	ingest_guarded /dev/urandom
	[ "$status" -eq 65 ]
	[[ $(first_err) == "pvd-ingest: /dev/urandom: not text: "*" of its first 1048576 bytes are control characters (a binary file, or a device such as /dev/zero?)" ]]
	head -c 4096 /dev/zero >"$T/zeroed.csv"
	ingest "$T/zeroed.csv"
	[ "$status" -eq 65 ]
	assert_first_err "pvd-ingest: $T/zeroed.csv: not text: 4096 of its first 4096 bytes are control characters (a binary file, or a device such as /dev/zero?)"
	# /dev/null is an empty input, as before
	ingest /dev/null
	[ "$status" -eq 65 ]
	assert_first_err "pvd-ingest: /dev/null: no header row found: the input is empty"
}
