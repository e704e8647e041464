#!/usr/bin/env bats
# pvd-render: the dashboard of 2021-Q4 (and 2021-Q3) from hand-written
# pvd-aggregate outputs (fixtures/render, see make-fixtures.sh): golden
# outputs in the four formats, differences with the previous quarter worked
# out by hand and by awk on the inputs, the JSON Schema (python3-jsonschema),
# French formatting, missing indicators, rejects, errors and exit statuses,
# hostile text in every field, and the page in headless Chromium.
load helper

R=fixtures/render # relative: messages name files as given
Q3="$R/aggregate-2021-Q3.ndjson"
Q4="$R/aggregate-2021-Q4.ndjson"
PROV="$R/provenance-2021-Q4.json"
G="$GOLD/render"
SP=$'\u202f' # the thousands separator and the space before a unit

setup() {
	cd "$PVD_ROOT"
	export PVD_CONFIG="$PVD_ROOT/config"
	T=$BATS_TEST_TMPDIR
}

# The 2021-Q4 document in FORMAT (json, html, md, csv) with the previous
# quarter (the 2021-Q3 golden document) and the provenance fixture.
q4() { pvd-render -q --previous "$G/2021-Q3.json" --provenance "$PROV" "$@" "$Q4"; }

# validate DOC: against config/schema/dashboard.schema.json with a real
# validator (python3-jsonschema, through test/tools/validate-json: the
# document on stdin, references resolved by $id); skips when there is none.
validate() {
	python3 -c 'import jsonschema' >/dev/null 2>&1 ||
		skip "no JSON Schema validator: apt-get install python3-jsonschema"
	"$PVD_ROOT/test/tools/validate-json" https://pvd.invalid/schema/dashboard.schema.json <"$1" >"$T/validate.out" 2>&1
}

# chromium MODE PAGE OUT: see test/browser/chromium; skips without Chromium.
chromium() {
	run "$PVD_ROOT/test/browser/chromium" "$@"
	[ "$status" -ne 77 ] || skip "no Chromium: apt-get install chromium (CI installs it)"
	[ "$status" -eq 0 ] || fail "chromium exited $status: $(tail -5 "$3.log")"
}
# Console messages (errors, CSP violations) in a Chromium log.
console() { grep -E 'CONSOLE|Uncaught|Refused to' "$1" || true; }

@test "render: --help and --version; the man page names every option of --help" {
	run pvd-render --help
	assert_success
	assert_line --partial 'Usage: pvd-render [OPTION]... [FILE]...'
	for opt in $(grep -oE -- '--[a-z]+' <<<"$output" | sort -u); do
		grep -q -- "${opt//-/\\\\-}" cmd/pvd-render/pvd-render.1 || fail "man page lacks $opt"
	done
	run pvd-render --version
	assert_success
	assert_output --regexp '^pvd-render \(pvd\) [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "render: 2021-Q3 JSON document is the golden; two configured indicators missing, said on stderr" {
	pvd-render "$Q3" >"$T/q3.json" 2>"$T/err"
	assert_golden "$T/q3.json" "$G/2021-Q3.json"
	run cat "$T/err"
	assert_output "pvd-render: friches.communes: not in the input, shown as non disponible
pvd-render: friches.montant: not in the input, shown as non disponible
pvd-render: read 116 records: emitted 116, rejected 0"
	run jq -c '[.period, .previous_period, .missing]' "$T/q3.json"
	assert_output '["2021-Q3",null,["friches.communes","friches.montant"]]'
}

@test "render: 2021-Q4 JSON with the previous quarter and the provenance is the golden" {
	q4 >"$T/q4.json"
	assert_golden "$T/q4.json" "$G/2021-Q4.json"
	# the provenance file is copied as it was (same members, same values)
	run jq -S .provenance "$T/q4.json"
	assert_output "$(jq -S . "$PROV")"
	# every record of the input is in the document: 1 headline or 1 group each
	n=$(jq '[.sections[].indicators[] | 1 + ([.breakdowns[][]] | length)] | add' "$T/q4.json")
	assert_equal "$n" "$(grep -c . "$Q4")"
	# sections in the configuration's order, the last one (autres) absent: nothing unlisted
	run jq -r '[.sections[].id] | join(" ")' "$T/q4.json"
	assert_output 'deploiement conventions ingenierie services relance financement club regions'
}

@test "render: the JSON documents are valid against config/schema/dashboard.schema.json (and a broken one is not)" {
	validate "$G/2021-Q3.json" || fail "$(head -c 2000 "$T/validate.out")"
	q4 >"$T/q4.json"
	validate "$T/q4.json" || fail "$(head -c 2000 "$T/validate.out")"
	pvd-render -q -P "$R/hostile-provenance.json" "$R/hostile.ndjson" >"$T/h.json"
	validate "$T/h.json" || fail "$(head -c 2000 "$T/validate.out")"
	# the validator does validate: a share above 1, a count with decimals, a bad sha256
	jq '.sections[0].indicators[2].value = 1.5' "$T/q4.json" >"$T/bad1.json"
	jq '.sections[0].indicators[0].value = 12.5' "$T/q4.json" >"$T/bad2.json"
	jq '.provenance.inputs[0].sha256 = "ABC"' "$T/q4.json" >"$T/bad3.json"
	for b in bad1 bad2 bad3; do
		! validate "$T/$b.json" || fail "$b.json accepted"
	done
}

@test "render: differences with the previous quarter, worked out by hand" {
	q4 >"$T/q4.json"
	ind() { jq -c --arg id "$1" ".sections[].indicators[] | select(.id == \$id) | $2" "$T/q4.json"; }
	# counts: 1426 - 1312, 513 - 246
	assert_equal "$(ind conventions.communes '[.previous.value, .difference]')" '[1312,114]'
	assert_equal "$(ind commerce.collectivites '[.previous.period, .previous.value, .difference]')" '["2021-Q3",246,267]'
	# shares from the exact ratios: 112/1640 - 104/1625 = 0.0682927 - 0.064 = 0.0042927
	assert_equal "$(ind ort.communes_part '[.previous.num, .previous.den, .difference]')" '[104,1625,0.004293]'
	# 1426/1640 - 1312/1625 = 0.8695122 - 0.8073846 = 0.0621276
	assert_equal "$(ind conventions.communes_part .difference)" 0.062128
	# amounts to the cent, checked on the text (jq would go through doubles):
	# 20 959 057,31 - 16 204 500,10 = 4 754 557,21
	grep -q '"difference": 4754557.21,' "$T/q4.json"
	# a group: Auvergne-Rhône-Alpes 205 - 188; Guyane's share 3/5 - 2/4 = 0.1
	assert_equal "$(ind conventions.communes '.breakdowns.reg[] | select(.key == "84") | .difference')" 17
	grep -q '"key": "03", "key_label": "Guyane", "value": 0.600000, "num": 3, "den": 5, "previous": {"period": "2021-Q3", "value": 0.500000, "num": 2, "den": 4}, "difference": 0.100000' "$T/q4.json"
	# no previous value: no difference, and the sentence about it is left out
	assert_equal "$(ind friches.montant '[.previous, .difference]')" '[null,null]'
	# groups absent from the previous quarter have no previous value either
	assert_equal "$(ind ingenierie.montant '[.breakdowns.reg[] | .previous] | unique')" '[null]'
	# the sentences: the month of the previous quarter, its values
	run jq -r '.sections[].texts[]' "$T/q4.json"
	assert_line "6,8$SP% des communes Petites villes de demain, soit 112 communes en tout, sont déjà engagées dans une opération de revitalisation des territoires (ORT). Elles étaient 6,4$SP% en juillet 2021 (104 communes)."
	assert_line "612 structures France Services dans les communes PVD. +41 depuis juillet 2021."
	assert_line "257 postes de managers de commerce ont fait l'objet d'une demande de subvention contre 228 en juillet 2021."
	# the page: +6,2 points for the signatures, +114 communes
	q4 -f html >"$T/q4.html"
	grep -q "<td class=\"n\">+6,2${SP}pt</td>" "$T/q4.html"
	grep -q '<td class="n">+114</td>' "$T/q4.html"
}

@test "render: every difference of counts, amounts and shares equals awk's on the two inputs" {
	q4 -f csv >"$T/q4.csv"
	# the program's side: id and difference of the headline rows (no label has a comma)
	awk -F, 'NR > 1 && $6 == "" && $15 != "" { print $3, $15 }' "$T/q4.csv" | sort >"$T/got"
	# independent: the raw value texts of both quarters; amounts in cents, shares
	# as integers num*den' - num'*den rounded half away from zero to 6 decimals
	for q in Q3 Q4; do
		f=${!q}
		sed -nE 's/^\{"id":"([^"]+)",.*"unit":"([a-z]+)",.*"value":([^,]+),"num":([^,]+),"den":([^,]+),"breakdown":null,.*/\1 \2 \3 \4 \5/p' "$f" >"$T/$q"
	done
	awk 'function cents(v,  p) { split(v, p, "."); return p[1] * 100 + substr(p[2] "00", 1, 2) }
	     function r6(n, d,  q) { q = int((2 * (n < 0 ? -n : n) * 1000000 + d) / (2 * d)); return (n < 0 ? -q : q) }
	     function fix(q, dec,  s, i) { s = (q < 0 ? "-" : ""); q = (q < 0 ? -q : q)
		     i = sprintf("%d", int(q / 10 ^ dec)); return s i "." sprintf("%0" dec "d", q % 10 ^ dec) }
	     FILENAME ~ /Q3$/ { u[$1] = $2; v[$1] = $3; n[$1] = $4; d[$1] = $5; next }
	     ($1 in v) {
		if ($2 == "eur") print $1, fix(cents($3) - cents(v[$1]), 2)
		else if ($2 == "part" || $2 == "moyenne") print $1, fix(r6($4 * d[$1] - n[$1] * $5, $5 * d[$1]), 6)
		else print $1, $3 - v[$1]
	     }' "$T/Q3" "$T/Q4" | sort >"$T/want"
	diff "$T/want" "$T/got"
	[ "$(wc -l <"$T/want")" -ge 60 ]
}

@test "render: the page speaks French: the seed's figures and sentences with U+202F and decimal commas" {
	q4 -f html >"$T/q4.html"
	for s in "1${SP}426" "87${SP}%" "6,4${SP}%" "20${SP}959${SP}057${SP}€" "50,6${SP}M€" "3${SP}076${SP}335,49${SP}€" \
		"91${SP}689${SP}327,95${SP}€" "14${SP}M€" "3,3${SP}M€" "7${SP}818${SP}107${SP}€" "+ de 444" "Entre 2 et 3" \
		"(les <strong>15${SP}%</strong> restant" "10${SP}800" "4e trimestre 2021" "31 décembre 2021"; do
		grep -qF -- "$s" "$T/q4.html" || fail "page lacks '$s'"
	done
	grep -qF "Elles étaient <strong>6,4${SP}%</strong> en <strong>juillet 2021</strong> (<strong>104</strong> communes)." "$T/q4.html"
	# only one kind of thousands separator: no U+00A0 and no digit-space-digit grouping
	! grep -q $'\xc2\xa0' "$T/q4.html"
	! grep -qE '[0-9] [0-9]{3}\b' "$T/q4.html"
	# bars: 7 orientations, 6 équipements, 5 partners, 2 services, 3 dotations, 18 régions
	assert_equal "$(grep -o '<rect class="bar" ' "$T/q4.html" | wc -l)" 41
	# self-contained: no script, no external resource
	! grep -qiE '<script|<link|<img|src=|@import|url\(' "$T/q4.html"
	grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$T/q4.html"
}

@test "render: HTML, Markdown and CSV outputs are the goldens" {
	q4 -f html >"$T/q4.html"
	assert_golden "$T/q4.html" "$G/2021-Q4.html"
	q4 -f md >"$T/q4.md"
	assert_golden "$T/q4.md" "$G/2021-Q4.md"
	q4 -f csv >"$T/q4.csv"
	assert_golden "$T/q4.csv" "$G/2021-Q4.csv"
	q4 -f csv -l fr >"$T/q4-fr.csv"
	assert_golden "$T/q4-fr.csv" "$G/2021-Q4-fr.csv"
	pvd-render -q -f html "$Q3" >"$T/q3.html"
	assert_golden "$T/q3.html" "$G/2021-Q3.html"
}

@test "render: CSV: one row per indicator and group; locale fr has a BOM, ';', decimal commas and CRLF" {
	q4 -f csv >"$T/c.csv"
	q4 -f csv -l fr >"$T/fr.csv"
	assert_equal "$(head -1 "$T/c.csv")" 'period,section,id,label,unit,breakdown,key,key_label,status,value,num,den,previous_period,previous,difference'
	assert_equal "$(wc -l <"$T/c.csv")" $(($(grep -c . "$Q4") + 1))
	assert_equal "$(head -c 3 "$T/fr.csv" | od -An -tx1 | tr -d ' ')" efbbbf
	! head -c 3 "$T/c.csv" | grep -q $'\xef'
	assert_equal "$(grep -c $'\r$' "$T/fr.csv")" "$(wc -l <"$T/fr.csv")"
	! grep -q $'\r' "$T/c.csv"
	grep -q '^2021-Q4,financement,dotations.fnadt.montant,.*,ok,3076335.49,,,2021-Q3,2150000.00,926335.49$' "$T/c.csv"
	grep -q $'^2021-Q4;financement;dotations.fnadt.montant;.*;ok;3076335,49;;;2021-Q3;2150000,00;926335,49\r$' "$T/fr.csv"
	grep -q $'^2021-Q4;deploiement;ort.communes_part;.*;ok;0,068293;112;1640;2021-Q3;0,064000;0,004293\r$' "$T/fr.csv"
}

@test "render: a configured indicator missing from the input is non disponible, listed, not a crash" {
	grep -v '"id":"conseillers_numeriques.nombre"' "$Q4" | grep -v '"id":"commerce.managers"' >"$T/in.ndjson"
	pvd-render -p "$G/2021-Q3.json" "$T/in.ndjson" >"$T/out.json" 2>"$T/err"
	run cat "$T/err"
	assert_line 'pvd-render: commerce.managers: not in the input, shown as non disponible'
	assert_line 'pvd-render: conseillers_numeriques.nombre: not in the input, shown as non disponible'
	assert_equal "$(jq -c .missing "$T/out.json")" '["conseillers_numeriques.nombre","commerce.managers"]'
	# still listed in its section, with the previous quarter's value and label
	run jq -c '.sections[].indicators[] | select(.id == "commerce.managers") | [.status, .value, .display, .unit, .previous.value, .difference]' "$T/out.json"
	assert_output '["missing",null,"non disponible","postes",228,null]'
	pvd-render -q -f html -p "$G/2021-Q3.json" "$T/in.ndjson" >"$T/out.html"
	grep -q '<p class="big nd">non disponible</p><p>postes de managers de commerce' "$T/out.html"
	grep -q 'Indicateurs non disponibles pour cette période : <code>conseillers_numeriques.nombre</code>, <code>commerce.managers</code>.' "$T/out.html"
	pvd-render -q -f md "$T/in.ndjson" | grep -q '^_non disponible_ postes de managers de commerce'
	pvd-render -q -f csv "$T/in.ndjson" | grep -q '^2021-Q4,relance,commerce.managers,,,,,,missing,,,,,,$'
}

@test "render: records that are not indicators are rejected with file:line and reason; in = out + rejected" {
	pvd-render -r "$T/rejects.ndjson" --report "$T/report.json" -f csv "$R/bad-records.ndjson" >"$T/out.csv" 2>"$T/err.all"
	grep -v 'shown as non disponible$' "$T/err.all" >"$T/err"
	assert_golden "$T/err" "$G/bad-records.err"
	assert_golden "$T/rejects.ndjson" "$G/bad-records.rejects.ndjson"
	# 20 lines: 3 usable (a headline, a group, a share not computable), 17 rejected, one stderr line each
	assert_equal "$(wc -l <"$T/rejects.ndjson")" 17
	assert_equal "$(grep -c '^pvd-render: fixtures/render/bad-records.ndjson:' "$T/err")" 17
	run jq -c '[.in, .out, .rejected]' "$T/report.json"
	assert_output '[20,3,17]'
	run jq -r '.rejects_by_reason | to_entries | map("\(.key)=\(.value)") | join(" ")' "$T/report.json"
	assert_output 'invalid-json=1 required-value=5 type-error=2 unknown-value=1 constraint-error=6 duplicate-row=2'
	# the usable ones are there; the share with den 0 is "not computable", not 0
	grep -q '^2021-Q4,deploiement,pvd.communes,Communes Petites villes de demain,communes,,,,ok,1640,' "$T/out.csv"
	grep -q '^2021-Q4,deploiement,pvd.communes,Communes Petites villes de demain,communes,reg,84,Auvergne-Rhône-Alpes,ok,5,' "$T/out.csv"
	grep -q '^2021-Q4,autres,a.part_non_calculable,Part sans dénominateur,part,,,,ok,,0,0,,,$' "$T/out.csv"
	pvd-render -q -f json "$R/bad-records.ndjson" | jq -e '.sections[-1].indicators[0] | .display == "non calculable" and .value == null and .den == 0'
}

@test "render: a group without a key (null: no value of the dimension) is a group like the others, shown last" {
	null_group() { # FILE VALUE
		sed -n '2p' "$1" | sed -E 's/"value":[0-9]+,/"value":'"$2"',/; s/"key":"01","key_label":"Guadeloupe"/"key":null,"key_label":null/'
	}
	{ cat "$Q3"; null_group "$Q3" 1; } >"$T/q3.ndjson"
	{ cat "$Q4"; null_group "$Q4" 3; } >"$T/q4.ndjson"
	pvd-render -q "$T/q3.ndjson" >"$T/q3.json"
	pvd-render -q -p "$T/q3.json" "$T/q4.ndjson" >"$T/q4.json"
	run jq -c '.sections[0].indicators[0].breakdowns.reg[-1]' "$T/q4.json"
	assert_output '{"key":null,"key_label":null,"value":3,"num":null,"den":null,"previous":{"period":"2021-Q3","value":1,"num":null,"den":null},"difference":2,"records":6}'
	assert_equal "$(jq '.sections[0].indicators[0].breakdowns.reg | length' "$T/q4.json")" 19
	validate "$T/q4.json" || fail "$(head -c 2000 "$T/validate.out")"
	pvd-render -q -f html "$T/q4.ndjson" | grep -q '<tr><th scope="row">Non renseigné</th><td class="n">3</td>'
	pvd-render -q -f csv "$T/q4.ndjson" | grep -q '^2021-Q4,deploiement,pvd.communes,Communes Petites villes de demain,communes,reg,,,ok,3,'
	# a second one is a duplicate
	{ cat "$T/q4.ndjson"; null_group "$Q4" 4; } | pvd-render -f csv >/dev/null 2>"$T/err"
	grep -q 'duplicate indicator record: pvd.communes by reg = null' "$T/err"
}

@test "render: records from standard input; no usable record is exit 65 and no output file" {
	run sh -c "head -1 '$Q4' | pvd-render -q | jq -r .period"
	assert_output 2021-Q4
	run sh -c "head -1 '$Q4' | pvd-render -q - | jq -r '.sections[0].indicators[0].value'"
	assert_output 1640
	run pvd-render -o "$T/out.json" /dev/null
	assert_failure 65
	assert_output 'pvd-render: no indicator record in the input: nothing to render'
	[ ! -e "$T/out.json" ]
	run pvd-render -q -o "$T/out.json" "$R/bad-records.ndjson" "$T/nope.ndjson"
	assert_failure 66
	assert_output --partial 'nope.ndjson: cannot open'
	[ ! -e "$T/out.json" ]
}

@test "render: --output is atomic: a failed render leaves the previous file as it was, and no temporary file" {
	echo 'old dashboard' >"$T/out.html"
	printf '{"schema_version": 1, "period": "2021-Q4", "sections": []}\n' >"$T/same.json"
	run pvd-render -q -f html -p "$T/same.json" -o "$T/out.html" "$Q4"
	assert_failure 65
	assert_output --partial 'same.json:1:33: previous period 2021-Q4 does not end before 2021-Q4'
	assert_equal "$(cat "$T/out.html")" 'old dashboard'
	assert_equal "$(ls -A "$T" | grep -c tmp)" 0
	pvd-render -q -f html -o "$T/out.html" "$Q4"
	grep -q '^<!DOCTYPE html>' "$T/out.html"
	assert_equal "$(ls -A "$T" | grep -c tmp)" 0
	run pvd-render -q -o "$T/no/such/dir/out.json" "$Q4"
	assert_failure 73
	run pvd-render -q "$Q4" -o /dev/full
	[ "$status" -eq 74 ] || [ "$status" -eq 73 ] || fail "status $status"
	run sh -c "pvd-render -q '$Q4' >/dev/full"
	assert_failure 74
	assert_output --partial 'write error on standard output'
}

@test "render: bad command lines are usage errors (64)" {
	run pvd-render --format pdf "$Q4"
	assert_failure 64
	assert_line "pvd-render: --format: 'pdf' is not json, html, md or csv"
	run pvd-render --locale en "$Q4"
	assert_failure 64
	run pvd-render --nope
	assert_failure 64
}

@test "render: bad dashboard configurations: FILE:LINE:COL and exit 78" {
	cfg() { printf '%s\n' "$@" >"$T/d.yaml"; run pvd-render -q -c "$T/d.yaml" "$Q4"; }
	cfg 'sections:' '  - id: a' '    title: A' '    indicators: [pvd.communes]' '    blocks:' '      - text: "{pvd.commune} communes"'
	assert_failure 78
	assert_output "pvd-render: $T/d.yaml:6:15: template: {pvd.commune}: indicator 'pvd.commune' is not in any section's indicators"
	cfg 'sections:' '  - id: a' '    title: A' '    indicators: [pvd.communes]' '    blocks:' '      - text: "{pvd.communes:pourcent}"'
	assert_failure 78
	assert_output --partial 'd.yaml:6:15: template: bad placeholder {pvd.communes:pourcent}'
	cfg 'sections:' '  - id: a' '    title: A' '    indicators: [pvd.communes]' '    blocks:' '      - txt: "x"'
	assert_failure 78
	assert_output --partial 'd.yaml:6:9: block: expected one of heading:'
	cfg 'sections:' '  - id: a' '    title: A' '    indicators: [pvd.communes, pvd.communes]'
	assert_failure 78
	assert_output --partial "d.yaml:4:32: indicator 'pvd.communes' is listed twice"
	cfg 'display:' '  percent: {decimals: deux}' 'sections: []'
	assert_failure 78
	assert_output --partial 'd.yaml:2:23: decimals: expected a whole number from 0 to 4'
	cfg 'sections:' '  - id: a' '    title: A' '    indicators: [pvd.communes]' '    blocks:' '      - chart: C' '        of: pvd.communes'
	assert_failure 78
	assert_output --partial "d.yaml:6:9: 'by' is required"
	cfg 'sections:' '  - id: a' '    title: A' '    indicators: [pvd.communes]' '    blocks:' '      - chart: C'
	assert_failure 78
	assert_output --partial "d.yaml:6:9: chart: give either items: or of: and by:"
	cfg 'title: T' 'sectons: []'
	assert_failure 78
	run pvd-render -q -c "$T/none.yaml" "$Q4"
	assert_failure 78
}

@test "render: a previous document or provenance file that is not right: exit 65 with its position; 66 when absent" {
	run pvd-render -q -p "$R/aggregate-2021-Q3.ndjson" "$Q4"
	assert_failure 65
	assert_output --partial 'aggregate-2021-Q3.ndjson:2:1: trailing characters after the document'
	printf '{"schema_version": 2, "period": "2021-Q3", "sections": []}' >"$T/v2.json"
	run pvd-render -q -p "$T/v2.json" "$Q4"
	assert_failure 65
	assert_output --partial 'v2.json:1:1: not a pvd-render document of schema_version 1'
	jq '.sections[0].indicators[0].value = "mille"' "$G/2021-Q3.json" >"$T/p.json"
	run pvd-render -q -p "$T/p.json" "$Q4"
	assert_failure 65
	assert_output --regexp 'p\.json:[0-9]+:[0-9]+: pvd\.communes: value: expected a number or null$'
	run pvd-render -q -p "$T/nope.json" "$Q4"
	assert_failure 66
	jq '.inputs[1].sha256 = "8A7B"' "$PROV" >"$T/prov.json"
	run pvd-render -q -P "$T/prov.json" "$Q4"
	assert_failure 65
	pos=$(awk '/"8A7B"/ { print NR ":" index($0, "\"8A7B\"") }' "$T/prov.json")
	assert_output "pvd-render: $T/prov.json:$pos: inputs[1].sha256: expected 64 lower-case hexadecimal digits"
	jq '.period = "2021-Q3"' "$PROV" >"$T/prov.json"
	run pvd-render -q -P "$T/prov.json" "$Q4"
	assert_failure 65
	assert_output --partial 'period: provenance of 2021-Q3, records of 2021-Q4'
	jq 'del(.rejects)' "$PROV" >"$T/prov.json"
	run pvd-render -q -P "$T/prov.json" "$Q4"
	assert_failure 65
	assert_output --partial 'rejects: expected an object of whole numbers'
}

@test "render: injection: hostile text in labels, key_labels, ids and provenance file names renders as text in HTML" {
	pvd-render -q -f html -P "$R/hostile-provenance.json" "$R/hostile.ndjson" >"$T/h.html"
	# no element from the data: the page has no script, img, svg onload or event handler at all
	! grep -qiE '<script|<img|<svg on|<b>|<i>|</td></tr><' "$T/h.html"
	! grep -qE '" on[a-z]+=|" autofocus' "$T/h.html"
	# each hostile text is there, as text
	for s in '&lt;script&gt;alert(1)&lt;/script&gt;' '&lt;script&gt;alert(&#39;reg&#39;)&lt;/script&gt;' \
		'&quot; onmouseover=&quot;alert(1)' 'x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;' \
		'&lt;svg onload=alert(1)&gt;' 'exports/&lt;script&gt;alert(&#39;file&#39;)&lt;/script&gt;|md|.csv' \
		'pipelines/&lt;img src=x onerror=alert(1)&gt;.yaml' '&lt;script&gt;alert(&#39;stage&#39;)&lt;/script&gt;' \
		'&lt;i&gt;pvd&lt;/i&gt; (&quot; autofocus onfocus=&quot;alert(1))' '@SUM(1+1)*cmd|&#39; /C calc&#39;!A0' \
		'<summary>Définition</summary><p>&lt;img src=x onerror=alert(&#39;def&#39;)&gt; | *déf* [l](javascript:alert(1))'; do
		grep -qF -- "$s" "$T/h.html" || fail "page lacks escaped '$s'"
	done
	# in an attribute too: a bar's label goes into <title> and the chart's aria-label stays the config's
	grep -qF '<text class="lbl" x="0" y="15">=cmd|&#39; /C calc&#39;!A0</text>' "$T/h.html"
}

@test "render: injection: Markdown escapes markup and keeps table columns; CSV neutralises formulas" {
	pvd-render -q -f md -P "$R/hostile-provenance.json" "$R/hostile.ndjson" >"$T/h.md"
	# no raw HTML tag from the data
	! grep -qE '(^|[^\\])<(script|img|svg|b|i|/td)' "$T/h.md"
	grep -qF '\<script\>alert(1)\</script\>' "$T/h.md"
	grep -qF '\| col \| \*injection\* \[lien\](javascript:alert(1))' "$T/h.md"
	grep -qF 'Conventions sur deux lignes  \# titre' "$T/h.md"
	# the definition too: one list item, its markup escaped
	grep -qF ') : \<img src=x onerror=alert(' "$T/h.md"
	grep -qF '\> \| \*déf\* \[l\](javascript:alert(1)) \# titre' "$T/h.md"
	# every row of every table has as many cell separators (unescaped |) as its header
	awk '/^\|/ { line = $0; gsub(/\\\|/, "", line); n = gsub(/\|/, "", line)
	            if (!intable) { want = n; intable = 1 } else if (n != want) { print NR": "$0; bad = 1 } next }
	     { intable = 0 } END { exit bad }' "$T/h.md"
	pvd-render -q -f csv "$R/hostile.ndjson" >"$T/h.csv"
	pvd-render -q -f csv -l fr "$R/hostile.ndjson" >"$T/h-fr.csv"
	for f in "$T/h.csv" "$T/h-fr.csv"; do
		# no cell starts with = + @ (a cell starts the line, follows a separator or an opening quote)
		! grep -qE '(^|[,;])"?[=+@]' "$f"
		grep -qF "'=cmd|' /C calc'!A0" "$f"
		grep -qF "'-2+3+cmd|' /C calc'!A0" "$f"
		grep -qF "'@SUM(1+1)*cmd|' /C calc'!A0" "$f"
		grep -qF "\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"clic\"\")\"" "$f"
		grep -qF "'+33 <i>part</i>" "$f"
		grep -qF "'	TAB" "$f"
	done
	# numbers are never prefixed: the values column of the amount is 12.50 / 12,50
	grep -q ',eur,,,,ok,12.50,' "$T/h.csv"
	grep -q ';eur;;;;ok;12,50;' "$T/h-fr.csv"
}

@test "browser: Chromium renders the page: the SVG bars are in the DOM, no console error, the screenshot is not blank" {
	q4 -f html >"$T/q4.html"
	chromium dom "$T/q4.html" "$T/dom.html"
	assert_equal "$(grep -o '<rect class="bar" ' "$T/dom.html" | wc -l)" 41
	assert_equal "$(grep -o '<rect class="bar-prev" ' "$T/dom.html" | wc -l)" 2
	grep -q '<h2>Soutien à l'"'"'ingénierie</h2>' "$T/dom.html"
	assert_equal "$(console "$T/dom.html.log")" ''
	chromium shot "$T/q4.html" "$T/q4.png"
	assert_equal "$(console "$T/q4.png.log")" ''
	# a blank page of the same size, for comparison: the dashboard's PNG is far larger
	printf '<!DOCTYPE html><html lang="fr"><body></body></html>\n' >"$T/blank.html"
	chromium shot "$T/blank.html" "$T/blank.png"
	assert_equal "$(head -c 8 "$T/q4.png" | od -An -tx1 | tr -d ' ')" 89504e470d0a1a0a
	page=$(stat -c %s "$T/q4.png") blank=$(stat -c %s "$T/blank.png")
	[ "$page" -gt $((blank * 10)) ] || fail "screenshot $page bytes, blank page $blank bytes"
	# the console check does catch errors: a page with a failing script logs one
	printf '<!DOCTYPE html><html><body><script>nosuch();</script></body></html>\n' >"$T/err.html"
	chromium dom "$T/err.html" "$T/err.dom"
	console "$T/err.dom.log" | grep -q 'nosuch is not defined'
}

@test "browser: the hostile page has no script element after load and raises nothing" {
	pvd-render -q -f html -P "$R/hostile-provenance.json" "$R/hostile.ndjson" >"$T/h.html"
	chromium dom "$T/h.html" "$T/dom.html"
	! grep -qiE '<script|<img|onerror=|onload=|onmouseover=' "$T/dom.html"
	grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$T/dom.html"
	assert_equal "$(console "$T/dom.html.log")" ''
}
