#!/usr/bin/env bats
# Every figure explains itself: the catalogue's definitions and labels carried
# to the outputs, pvd-aggregate --lineage (exact: every value recomputed from
# the lineage alone by an independent jq program, on the hand-written quarter
# and on the whole demo quarter), its partial states and merge, and
# pvd-explain reading the raw rows back (fixtures/explain: Windows-1252, a
# record on two lines, a control character).
load helper

E="$FIX/explain"

setup() {
	cd "$PVD_ROOT"
	T=$BATS_TEST_TMPDIR
}

# check_lineage LINEAGE VALUES: the records of VALUES whose value, num, den
# or records differ from what the lineage alone gives (empty: all agree).
# Counts are the lines of the accumulator in the group, distinct counts the
# distinct values of those lines, sums the amounts in integer cents, shares
# num/den rounded half up to 6 decimals; a ratio's denominator without the
# breakdown is its headline.
check_lineage() {
	jq -n -c --slurpfile lin "$1" --slurpfile out "$2" '
	def cents: . * 100 | round;
	($lin[0]) as $h | ($lin[1:]) as $rows
	| ($rows | group_by(.acc) | map({key: .[0].acc, value: .}) | from_entries) as $by
	| def grp($acc; $dim; $key): ($by[$acc] // []) | if $dim == null then . else map(select(.keys[$dim] == $key)) end;
	  def measure($acc; $dim; $key):
	    ($h.accs[$acc]) as $a
	    | (if $dim != null and ($a.dims | index($dim)) == null then grp($acc; null; null) else grp($acc; $dim; $key) end) as $g
	    | if $a.kind == "count" then {n: ($g | length), recs: ($g | length)}
	      elif $a.kind == "distinct" then {n: ([$g[].values[]] | unique | length), recs: ($g | length)}
	      elif $a.kind == "sum" or $a.kind == "mean" then {n: ([$g[].amount | cents] | add // 0), recs: ($g | length), eur: $a.eur}
	      else {n: (($g | sort_by(.start, .end, .file, .line) | last | .value) // null), recs: ($g | length)} end;
	  def ratio6($n; $d): if $d == 0 then null else (($n * 2000000 + $d) / (2 * $d) | floor) / 1000000 end;
	$out[] | . as $o | ($h.indicators[$o.id]) as $i
	| (if $i.acc then
	     measure($i.acc; $o.breakdown; $o.key) as $m | ($h.accs[$i.acc].kind) as $k
	     | if $k == "mean" then
	         (if $m.eur then $m.n else ($m.n / 100 | floor) end) as $num | ($m.recs * (if $m.eur then 100 else 1 end)) as $den
	         | {value: ratio6($num; $den), num: $num, den: $den, records: $m.recs}
	       elif $k == "sum" then {value: ($m.n / 100), records: $m.recs}
	       else {value: $m.n, records: $m.recs} end
	   else
	     measure($i.num; $o.breakdown; $o.key) as $n | measure($i.den; $o.breakdown; $o.key) as $d
	     | {value: ratio6($n.n; $d.n), num: $n.n, den: $d.n, records: ($n.recs + $d.recs)}
	   end) as $w
	| select($w.value != $o.value or $w.records != $o.records or ($w.num // $o.num) != $o.num or ($w.den // $o.den) != $o.den)
	| {id: $o.id, breakdown: $o.breakdown, key: $o.key, value: $o.value, want: $w}'
}

@test "catalogue: every indicator has a French description, labels name partners and grants, not codes" {
	pvd-aggregate -q -p 2021-Q4 </dev/null >"$T/out.ndjson"
	[ "$(jq -s '[.[] | select(.breakdown == null)] | length' "$T/out.ndjson")" -gt 60 ]
	[ "$(jq -s '[.[] | select(.breakdown == null and ((.description // "") | length) < 40)] | length' "$T/out.ndjson")" = 0 ]
	# the codes of the data are not shown: their labels are (one place: the dimensions' labels)
	! jq -r .label "$T/out.ndjson" | grep -E ': (anah|bdt|cerema|anct|mte|fnadt|detr|dsil)$'
	jq -r 'select(.breakdown == null) | .label' "$T/out.ndjson" >"$T/labels"
	grep -qx "Montant du soutien à l'ingénierie par partenaire : Banque des Territoires" "$T/labels"
	grep -qx "Dotations de l'État aux communes PVD : DETR" "$T/labels"
	grep -qx "Communes PVD accompagnées en ingénierie par partenaire : Anah" "$T/labels"
	# {period_year} in a description is the period's
	jq -r 'select(.id == "dotations.detr.montant" and .breakdown == null) | .description' "$T/out.ndjson" | grep -q 'de 2021 à 2021'
	pvd-aggregate -q -p 2023-Q1 </dev/null | jq -r 'select(.id == "dotations.detr.montant" and .breakdown == null) | .description' |
		grep -q 'de 2021 à 2023'
}

@test "catalogue: {VAR|DIM} names an unknown dimension or a code without a label: exit 78, FILE:LINE:COL" {
	cp -r "$E/datasets" "$T/"
	sed 's/label: "Montant : {d|dep}"/label: "Montant : {d|region}"/' "$E/indicators.yaml" >"$T/a.yaml"
	run pvd-aggregate -q -i "$T/a.yaml" -p 2021-Q4 </dev/null
	[ "$status" -eq 78 ]
	[[ "$output" == *"a.yaml:12:12: {d|region}: unknown dimension 'region' (in t.montant)" ]]
	sed 's/for: {d: \["01"\]}/for: {d: ["75"]}/' "$E/indicators.yaml" >"$T/b.yaml"
	run pvd-aggregate -q -i "$T/b.yaml" -p 2021-Q4 </dev/null
	[ "$status" -eq 78 ]
	[[ "$output" == *"b.yaml:12:12: {d|dep}: dimension 'dep' has no label for '75'"* ]]
}

@test "render: a count or an amount with no input record is 'non disponible', not 0; a share of 0 records over a list stays 0 %" {
	printf '%s\n' \
		'{"id":"a.n","label":"A","unit":"communes","description":"Déf <A>","period":"2021-Q4","value":0,"num":null,"den":null,"breakdown":null,"key":null,"key_label":null,"datasets":["d"],"records":0,"inputs":[]}' \
		'{"id":"b.n","label":"B","unit":"eur","period":"2021-Q4","value":0.00,"num":null,"den":null,"breakdown":null,"key":null,"key_label":null,"datasets":["d"],"records":0,"inputs":[]}' \
		'{"id":"c.n","label":"C","unit":"communes","period":"2021-Q4","value":0,"num":null,"den":null,"breakdown":null,"key":null,"key_label":null,"datasets":["d"],"records":3,"inputs":["x"]}' \
		'{"id":"d.p","label":"D","unit":"part","period":"2021-Q4","value":0.000000,"num":0,"den":5,"breakdown":null,"key":null,"key_label":null,"datasets":["d"],"records":5,"inputs":["x"]}' \
		>"$T/in.ndjson"
	pvd-render -q "$T/in.ndjson" >"$T/doc.json"
	jq -c '.sections[].indicators[] | select(.id | test("^[a-d][.]")) | [.id, .value, .display, .description]' "$T/doc.json" >"$T/got"
	printf '%s\n' '["a.n",null,"non disponible","Déf <A>"]' '["b.n",null,"non disponible",null]' \
		'["c.n",0,"0",null]' "[\"d.p\",0,\"0,0"$'\u202f'"%\",null]" >"$T/want"
	diff "$T/want" "$T/got"
	pvd-render -q -f html "$T/in.ndjson" >"$T/p.html"
	grep -qF '<details class="def"><summary>Définition</summary><p>Déf &lt;A&gt;</p></details>' "$T/p.html"
	pvd-render -q -f md "$T/in.ndjson" | grep -qxF -- '- **A** (a.n) : Déf \<A\>'
}

@test "lineage: the hand-written quarter, every value recomputed from the lineage alone; a changed amount is caught" {
	pvd-aggregate -q -p 2021-Q4 --lineage "$T/lin.ndjson" "$FIX/aggregate/quarter.ndjson" >"$T/out.ndjson"
	# the values are those without --lineage
	pvd-aggregate -q -p 2021-Q4 "$FIX/aggregate/quarter.ndjson" | cmp - "$T/out.ndjson"
	[ "$(jq -s length "$T/out.ndjson")" -gt 200 ]
	check_lineage "$T/lin.ndjson" "$T/out.ndjson" >"$T/diff"
	[ ! -s "$T/diff" ] || fail "$(head -c 2000 "$T/diff")"
	# the check does check: one cent more on one line
	jq -c 'if .acc == "ingenierie.montant" and .amount == 1000.10 then .amount = 1000.11 else . end' "$T/lin.ndjson" >"$T/bad.ndjson"
	check_lineage "$T/bad.ndjson" "$T/out.ndjson" | jq -r .id | sort -u | grep -qx ingenierie.montant
	# provenance: file, line, and the sheet only when there is one
	[ "$(jq -s '[.[1:][] | select(.file == null or .line < 1 or has("sheet"))] | length' "$T/lin.ndjson")" = 0 ]
}

@test "lineage: partial states and merge give the same lineage as one pass; a lineage file to merge needs --lineage" {
	n=$(wc -l <"$FIX/aggregate/quarter.ndjson")
	head -n $((n / 2)) "$FIX/aggregate/quarter.ndjson" >"$T/a.ndjson"
	tail -n +$((n / 2 + 1)) "$FIX/aggregate/quarter.ndjson" >"$T/b.ndjson"
	for p in a b; do
		pvd-aggregate -q -p 2021-Q4 --partial --lineage "$T/$p.lin" "$T/$p.ndjson" >"$T/$p.state"
	done
	pvd-aggregate -q -p 2021-Q4 --merge --lineage "$T/m.lin" "$T/a.state" "$T/a.lin" "$T/b.state" "$T/b.lin" >"$T/m.out"
	pvd-aggregate -q -p 2021-Q4 --lineage "$T/one.lin" "$FIX/aggregate/quarter.ndjson" >"$T/one.out"
	cmp "$T/m.out" "$T/one.out"
	cmp "$T/m.lin" "$T/one.lin"
	run pvd-aggregate -q -p 2021-Q4 --merge "$T/a.state" "$T/a.lin"
	[ "$status" -eq 65 ]
	[ "$output" = "pvd-aggregate: $T/a.lin:1: a lineage file among the states: give --lineage to merge it" ]
	run pvd-aggregate -q -p 2021-Q3 --merge --lineage "$T/x.lin" "$T/a.lin"
	[ "$status" -eq 65 ]
	[ "$output" = "pvd-aggregate: $T/a.lin:1: lineage of period 2021-Q4, not of the period asked" ]
	[ ! -e "$T/x.lin" ]
	# an output never replaces an input
	cp "$T/a.ndjson" "$T/c.ndjson"
	run pvd-aggregate -q -p 2021-Q4 --lineage "$T/c.ndjson" "$T/c.ndjson"
	[ "$status" -eq 64 ]
	cmp "$T/a.ndjson" "$T/c.ndjson"
}

# The demo quarter, run by pvd-run (without its previous quarter: not needed
# here), which keeps out/QUARTER/lineage.ndjson.  The copy lies outside the
# project, so it names the project's config directory (config:).
demo_with_lineage() {
	[ -f "$T/q4/lineage.ndjson" ] && return 0
	mkdir -p "$T/pipelines"
	{
		sed -e '/^previous:/d' -e "s|\\.\\./|$PVD_ROOT/|" -e "s|^output: .*|output: $T/q4|" pipelines/2021-Q4.yaml
		echo "config: $PVD_ROOT/config"
	} >"$T/pipelines/2021-Q4.yaml"
	pvd-run -q "$T/pipelines/2021-Q4.yaml" 2>/dev/null
	[ -f "$T/q4/lineage.ndjson" ]
}

@test "lineage: the demo quarter, every value (headlines and breakdowns) recomputed exactly from the lineage" {
	demo_with_lineage
	[ "$(wc -l <"$T/q4/indicators.ndjson")" -gt 2000 ]
	check_lineage "$T/q4/lineage.ndjson" "$T/q4/indicators.ndjson" >"$T/diff"
	[ ! -s "$T/diff" ] || fail "$(head -c 2000 "$T/diff")"
	# the published DETR figure is the sum of its lines, to the cent
	[ "$(jq -r 'select(.id == "dotations.detr.montant" and .breakdown == null) | .value' "$T/q4/indicators.ndjson")" = 91689327.95 ]
	# the page links each figure to its records per source file: the DETR note's total is the figure
	grep -c '<summary>Lignes sources</summary>' "$T/q4/indicators.html" | awk '{ exit !($1 > 60) }'
	grep -qF 'pvd-explain out/2021-Q4 dotations.detr.montant</code>' "$T/q4/indicators.html"
	grep -qE 'Ensemble</th><td class="n">[^<]+</td><td class="n">91[^<0-9]+689[^<0-9]+327,95</td>' "$T/q4/indicators.html"
}

@test "explain: a sum in the demo: the raw lines are the exports' own lines, the total is the figure" {
	demo_with_lineage
	want=$(jq -r 'select(.id == "dotations.detr.montant" and .breakdown == "dep" and .key == "01") | .value' "$T/q4/indicators.ndjson")
	pvd-explain "$T/q4" dotations.detr.montant=dep:01 >"$T/x"
	head -1 "$T/x" | grep -qx 'dotations.detr.montant by dep = 01: sum'
	printf 'total: %.2f (' "$want" >"$T/tot"
	grep -qF "$(cat "$T/tot")" "$T/x"
	# every record line: FILE:LINE, then the raw text of that physical line of that file
	n=0
	while IFS=$'\t' read -r where contrib; do
		file=${where%:*} line=${where##*:}
		IFS= read -r raw
		want_raw=$(sed -n "${line}p" "$file" | iconv -f WINDOWS-1252 -t UTF-8 2>/dev/null | tr -d '\r' || true)
		[ "$(sed -n "${line}p" "$file" | tr -d '\r')" = "${raw#    }" ] || [ "$want_raw" = "${raw#    }" ] ||
			fail "$where: '${raw#    }'"
		n=$((n + 1))
	done < <(grep -A1 -E '^[^ ].*:[0-9]+	[+-]' "$T/x" | grep -v '^--$')
	[ "$n" -gt 0 ]
	[ "$n" = "$(jq -r 'select(.id == "dotations.detr.montant" and .breakdown == "dep" and .key == "01") | .records' "$T/q4/indicators.ndjson")" ]
}

@test "explain: a distinct count and a share in the demo give the figure's value" {
	demo_with_lineage
	v() { jq -r --arg id "$1" 'select(.id == $id and .breakdown == "dep" and .key == "35") | .'"$2" "$T/q4/indicators.ndjson"; }
	pvd-explain "$T/q4" conventions.communes=dep:35 >"$T/c"
	grep -qx "total: $(v conventions.communes value) distinct values ($(v conventions.communes records) records)" "$T/c"
	pvd-explain "$T/q4" conventions.communes_part=dep:35 >"$T/p"
	grep -qx "value: $(v conventions.communes_part num) / $(v conventions.communes_part den) = $(v conventions.communes_part value | awk '{ printf "%.6f", $1 }')" "$T/p"
	grep -qx 'numerator (conventions.communes, distinct):' "$T/p"
	grep -qx 'denominator (pvd.communes, distinct):' "$T/p"
}

@test "explain: raw rows read back: Windows-1252 to UTF-8, a record on two lines whole, control characters shown" {
	pvd-aggregate -q -i "$E/indicators.yaml" -p 2021-Q4 --lineage "$T/e.lin" "$E/records.ndjson" >/dev/null
	run pvd-explain -C "$E" -l "$T/e.lin" t.montant
	[ "$status" -eq 0 ]
	printf '%s\n' 't.montant: sum' \
		'raw-cp1252.csv:3	+1000.10' '    Ambérieu;1 000,10 €;"simple"' \
		'raw-cp1252.csv:4	+2.00' '    Belley;2,00;"sur' '    deux lignes"' \
		'raw-cp1252.csv:6	+3.00' '    Culoz;\x1b[31m3,00;x' \
		'  raw-cp1252.csv: 3 records, 1005.10' 'total: 1005.10 (3 records)' >"$T/want"
	diff "$T/want" <(printf '%s\n' "$output")
	# a share by key: numerator and denominator groups, value num/den
	pvd-explain -C "$E" --no-raw -l "$T/e.lin" t.part=01 >"$T/p"
	printf '%s\n' 't.part by dep = 01: ratio' 'numerator (t.part#num, distinct):' 'raw-cp1252.csv:4	01034' \
		'total: 1 distinct value (1 record)' 'denominator (t.communes, distinct):' 'raw-cp1252.csv:3	01004' \
		'raw-cp1252.csv:4	01034' 'total: 2 distinct values (2 records)' 'value: 1 / 2 = 0.500000' | diff - "$T/p"
	# without -C the raw file is not found: said, and the figure still explained
	run pvd-explain -l "$T/e.lin" t.communes=2A
	[ "$status" -eq 0 ]
	[[ "$output" == *"(raw file not readable, or shorter than this line)"* ]]
	[[ "$output" == *"pvd-explain: 1 record whose raw line could not be read (see -C)" ]]
}

@test "explain: errors: no such indicator or breakdown (64), not a lineage (65), no file (66)" {
	pvd-aggregate -q -i "$E/indicators.yaml" -p 2021-Q4 --lineage "$T/e.lin" "$E/records.ndjson" >/dev/null
	run pvd-explain -l "$T/e.lin" nope
	[ "$status" -eq 64 ]
	[ "${lines[0]}" = "pvd-explain: $T/e.lin: no indicator 'nope' in this lineage" ]
	run pvd-explain -l "$T/e.lin" t.part=reg:84
	[ "$status" -eq 64 ]
	run pvd-explain -l "$E/records.ndjson" t.part
	[ "$status" -eq 65 ]
	[ "$output" = "pvd-explain: $E/records.ndjson:1: not a version 1 lineage file" ]
	run pvd-explain "$T/nowhere" t.part
	[ "$status" -eq 66 ]
	run pvd-explain -l "$T/e.lin"
	[ "$status" -eq 64 ]
	pvd-explain --help | grep -q '^Usage: pvd-explain'
}

@test "render --lineage: each figure's records per source file, file names escaped, sums exact" {
	printf '%s\n' \
		'{"_file":"<img src=x onerror=alert(1)>.csv","_line":2,"_dataset":"t","montant":1000.10,"commune":"01004","dep":"01"}' \
		'{"_file":"<img src=x onerror=alert(1)>.csv","_line":3,"_dataset":"t","montant":0.01,"commune":"01034","dep":"01"}' \
		'{"_file":"b.csv","_line":9,"_dataset":"t","montant":-2.00,"commune":"01004","dep":"2A"}' >"$T/h.ndjson"
	pvd-aggregate -q -i "$E/indicators.yaml" -p 2021-Q4 --lineage "$T/h.lin" "$T/h.ndjson" >"$T/v.ndjson"
	pvd-render -q -f html --lineage "$T/h.lin" "$T/v.ndjson" >"$T/p.html"
	! grep -qF '<img src=x' "$T/p.html"
	grep -qF '<tr><td><code>&lt;img src=x onerror=alert(1)&gt;.csv</code></td><td class="n">2</td><td class="n">1'$'\u202f''000,11</td></tr>' "$T/p.html"
	grep -qF '<tr><td><code>b.csv</code></td><td class="n">1</td><td class="n">-2,00</td></tr>' "$T/p.html"
	grep -qF '<tr class="total"><th scope="row">Ensemble</th><td class="n">3</td><td class="n">998,11</td></tr>' "$T/p.html"
	# a share: its numerator's and its denominator's files
	grep -qF '<caption>Numérateur</caption>' "$T/p.html"
	grep -qF '<caption>Dénominateur</caption>' "$T/p.html"
	# not a lineage file: exit 65, said
	run pvd-render -q -f html --lineage "$T/h.ndjson" "$T/v.ndjson"
	[ "$status" -eq 65 ]
	[ "$output" = "pvd-render: $T/h.ndjson:1: not a version 1 lineage file" ]
}

@test "--lineage is checked as an output: not an input, not another output; pvd-render reads it as an input" {
	echo '{}' >"$T/in.ndjson"
	ln "$T/in.ndjson" "$T/hard"
	agg() { pvd-aggregate --partial --indicators config/indicators.yaml --period 2021-Q4 "$@"; }
	run agg --lineage "$T/same" --report "$T/same" "$T/in.ndjson"
	assert_failure 64
	assert_line --index 0 "pvd-aggregate: --report $T/same: is also the --lineage file"
	touch "$T/r"
	ln -s r "$T/sym"
	run agg --lineage "$T/sym" --rejects "$T/r" "$T/in.ndjson"
	assert_failure 64
	assert_line --index 0 "pvd-aggregate: --rejects $T/r: is also the --lineage file"
	run agg --lineage "$T/hard" "$T/in.ndjson"
	assert_failure 64
	assert_line --index 0 "pvd-aggregate: --lineage $T/hard: is the input $T/in.ndjson (same file): refusing to overwrite an input"
	run agg --lineage config/indicators.yaml "$T/in.ndjson"
	assert_failure 64
	assert_line --index 0 "pvd-aggregate: --lineage config/indicators.yaml: is the input config/indicators.yaml (same file): refusing to overwrite an input"
	# nothing was written over
	[ ! -s "$T/r" ] && [ "$(cat "$T/in.ndjson")" = '{}' ]
	# pvd-render: the lineage it reads is an input its --output may not replace
	agg --lineage "$T/lin.ndjson" "$T/in.ndjson" >"$T/state"
	pvd-aggregate --merge --indicators config/indicators.yaml --period 2021-Q4 "$T/state" >"$T/ind.ndjson"
	cp "$T/lin.ndjson" "$T/lin.before"
	run pvd-render --format html --lineage "$T/lin.ndjson" --output "$T/lin.ndjson" "$T/ind.ndjson"
	assert_failure 64
	cmp "$T/lin.ndjson" "$T/lin.before"
}
