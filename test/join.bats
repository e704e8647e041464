#!/usr/bin/env bats
# pvd-join: the real reference tables of config/ref/ (expected values computed
# here with mlr, comm, awk and jq on the CSVs, never copied from pvd-join),
# the fixtures of fixtures/join/, golden files in test/golden/join/.
load helper

setup() {
	cd "$PVD_ROOT"
	export PVD_CONFIG=config
	REF=config/ref
	COG=$REF/cog-2026
	T=$BATS_TEST_TMPDIR
	G=$GOLD/join
}

# Column of a reference CSV, one value a line, sorted (mlr reads the quoting).
col() { mlr --icsv --ocsv -S --headerless-csv-output cut -f "$2" "$1" | sort; }
# The PVD list of a period as records of dataset pvd, as the pipeline carries it.
list_records() {
	mlr --icsv --ojsonl -S rename insee_com,insee,lib_com,nom then put '$_file="list.csv"; $_line = NR + 1; $_dataset = "pvd"' "$1"
}

@test "--help and --version on stdout; every option of --help is in the man page" {
	run pvd-join --help
	assert_success
	assert_line --partial 'Usage: pvd-join --ref pvd=NAME|FILE'
	for opt in ref mode rejects report quiet help version; do
		grep -q -- "--$opt" <<<"$output"
		grep -q -- "\\\\-\\\\-$opt" cmd/pvd-join/pvd-join.1
	done
	run pvd-join --version
	assert_success
	assert_output --regexp '^pvd-join \(pvd\) [0-9]'
}

@test "usage errors exit 64 with one message" {
	run pvd-join fixtures/join/records.ndjson
	assert_failure 64
	printf '%s\n' "$output" >"$T/nolist"
	run pvd-join --ref pvd=pvd-2021-01 --mode outer
	assert_failure 64
	printf '%s\n' "$output" >>"$T/nolist"
	run pvd-join --ref epci=x --ref pvd=pvd-2021-01
	assert_failure 64
	printf '%s\n' "$output" >>"$T/nolist"
	assert_golden "$T/nolist" "$G/usage.stderr"
}

@test "a missing or unusable reference table is a config error (78) naming it" {
	run pvd-join --ref pvd=pvd-1999 </dev/null
	assert_failure 78
	printf '%s\n' "$output" >"$T/err"
	run pvd-join --ref pvd=pvd-2021-01 --ref communes=cog-1999 </dev/null
	assert_failure 78
	printf '%s\n' "$output" >>"$T/err"
	run pvd-join --ref pvd=fixtures/join/pvd-no-code.csv </dev/null
	assert_failure 78
	printf '%s\n' "$output" >>"$T/err"
	run pvd-join --ref pvd=pvd-2021-01 --ref communes=fixtures/join/pvd-mini.csv </dev/null
	assert_failure 78
	printf '%s\n' "$output" >>"$T/err"
	assert_golden "$T/err" "$G/config.stderr"
}

@test "the real January 2021 list loads with one warning per quirk, not a crash nor a silent skip" {
	pvd-join --ref pvd-2021-01 --report "$T/r.json" </dev/null 2>"$T/stderr" >"$T/out"
	assert_golden "$T/stderr" "$G/warnings-2021.stderr"
	[ ! -s "$T/out" ]
	# the junk row, and the 585 rows without id_pvd, counted here with mlr
	grep -q 'pvd-2021-01.csv:1516: insee_com: not a commune code: "999999" (row skipped)' "$T/stderr"
	missing=$(mlr --icsv --ocsv -S --headerless-csv-output filter '$id_pvd == ""' then count $REF/pvd-2021-01.csv)
	[ "$missing" -eq 585 ]
	grep -q "id_pvd: missing on $missing rows" "$T/stderr"
	rows=$(($(wc -l <$REF/pvd-2021-01.csv) - 1))
	jq -e --argjson rows "$rows" '.refs.pvd | .rows == $rows and .communes == $rows - 1 and .skipped == 1' "$T/r.json"
	# grouped candidacies: ids shared by several communes (mlr)
	groups=$(mlr --icsv --ocsv -S --headerless-csv-output filter '$id_pvd != ""' then count -g id_pvd then filter '$count > 1' then count $REF/pvd-2021-01.csv)
	jq -e --argjson g "$groups" '.refs.pvd.grouped_ids == $g' "$T/r.json"
	# -q: silent
	run pvd-join -q --ref pvd-2021-01 </dev/null
	assert_success
	assert_output ''
}

@test "faulty tables: each fault one warning at its line, the rest loads" {
	pvd-join --ref pvd=fixtures/join/pvd-mini.csv --ref communes=fixtures/join/cog-mini \
		--report "$T/r.json" </dev/null 2>"$T/stderr"
	assert_golden "$T/stderr" "$G/warnings-mini.stderr"
	jq '.refs | del(.load_ms, .load_cpu_ms)' "$T/r.json" >"$T/refs.json"
	assert_golden "$T/refs.json" "$G/refs-mini.json"
}

@test "every code of the 2021 list is a 2026 commune, directly or through an old code; the junk row alone is not" {
	col $REF/pvd-2021-01.csv insee_com >"$T/list"
	col $COG/communes.csv code_insee >"$T/cog"
	col $COG/anciens_codes.csv ancien_code >"$T/old"
	direct=$(comm -12 "$T/list" "$T/cog" | wc -l)
	via_old=$(comm -23 "$T/list" "$T/cog" | comm -12 - "$T/old" | wc -l)
	neither=$(comm -23 "$T/list" "$T/cog" | comm -23 - "$T/old")
	[ "$neither" = 999999 ]
	echo "2021 list: $direct codes found directly, $via_old through the old-code table" >&3
	list_records $REF/pvd-2021-01.csv >"$T/pvd.ndjson"
	pvd-join -q --ref pvd-2021-01 -m left --report "$T/r.json" "$T/pvd.ndjson" >"$T/out"
	[ "$(jq -s 'map(select(.match == "code")) | length' "$T/out")" -eq "$direct" ]
	[ "$(jq -s 'map(select(.match == "old-code")) | length' "$T/out")" -eq "$via_old" ]
	jq -e --argjson n "$via_old" '.refs.pvd.through_old_codes == $n' "$T/r.json"
	[ "$(jq -r 'select(.match == null) | "\(.insee) \(.match_error)"' "$T/out")" = "999999 type-error" ]
	# every list commune is PVD under its own list, with the list's id (empty: null)
	[ "$(jq -s 'map(select(.match != null and (.pvd | not))) | length' "$T/out")" -eq 0 ]
	jq -r 'select(.insee != "999999") | [.insee, .id_pvd] | @tsv' "$T/pvd.ndjson" >"$T/ids.expected"
	jq -r 'select(.match != null) | [.insee, (.id_pvd // "")] | @tsv' "$T/out" >"$T/ids.got"
	diff -u "$T/ids.expected" "$T/ids.got"
	# inner: the junk row is rejected with its line, in = out + rejected
	run pvd-join --ref pvd-2021-01 -r "$T/rej" "$T/pvd.ndjson"
	assert_success
	assert_line 'pvd-join: list.csv:1516: insee: not a commune code: "999999"'
	assert_line 'pvd-join: read 1607 records: emitted 1606, rejected 1'
	[ "$(jq -r '[.stage, .file, .line, .reason, .field, .value] | @tsv' "$T/rej")" = "$(printf 'join\tlist.csv\t1516\ttype-error\tinsee\t999999')" ]
}

@test "renamed communes: matched by code, under their 2026 name (the 11 found independently)" {
	mlr --icsv --otsv -S --headerless-tsv-output cut -o -f insee_com,lib_com $REF/pvd-2021-01.csv | sort >"$T/l"
	mlr --icsv --otsv -S --headerless-tsv-output cut -o -f code_insee,nom $COG/communes.csv | sort >"$T/c"
	join -t "$(printf '\t')" "$T/l" "$T/c" | awk -F'\t' '$2 != $3' >"$T/expected"
	[ "$(wc -l <"$T/expected")" -eq 11 ]
	list_records $REF/pvd-2021-01.csv | pvd-join -q --ref pvd-2021-01 |
		jq -r 'select(.nom != .commune_nom) | [.insee, .nom, .commune_nom] | @tsv' | sort >"$T/got"
	diff -u "$T/expected" "$T/got"
	grep -q "$(printf '33081\tCadillac\tCadillac-sur-Garonne')" "$T/got"
	# and their former names lead to them (the list's names are names of its communes)
	printf '{"nom":"Cadillac","dep":"33"}\n{"nom":"Le Hom","dep":"14"}\n{"nom":"Verdun-sur-le-Doubs","dep":"71"}\n' |
		pvd-join -q --ref pvd-2021-01 | jq -r '.commune_insee' >"$T/codes"
	[ "$(tr '\n' ' ' <"$T/codes")" = "33081 14689 71566 " ]
	pvd-join -q --ref pvd-2021-01 --report "$T/r.json" </dev/null
	jq -e '.refs.pvd.names_differ == 11' "$T/r.json"
}

@test "old codes: each of the 4240 old codes maps to its commune, keeping the code it came with" {
	mlr --icsv --ojsonl -S rename ancien_code,insee then put '$_file="old.csv"; $_line = NR + 1' $COG/anciens_codes.csv >"$T/old.ndjson"
	[ "$(wc -l <"$T/old.ndjson")" -eq 4240 ]
	pvd-join -q --ref pvd-2021-01 "$T/old.ndjson" >"$T/out"
	[ "$(wc -l <"$T/out")" -eq 4240 ]
	jq -e -s 'all(.[]; .match == "old-code" and .remapped_from == .insee and .commune_insee == .code_insee_actuel)' "$T/out"
	# one by hand: Amareins (01003) merged into Francheleins (01165)
	grep -q '^01003,01165$' $COG/anciens_codes.csv
	run jq -r 'select(.insee == "01003") | [.commune_insee, .commune_nom, .match, .remapped_from] | @tsv' "$T/out"
	assert_output "$(printf '01165\tFrancheleins\told-code\t01003')"
}

@test "an EPCI record reaches exactly the PVD communes of that EPCI, for all 1255 EPCIs (checked with mlr/awk)" {
	# independent: PVD codes of the list (junk row out) × the EPCI of each commune
	col $REF/pvd-2021-01.csv insee_com | grep -vx 999999 >"$T/pvd"
	mlr --icsv --ocsv -S --headerless-csv-output cut -o -f code_insee,siren_epci $COG/communes.csv | sort -t, -k1,1 >"$T/ce"
	join -t, "$T/pvd" "$T/ce" | awk -F, '$2 != "" { print $2 "\t" $1 }' | sort >"$T/pairs"
	mlr --icsv --ocsv -S --headerless-csv-output cut -f siren_epci $COG/epci.csv | sort |
		awk -F'\t' 'NR == FNR { if ($1 in l) l[$1] = l[$1] " " $2; else l[$1] = $2; next } { print $1 "\t" l[$1] }' "$T/pairs" - >"$T/expected"
	[ "$(wc -l <"$T/expected")" -eq 1255 ]
	mlr --icsv --ojsonl -S cut -f siren_epci,nom_epci then rename siren_epci,beneficiaire_siren,nom_epci,beneficiaire_nom then put '$_file="epci.csv"; $_line = NR + 1; $beneficiaire_insee = ""' $COG/epci.csv >"$T/epci.ndjson"
	pvd-join -q --ref pvd-2021-01 "$T/epci.ndjson" >"$T/out"
	jq -r '[.collectivite, (.pvd_communes | join(" "))] | @tsv' "$T/out" | sort >"$T/got"
	diff -u "$T/expected" "$T/got"
	# one record per EPCI, no commune code, pvd when it has a PVD commune
	[ "$(wc -l <"$T/out")" -eq 1255 ]
	jq -e -s 'all(.[]; .match == "epci" and .commune_insee == null and .id_pvd == null and .pvd == (.pvd_communes | length > 0))' "$T/out"
	n11=$(awk -F'\t' '$1 == "200067205" { print split($2, a, " ") }' "$T/expected")
	[ "$n11" -eq 11 ]
}

@test "the 2021 and COG 2023 lists: the 13 communes that left (14 rows with the junk one) and the 60 that joined change the join" {
	col $REF/pvd-2021-01.csv insee_com >"$T/l21"
	col $REF/pvd-cog2023.csv insee_com >"$T/l23"
	comm -23 "$T/l21" "$T/l23" >"$T/left_rows"
	grep -vx 999999 "$T/left_rows" >"$T/left"
	comm -13 "$T/l21" "$T/l23" >"$T/joined"
	[ "$(wc -l <"$T/left_rows")" -eq 14 ]
	[ "$(wc -l <"$T/left")" -eq 13 ]
	[ "$(wc -l <"$T/joined")" -eq 60 ]
	echo "lists: $(wc -l <"$T/left") communes left (+ the junk row), $(wc -l <"$T/joined") joined" >&3
	sort -u "$T/l21" "$T/l23" | grep -vx 999999 | awk '{ printf "{\"_file\":\"u\",\"_line\":%d,\"insee\":\"%s\"}\n", NR, $1 }' >"$T/union.ndjson"
	pvd-join -q --ref pvd=pvd-2021-01 "$T/union.ndjson" | jq -r '[.insee, .pvd] | @tsv' >"$T/a"
	pvd-join -q --ref pvd=pvd-cog2023 "$T/union.ndjson" | jq -r '[.insee, .pvd] | @tsv' >"$T/b"
	paste "$T/a" "$T/b" | awk -F'\t' '$2 == "true" && $4 == "false" { print $1 }' >"$T/got_left"
	paste "$T/a" "$T/b" | awk -F'\t' '$2 == "false" && $4 == "true" { print $1 }' >"$T/got_joined"
	diff -u "$T/left" "$T/got_left"
	diff -u "$T/joined" "$T/got_joined"
	# anti with the 2023 list: exactly the communes that left
	pvd-join -q --ref pvd-cog2023 -m anti "$T/union.ndjson" | jq -r .insee >"$T/anti"
	diff -u "$T/left" "$T/anti"
	pvd-join -q --ref pvd-cog2023 --report "$T/r.json" </dev/null
	jq -e '.refs.pvd.communes == 1653 and .refs.pvd.skipped == 0' "$T/r.json"
}

@test "inner (default): matched records out, the others rejected with reason and message; golden" {
	pvd-join --ref pvd-2021-01 -r "$T/rej" --report "$T/r.json" fixtures/join/records.ndjson >"$T/out" 2>"$T/stderr"
	assert_golden "$T/out" "$G/inner.ndjson"
	assert_golden "$T/stderr" "$G/inner.stderr"
	assert_golden "$T/rej" "$G/inner.rejects.ndjson"
	jq -e '.in == .out + .rejected and .skipped == 0 and .in == 20' "$T/r.json"
	jq 'del(.refs.load_ms, .refs.load_cpu_ms)' "$T/r.json" >"$T/report.json"
	assert_golden "$T/report.json" "$G/inner.report.json"
	# every record is either out or in the rejects, by its line
	[ "$( (jq -r '._line' "$T/out"; jq -r '.line' "$T/rej") | sort -n | tr '\n' ' ')" = \
	  "$(jq -r '._line' fixtures/join/records.ndjson | sort -n | tr '\n' ' ')" ]
}

@test "left: every record out, the unmatched ones marked match null with the reason; golden" {
	pvd-join --ref pvd-2021-01 -m left --report "$T/r.json" fixtures/join/records.ndjson >"$T/out" 2>"$T/stderr"
	assert_golden "$T/out" "$G/left.ndjson"
	jq -e '.in == .out and .rejected == 0 and .join.unmatched == 7' "$T/r.json"
	jq -e -s 'map(select(.match == null and ._dataset != "club")) | all(.[]; .pvd == false and .pvd_communes == [] and .commune_insee == null and (.match_error | type) == "string")' "$T/out"
	grep -q 'read 20 records: emitted 20, rejected 0$' "$T/stderr"
}

@test "anti: only what is outside the programme (joined or not), the rest counted as skipped; golden" {
	pvd-join --ref pvd-2021-01 -m anti --report "$T/r.json" fixtures/join/records.ndjson >"$T/out" 2>"$T/stderr"
	assert_golden "$T/out" "$G/anti.ndjson"
	jq -e '.in == .out + .skipped and .rejected == 0' "$T/r.json"
	jq -e -s 'all(.[]; .pvd == false)' "$T/out"
	# what was skipped is what left mode marks pvd true, plus the club record
	inprog=$(pvd-join -q --ref pvd-2021-01 -m left fixtures/join/records.ndjson | jq -s 'map(select(.pvd == true)) | length')
	grep -q "skipped $((inprog + 1)) ($inprog in the programme, 1 not about a place)" "$T/stderr"
	run pvd-join --ref pvd-2021-01 -m anti fixtures/join/names.ndjson
	assert_line --regexp 'read 29 records: emitted [0-9]+, rejected 0, skipped [0-9]+ in the programme$'
}

@test "name fallback: case, accents, hyphens, St/Ste, articles, delegated communes, ambiguity; golden" {
	pvd-join -q --ref pvd-2021-01 -m left fixtures/join/names.ndjson |
		jq -c '{_line, name: (.nom // .beneficiaire_nom // .commune), dep: (.dep // .beneficiaire_dep), commune_insee, commune_nom, match, match_error, match_message}' >"$T/out"
	assert_golden "$T/out" "$G/names.ndjson"
	# checked against the commune table by hand-picked codes
	for c in 64483:Saint-Jean-de-Luz 47252:Sainte-Livrade-sur-Lot 01001:"L'Abergement-Clémenciat" 62447:Hesdin-la-Forêt 17464:Vergné 17465:"La Vergne"; do
		grep -q "^${c%%:*},${c#*:}," $COG/communes.csv
	done
	grep -q '^62447,Hesdin,commune-deleguee,' $COG/deleguees_associees.csv
	jq -e -s '[.[] | select(.name == "St Jean de Luz" or .name == "ST-JEAN-DE-LUZ")] | all(.[]; .commune_insee == "64483")' "$T/out"
	jq -e -s '[.[] | select(.name | test("Livrade"))] | length == 2 and all(.[]; .commune_insee == "47252")' "$T/out"
	jq -e -s '[.[] | select(.name | test("(?i)abergement"))] | length == 3 and all(.[]; .commune_insee == "01001")' "$T/out"
	jq -e -s '[.[] | select(.name == "Vergne" or .name == "VERGNE")] | all(.[]; .match_error == "ambiguous-match" and (.match_message | test("Vergné \\(17464\\), La Vergne \\(17465\\)")))' "$T/out"
	# the ambiguity is real: two communes of 17 fold to "vergne" once the article goes
	[ "$(mlr --icsv --ocsv -S --headerless-csv-output filter '$code_departement == "17" && ($nom == "Vergné" || $nom == "La Vergne")' then count $COG/communes.csv)" -eq 2 ]
	# inner: the ambiguous record is rejected, reason ambiguous-match
	run pvd-join --ref pvd-2021-01 -r "$T/rej" fixtures/join/names.ndjson
	assert_line 'pvd-join: names.csv:5: nom: "Vergne" in département 17 matches 2 communes: Vergné (17464), La Vergne (17465)'
	[ "$(jq -r .reason "$T/rej" | sort | uniq -c | awk '{print $2 ":" $1}' | tr '\n' ' ')" = "ambiguous-match:4 no-match:5 " ]
	# a name that is also its département's (a grant to the conseil départemental
	# in the real DSID 2019 file) is not given to the homonymous commune; Paris,
	# a département of one commune, is
	jq -e -s '(.[] | select(.name == "Mayenne") | .match_error == "ambiguous-match" and (.match_message | test("département Mayenne \\(53\\), Mayenne \\(53147\\)"))) and (.[] | select(.name == "Paris") | .commune_insee == "75056")' "$T/out"
	[ "$(mlr --icsv --ocsv -S --headerless-csv-output filter '$code_departement == "75"' then count $COG/communes.csv)" -eq 1 ]
	# the export says the beneficiary is not a commune (a syndicate, a SIREN
	# that is no commune's): its name is not matched to a commune's
	jq -e -s '[.[] | select(.name | test("(?i)lambronne|coulommiers"))] | map(.commune_insee) == [null, "77131", null, "77131"]' "$T/out"
}

@test "joining a joined stream gives the same stream" {
	pvd-join -q --ref pvd-2021-01 -m left fixtures/join/records.ndjson >"$T/once"
	pvd-join -q --ref pvd-2021-01 -m left "$T/once" >"$T/twice"
	diff -u "$T/once" "$T/twice"
}

@test "stdin and - read the same; several files in turn" {
	pvd-join -q --ref pvd-2021-01 <fixtures/join/records.ndjson >"$T/a"
	pvd-join -q --ref pvd-2021-01 - <fixtures/join/records.ndjson >"$T/b"
	cmp "$T/a" "$T/b"
	pvd-join -q --ref pvd-2021-01 fixtures/join/records.ndjson fixtures/join/names.ndjson >"$T/c"
	[ "$(wc -l <"$T/c")" -eq $(($(wc -l <"$T/a") + $(pvd-join -q --ref pvd-2021-01 fixtures/join/names.ndjson | wc -l))) ]
}

@test "I/O: /dev/full exits 74, a missing input 66, an invalid line is rejected" {
	pvd-join -q --ref pvd-2021-01 fixtures/join/records.ndjson >/dev/full 2>"$T/err" && status=0 || status=$?
	[ "$status" -eq 74 ]
	grep -q 'write error' "$T/err"
	run pvd-join -q --ref pvd-2021-01 fixtures/join/nonexistent.ndjson
	assert_failure 66
	printf '{"insee":"01001"}\nnot json\n' >"$T/in"
	run pvd-join --ref pvd-2021-01 "$T/in"
	assert_success
	assert_line --partial 'in:2: column 1:'
	assert_line 'pvd-join: read 2 records: emitted 1, rejected 1'
}
