#!/usr/bin/env bats
# pvd-aggregate: every measure, filter and date rule on hand-written records
# (fixtures/aggregate/measures.*), every indicator of config/indicators.yaml
# on a hand-written quarter (fixtures/aggregate/quarter.ndjson), partial
# states and merge, exact money at volume, errors.  Expected values are
# worked out by hand below; goldens are the same outputs, reviewed.
load helper

M="$FIX/aggregate/measures"
Q="$FIX/aggregate/quarter.ndjson"

setup() {
	cd "$PVD_ROOT"
	OUT="$BATS_TEST_TMPDIR/out.ndjson"
}

# val ID [BREAKDOWN KEY]: the raw text of "value" in $OUT (the headline
# when no breakdown is given; KEY "null" is the group without a key).
val() {
	local id=${1//./\\.} sel
	if [ $# -eq 1 ]; then
		sel="\"id\":\"$id\",.*\"breakdown\":null,"
	elif [ "$3" = null ]; then
		sel="\"id\":\"$id\",.*\"breakdown\":\"$2\",\"key\":null,"
	else
		sel="\"id\":\"$id\",.*\"breakdown\":\"$2\",\"key\":\"$3\","
	fi
	grep -E "^\\{$sel" "$OUT" | sed -E 's/.*"value":([^,]*),.*/\1/'
}
# field ID NAME: a field of the headline record of ID, as jq prints it.
field() { jq -c --arg id "$1" "select(.id == \$id and .breakdown == null) | .$2" "$OUT"; }

measures() { pvd-aggregate -q -i "$M.yaml" "$@" "$M.ndjson" >"$OUT"; }

@test "measures: counts, date rules and distinct values" {
	measures -p 2021-Q4 2>/dev/null
	# toy records r1..r6 (lines 2-5 of toy.csv, 2-3 of toy2.csv); period end 2021-12-31.
	# Stock, undated excluded: r1 2021-10-05, r2 2021-06-30, r3 2021-12 (month), r6 2021-10-01;
	# r4 2022-01-01 is after the end, r5 has no date.
	[ "$(val t.count)" = 4 ]
	[ "$(val t.count reg 84)" = 3 ]              # r1 r2 r6
	[ "$(val t.count reg 11)" = 1 ]              # r3
	[ "$(val t.count_undated)" = 5 ]             # + r5
	[ "$(val t.flow)" = 3 ]                      # r1 r3 r6 within 2021-10-01..12-31
	[ "$(val t.distinct_k)" = 2 ]                # k1 k1 k2 k2
	[ "$(field t.distinct_k records)" = 4 ]
	[ "$(val t.distinct_list)" = 3 ]             # 01001, [], 75056, 01003
	[ "$(field t.distinct_list records)" = 3 ]   # r2's empty list contributes nothing
	[ "$(val t.pairs)" = 4 ]                     # (k1,01001) (k1,01002) (k2,75056) (k2,01003)
	[ "$(val t.nodate)" = 6 ]                    # date: none: r1..r6
}

@test "measures: exact sums, mean and last value" {
	measures -p 2021-Q4 2>/dev/null
	[ "$(val t.sum)" = 1234578.64 ]              # 10.50 + 0.25 + (r3 null) + 1234567.89
	[ "$(field t.sum records)" = 3 ]
	[ "$(val t.sum reg 84)" = 1234578.64 ]       # all three are in région 84
	[ "$(val t.sum cat a)" = 10.50 ]
	[ "$(val t.sum cat b)" = 1234568.14 ]        # 0.25 + 1234567.89
	[ "$(val t.sum_all)" = 1234678.64 ]          # + r5's 100.00 (undated: count)
	[ "$(val t.sum_all reg null)" = 100.00 ]     # r5 has no région: the null group
	[ "$(val t.sum_int)" = 10 ]                  # 1 + 2 + 3 + 4
	[ "$(val t.mean)" = 2.500000 ]               # 10 / 4
	[ "$(field t.mean num),$(field t.mean den)" = 10,4 ]
	[ "$(val t.last)" = 3 ]                      # r3 (2021-12) is the latest kept
	[ "$(val o.sum)" = 7 ]
}

@test "measures: filters" {
	measures -p 2021-Q4 2>/dev/null
	[ "$(val t.eq)" = 2 ]                        # cat a: r1 r3
	[ "$(val t.in)" = 4 ]                        # cat a|b: r1 r2 r3 r6
	[ "$(val t.ne)" = 3 ]                        # not a (undated counted): r2 r5(null) r6
	[ "$(val t.notin)" = 1 ]                     # neither a nor b: r5 (null); r4 is after the end
	[ "$(val t.null)" = 1 ]                      # amount null: r3
	[ "$(val t.notnull)" = 3 ]                   # r1 r2 r6
	[ "$(val t.true)" = 1 ]                      # flag true: r1
	[ "$(val t.nottrue)" = 3 ]                   # false or null: r2 r3 r6
	[ "$(val t.has)" = 2 ]                       # tags contain x: r1 r6
	[ "$(val t.ge)" = 3 ]                        # 2021 <= yr <= 2021: r1 r4 r6
	[ "$(val t.tpl.a)" = 2 ]
	[ "$(val t.tpl.b)" = 2 ]
}

@test "measures: ratios, exact num/den, rounding, breakdowns, labels" {
	measures -p 2021-Q4 2>/dev/null
	[ "$(val t.ratio)" = 0.500000 ]              # 2 / 4
	[ "$(val t.ratio reg 84)" = 0.333333 ]       # 1 / 3
	[ "$(val t.ratio reg 11)" = 1.000000 ]       # 1 / 1
	[ "$(field t.ratio records)" = 6 ]           # 2 numerator + 4 denominator records
	[ "$(val t.ratio_head reg 84)" = 0.166667 ]  # 1 / 6: t.nodate has no breakdown, its headline
	[ "$(val t.ratio_inline)" = 0.666667 ]       # 2 / 3 rounded half up
	[ "$(field t.ratio_inline num),$(field t.ratio_inline den)" = 2,3 ]
	[ "$(val t.zero)" = null ]                   # denominator 0
	[ "$(field t.zero den)" = 0 ]
	# Labels: the smallest seen ("ARA" < "Auvergne-Rhône-Alpes"), or the dimension's list.
	jq -s -e 'map(select(.id == "t.sum" and .key == "84")) | .[0].key_label == "ARA"' "$OUT"
	jq -s -e 'map(select(.id == "t.sum" and .key == "b")) | .[0].key_label == "Beta"' "$OUT"
	# Catalogue order, then by key, the null key last.
	run jq -r 'select(.id == "t.sum_all") | .key' "$OUT"
	[ "$output" = "$(printf 'null\n84\nnull')" ]
}

@test "measures: the whole output (golden)" {
	measures -p 2021-Q4 2>/dev/null
	assert_golden "$OUT" "$GOLD/aggregate/measures.ndjson"
	# Every record has exactly the contract's fields, in order.
	run jq -r 'keys_unsorted | join(",")' "$OUT"
	[ "$(sort -u <<<"$output")" = "id,label,unit,period,value,num,den,breakdown,key,key_label,datasets,records,inputs" ]
}

@test "periods: a plain date, a month, a year" {
	measures -p 2021-10-31 2>/dev/null
	[ "$(val t.count)" = 3 ]                     # r3 (December) is after 2021-10-31
	grep -q '"period":"2021-10-31"' "$OUT"
	measures -p 2021-12 2>/dev/null
	[ "$(val t.count)" = 4 ]
	[ "$(val t.flow)" = 1 ]                      # only r3 falls within December
	measures -p 2022 2>/dev/null
	[ "$(val t.ge)" = 4 ]                        # 2021 <= yr <= 2022: r1 r3 r4 r6
	[ "$(val t.count)" = 5 ]                     # r4 (2022-01-01) now counts
}

@test "rejects and skipped records reconcile: in = used + rejected + skipped" {
	run pvd-aggregate -i "$M.yaml" -p 2021-Q4 --rejects "$BATS_TEST_TMPDIR/rej.ndjson" \
		--report "$BATS_TEST_TMPDIR/report.json" "$M.ndjson"
	[ "$status" -eq 0 ]
	# 12 records: 7 used (r1..r6 and other), 4 rejected, 1 skipped (dataset nobody).
	assert_line "pvd-aggregate: read 12 records: emitted 7, rejected 4, skipped 1 (no indicator); 42 values"
	assert_line 'pvd-aggregate: toy3.csv:2: amount: not a canonical amount: "12.345"'
	assert_line 'pvd-aggregate: toy3.csv:3: d: malformed date: "2021-02-30" (YYYY-MM-DD, or YYYY-MM at month precision)'
	assert_line 'pvd-aggregate: toy3.csv:4: _dataset: record without _dataset: it did not come through a source profile'
	assert_line 'pvd-aggregate: toy3.csv:5: amount: not an amount: a string where a JSON number is expected'
	run jq -r '[.stage, .file, .line, .reason, .field] | @tsv' "$BATS_TEST_TMPDIR/rej.ndjson"
	[ "$output" = "$(printf 'aggregate\ttoy3.csv\t2\ttype-error\tamount\naggregate\ttoy3.csv\t3\ttype-error\td\naggregate\ttoy3.csv\t4\tunknown-dataset\t_dataset\naggregate\ttoy3.csv\t5\ttype-error\tamount')" ]
	run jq -c '[.in, .out, .rejected, .skipped, .skipped_datasets, .values, .rejects_by_reason["type-error"]]' "$BATS_TEST_TMPDIR/report.json"
	[ "$output" = '[12,7,4,1,{"nobody":1},42,3]' ]
	# -q: no line per reject, the summary stays.
	run pvd-aggregate -q -i "$M.yaml" -p 2021-Q4 "$M.ndjson"
	[ "${#lines[@]}" -gt 0 ]
	! grep -q toy3.csv <<<"$(pvd-aggregate -q -i "$M.yaml" -p 2021-Q4 "$M.ndjson" 2>&1 >/dev/null)"
}

@test "the catalogue: every indicator of config/indicators.yaml on a hand-written quarter" {
	pvd-aggregate -p 2021-Q4 "$Q" >"$OUT" 2>"$BATS_TEST_TMPDIR/err"
	# The world: PVD communes 01001 01002 01003 (région 84) and 77001 77002 (région 11);
	# 01010 and 77010 are not PVD; EPCI 200000001 holds the PVD communes 01001 and 01002.
	while read -r id want; do
		[ -n "$id" ] || continue
		got=$(val "$id")
		[ "$got" = "$want" ] || { echo "$id: got '$got', want '$want'" >&2; return 1; }
	done <<'EOF'
pvd.communes 5
conventions.communes 4
conventions.communes_part 0.800000
conventions.nombre 3
conventions.signataires_moyen 2.000000
ort.communes 2
ort.communes_part 0.400000
comites.copresides_part 0.666667
comites.maires_epci_part 0.500000
partenaires.departement_part 0.500000
partenaires.region_part 0.750000
orientations.economie_locale.part 0.250000
orientations.patrimoine.part 0.500000
orientations.sante_bien_vivre.part 0.250000
orientations.integration_territoire.part 0.250000
orientations.transition_ecologique.part 0.250000
orientations.connectivite.part 0.000000
orientations.acces_demarches.part 0.250000
equipements.culturel.part 0.500000
equipements.medico_social.part 0.250000
equipements.sportif.part 0.000000
equipements.tiers_lieu.part 0.250000
equipements.scolaire.part 0.250000
equipements.commerce.part 0.250000
habitat.opah_part 0.500000
habitat.opah_ru_part 0.250000
besoins.chef_projet_part 0.750000
besoins.etudes_part 0.500000
besoins.investissements_part 0.250000
chefs_projet.postes_occupes 2
chefs_projet.vta 1
ingenierie.communes 5
ingenierie.montant 3350.44
ingenierie.anah.communes 2
ingenierie.bdt.communes 2
ingenierie.cerema.communes 1
ingenierie.anct.communes 1
ingenierie.mte.communes 1
ingenierie.anah.montant 3000.10
ingenierie.bdt.montant 350.33
ingenierie.anct.montant 0.01
ingenierie.mte.montant 0.00
commerce.collectivites 3
commerce.montant 3701.00
commerce.managers 2
friches.communes 2
friches.montant 750001.25
dotations.fnadt.montant 3076335.49
dotations.detr.montant 1500.50
dotations.dsil.montant 43636749.94
dotations.fnadt.communes 1
dotations.detr.communes 2
dotations.dsil.communes 1
france_services.nombre 3
conseillers_numeriques.nombre 4
club.semaines_thematiques 4
club.webinaires 30
club.pvd_valorisees 30
club.participants_evenements 5366
club.sessions_formation 1
club.modules_formation 4
club.participants_formation 563
club.abonnes_linkedin 10800
club.destinataires_infolettre 5200
EOF
	# How those were counted (period 2021-Q4, end 2021-12-31):
	# conventions kept: C1 (01001 01002 01010), C2 (77001 77010), C5 (01003, "2021-12" by month);
	#   C3 is signed 2022-01-15, C4 has no date.  PVD signatories 01001 01002 77001 01003 = 4; 4/5.
	#   pairs 3 + 2 + 1 = 6 over 3 conventions = 2.  Co-presided C1, C5 of 3 with a presidency;
	#   mayors + EPCI: C1 of those 2.  cd_engage: 01001 01002 (2/4); cr_engage: 01002 77001 01003 (3/4).
	#   Orientations, equipment, needs of 01010 (not PVD) never count: connectivite, sportif 0.
	#   opah simple|complexe: 01001 01003 (01010's complexe is not PVD); ru: 01002.
	# ort: 01001 signed 2020, 77001 signed undated (counts); 77002 signed 2022, 01010 not PVD.
	# chefs_projet: CP1 (listed twice) + CP2 (EPCI, undated) = 2; VTA V1 (V2 is 2022).
	# ingenierie (pvd true, cerema excluded from amounts): 1000.10 + 2000.00 + 300.33 + 50.00 + 0.01;
	#   anah's 999.99 goes to 01010 (not PVD), anct's 700.00 is 2022; communes through pvd_communes:
	#   01001 01002 (EPCI) 77001 01003 77002 = 5; bdt counts collectivités: 77001 and the EPCI.
	# commerce: 01001, EPCI, 77001 (01010 not PVD; 01002's is 2022); contracted 2500.50 + 1200.00 + 0.50.
	# friches: 500000.00 + 250000.25 (01001) + 1.00 (01003, undated); 77001's is 2022, 01010 not PVD.
	# dotations: exercice 2021..2021; detr 1000.00 (01002) + 500.50 (EPCI: 01001 01002);
	#   77001's 2019 grant, 01003's 2022 decision and 01010 (not PVD) do not count.
	# france_services: FS1 FS2 (01001) FS5 (undated); FS3 is 2022, FS4 not PVD.
	# conseillers: 2 + 1 + 1 (01002, "2021-12" by month); 3 in 2022 and 5 not PVD excluded.
	# club: the latest periode not after 2021-12-31 (semaines 2021-Q3 3, 2021-Q4 4, 2022-Q1 6 → 4).
	[ "$(val conventions.communes reg 84)" = 3 ]
	[ "$(val conventions.communes_part reg 11)" = 0.500000 ]   # 77001 of 77001 77002
	[ "$(val ingenierie.montant partenaire bdt)" = 350.33 ]
	jq -s -e 'map(select(.id == "ingenierie.montant" and .key == "bdt")) | .[0].key_label == "Banque des Territoires"' "$OUT"
	[ "$(field ingenierie.bdt.communes unit)" = '"collectivites"' ]
	[ "$(field ingenierie.montant inputs)" = '["ingenierie-anah.csv","ingenierie-anct.csv","ingenierie-bdt.csv"]' ]
	[ "$(field conventions.communes_part datasets)" = '["conventions","pvd"]' ]
	# Every id of the catalogue is checked above, and nothing else is emitted.
	ids=$(jq -r 'select(.breakdown == null) | .id' "$OUT" | sort)
	[ "$(wc -l <<<"$ids")" -eq 64 ]
	grep -q 'rejected 1, skipped 1' "$BATS_TEST_TMPDIR/err"
	assert_golden "$OUT" "$GOLD/aggregate/quarter.ndjson"
}

@test "partial states merged give the single pass, byte for byte" {
	local d=$BATS_TEST_TMPDIR
	pvd-aggregate -q -p 2021-Q4 "$Q" >"$d/one.ndjson" 2>/dev/null
	# Three splits that cut across every dataset: distinct communes, conventions and
	# (convention, commune) pairs span the pieces.
	split -n l/3 -d "$Q" "$d/piece."
	for p in "$d"/piece.0*; do
		pvd-aggregate -q -p 2021-Q4 --partial "$p" >"$p.state" 2>/dev/null
	done
	pvd-aggregate -p 2021-Q4 --merge "$d"/piece.0*.state >"$d/merged.ndjson" 2>"$d/err"
	cmp "$d/one.ndjson" "$d/merged.ndjson"
	# The counts of the merged states are those of the records behind them.
	grep -q 'read 79 records: emitted 77, rejected 1, skipped 1 (no indicator); 3 states merged, 254 values' "$d/err"
	# States concatenated on a pipe, in another order, merged in two rounds: the same.
	cat "$d/piece.02.state" "$d/piece.00.state" | pvd-aggregate -q -p 2021-Q4 --merge --partial >"$d/ab.state" 2>/dev/null
	pvd-aggregate -q -p 2021-Q4 --merge "$d/piece.01.state" - <"$d/ab.state" >"$d/merged2.ndjson" 2>/dev/null
	cmp "$d/one.ndjson" "$d/merged2.ndjson"
	# Merged states are the state of one pass too (header counts included).
	pvd-aggregate -q -p 2021-Q4 --partial "$Q" >"$d/all.state" 2>/dev/null
	pvd-aggregate -p 2021-Q4 --merge --partial "$d"/piece.0*.state >"$d/m.state" 2>"$d/err"
	cmp "$d/all.state" "$d/m.state"
	grep -q "; 3 states merged, $(wc -l <"$d/all.state") state records" "$d/err"
	# The measures fixture too (sums, labels, last values, null groups, rejects in a piece).
	pvd-aggregate -q -i "$M.yaml" -p 2021-Q4 "$M.ndjson" >"$d/m1.ndjson" 2>/dev/null
	head -3 "$M.ndjson" >"$d/ma"; tail -n +4 "$M.ndjson" >"$d/mb"
	pvd-aggregate -q -i "$M.yaml" -p 2021-Q4 --partial "$d/mb" >"$d/mb.state" 2>/dev/null
	pvd-aggregate -q -i "$M.yaml" -p 2021-Q4 --partial "$d/ma" >"$d/ma.state" 2>/dev/null
	pvd-aggregate -q -i "$M.yaml" -p 2021-Q4 --merge "$d/mb.state" "$d/ma.state" >"$d/m2.ndjson" 2>/dev/null
	cmp "$d/m1.ndjson" "$d/m2.ndjson"
}

@test "partial states in parallel jobs (xargs -P, and GNU parallel when installed)" {
	local d=$BATS_TEST_TMPDIR
	pvd-aggregate -q -p 2021-Q4 "$Q" >"$d/one.ndjson" 2>/dev/null
	split -l 7 -d "$Q" "$d/part."
	ls "$d"/part.* | xargs -P 4 -I{} sh -c 'pvd-aggregate -q -p 2021-Q4 --partial {} >{}.state 2>/dev/null'
	pvd-aggregate -q -p 2021-Q4 --merge "$d"/part.*.state >"$d/merged.ndjson" 2>/dev/null
	cmp "$d/one.ndjson" "$d/merged.ndjson"
	if command -v parallel >/dev/null && parallel --version 2>/dev/null | grep -q GNU; then
		parallel --pipe -N 9 pvd-aggregate -q -p 2021-Q4 --partial <"$Q" 2>/dev/null |
			pvd-aggregate -q -p 2021-Q4 --merge >"$d/par.ndjson" 2>/dev/null
		cmp "$d/one.ndjson" "$d/par.ndjson"
	fi
}

@test "a big distinct set is split over several state records and merges back" {
	local d=$BATS_TEST_TMPDIR
	# 10000 distinct k values: more than one 4096-value state record.
	awk 'BEGIN { for (i = 1; i <= 10000; i++) printf "{\"_file\":\"big\",\"_line\":%d,\"_dataset\":\"toy\",\"k\":\"k%05d\",\"d\":\"2021-10-01\"}\n", i + 1, i }' >"$d/big.ndjson"
	pvd-aggregate -q -i "$M.yaml" -p 2021-Q4 --partial "$d/big.ndjson" >"$d/big.state" 2>/dev/null
	[ "$(jq -r 'select(.acc == "t.distinct_k" and .dim == null) | .set | length' "$d/big.state" | tr '\n' ' ')" = "4096 4096 1808 " ]
	pvd-aggregate -q -i "$M.yaml" -p 2021-Q4 --merge "$d/big.state" >"$OUT" 2>/dev/null
	[ "$(val t.distinct_k)" = 10000 ]
}

@test "merge refuses states of another period or catalogue, and what is not a state" {
	local d=$BATS_TEST_TMPDIR
	pvd-aggregate -q -i "$M.yaml" -p 2021-Q4 --partial "$M.ndjson" >"$d/q4.state" 2>/dev/null
	run pvd-aggregate -q -i "$M.yaml" -p 2021-Q3 --merge "$d/q4.state"
	[ "$status" -eq 65 ]
	[ "$output" = "pvd-aggregate: $d/q4.state:1: state of period 2021-Q4, not of the period asked" ]
	run pvd-aggregate -q -p 2021-Q4 --merge "$d/q4.state"
	[ "$status" -eq 65 ]
	[[ "$output" == *"q4.state:1: state made with another indicator catalogue (fingerprint "* ]]
	# The schemas that type the catalogue are part of it: one changed, the states do not merge.
	mkdir "$d/cat" && cp -R "$M.yaml" "$FIX/aggregate/datasets" "$d/cat/"
	pvd-aggregate -q -i "$d/cat/measures.yaml" -p 2021-Q4 --partial "$M.ndjson" >"$d/cat.state"
	pvd-aggregate -q -i "$d/cat/measures.yaml" -p 2021-Q4 --merge "$d/cat.state" >/dev/null
	sed -i 's/values: \[a, b, c\]/values: [a, b, c, d]/' "$d/cat/datasets/toy.yaml"
	run pvd-aggregate -q -i "$d/cat/measures.yaml" -p 2021-Q4 --merge "$d/cat.state"
	[ "$status" -eq 65 ]
	[[ "$output" == *"cat.state:1: state made with another indicator catalogue (fingerprint "* ]]
	run pvd-aggregate -q -i "$M.yaml" -p 2021-Q4 --merge "$M.ndjson"
	[ "$status" -eq 65 ]
	[[ "$output" == *"measures.ndjson:1: not an aggregate state (no state header before this line)" ]]
	run pvd-aggregate -q -i "$M.yaml" -p 2021-Q4 --merge /nonexistent.state
	[ "$status" -eq 66 ]
	# A group that cannot be merged whole is refused, not half used.
	{ head -1 "$d/q4.state"; echo '{"acc":"t.distinct_k","dim":null,"key":null,"records":1,"set":[1,2]}'; } >"$d/bad.state"
	run pvd-aggregate -q -i "$M.yaml" -p 2021-Q4 --merge "$d/bad.state"
	[ "$status" -eq 65 ]
	[ "$output" = "pvd-aggregate: $d/bad.state:2: state group: inputs and set must be lists of strings" ]
	{ head -1 "$d/q4.state"; echo '{"acc":"t.nope","dim":null,"key":null,"records":1}'; } >"$d/bad.state"
	run pvd-aggregate -q -i "$M.yaml" -p 2021-Q4 --merge "$d/bad.state"
	[ "$status" -eq 65 ]
	[ "$output" = "pvd-aggregate: $d/bad.state:2: state of an unknown accumulator 't.nope'" ]
}

@test "2M amounts sum exactly to the cent (checked with awk on integer cents)" {
	local d=$BATS_TEST_TMPDIR
	# Amounts from -5,000,000.00 to 15,000,000.00 with every cent pattern; awk keeps each
	# amount and the total as integer cents (< 2^53, exact in awk's doubles), prints euros
	# and cents separately so that no float formatting is involved.
	awk 'BEGIN {
		x = 12345; tot = 0
		for (i = 1; i <= 2000000; i++) {
			x = (x * 1103515245 + 12345) % 2147483648
			c = (x % 2000000001) - 500000000      # cents in [-5e8, 1.5e9]
			tot += c
			a = c < 0 ? -c : c
			printf "{\"_dataset\":\"s\",\"amount\":%s%d.%02d}\n", (c < 0 ? "-" : ""), int(a / 100), a % 100
		}
		a = tot < 0 ? -tot : tot
		printf "%s%.0f.%02d\n", (tot < 0 ? "-" : ""), int(a / 100), a % 100 > "/dev/stderr"
	}' >"$d/sum.ndjson" 2>"$d/want"
	pvd-aggregate -q -i "$FIX/aggregate/sum.yaml" -p 2021-Q4 "$d/sum.ndjson" >"$OUT" 2>/dev/null
	[ "$(val s.sum)" = "$(cat "$d/want")" ]
	[ "$(field s.sum records)" = 2000000 ]
	[ "$(val s.count)" = 2000000 ]
}

@test "a sum that would overflow int64 cents stops with 65, never wraps" {
	printf '%s\n' \
		'{"_file":"big.csv","_line":2,"_dataset":"toy","amount":92233720368547758.00,"d":"2021-10-01"}' \
		'{"_file":"big.csv","_line":3,"_dataset":"toy","amount":0.08,"d":"2021-10-01"}' >"$BATS_TEST_TMPDIR/big.ndjson"
	run pvd-aggregate -q -i "$M.yaml" -p 2021-Q4 "$BATS_TEST_TMPDIR/big.ndjson"
	[ "$status" -eq 65 ]
	[ "$output" = "pvd-aggregate: big.csv:3: amount: the sum of t.sum overflows (more than 92233720368547758.07)" ]
	# An amount beyond int64 cents on its own is a rejected record, not an overflow.
	echo '{"_file":"big.csv","_line":4,"_dataset":"toy","amount":92233720368547758.08,"d":"2021-10-01"}' |
		pvd-aggregate -i "$M.yaml" -p 2021-Q4 >/dev/null 2>"$BATS_TEST_TMPDIR/err"
	grep -q 'big.csv:4: amount: not a canonical amount' "$BATS_TEST_TMPDIR/err"
}

@test "catalogue errors name FILE:LINE:COL and exit 78 (golden)" {
	local got=$BATS_TEST_TMPDIR/errors.txt
	: >"$got"
	for f in "$FIX"/aggregate/bad/*.yaml "$FIX"/aggregate/bad/schema/indicators.yaml; do
		rel=${f#"$PVD_ROOT"/}
		run pvd-aggregate -p 2021-Q4 -i "$rel" </dev/null
		[ "$status" -eq 78 ] || { echo "$rel: status $status" >&2; return 1; }
		echo "$output" >>"$got"
	done
	assert_golden "$got" "$GOLD/aggregate/config-errors.txt"
}

@test "one schema: the catalogue's fields, types and codes are those of config/datasets/" {
	run pvd-aggregate -p 2021-Q4 </dev/null
	[ "$status" -eq 0 ]
	local c=$BATS_TEST_TMPDIR/config
	mkdir -p "$c" && cp -R config/datasets "$c/"
	# A code the schema does not have is caught at the catalogue's line.
	sed 's/where: {statut: signee}/where: {statut: signe}/' config/indicators.yaml >"$c/indicators.yaml"
	run pvd-aggregate -p 2021-Q4 -i "$c/indicators.yaml" </dev/null
	[ "$status" -eq 78 ]
	[[ "$output" =~ ^"pvd-aggregate: $c/indicators.yaml:"[0-9]+:[0-9]+": unknown value 'signe' for ort.statut (one of: signee, en_cours, non_signee)"$ ]]
	# The default catalogue is the config directory's ($PVD_CONFIG first).
	run env PVD_CONFIG="$c" pvd-aggregate -p 2021-Q4 </dev/null
	[ "$status" -eq 78 ]
	# A type changed in the schema changes what the catalogue accepts: nothing else types it.
	cp config/indicators.yaml "$c/indicators.yaml"
	sed -i 's/^  date_signature: date$/  date_signature: int/' "$c/datasets/ort.yaml"
	run pvd-aggregate -p 2021-Q4 -i "$c/indicators.yaml" </dev/null
	[ "$status" -eq 78 ]
	[[ "$output" =~ ": date field 'date_signature' is int in the schema $c/datasets/ort.yaml, not date (or text holding periods)"$ ]]
	# A catalogue with no datasets/ beside it reads the config directory's schemas.
	mkdir "$BATS_TEST_TMPDIR/alone" && cp config/indicators.yaml "$BATS_TEST_TMPDIR/alone/"
	run env PVD_CONFIG="$c" pvd-aggregate -p 2021-Q4 -i "$BATS_TEST_TMPDIR/alone/indicators.yaml" </dev/null
	[ "$status" -eq 78 ]
	[[ "$output" =~ "is int in the schema $c/datasets/ort.yaml" ]]
	run env PVD_CONFIG="$PVD_ROOT/config" pvd-aggregate -p 2021-Q4 -i "$BATS_TEST_TMPDIR/alone/indicators.yaml" </dev/null
	[ "$status" -eq 0 ]
}

@test "a new dataset needs one schema file: pvd-clean and the catalogue both read it" {
	local c=$BATS_TEST_TMPDIR/config
	mkdir -p "$c" && cp -R config/datasets "$c/" && ln -s "$PVD_ROOT/config/ref" "$c/ref"
	cat >"$c/datasets/marches.yaml" <<-'EOF'
	dataset: marches
	fields:
	  insee: {type: insee, required: true}
	  montant: {type: eur, required: true}
	  date_notification: date
	  procedure: {type: enum, values: {ouverte: [Appel d'offres ouvert], adaptee: [Procédure adaptée]}}
	EOF
	# The catalogue names the dataset and its date rule, and one indicator on it: no types.
	sed '/^datasets:$/a\  marches: {date: date_notification, undated: exclude}' config/indicators.yaml >"$c/indicators.yaml"
	echo '  - {id: marches.ouverts, label: Marchés ouverts, unit: eur, dataset: marches, where: {procedure: ouverte}, measure: {sum: montant}, breakdown: [reg]}' >>"$c/indicators.yaml"
	! grep -q 'fields:' "$c/indicators.yaml"
	printf '%s\n' \
		'{"_file":"m.csv","_line":2,"_dataset":"marches","insee":"1004","montant":"1 234,50 €","date_notification":"05/11/2021","procedure":"Appel d'"'"'offres ouvert"}' \
		'{"_file":"m.csv","_line":3,"_dataset":"marches","insee":"01053","montant":"100","date_notification":"2021-12-31","procedure":"ouverte"}' \
		'{"_file":"m.csv","_line":4,"_dataset":"marches","insee":"01053","montant":"7,00","date_notification":"2022-01-03","procedure":"ouverte"}' \
		'{"_file":"m.csv","_line":5,"_dataset":"marches","insee":"1004","montant":"50","date_notification":"01/10/2021","procedure":"Procédure adaptée"}' \
		>"$BATS_TEST_TMPDIR/raw.ndjson"
	PVD_CONFIG=$c pvd-clean -q "$BATS_TEST_TMPDIR/raw.ndjson" | PVD_CONFIG=$c pvd-join -q --ref pvd=pvd-2021-01 >"$BATS_TEST_TMPDIR/joined.ndjson"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/joined.ndjson")" -eq 4 ]
	PVD_CONFIG=$c pvd-aggregate -q -p 2021-Q4 "$BATS_TEST_TMPDIR/joined.ndjson" >"$OUT"
	# The oracle: jq over the cleaned records (cents, to stay exact).
	want=$(jq -s '[.[] | select(.procedure == "ouverte" and .date_notification <= "2021-12-31") | .montant * 100 | round] | add' "$BATS_TEST_TMPDIR/joined.ndjson")
	[ "$want" = 133450 ]
	[ "$(val marches.ouverts)" = "$(printf '%d.%02d' $((want / 100)) $((want % 100)))" ]
	[ "$(jq -s '[.[] | select(.id == "marches.ouverts" and .breakdown == "reg")] | length' "$OUT")" -ge 1 ]
}

@test "usage: --period required and checked; --help, --version; the man page lists every option" {
	run pvd-aggregate </dev/null
	[ "$status" -eq 64 ]
	[[ "${lines[0]}" == "pvd-aggregate: --period is required"* ]]
	run pvd-aggregate -p 2021-Q5 </dev/null
	[ "$status" -eq 64 ]
	run pvd-aggregate -p 2021-02-29 </dev/null
	[ "$status" -eq 64 ]
	run pvd-aggregate --bogus
	[ "$status" -eq 64 ]
	run pvd-aggregate --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "Usage: pvd-aggregate --period P"* ]]
	for opt in $(grep -oE -- '--[a-z]+' <<<"$output" | sort -u); do
		grep -q -- "${opt//-/\\\\-}" cmd/pvd-aggregate/pvd-aggregate.1 || { echo "man page lacks $opt" >&2; return 1; }
	done
	run pvd-aggregate --version
	[ "$status" -eq 0 ]
	[[ "$output" == "pvd-aggregate (pvd) "* ]]
}

@test "a write error on standard output is exit 74" {
	[ -w /dev/full ] || skip "no /dev/full"
	run sh -c "pvd-aggregate -q -i '$M.yaml' -p 2021-Q4 '$M.ndjson' >/dev/full"
	[ "$status" -eq 74 ]
}

@test "an unreadable input is exit 66" {
	run pvd-aggregate -q -i "$M.yaml" -p 2021-Q4 /nonexistent.ndjson
	[ "$status" -eq 66 ]
	run pvd-aggregate -q -i /nonexistent/indicators.yaml -p 2021-Q4 </dev/null
	[ "$status" -eq 78 ]
	[ "$output" = "pvd-aggregate: /nonexistent/indicators.yaml: indicator catalogue: cannot open: No such file or directory" ]
}

@test "chefs de projet: only posts of the programme count (a commune outside it, an EPCI with no PVD commune)" {
	{
		# occupied, PVD commune                → counts
		echo '{"_file":"cp.csv","_line":2,"_dataset":"chefs_projet","poste_id":"P1","statut":"occupe","vta":false,"pvd":true,"pvd_communes":["01004"]}'
		# occupied, shared by an EPCI with PVD communes → counts
		echo '{"_file":"cp.csv","_line":3,"_dataset":"chefs_projet","poste_id":"P2","statut":"occupe","vta":null,"pvd":true,"pvd_communes":["01004","01033"]}'
		# occupied, commune outside the programme → not a PVD post
		echo '{"_file":"cp.csv","_line":4,"_dataset":"chefs_projet","poste_id":"P3","statut":"occupe","vta":false,"pvd":false,"pvd_communes":[]}'
		# vacant → not occupied
		echo '{"_file":"cp.csv","_line":5,"_dataset":"chefs_projet","poste_id":"P4","statut":"vacant","vta":false,"pvd":true,"pvd_communes":["01053"]}'
		# VTA in a PVD commune → a VTA, not a post; VTA outside → neither
		echo '{"_file":"cp.csv","_line":6,"_dataset":"chefs_projet","poste_id":"V1","statut":"occupe","vta":true,"pvd":true,"pvd_communes":["01053"]}'
		echo '{"_file":"cp.csv","_line":7,"_dataset":"chefs_projet","poste_id":"V2","statut":"occupe","vta":true,"pvd":false,"pvd_communes":[]}'
	} >"$BATS_TEST_TMPDIR/cp.ndjson"
	pvd-aggregate -q -p 2021-Q4 "$BATS_TEST_TMPDIR/cp.ndjson" >"$OUT"
	[ "$(val chefs_projet.postes_occupes)" = 2 ]   # P1, P2
	[ "$(val chefs_projet.vta)" = 1 ]              # V1
}
