#!/usr/bin/env bats
# The demo data of fixtures/demo (made by build/tools/demo-gen): regenerated
# byte for byte, run through pipelines/2021-Q3.yaml then 2021-Q4.yaml in a
# scratch copy of the tree, and checked against the figures the late-2021
# dashboard published.  Expected values are typed here from the dashboard
# (INDICATORS.md "published" column and fixtures/demo/README.md), or computed
# here with mlr/awk/iconv from the raw files: never copied from the output.
load helper

setup_file() {
	W=$BATS_FILE_TMPDIR/w
	mkdir -p "$W/pipelines"
	cp "$PVD_ROOT"/pipelines/2021-Q3.yaml "$PVD_ROOT"/pipelines/2021-Q4.yaml "$W/pipelines/"
	ln -s "$PVD_ROOT/fixtures" "$W/fixtures"
	ln -s "$PVD_ROOT/config" "$W/config"
	cd "$W"
	export PVD_CONFIG=$PVD_ROOT/config
	"$PVD_TOOLS/demo-gen" --ref "$PVD_ROOT/config/ref" gen >gen.err 2>&1
	echo $? >gen.rc
	pvd-run -q pipelines/2021-Q3.yaml >q3.out 2>q3.err
	echo $? >q3.rc
	pvd-run -q pipelines/2021-Q4.yaml >q4.out 2>q4.err
	echo $? >q4.rc
	# The headline values, read once: id value num den, then the previous ones.
	for q in 2021-Q3 2021-Q4; do
		jq -r '.sections[].indicators[] | [.id, .value, .num, .den, .previous.value, .previous.num, .previous.den]
			| map(if . == null then "null" else tostring end) | @tsv' out/$q/indicators.json >$q.tsv
	done
}

setup() {
	W=$BATS_FILE_TMPDIR/w
	D=$PVD_ROOT/fixtures/demo
	cd "$W"
}

# The headline value of an indicator in a quarter's indicators.json, as
# "value num den" (null as null); prev: the previous value 2021-Q4 shows.
ind() { awk -F'\t' -v id="$2" '$1 == id { print $2, $3, $4 }' "$1.tsv"; }
prev() { awk -F'\t' -v id="$1" '$1 == id { print $5, $6, $7 }' 2021-Q4.tsv; }
# Whether num/den lies in [lo, hi), in exact integer arithmetic (lo, hi in ten-thousandths).
in_range() { [ $(($1 * 10000)) -ge $(($3 * $2)) ] && [ $(($1 * 10000)) -lt $(($4 * $2)) ]; }

@test "demo-gen regenerates fixtures/demo byte for byte" {
	[ "$(cat gen.rc)" = 0 ] || { cat gen.err; false; }
	[ ! -s gen.err ]
	# the spreadsheets are derived from these CSVs (test/tools/demo-sheets.sh)
	diff -r --exclude=README.md --exclude='*.xlsx' --exclude='*.ods' --exclude='*.xls' gen "$D"
	[ -s "$D/README.md" ]
	run "$PVD_TOOLS/demo-gen"
	assert_failure 64
	run "$PVD_TOOLS/demo-gen" --ref /nonexistent "$BATS_TEST_TMPDIR/x"
	assert_failure 66
}

@test "the list of the period: the January 2021 list but its junk row, and the 27 Bretagne newcomers" {
	col() { mlr --icsv --ocsv -S --headerless-csv-output cut -f "$2" "$1" | sort; }
	col "$PVD_ROOT/config/ref/pvd-2021-01.csv" insee_com | grep -vx 999999 >jan
	mlr --icsv --ocsv -S --headerless-csv-output filter 'is_present($id_pvd) && $id_pvd =~ "^pvd-53-"' \
		then cut -f insee_com "$PVD_ROOT/config/ref/pvd-cog2023.csv" | sort | comm -23 - jan >bzh
	[ "$(wc -l <jan)" = 1606 ]
	[ "$(wc -l <bzh)" = 27 ]
	sort -u jan bzh >want
	col "$D/pvd-liste-2021-S2.csv" insee >got
	diff want got
	[ "$(ind 2021-Q4 pvd.communes)" = "1633 null null" ]
	[ "$(ind 2021-Q3 pvd.communes)" = "1633 null null" ]
}

@test "both quarters run; counts reconcile; the one wrong TOTAL is flagged with the right difference" {
	for q in 3 4; do
		[ "$(cat q$q.rc)" = 0 ] || { cat q$q.err; false; }
		jq -e '.reconciled == true' out/2021-Q$q/run-report.json
		# every TOTAL row of the demo is checked, all agree but one
		[ "$(jq '[.sources[].totals[]] | length' out/2021-Q$q/run-report.json)" -ge 7 ]
	done
	[ "$(jq '[.sources[].totals[] | select(.status != "agree")] | length' out/2021-Q3/run-report.json)" = 0 ]
	[ "$(jq '.warnings | length' out/2021-Q3/run-report.json)" = 0 ]
	jq -r '.sources[] | select(.totals[]?.status != "agree") | .name' out/2021-Q4/run-report.json >differ
	[ "$(cat differ)" = fnadt-2021 ]
	[ "$(jq '.warnings | length' out/2021-Q4/run-report.json)" = 1 ]
	# The FNADT sheet's TOTAL counts the row pasted twice: the difference is
	# minus that row's amount, read here from the raw Windows-1252 file.
	line=$(awk -F'\t' '$1 == "2021-Q4" && $3 == "2021-Q4/fnadt-2021.csv" && $5 == "duplicate-row" {print $4}' "$D/planted-rejects.tsv")
	amount=$(sed -n "${line}p" "$D/2021-Q4/fnadt-2021.csv" | iconv -f WINDOWS-1252 -t UTF-8 |
		awk -F';' '{ gsub(/[^0-9,]/, "", $5); sub(/,/, ".", $5); printf "%.2f", -$5 }')
	[ "$(jq -r '.sources[].totals[] | select(.status == "differ") | .difference' out/2021-Q4/run-report.json)" = "$amount" ]
}

@test "2021-Q4 reproduces every count and amount the late-2021 dashboard published" {
	while read -r id want; do
		got=$(ind 2021-Q4 "$id" | cut -d' ' -f1)
		[ "$got" = "$want" ] || { echo "$id: $got, published $want" >&2; false; }
		# amounts exact to the cent in the merged records
		case $want in *.*) grep -q "\"id\":\"$id\",.*\"value\":$want,.*\"breakdown\":null" out/2021-Q4/indicators.ndjson ;; esac
	done <<-'EOF'
		conventions.communes 1426
		conventions.nombre 821
		ort.communes 112
		chefs_projet.postes_occupes 444
		chefs_projet.vta 17
		ingenierie.communes 513
		ingenierie.montant 20959057
		ingenierie.anah.communes 214
		ingenierie.bdt.communes 125
		ingenierie.cerema.communes 37
		ingenierie.anct.communes 32
		ingenierie.mte.communes 28
		commerce.collectivites 513
		commerce.montant 7818107
		commerce.managers 257
		friches.communes 128
		dotations.fnadt.montant 3076335.49
		dotations.fnadt.communes 31
		dotations.detr.montant 91689327.95
		dotations.detr.communes 770
		dotations.dsil.montant 43636749.94
		dotations.dsil.communes 258
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
	# "≈ 14 M€", "3,3 M€", "50,6 M€": the displayed rounding, in cents
	while read -r id lo hi; do
		c=$(ind 2021-Q4 "$id" | awk '{printf "%.0f", $1 * 100}')
		[ "$c" -ge "$lo" ] && [ "$c" -lt "$hi" ] || { echo "$id: $c cents" >&2; false; }
	done <<-'EOF'
		ingenierie.anah.montant 1395000000 1405000000
		ingenierie.bdt.montant 325000000 335000000
		friches.montant 5055000000 5065000000
	EOF
	# "entre 2 et 3 communes en moyenne"
	read -r v num den <<<"$(ind 2021-Q4 conventions.signataires_moyen)"
	[ "$den" = 821 ] && [ "$num" -gt $((2 * den)) ] && [ "$num" -lt $((3 * den)) ]
}

@test "2021-Q4 shares: the numerators of README over their denominators, in the published rounding" {
	# id num den lo hi (lo, hi: ten-thousandths, the interval a rounded percent stands for)
	while read -r id n d lo hi; do
		read -r v num den <<<"$(ind 2021-Q4 "$id")"
		[ "$num $den" = "$n $d" ] || { echo "$id: $num/$den, README says $n/$d" >&2; false; }
		in_range "$num" "$den" "$lo" "$hi" || { echo "$id: $num/$den not in [$lo, $hi)" >&2; false; }
	done <<-'EOF'
		conventions.communes_part 1426 1633 8650 8750
		comites.copresides_part 468 780 5950 6050
		comites.maires_epci_part 398 468 8450 8550
		partenaires.departement_part 542 1426 3750 3850
		partenaires.region_part 385 1426 2650 2750
		equipements.tiers_lieu.part 342 1426 2350 2450
		habitat.opah_part 913 1426 6350 6450
		habitat.opah_ru_part 485 1426 3350 3450
		besoins.chef_projet_part 1226 1426 8550 8650
		besoins.etudes_part 898 1426 6250 6350
		besoins.investissements_part 727 1426 5050 5150
	EOF
	# the 15 % of mayors only: 70 of the 468 co-presided committees
	in_range $((468 - 398)) 468 1450 1550
	# equipment chart: cultural the largest, then medico-social and sport
	for e in culturel medico_social sportif tiers_lieu scolaire commerce; do
		echo "$e $(ind 2021-Q4 equipements.$e.part | cut -d' ' -f2)"
	done >equ
	[ "$(sort -k2,2nr equ | head -3 | cut -d' ' -f1 | tr '\n' ' ')" = "culturel medico_social sportif " ]
	# every orientation is charted
	[ "$(jq '[.sections[].indicators[] | select(.id | test("^orientations\\.")) | select(.num > 0)] | length' out/2021-Q4/indicators.json)" = 7 ]
}

@test "the July 2021 values are 2021-Q3's, and 2021-Q4 shows them as previous values" {
	read -r v num den <<<"$(ind 2021-Q3 ort.communes_part)"
	[ "$num $den" = "104 1633" ]
	in_range "$num" "$den" 635 645  # 6,4 %
	[ "$(prev ort.communes)" = "104 null null" ]
	[ "$(prev ort.communes_part | cut -d' ' -f2,3)" = "104 1633" ]
	[ "$(prev commerce.collectivites)" = "246 null null" ]
	[ "$(prev commerce.managers)" = "228 null null" ]
	# the rest is smaller in July, and France Services and the conseillers
	# numériques grow
	for id in conventions.communes conventions.nombre chefs_projet.postes_occupes ingenierie.communes \
		friches.communes dotations.detr.communes france_services.nombre conseillers_numeriques.nombre; do
		p=$(prev "$id" | cut -d' ' -f1)
		c=$(ind 2021-Q4 "$id" | cut -d' ' -f1)
		[ "$p" -gt 0 ] && [ "$p" -lt "$c" ] || { echo "$id: $p then $c" >&2; false; }
	done
	[ "$(ind 2021-Q4 france_services.nombre | cut -d' ' -f1)" = 498 ]
	[ "$(ind 2021-Q4 conseillers_numeriques.nombre | cut -d' ' -f1)" = 341 ]
}

@test "the rejects are exactly the planted bad rows, with their reasons" {
	for q in 2021-Q3 2021-Q4; do
		cat out/$q/rejects/*.ndjson |
			jq -r --arg q $q '[$q, .stage, (.file | sub("^.*demo/"; "")), .line, .reason] | @tsv'
	done | sort >got
	demo_planted_rejects | sort >want
	diff want got
	[ "$(wc -l <want)" -ge 60 ]
	# every reason code of the reject stream is planted somewhere
	for r in stray-quote missing-cell extra-cell encoding-error type-error constraint-error required-value \
		unknown-value ambiguous-code duplicate-row no-match ambiguous-match; do
		grep -q "	$r\$" want || { echo "no $r planted" >&2; false; }
	done
	# pvd-render rejects nothing: the groups of records with no département or
	# région (EPCIs across départements) have a null key, shown as such.
	# (a stage that rejects nothing leaves no rejects file)
	[ -z "$(find out/2021-Q*/rejects -name 'render-*')" ]
	[ "$(jq -s 'map(.rejected.render) | add' out/2021-Q*/run-report.json)" = 0 ]
}

@test "the demo's spreadsheets (.xlsx, .ods, .xls, as préfectures send them) hold their CSV's records" {
	export PVD_CONFIG=$PVD_ROOT/config
	recs() { pvd-ingest -q -p "$2" "$1" | pvd-clean -q | jq -c 'del(._file, ._line, ._sheet)'; }
	for q in 2021-Q3 2021-Q4; do
		for spec in conventions-auvergne-rhone-alpes:xlsx:conventions-prefecture \
			ort-nouvelle-aquitaine:ods:ort-prefecture fnadt-2021:xls:dotations-prefecture; do
			IFS=: read -r n ext p <<<"$spec"
			# the pipeline reads the spreadsheet, not the CSV
			grep -q "file: ../fixtures/demo/$q/$n.$ext\$" "$PVD_ROOT/pipelines/$q.yaml"
			recs "$D/$q/$n.csv" "$p" >csv.nd
			[ -s csv.nd ]
			recs "$D/$q/$n.$ext" "$p" | diff csv.nd - || { echo "$q/$n.$ext" >&2; false; }
		done
		# the conventions sheet: a title row above, a TOTAL formula below
		pvd-ingest -q --report r.json -p conventions-prefecture "$D/$q/conventions-auvergne-rhone-alpes.xlsx" >/dev/null
		rows=$(($(wc -l <"$D/$q/conventions-auvergne-rhone-alpes.csv") - 1))
		jq -e --arg l "TOTAL : $rows conventions" '.files[0].format == "xlsx" and .files[0].header_line == 2
			and .totals[0].label == $l' r.json
	done
}

@test "the demo carries the mess of real exports" {
	cd "$D/2021-Q4"
	# Windows-1252 (not UTF-8, with é and € as single bytes), a UTF-8 BOM, CRLF
	for f in conventions-bretagne.csv fnadt-2021.csv club-pvd.csv ingenierie-cerema.csv; do
		! iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1
	done
	grep -q $'\x80' fnadt-2021.csv
	for f in conventions-occitanie.csv dsil-2021.csv; do [ "$(head -c3 "$f" | od -An -tx1 | tr -d ' ')" = efbbbf ]; done
	grep -q $'\r$' conventions-bretagne.csv
	# delimiters , ; tab |
	head -1 conventions-hauts-de-france.csv | grep -q $'\t'
	head -1 conseillers-numeriques.csv | grep -q '|'
	head -1 dotations-sud-est-outre-mer.csv | grep -q '|'
	# amounts 1 234,56 / 1234.56 / 1,2 M€ / with U+00A0 and U+202F; dates
	grep -q ';[0-9]\{1,3\}\( [0-9]\{3\}\)*,[0-9][0-9];' dotations-nord-est.csv
	grep -q ',[0-9]*\.[0-9][0-9],' commerce-bdt.csv
	grep -q ' M€' friches-laureats.csv
	grep -q $'[0-9]\xe2\x80\xaf[0-9]' ingenierie-mte.csv
	iconv -f WINDOWS-1252 -t UTF-8 fnadt-2021.csv | grep -q $'[0-9]\xc2\xa0[0-9]'
	iconv -f WINDOWS-1252 -t UTF-8 fnadt-2021.csv | grep -q ' M€'
	iconv -f WINDOWS-1252 -t UTF-8 fnadt-2021.csv | grep -Eq ';[0-9]{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) 2021;'
	grep -Eq ',[0-9]{2}-[0-9]{2}-2021 [0-9]{2}:[0-9]{2},' conventions-anct-autres-regions.csv
	grep -Eq ';[0-9]{2}/2021;' chefs-projet-anct.csv
	# Oui/Non/Inconnu; codes that lost their leading zero; old codes of
	# merged communes; EPCI SIRENs without a commune code
	grep -q ';Inconnu;' conventions-auvergne-rhone-alpes.csv
	grep -Eq '^ARA-0[1-9]-[0-9]+;0[1-9];[1-9][0-9]{3};' conventions-auvergne-rhone-alpes.csv
	cut -d';' -f2 dotations-nord-est.csv | grep -Fxf <(cut -d, -f1 "$PVD_ROOT/config/ref/cog-2026/anciens_codes.csv") >/dev/null
	grep -Eq '^;[0-9]{9};' ingenierie-anah.csv
	# title rows above the header, TOTAL rows below the data, records dated
	# after the quarter, quoted newlines
	head -1 chefs-projet-anct.csv | grep -q '^Agence nationale'
	tail -1 commerce-bdt.csv | grep -q '^TOTAL,'
	grep -q '/01/2022' commerce-bdt.csv
	grep -q 'signée avec l.EPCI\.$' ort-dgaln.csv
}
