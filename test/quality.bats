#!/usr/bin/env bats
# The data-quality page pvd-run leaves in out/QUARTER/quality.html: every
# planted reject of the demo quarter (fixtures/demo/planted-rejects.tsv) by
# reason with its file:line, the FNADT TOTAL row that differs from its
# records, and escaping of what comes from the data.
load helper

setup_file() {
	cd "$PVD_ROOT"
	Q=$BATS_FILE_TMPDIR
	mkdir -p "$Q/pipelines"
	# the copy lies outside the project: it names the project's config directory
	{
		sed -e '/^previous:/d' -e "s|\.\./|$PVD_ROOT/|" -e "s|^output: .*|output: $Q/q4|" pipelines/2021-Q4.yaml
		echo "config: $PVD_ROOT/config"
	} >"$Q/pipelines/2021-Q4.yaml"
	PATH="$PVD_BIN:$PATH" pvd-run -q "$Q/pipelines/2021-Q4.yaml" 2>/dev/null
}

setup() {
	cd "$PVD_ROOT"
	Q=$BATS_FILE_TMPDIR
	P=$Q/q4/quality.html
}

@test "quality: the page is there, self-contained, and links back to the dashboard" {
	[ -s "$P" ]
	grep -qF "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">" "$P"
	grep -qF '<a href="indicators.html">Tableau de bord</a>' "$P"
	! grep -qiE '<script|<img|src=' "$P"
	grep -qF '<a href="quality.html">' "$Q/q4/indicators.html"
}

@test "quality: the FNADT TOTAL row that differs by 99 886,00 € is flagged first" {
	grep -qF '<p class="alert" role="alert">1 ligne TOTAL ou sous-total ne correspond pas' "$P"
	grep -qE '<tr class="differ"><th scope="row">fnadt-2021</th><td>57</td><td>TOTAL</td><td>montant</td>.*<td class="n">-99[^<0-9]886,00[^<]*</td><td>écart</td></tr>' "$P"
	# the other TOTAL rows agree
	[ "$(grep -c '<td class="ok">conforme</td>' "$P")" -ge 5 ]
}

@test "quality: every planted reject of the demo quarter is listed under its source, stage and reason, with its line" {
	n=0
	while IFS=$'\t' read -r quarter stage file line reason; do
		[ "$quarter" = 2021-Q4 ] || continue
		src=$(jq -r --arg f "$file" '.sources[] | select(.file | endswith($f)) | .name' "$Q/q4/run-report.json")
		[ -n "$src" ] || fail "no source for $file"
		# the group heading, then the sample with its file:line
		awk -v h="<h3>$src · $stage · <code>$reason</code>" -v at="fixtures/demo/$file:$line</code>" '
			index($0, h) == 1 { getline; if (index($0, at)) found = 1 } END { exit !found }' "$P" ||
			fail "$file:$line ($stage, $reason) not on the page"
		n=$((n + 1))
	done < <(demo_planted_rejects)
	[ "$n" = 34 ]
	# the counts per source add up to the run's
	[ "$(grep -c '^<h3>' "$P")" -gt 20 ]
}

@test "quality: what comes from the data is escaped (a hostile row of an export)" {
	H=$BATS_TEST_TMPDIR
	mkdir -p "$H/pipelines" "$H/data"
	cp fixtures/demo/2021-Q4/ort-dgaln.csv "$H/data/ort.csv"
	printf '%s\n' '<script>alert(1)</script>,"<img src=x onerror=alert(2)>",x' >>"$H/data/ort.csv"
	{
		sed -e '/^previous:/d' -e "s|\.\./fixtures/demo/2021-Q4/ort-dgaln.csv|$H/data/ort.csv|" -e "s|\.\./|$PVD_ROOT/|" \
			-e "s|^output: .*|output: $H/q4|" pipelines/2021-Q4.yaml
		echo "config: $PVD_ROOT/config"
	} >"$H/pipelines/2021-Q4.yaml"
	PATH="$PVD_BIN:$PATH" pvd-run -q "$H/pipelines/2021-Q4.yaml" 2>/dev/null
	! grep -qiE '<script|<img' "$H/q4/quality.html"
	grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;,&quot;&lt;img src=x onerror=alert(2)&gt;&quot;,x' "$H/q4/quality.html"
}

@test "quality: against the previous quarter: files unchanged (same SHA-256) and a stock that decreases are flagged" {
	H=$BATS_TEST_TMPDIR
	mkdir -p "$H/prev" "$H/pipelines"
	# a previous quarter whose files were these very files, and which had 50 more ORT communes
	pvd-render -q "$Q/q4/indicators.ndjson" |
		jq '.period = "2021-Q3" | (.sections[].indicators[] | select(.id == "ort.communes") | .value) += 50' \
		>"$H/prev/indicators.json"
	cp "$Q/q4/provenance.json" "$H/prev/provenance.json"
	{
		sed -e "s|^previous: .*|previous: $H/prev/indicators.json|" -e "s|\.\./|$PVD_ROOT/|" -e "s|^output: .*|output: $H/q4|" \
			pipelines/2021-Q4.yaml
		echo "config: $PVD_ROOT/config"
	} >"$H/pipelines/2021-Q4.yaml"
	PATH="$PVD_BIN:$PATH" pvd-run -q "$H/pipelines/2021-Q4.yaml" 2>/dev/null
	P=$H/q4/quality.html
	ort=$(jq -r 'select(.id == "ort.communes" and .breakdown == null) | .value' "$H/q4/indicators.ndjson")
	grep -qE "<tr class=\"differ\"><th scope=\"row\"><code>ort.communes</code></th><td class=\"n\">$((ort + 50))</td><td class=\"n\">$ort</td><td>un stock qui baisse</td></tr>" "$P"
	# only that one moved
	[ "$(grep -c '<tr class="differ"><th scope="row"><code>' "$P")" = 1 ]
	# every source file is the previous quarter's
	[ "$(grep -c ': inchangé depuis 2021-Q3 (même SHA-256 que' "$P")" = "$(jq '.inputs | length' "$H/q4/provenance.json")" ]
	grep -qF '<li><strong>ort-dgaln</strong> (<code>'"$PVD_ROOT"'/fixtures/demo/2021-Q4/ort-dgaln.csv</code>) : inchangé depuis 2021-Q3' "$P"
	# without a previous quarter it says so
	grep -qF '<p>Pas de trimestre précédent.</p>' "$Q/q4/quality.html"
}

@test "quality: coverage of the programme list by dataset, from the lineage: conventions name every département" {
	v() { jq -r --arg id "$1" 'select(.id == $id and .breakdown == null) | .value' "$Q/q4/indicators.ndjson"; }
	sig=$(v conventions.communes) all=$(v pvd.communes)
	fr() { printf '%d' "$1" | sed -E ':a; s/([0-9])([0-9]{3})($|[^0-9])/\1'$'\u202f''\2\3/; ta'; }
	grep -qF "<tr><th scope=\"row\">conventions</th><td class=\"n\">$(fr "$sig") / $(fr "$all")</td><td><span class=\"ok\">aucun</span></td></tr>" "$P"
	# a dataset whose communes no indicator counts is not said to cover none
	grep -qF '<tr><th scope="row">chefs_projet</th><td class="n">—</td><td>non mesuré' "$P"
}
