#!/usr/bin/env bats
# pvd-ingest: raw exports to records.
load helper

IN="$FIX/ingest"
EXP="$FIX/exports"
G="$GOLD/ingest"

# Records without provenance, one JSON object per line (to compare variants).
strip() { jq -c 'del(._file, ._line)' "$@"; }

@test "--help and --version go to stdout and exit 0" {
	run pvd-ingest --help
	assert_success
	assert_line --partial 'Usage: pvd-ingest [OPTION]... [FILE]...'
	assert_line --partial '--profile NAME|FILE'
	run pvd-ingest --version
	assert_success
	assert_output --regexp '^pvd-ingest \(pvd\) [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "usage errors exit 64 with a hint" {
	run pvd-ingest --bogus
	assert_failure 64
	run pvd-ingest --encoding latin9 "$IN/clean.csv"
	assert_failure 64
	assert_output --partial "unknown encoding 'latin9'"
	run pvd-ingest --skip -1 "$IN/clean.csv"
	assert_failure 64
	assert_output --partial "Try 'pvd-ingest --help'"
}

@test "a missing input exits 66 naming it" {
	run pvd-ingest "$IN/nope.csv"
	assert_failure 66
	assert_output "pvd-ingest: $IN/nope.csv: cannot open: No such file or directory"
}

@test "clean UTF-8 file: golden records, every value exactly as written" {
	cd "$PVD_ROOT"
	pvd-ingest fixtures/ingest/clean.csv >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
	assert_golden "$BATS_TEST_TMPDIR/out" "$G/clean.ndjson"
	assert_golden "$BATS_TEST_TMPDIR/err" "$G/clean.err"
}

@test "messy variants (BOM+CRLF+quoted, Windows-1252+;+titles+TOTAL, tab+blank+sous-total, |) yield the records of the clean file" {
	strip <(pvd-ingest -q "$IN/clean.csv") >"$BATS_TEST_TMPDIR/clean"
	for v in v1-bom-crlf-quoted.csv v3-tab-blank-subtotal.tsv v4-pipe.csv; do
		strip <(pvd-ingest -q "$IN/$v") >"$BATS_TEST_TMPDIR/v"
		diff -u "$BATS_TEST_TMPDIR/clean" "$BATS_TEST_TMPDIR/v"
	done
	# v2 dropped the leading zeros of the INSEE codes: kept as written here,
	# equal once padded (pvd-clean's job).
	strip <(pvd-ingest -q "$IN/v2-cp1252-semicolon-titles-total.csv") >"$BATS_TEST_TMPDIR/v2"
	run jq -r '."Code INSEE"' "$BATS_TEST_TMPDIR/v2"
	assert_output "$(printf '1004\n1033\n1053\n2408\n2A004\n97105')"
	jq -c '."Code INSEE" |= (if test("^[0-9]{4}$") then "0" + . else . end)' "$BATS_TEST_TMPDIR/v2" >"$BATS_TEST_TMPDIR/v2p"
	diff -u "$BATS_TEST_TMPDIR/clean" "$BATS_TEST_TMPDIR/v2p"
}

@test "Windows-1252 is read as Windows-1252, not ISO-8859-1: 0x80 is €, 0x92 is ’, 0x97 is —" {
	run pvd-ingest -q "$IN/v2-cp1252-semicolon-titles-total.csv"
	assert_success
	assert_line --index 0 --partial '"Montant attribué":"120 000,00 €"'
	assert_line --index 0 --partial 'Rénovation de l’école « Jean Moulin »'
	assert_line --index 5 --partial 'Équipement sportif — tribune'
}

@test "quoted newlines: a CRLF inside a field comes out as LF, lines counted physically" {
	run pvd-ingest -q "$IN/v2-cp1252-semicolon-titles-total.csv"
	assert_line --index 2 --partial '"_line":6,'
	assert_line --index 2 --partial '"Aménagement du centre-bourg\n(phase 1 – études)"'
	assert_line --index 3 --partial '"_line":8,'
}

@test "what was detected goes to the report: encoding, BOM, delimiter, header line, TOTAL rows" {
	pvd-ingest -q --report "$BATS_TEST_TMPDIR/r1.json" "$IN/v1-bom-crlf-quoted.csv" >/dev/null
	run jq -c '.files[0] | [.encoding, .bom, .delimiter, .header_line]' "$BATS_TEST_TMPDIR/r1.json"
	assert_output '["utf-8",true,",",1]'
	pvd-ingest -q --report "$BATS_TEST_TMPDIR/r2.json" -p "$IN/detr-test.yaml" "$IN/v2-cp1252-semicolon-titles-total.csv" >/dev/null
	run jq -c '[.in, .out, .rejected, .skipped, (.files[0] | .encoding, .delimiter, .header_line, .totals)]' "$BATS_TEST_TMPDIR/r2.json"
	assert_output '[11,6,0,5,"windows-1252",";",3,[{"file":"'"$IN"'/v2-cp1252-semicolon-titles-total.csv","line":11,"label":"TOTAL","fields":{"montant":"263 511,55"}}]]'
	
}

@test "title rows, TOTAL and sous-total rows and blank lines are skipped and counted; N = M + K + T" {
	cd "$PVD_ROOT"
	pvd-ingest -p fixtures/ingest/detr-test.yaml fixtures/ingest/v2-cp1252-semicolon-titles-total.csv >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
	assert_golden "$BATS_TEST_TMPDIR/out" "$G/v2-profile.ndjson"
	assert_golden "$BATS_TEST_TMPDIR/err" "$G/v2-profile.err"
	run pvd-ingest -q "$IN/v3-tab-blank-subtotal.tsv"
	assert_equal "${#lines[@]}" 6
	run pvd-ingest "$IN/v3-tab-blank-subtotal.tsv"
	assert_line --partial 'v3-tab-blank-subtotal.tsv:10: total row not emitted: Sous-total: Montant attribué="1 234,56"'
	assert_line --partial 'read 9 rows: emitted 6, rejected 0, skipped 3 (1 header, 0 title, 1 total, 1 blank)'
}

@test "--skip N names the title rows; a wrong --skip with a profile fails clearly" {
	diff <(pvd-ingest -q "$IN/v2-cp1252-semicolon-titles-total.csv") <(pvd-ingest -q --skip 2 "$IN/v2-cp1252-semicolon-titles-total.csv")
	run pvd-ingest -q --skip 1 -p "$IN/detr-test.yaml" "$IN/v2-cp1252-semicolon-titles-total.csv"
	assert_failure 65
	assert_output --partial 'v2-cp1252-semicolon-titles-total.csv:2: profile detr-test: required column missing: beneficiaire_insee ("Code INSEE", "Bénéficiaire - Code INSEE")'
}

@test "a stray quote rejects its own line and the rest of the file is read" {
	cd "$PVD_ROOT"
	pvd-ingest --rejects "$BATS_TEST_TMPDIR/rej" fixtures/ingest/stray.csv >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
	assert_golden "$BATS_TEST_TMPDIR/out" "$G/stray.ndjson"
	assert_golden "$BATS_TEST_TMPDIR/err" "$G/stray.err"
	run jq -c '[.stage, .line, .reason, .raw]' "$BATS_TEST_TMPDIR/rej"
	assert_line --index 0 '["ingest",2,"stray-quote","1,\"Ouvert jamais fermé,10"]'
	assert_line --index 1 '["ingest",4,"stray-quote","3,Trois \"pouces\",30"]'
	assert_line --index 2 '["ingest",5,"stray-quote","4,\"Quatre\"x,40"]'
}

@test "a quote left open at the end of a big file does not swallow it" {
	{ echo 'id,txt'; echo '1,"never closed'; for i in $(seq 2 3000); do echo "$i,row $i"; done; } >"$BATS_TEST_TMPDIR/big.csv"
	run pvd-ingest -q "$BATS_TEST_TMPDIR/big.csv"
	assert_success
	assert_equal "${#lines[@]}" 2999
	# Same with a cap: the open quote gives up after --max-field bytes.
	run pvd-ingest --max-field 1000 "$BATS_TEST_TMPDIR/big.csv"
	assert_line --partial 'big.csv:2: quoted field opened on this line still open after 1000 bytes: a stray quote, or a field larger than the cap'
	assert_line --partial 'read 3001 rows: emitted 2999, rejected 1, skipped 1'
	run bash -c "pvd-ingest -q '$BATS_TEST_TMPDIR/big.csv' | jq -r .id | sort -n | uniq | wc -l"
	assert_output 2999
}

@test "ragged rows are rejected with expected and found cell counts; trailing empty cells are not ragged" {
	cd "$PVD_ROOT"
	pvd-ingest --rejects "$BATS_TEST_TMPDIR/rej" fixtures/ingest/ragged.csv >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
	assert_golden "$BATS_TEST_TMPDIR/err" "$G/ragged.err"
	run jq -r '.reason' "$BATS_TEST_TMPDIR/rej"
	assert_output "$(printf 'missing-cell\nextra-cell')"
	run jq -r '._line' "$BATS_TEST_TMPDIR/out"
	assert_output "$(printf '2\n5\n6')"
}

@test "an undecodable byte rejects its row, naming line, column and byte" {
	run pvd-ingest "$IN/cp1252-undefined.csv"
	assert_line --partial 'cp1252-undefined.csv:3: line 3, column 3: byte 0x81 is not valid windows-1252'
	assert_line --partial '"nom":"café"'
	# Detected as UTF-8 from the first block (1 MiB); a Latin-1 byte further
	# down is a reject, not mojibake.
	{ echo 'id,nom'; seq 1 40000 | sed 's/.*/&,Épinal-sur-Moselle ligne &/'; printf '40001,caf\xe9\n40002,fin\n'; } >"$BATS_TEST_TMPDIR/late.csv"
	run pvd-ingest -q --rejects "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/late.csv"
	run jq -c '[.line, .reason, .message]' "$BATS_TEST_TMPDIR/rej"
	assert_output '[40002,"encoding-error","line 40002, column 10: byte 0xE9 is not valid utf-8"]'
	run bash -c "pvd-ingest '$BATS_TEST_TMPDIR/late.csv' 2>&1 >/dev/null"
	assert_output --partial 'read 40003 rows: emitted 40001, rejected 1, skipped 1'
	run bash -c "pvd-ingest -q --encoding windows-1252 '$BATS_TEST_TMPDIR/late.csv' | sed -n '1p;40001p'"
	assert_line --index 0 --partial '"nom":"Ã‰pinal'
	assert_line --index 1 --partial '"nom":"café"'
}

@test "a field over the cap is rejected as field-too-large" {
	run pvd-ingest --max-field 30 --rejects "$BATS_TEST_TMPDIR/rej" "$IN/clean.csv"
	assert_line --partial 'clean.csv:2: a field is larger than 30 bytes'
	run jq -r '[.line, .reason] | @tsv' "$BATS_TEST_TMPDIR/rej"
	assert_output "$(printf '2\tfield-too-large\n4\tfield-too-large\n6\tfield-too-large\n8\tfield-too-large')"
}

@test "delimiter sniffing: ';' in HTML entities and in quotes does not win" {
	run bash -c "pvd-ingest -q --report /dev/stderr '$IN/entity-comma.csv' 2>&1 >/dev/null"
	assert_success
	assert_line --partial '"delimiter": ","'
	# /dev/stderr is written in place, never replaced by a file
	[ -L /dev/stderr ] || [ -c /dev/stderr ] || [ -p /dev/stderr ]
	run pvd-ingest -q "$IN/entity-comma.csv"
	assert_line --index 0 '{"_file":"'"$IN"'/entity-comma.csv","_line":2,"id":"1","nom d&#039;usage":"l&#039;eau"}'
	# Forcing the delimiter: right, the same records; wrong, quotes land mid-cell and rows are rejected, not mangled.
	diff <(pvd-ingest -q "$IN/v4-pipe.csv") <(pvd-ingest -q -d '|' "$IN/v4-pipe.csv")
	run pvd-ingest -d ';' "$IN/clean.csv"
	assert_line --partial 'clean.csv:2: stray quote at column 70'
	assert_line --partial 'read 8 rows: emitted 0, rejected 7, skipped 1'
}

@test "with a profile: canonical names, provenance, fixed values, optional columns absent" {
	run pvd-ingest -q -p "$IN/detr-test.yaml" "$IN/clean.csv"
	assert_success
	assert_line --index 0 '{"_file":"'"$IN"'/clean.csv","_line":2,"_dataset":"dotations","_source":"detr-test","beneficiaire_insee":"01004","beneficiaire_nom":"Ambérieu-en-Bugey","intitule":"Rénovation de l’école « Jean Moulin »","montant":"120 000,00 €","date_decision":"12/03/2021","dotation":"detr"}'
}

@test "a required column missing exits 65 naming field, header names tried and headers found" {
	cd "$PVD_ROOT"
	run pvd-ingest -p fixtures/ingest/detr-test.yaml --rejects "$BATS_TEST_TMPDIR/rej" fixtures/ingest/missing-column.csv
	assert_failure 65
	assert_output 'pvd-ingest: fixtures/ingest/missing-column.csv:2: profile detr-test: required column missing: intitule ("Intitulé du projet", "Intitulé"); montant ("Montant attribué", "Montant de la subvention accordée"); headers found: "Code INSEE", "Bénéficiaire", "Montant"'
	[ ! -e "$BATS_TEST_TMPDIR/rej" ]
}

@test "a bad profile exits 78 with FILE:LINE:COL; an unknown profile name too" {
	cd "$PVD_ROOT"
	run pvd-ingest -p fixtures/ingest/bad-profile.yaml fixtures/ingest/clean.csv
	assert_failure 78
	assert_output "pvd-ingest: fixtures/ingest/bad-profile.yaml:4:23: field 'beneficiaire_insee': headers must be a list, e.g. [\"Code INSEE\"]"
	printf 'dataset: x\nfields:\n  _line: [a]\n' >"$BATS_TEST_TMPDIR/p.yaml"
	run pvd-ingest -p "$BATS_TEST_TMPDIR/p.yaml" fixtures/ingest/clean.csv
	assert_failure 78
	assert_output "pvd-ingest: $BATS_TEST_TMPDIR/p.yaml:3:3: field '_line': names starting with '_' are provenance fields"
	run pvd-ingest -p no-such-profile fixtures/ingest/clean.csv
	assert_failure 78
	assert_output "pvd-ingest: no sources named 'no-such-profile' (looked for config/sources/no-such-profile.yaml)"
}

@test "every shipped profile loads, and checks against its dataset schema" {
	cd "$PVD_ROOT"
	for p in config/sources/*.yaml; do
		# Loaded (not 78); an empty input then has no header (65).
		run pvd-ingest -q -p "$p" /dev/null
		assert_failure 65
		assert_output --partial "no header row found for profile $(basename "$p" .yaml): looked for "
	done
}

@test "stdin: no argument or '-'" {
	run bash -c "pvd-ingest -q < '$IN/clean.csv'"
	assert_line --index 0 --partial '{"_file":"<stdin>","_line":2,'
	diff <(pvd-ingest -q - <"$IN/clean.csv") <(pvd-ingest -q <"$IN/clean.csv")
}

@test "several files: each record names its file, counts add up" {
	run pvd-ingest "$IN/clean.csv" "$IN/v4-pipe.csv"
	assert_line --partial 'read 14 rows: emitted 12, rejected 0, skipped 2'
	run bash -c "pvd-ingest -q '$IN/clean.csv' '$IN/v4-pipe.csv' | jq -r ._file | uniq -c | awk '{print \$1}'"
	assert_output "$(printf '6\n6')"
}

@test "stdout is checked: writing to a full disk exits 74" {
	run bash -c "pvd-ingest -q '$EXP/france_services_liste-fs-20240801.csv' >/dev/full"
	assert_failure 74
	assert_output --partial 'write error on standard output'
}

@test "SIGPIPE: | head ends quietly" {
	run bash -c "pvd-ingest -q '$EXP/dotations_investissement_2019_detr_dsil_dsid.csv' | head -1 >/dev/null; echo \${PIPESTATUS[0]}"
	assert_output 141
}

@test "real ORT export: 2290 records on 2617 lines, newlines inside fields, same cells as mlr" {
	f="$EXP/ort_suivi_conventions_dgaln.csv"
	assert_equal "$(wc -l <"$f")" 2617
	run pvd-ingest -q "$f"
	assert_equal "${#lines[@]}" 2290
	run bash -c "pvd-ingest -q '$f' | jq -r '._line' | tail -1"
	assert_output 2617
	if command -v mlr >/dev/null; then
		diff <(pvd-ingest -q "$f" | jq -c 'del(._file, ._line)') <(mlr --icsv --ojsonl -S cat "$f" | jq -c 'with_entries(.value |= tostring)')
	fi
}

@test "real France Services and DETR/DSIL exports: exact record counts, same cells as mlr" {
	for spec in france_services_liste-fs-20240801.csv:2845 dotations_investissement_2019_detr_dsil_dsid.csv:24811 dotations_investissement_2018_detr_dsil.csv:26295; do
		f="$EXP/${spec%%:*}"
		run bash -c "pvd-ingest -q '$f' | wc -l"
		assert_output "${spec##*:}"
		if command -v mlr >/dev/null; then
			diff <(pvd-ingest -q "$f" | jq -c 'del(._file, ._line)') <(mlr --icsv --ojsonl -S cat "$f" | jq -c 'with_entries(.value |= tostring)')
		fi
	done
}

@test "real exports through their profiles" {
	run bash -c "pvd-ingest -q -p ort-dgaln '$EXP/ort_suivi_conventions_dgaln.csv' | head -1"
	assert_output '{"_file":"'"$EXP"'/ort_suivi_conventions_dgaln.csv","_line":2,"_dataset":"ort","_source":"ort-dgaln","insee":"29019","statut":"Signée","date_signature":"2020-06-23","nom":"29 - Brest"}'
	# id_terr is an INSEE code on commune rows and a SIREN on EPCI rows.
	run bash -c "cd '$PVD_ROOT' && pvd-ingest -q -p dotations-2019 '$EXP/dotations_investissement_2019_detr_dsil_dsid.csv' | jq -r 'select(.echelon==\"epci\") | [.beneficiaire_insee, .beneficiaire_siren] | @tsv' | sort -u | awk -F'\t' '\$1 != \"\" || length(\$2) != 9' | wc -l"
	assert_output 0
}
