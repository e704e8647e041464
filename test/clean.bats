#!/usr/bin/env bats
# pvd-clean: typed, exact normalisation with a reject stream.
load helper

C="fixtures/clean"
G="$GOLD/clean"
D19="fixtures/exports/dotations_investissement_2019_detr_dsil_dsid.csv"

setup() {
	cd "$PVD_ROOT"
	T="$BATS_TEST_TMPDIR"
}

# Non-blank lines of files.
lines() { cat "$@" | grep -c .; }

@test "clean: --help and --version on stdout; every option of --help is in the man page" {
	run pvd-clean --help
	assert_success
	assert_line --partial 'Usage: pvd-clean [OPTION]... [FILE]...'
	for opt in $(pvd-clean --help | grep -oE -- '--[a-z]+' | sort -u); do
		grep -q -- "\\\\-\\\\-${opt#--}" cmd/pvd-clean/pvd-clean.1 || grep -q -- "${opt}" cmd/pvd-clean/pvd-clean.1 ||
			fail "option $opt of --help is not in the man page"
	done
	run pvd-clean --version
	assert_success
	assert_output --regexp '^pvd-clean \(pvd\) [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "clean: usage error 64, missing input 66, a line that is not JSON is rejected" {
	run pvd-clean --bogus
	assert_failure 64
	assert_output --partial "Try 'pvd-clean --help'"
	run pvd-clean "$C/nope.ndjson"
	assert_failure 66
	assert_output --partial "$C/nope.ndjson: cannot open"
	printf '{"insee":"1004"}\nnot json\n' >"$T/in.ndjson"
	run pvd-clean -d ort "$T/in.ndjson"
	assert_success
	assert_line --partial 'in.ndjson:2: column 1: invalid JSON'
	assert_line 'pvd-clean: read 2 records: emitted 1, rejected 1'
}

@test "clean: real and préfecture records of five datasets in one stream: outputs, rejects and messages are the goldens" {
	pvd-clean --rejects "$T/rejects.ndjson" --report "$T/report.json" "$C/real.ndjson" "$C/prefecture.ndjson" \
		>"$T/out.ndjson" 2>"$T/err"
	assert_golden "$T/out.ndjson" "$G/mixed.out.ndjson"
	assert_golden "$T/err" "$G/mixed.err"
	assert_golden "$T/rejects.ndjson" "$G/mixed.rejects.ndjson"
	# in = out + rejected, counted by other means than the program's summary
	in=$(lines "$C/real.ndjson" "$C/prefecture.ndjson")
	out=$(lines "$T/out.ndjson")
	rej=$(lines "$T/rejects.ndjson")
	[ "$in" -eq $((out + rej)) ] || fail "in $in != out $out + rejected $rej"
	[ "$rej" -eq $(($(wc -l <"$T/err") - 1)) ] || fail "one stderr line per reject"
	run jq -r '"\(.in) \(.out) \(.rejected) \(.datasets.dotations.out) \(.datasets.conventions.rejected) \(.amounts_rounded)"' "$T/report.json"
	assert_output "$in $out $rej $(grep -c '"_dataset":"dotations"' "$T/out.ndjson") 2 1"
	# every reject keeps the original record, its file and line
	run jq -r 'select(.record._file != .file or .record._line != .line) | .line' "$T/rejects.ndjson"
	assert_output ''
}

@test "clean: each record by its own schema: types of the cleaned fields per dataset" {
	pvd-clean -q "$C/real.ndjson" "$C/prefecture.ndjson" >"$T/out.ndjson" 2>/dev/null
	# amounts: JSON numbers with exactly two decimals, or null (checked on the text: jq would use doubles)
	bad=$(grep -oE '"(montant|cout)":[^,}]*' "$T/out.ndjson" | grep -vcE ':(-?[0-9]+\.[0-9]{2}|null)$' || true)
	[ "$bad" -eq 0 ] || fail "$bad amounts not in canonical form"
	run jq -r 'select(._dataset == "ort") | .statut // "null"' "$T/out.ndjson"
	assert_output $'signee\nnon_signee\nen_cours\nnull'
	run jq -r 'select(._dataset == "pvd") | [.insee, (.population|type), (.id_pvd|type)] | @tsv' "$T/out.ndjson"
	assert_output $'78003\tnumber\tstring\n50003\tnumber\tnull'
	run jq -r 'select(._dataset == "conventions") | [.insee, (.cd_engage|tostring), (.cr_engage|tostring), (.equipements|join(","))] | @tsv' "$T/out.ndjson"
	assert_output $'01004\ttrue\tnull\tculturel,tiers_lieu\n01053\tfalse\ttrue\tsportif,culturel'
	# the yes/no columns gathered into equipements are gone
	run grep -c '"equipement_' "$T/out.ndjson"
	assert_output 0
	run jq -r 'select(.date_decision_precision) | [.date_decision, .date_decision_precision] | @tsv' "$T/out.ndjson"
	assert_output $'2021-02\tmonth'
}

@test "clean: DETR/DSIL/DSID 2019 (24811 records): sums per dotation equal awk's on integer cents" {
	pvd-ingest -q -p dotations-2019 "$D19" 2>/dev/null | pvd-clean >"$T/out.ndjson" 2>"$T/err"
	assert_equal "$(cat "$T/err")" 'pvd-clean: read 24811 records: emitted 24811, rejected 0'
	# pvd-clean's side, from the JSON text: "montant":1978400.00 → 197840000 cents
	for f in montant cout; do
		sed -E 's/.*"dotation":"([a-z_]+)".*"'$f'":(-?[0-9]+)\.([0-9]{2})[,}].*/\1 \2\3/' "$T/out.ndjson" |
			awk '{ s[$1] += $2 } END { for (k in s) printf "%s %.0f\n", k, s[k] }' | sort >"$T/got.$f"
	done
	# Independent: mlr reads the CSV as text; awk makes cents from the decimal
	# text, rounding the third decimal half up (all amounts are positive).
	mlr -S --icsv --ocsv --headerless-csv-output cut -o -f dotation,montant_sub,cout_total "$D19" |
		awk -F, 'function cents(v,  p, f, c) { split(v, p, "."); f = substr(p[2] "000", 1, 3)
				c = p[1] * 100 + substr(f, 1, 2); if (substr(f, 3, 1) >= 5) c++; return c }
			{ m[tolower($1)] += cents($2); c[tolower($1)] += cents($3) }
			END { for (k in m) { printf "%s %.0f\n", k, m[k] >"/dev/stderr"; printf "%s %.0f\n", k, c[k] } }' \
		2>"$T/want.montant" | sort >"$T/want.cout"
	sort -o "$T/want.montant" "$T/want.montant"
	diff "$T/want.montant" "$T/got.montant"
	diff "$T/want.cout" "$T/got.cout"
	[ "$(wc -l <"$T/got.montant")" -eq 3 ]
	# 952 subsidies and 2 costs had digits beyond the cent
	pvd-ingest -q -p dotations-2019 "$D19" 2>/dev/null | pvd-clean -q --report "$T/r.json" >/dev/null 2>&1
	want=$(mlr -S --icsv --ocsv --headerless-csv-output cut -o -f montant_sub,cout_total "$D19" | tr ',' '\n' |
		awk -F. 'length($2) > 2 && $2 !~ /^[0-9][0-9]0+$/' | wc -l)
	assert_equal "$(jq .amounts_rounded "$T/r.json")" "$want"
}

@test "clean: ORT (DGALN, 2290 records): statut counts equal mlr's count of the raw 'Signée ?' column" {
	f=fixtures/exports/ort_suivi_conventions_dgaln.csv
	pvd-ingest -q -p ort-dgaln "$f" 2>/dev/null | pvd-clean >"$T/out.ndjson" 2>"$T/err"
	assert_equal "$(cat "$T/err")" 'pvd-clean: read 2290 records: emitted 2290, rejected 0'
	jq -r '.statut // "null"' "$T/out.ndjson" | sort | uniq -c | awk '{print $2, $1}' >"$T/got"
	mlr -S --icsv --ojson count-distinct -f 'Signée ?' "$f" |
		jq -r '.[] | [(.["Signée ?"] | {"Signée":"signee","Non signée":"non_signee","En cours":"en_cours","":"null"}[.]), .count] | @tsv' |
		tr '\t' ' ' | sort >"$T/want"
	diff "$T/want" "$T/got"
}

@test "clean: France Services (2845 records): the date inside 'Espace labellisé dd/mm/yyyy' (dates: in-text)" {
	f=fixtures/exports/france_services_liste-fs-20240801.csv
	pvd-ingest -q -p france-services "$f" 2>/dev/null | pvd-clean >"$T/out.ndjson" 2>"$T/err"
	assert_equal "$(cat "$T/err")" 'pvd-clean: read 2845 records: emitted 2845, rejected 0'
	jq -r '[.id_fs, .date_labellisation, .type] | @tsv' "$T/out.ndjson" | sort >"$T/got"
	mlr -S --icsv --otsv --headerless-tsv-output cut -o -f id_fs,labellisation_fs,type_fs "$f" |
		sed -E 's#\tEspace labellisé ([0-9]{2})/([0-9]{2})/([0-9]{4})\t#\t\3-\2-\1\t#' |
		awk -F'\t' '{ print $1 "\t" $2 "\t" tolower($3) }' | sort >"$T/want"
	diff "$T/want" "$T/got"
}

@test "clean: PVD list 2021-01 (1607 rows): the junk row rejected, NA and empty are null" {
	f=config/ref/pvd-2021-01.csv
	pvd-ingest -q -p pvd-liste-2021 "$f" 2>/dev/null | pvd-clean -r "$T/rej.ndjson" >"$T/out.ndjson" 2>"$T/err"
	run cat "$T/err"
	assert_output 'pvd-clean: config/ref/pvd-2021-01.csv:1516: insee: not an INSEE commune code: "999999" (too long); also bad: dep
pvd-clean: read 1607 records: emitted 1606, rejected 1'
	# id_pvd empty on as many rows as mlr counts in the raw list
	want=$(mlr -S --icsv --ojson filter '$id_pvd == ""' then count "$f" | jq '.[0].count')
	assert_equal "$(jq -r 'select(.id_pvd == null) | .insee' "$T/out.ndjson" | wc -l)" "$want"
	assert_equal "$(jq -r 'select(.epci_siren | test("^[0-9]{9}$")) | .insee' "$T/out.ndjson" | wc -l)" 1606
}

@test "clean: the profile's clean: block: Excel serial dates, SIRET → SIREN, decimal comma" {
	pvd-clean -p "$C/sources/fnadt-excel.yaml" "$C/fnadt-excel.ndjson" >"$T/out" 2>&1
	assert_golden "$T/out" "$G/fnadt-excel.out"
}

@test "clean: --strict stops at the first reject with 65; what came before is written and counted" {
	run pvd-clean --strict "$C/prefecture.ndjson"
	assert_failure 65
	pvd-clean --strict "$C/prefecture.ndjson" >"$T/out" 2>&1 || true
	assert_golden "$T/out" "$G/strict.out"
	# without --strict the same input goes on to the end
	run pvd-clean "$C/prefecture.ndjson"
	assert_success
	assert_line 'pvd-clean: read 22 records: emitted 7, rejected 15'
	# a clean stream passes
	head -5 "$C/prefecture.ndjson" >"$T/good.ndjson"
	run pvd-clean --strict "$T/good.ndjson"
	assert_success
}

@test "clean: -q keeps only errors on stderr: no reject lines, no summary" {
	run bash -c "pvd-clean -q '$C/prefecture.ndjson' 2>&1 >/dev/null"
	assert_success
	assert_output ''
	run pvd-clean "$C/prefecture.ndjson"
	assert_line --partial 'prefecture/detr-2021-ain.csv:9:'
	assert_line 'pvd-clean: read 22 records: emitted 7, rejected 15'
}

@test "clean: --dataset and --profile give the dataset of records without _dataset" {
	printf '%s\n' '{"insee":"1004","statut":"Non signée","date_signature":"01/2021"}' >"$T/in.ndjson"
	run pvd-clean -d ort "$T/in.ndjson"
	assert_success
	assert_line '{"insee":"01004","statut":"non_signee","date_signature":"2021-01","date_signature_precision":"month","_dataset":"ort"}'
	run pvd-clean -p ort-prefecture "$T/in.ndjson"
	assert_line --partial '"_dataset":"ort"'
	# the record's own _dataset wins
	printf '%s\n' '{"_dataset":"pvd","insee":"1004","nom":"Ambérieu-en-Bugey"}' >"$T/in2.ndjson"
	run pvd-clean -d ort "$T/in2.ndjson"
	assert_line '{"_dataset":"pvd","insee":"01004","nom":"Ambérieu-en-Bugey"}'
	run pvd-clean "$T/in.ndjson"
	assert_line "pvd-clean: $T/in.ndjson:1: _dataset: the record has no _dataset (and no --dataset or --profile gives one)"
	run pvd-clean -d nosuch "$T/in.ndjson"
	assert_failure 78
	assert_output --partial "no datasets named 'nosuch'"
	# a schema given as a file answers to its dataset's name, records that name it included
	printf '%s\n' 'dataset: ort' 'fields:' '  statut: {type: enum, values: {en_cours: [Signé partiellement]}}' >"$T/ort.yaml"
	printf '%s\n' '{"_dataset":"ort","statut":"Signé partiellement"}' >"$T/in3.ndjson"
	run pvd-clean -d "$T/ort.yaml" "$T/in3.ndjson"
	assert_line '{"_dataset":"ort","statut":"en_cours"}'
}

@test "clean: cleaning cleaned records changes nothing" {
	pvd-clean -q "$C/real.ndjson" "$C/prefecture.ndjson" >"$T/once.ndjson" 2>/dev/null
	pvd-clean "$T/once.ndjson" >"$T/twice.ndjson" 2>"$T/err"
	diff "$T/once.ndjson" "$T/twice.ndjson"
	run cat "$T/err"
	assert_output "pvd-clean: read $(lines "$T/once.ndjson") records: emitted $(lines "$T/once.ndjson"), rejected 0"
}

@test "clean: duplicates: by key, or by the whole record but provenance; the first is kept" {
	{
		echo '{"_file":"a.csv","_line":2,"_dataset":"ort","insee":"01004","statut":"Signée"}'
		echo '{"_file":"b.csv","_line":7,"_dataset":"ort","insee":"1004","statut":"En cours"}'
		echo '{"_file":"a.csv","_line":3,"_dataset":"friches","insee":"01004","projet":"Friche  SNCF","montant":"1 000"}'
		echo '{"_file":"b.csv","_line":9,"_source":"friches","montant":"1000,00","_dataset":"friches","projet":"Friche SNCF","insee":"01004"}'
		echo '{"_file":"b.csv","_line":10,"_dataset":"friches","insee":"01004","projet":"Friche SNCF","montant":"1000,01"}'
	} >"$T/in.ndjson"
	run pvd-clean -r "$T/rej.ndjson" "$T/in.ndjson"
	assert_success
	assert_line 'pvd-clean: b.csv:7: insee: duplicate of a.csv:2 (same insee)'
	assert_line 'pvd-clean: b.csv:9: duplicate of a.csv:3'
	assert_line 'pvd-clean: read 5 records: emitted 3, rejected 2'
	run jq -r '[.reason, .field // "null", .value // "null"] | @tsv' "$T/rej.ndjson"
	assert_output $'duplicate-row\tinsee\t01004\nduplicate-row\tnull\tnull'
}

@test "clean: a duplicate names its first place through runs of lines, files, gaps and records without _line" {
	# the duplicate set keeps ordinals, mapped back to file:line by runs: each
	# break in the line sequence (a gap, a new file, a repeated line) must map back
	{
		for l in 2 3 4 8 9 20; do printf '{"_file":"a.csv","_line":%d,"_dataset":"friches","insee":"01004","projet":"p%d"}\n' "$l" "$l"; done
		for l in 5 6; do printf '{"_file":"b.csv","_line":%d,"_dataset":"friches","insee":"01004","projet":"p%d"}\n' "$l" "$((l + 100))"; done
		for p in q1 q2 q3; do printf '{"_dataset":"friches","insee":"01004","projet":"%s"}\n' "$p"; done
		for p in p3 p8 p9 p20 p105 p106 q2 q3 p2; do printf '{"_file":"c.csv","_line":1,"_dataset":"friches","insee":"01004","projet":"%s"}\n' "$p"; done
	} >"$T/in.ndjson"
	pvd-clean "$T/in.ndjson" >/dev/null 2>"$T/err"
	run cat "$T/err"
	assert_output "$(cat <<-'EOF'
		pvd-clean: c.csv:1: duplicate of a.csv:3
		pvd-clean: c.csv:1: duplicate of a.csv:8
		pvd-clean: c.csv:1: duplicate of a.csv:9
		pvd-clean: c.csv:1: duplicate of a.csv:20
		pvd-clean: c.csv:1: duplicate of b.csv:5
		pvd-clean: c.csv:1: duplicate of b.csv:6
		pvd-clean: c.csv:1: duplicate of <stdin>:0
		pvd-clean: c.csv:1: duplicate of <stdin>:0
		pvd-clean: c.csv:1: duplicate of a.csv:2
		pvd-clean: read 20 records: emitted 11, rejected 9
	EOF
	)"
}

@test "clean: the report's sums are the exact sums of the numbers passed on, as awk adds them in integer cents" {
	pvd-ingest -q -p dotations-2019 "$D19" 2>/dev/null | pvd-clean -q --report "$T/rep.json" >"$T/out.ndjson"
	for f in montant cout exercice; do
		# awk on the JSON text: "montant":1978400.00 → 197840000 cents; whole numbers count ×100
		want=$(grep -oE '"'$f'":-?[0-9]+(\.[0-9]{2})?[,}]' "$T/out.ndjson" | tr -d '},' | cut -d: -f2 |
			awk '{ n = split($1, p, "."); s += p[1] * 100 + (n > 1 ? p[2] : 0); k++ }
				END { e = int(s / 100); printf "%.0f.%02d %d\n", e, s - e * 100, k }')
		run jq -r --arg f "$f" '"\(.sums[$f]) \(.sum_values[$f])"' "$T/rep.json"
		assert_output "$want"
	done
	# a sum that overflows is left out, never wrong; a field without numbers has none
	{
		echo '{"_file":"a.csv","_line":2,"_dataset":"friches","insee":"01004","projet":"a","montant":"90000000000000000"}'
		echo '{"_file":"a.csv","_line":3,"_dataset":"friches","insee":"01004","projet":"b","montant":"90000000000000000"}'
	} | pvd-clean -q --report "$T/big.json" >/dev/null
	run jq -c '[.sums, .sum_values]' "$T/big.json"
	assert_output '[{},{"montant":2}]'
}

@test "clean: writing to /dev/full exits 74" {
	run bash -c "pvd-clean '$C/real.ndjson' >/dev/full"
	assert_failure 74
	assert_output --partial 'pvd-clean:'
}

@test "clean: a bad schema or profile exits 78 naming FILE:LINE:COL" {
	: >"$T/err"
	for f in syntax semantic synonyms; do
		echo '{}' | pvd-clean -d "$C/bad-schema/$f.yaml" >/dev/null 2>>"$T/err" && fail "$f accepted"
	done
	echo '{}' | pvd-clean -p "$C/bad-schema/bad-clean.yaml" >/dev/null 2>>"$T/err" || true
	assert_golden "$T/err" "$G/bad-config.err"
	run bash -c "echo '{}' | pvd-clean -d '$C/bad-schema/semantic.yaml'"
	assert_failure 78
}

@test "clean: a record whose _dataset names a broken schema: 78 with FILE:LINE:COL, before any output" {
	mkdir -p "$T/config/datasets"
	ln -s "$PVD_ROOT/config/sources" "$T/config/sources"
	cp "$C/bad-schema/semantic.yaml" "$T/config/datasets/dotations.yaml"
	run env PVD_CONFIG="$T/config" pvd-clean "$C/prefecture.ndjson"
	assert_failure 78
	assert_output "pvd-clean: $T/config/datasets/dotations.yaml:7:11: field montant: unknown type 'money' (text, insee, dep, siren, eur, int, date, bool, enum, list)"
}

@test "clean: a _source naming no profile exits 78; a profile given as a file answers to its name" {
	run pvd-clean "$C/fnadt-excel.ndjson"
	assert_failure 78
	assert_output --partial "prefecture/fnadt-2021.csv:2: _source: no sources named 'fnadt-excel'"
	run pvd-clean -p "$C/sources/fnadt-excel.yaml" "$C/fnadt-excel.ndjson"
	assert_success
	assert_line 'pvd-clean: read 6 records: emitted 3, rejected 3'
}

@test "clean: constraint-error for min/max and for digits beyond the cent when the schema says subcent: reject" {
	{
		echo '{"_file":"c.csv","_line":2,"_dataset":"dotations","dotation":"DETR","montant":"1","exercice":"1850"}'
		echo '{"_file":"c.csv","_line":3,"_dataset":"pvd","insee":"01004","nom":"Ambérieu-en-Bugey","population":"-5"}'
		echo '{"_file":"c.csv","_line":4,"_dataset":"dotations","dotation":"DETR","montant":"13621.544"}'
	} >"$T/in.ndjson"
	run pvd-clean -r "$T/rej.ndjson" "$T/in.ndjson"
	assert_success
	assert_line 'pvd-clean: c.csv:2: exercice: below the minimum 1990: "1850"'
	assert_line 'pvd-clean: c.csv:3: population: below the minimum 0: "-5"'
	assert_line --partial '"montant":13621.54'
	run jq -r .reason "$T/rej.ndjson"
	assert_output $'constraint-error\nconstraint-error'
	sed 's/montant: {type: eur, required: true}/montant: {type: eur, required: true, subcent: reject}/' \
		config/datasets/dotations.yaml >"$T/dotations.yaml"
	run pvd-clean -d "$T/dotations.yaml" "$T/in.ndjson"
	assert_line 'pvd-clean: c.csv:4: montant: more than two decimals: "13621.544"'
}

@test "clean: a record without _file/_line is named by its place in the stream" {
	printf '%s\n' '{"_dataset":"club","indicateur":"Abonnés LinkedIn","valeur":"10 800","periode":"2021-Q4"}' \
		'{"_dataset":"club","indicateur":"Followers","valeur":"1","periode":"2021-Q4"}' >"$T/in.ndjson"
	run bash -c "pvd-clean -r '$T/rej.ndjson' '$T/in.ndjson' 2>'$T/err'"
	assert_success
	assert_output '{"_dataset":"club","indicateur":"abonnes_linkedin","valeur":10800,"periode":"2021-Q4"}'
	grep -q "^pvd-clean: $T/in.ndjson:2: indicateur: unknown value: \"Followers\"" "$T/err"
	run jq -c '[.file, .line, .reason]' "$T/rej.ndjson"
	assert_output "[\"$T/in.ndjson\",2,\"unknown-value\"]"
}

@test "clean: the duplicate set holds 16 bytes or less per distinct record here, as --report says" {
	# 300 000 distinct records, then every one again: all found, and the set's
	# tables and first-seen runs (one run: lines one after the other) stay
	# within 16 bytes a member
	awk 'BEGIN { for (k = 0; k < 2; k++) for (i = 1; i <= 300000; i++)
		printf "{\"_file\":\"a.csv\",\"_line\":%d,\"_dataset\":\"dotations\",\"dotation\":\"DETR\",\"beneficiaire_insee\":\"01004\",\"montant\":\"%d\"}\n", k * 300000 + i + 1, i }' >"$T/in.ndjson"
	pvd-clean -q -d dotations --report "$T/r.json" "$T/in.ndjson" >/dev/null
	run jq -r '"\(.out) \(.rejects_by_reason["duplicate-row"]) \(.duplicate_set.members)"' "$T/r.json"
	assert_output "300000 300000 300000"
	[ "$(jq .duplicate_set.bytes "$T/r.json")" -le $((16 * 300000)) ] || fail "$(jq -c .duplicate_set "$T/r.json")"
}
