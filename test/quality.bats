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

@test "quality: run-report.json holds the same facts as the page (its quality member), counted from the stages" {
	R=$Q/q4/run-report.json
	# per source: rows read, skipped by kind, emitted, rejected, used — the stages' own counts
	run jq -c '[.sources[] | [.name, (.stages[] | select(.stage == "ingest") | .in, .skipped, .out), ([.stages[].rejected] | add),
		(.stages[] | select(.stage == "aggregate") | .out)]]' "$R"
	want=$output
	run jq -c '[.quality.sources[] | [.name, .rows, .skipped, .emitted, .rejected, .used]]' "$R"
	assert_output "$want"
	# the kinds of skipped rows add up to the rows skipped
	[ "$(jq '[.quality.sources[] | select((.skipped_by_kind | add) != .skipped)] | length' "$R")" = 0 ]
	# TOTAL checks: the FNADT row, its difference, and as many rows as the page has
	run jq -c '.quality.totals | [.differ, (.rows[] | select(.status == "differ") | [.source, .line, .field, .difference])]' "$R"
	assert_output '[1,["fnadt-2021",57,"montant","-99886.00"]]'
	[ "$(jq '.quality.totals.checked' "$R")" = "$(grep -cE '<td>écart</td></tr>|<td class="ok">conforme</td></tr>' "$P")" ]
	# every planted reject is a sample of its source, stage and reason, with its line
	n=0
	while IFS=$'\t' read -r quarter stage file line reason; do
		[ "$quarter" = 2021-Q4 ] || continue
		jq -e --arg f "fixtures/demo/$file" --argjson l "$line" --arg s "$stage" --arg r "$reason" \
			'.quality.rejects[] | select(.stage == $s and .reason == $r) | .samples[] | select((.file | endswith($f)) and .line == $l)' \
			"$R" >/dev/null || fail "$file:$line ($stage, $reason) not in run-report.json"
		n=$((n + 1))
	done < <(demo_planted_rejects)
	[ "$n" = 34 ]
	# one group per <h3> of the page, with the count the stage reported
	[ "$(jq '.quality.rejects | length' "$R")" = "$(grep -c '^<h3>' "$P")" ]
	[ "$(jq '[.quality.rejects[].count] | add' "$R")" = "$(jq '.rejected.total' "$R")" ]
	# coverage: the conventions row of the page
	run jq -c '.quality.coverage | [.measured, (.datasets[] | select(.dataset == "conventions") | [.communes, .departements_without]), .programme_communes]' "$R"
	v() { jq -r --arg id "$1" 'select(.id == $id and .breakdown == null) | .value' "$Q/q4/indicators.ndjson"; }
	assert_output "[true,[$(v conventions.communes),[]],$(v pvd.communes)]"
	# no previous quarter, no old source
	run jq -c '[.quality.previous, .quality.old_dates]' "$R"
	assert_output '[{"document":null,"factor":3},[]]'
}

@test "quality: no empty rejects file is left, and the report names only files that exist" {
	o=$Q/q4
	[ -z "$(find "$o/rejects" -type f -empty)" ]
	# a stage that rejected nothing names no file; one that rejected has its file, one line per record
	[ "$(jq '[.. | objects | select(has("stage") and .rejected == 0 and has("rejects"))] | length' "$o/run-report.json")" = 0 ]
	for s in $(jq -r '.. | objects | select(has("stage") and .rejected > 0) | "\(.rejects)=\(.rejected)"' "$o/run-report.json"); do
		[ "$(wc -l <"$o/${s%=*}")" = "${s#*=}" ] || fail "$s"
	done
	[ "$(ls "$o/rejects" | wc -l)" = "$(jq '[.. | objects | select(has("stage") and .rejected > 0)] | length' "$o/run-report.json")" ]
	# the outputs list names lineage.ndjson and quality.html, and every file it names is there
	for f in $(jq -r '.outputs[]' "$o/run-report.json"); do [ -f "$o/$f" ] || fail "$f listed, not written"; done
	jq -e '.outputs | index("lineage.ndjson") and index("quality.html")' "$o/run-report.json"
}

@test "quality: a source whose latest date is older than the period is flagged (page and report)" {
	H=$BATS_TEST_TMPDIR
	mkdir -p "$H/pipelines" "$H/data"
	# ORT signatures all on or before 2021-03-31
	sed -E 's/,(2021-(0[4-9]|1[0-2])|202[2-9]-[0-9]{2})-[0-9]{2},/,2021-03-31,/g' fixtures/demo/2021-Q4/ort-dgaln.csv >"$H/data/ort.csv"
	latest=$(grep -oE ',20[0-9]{2}-[0-9]{2}-[0-9]{2},' "$H/data/ort.csv" | tr -d , | sort | tail -1)
	[ "$latest" = 2021-03-31 ]
	{
		sed -e '/^previous:/d' -e "s|\.\./fixtures/demo/2021-Q4/ort-dgaln.csv|$H/data/ort.csv|" -e "s|\.\./|$PVD_ROOT/|" \
			-e "s|^output: .*|output: $H/q4|" pipelines/2021-Q4.yaml
		echo "config: $PVD_ROOT/config"
	} >"$H/pipelines/2021-Q4.yaml"
	PATH="$PVD_BIN:$PATH" pvd-run -q "$H/pipelines/2021-Q4.yaml" 2>/dev/null
	run jq -c '.quality.old_dates' "$H/q4/run-report.json"
	assert_output "[{\"source\":\"ort-dgaln\",\"file\":\"$H/data/ort.csv\",\"dataset\":\"ort\",\"field\":\"date_signature\",\"latest\":\"2021-03-31\"}]"
	grep -qF "<li><strong>ort-dgaln</strong> (<code>$H/data/ort.csv</code>) : dernière date 2021-03-31, antérieure à la période 2021-Q4 (champ <code>date_signature</code> du jeu <code>ort</code>)</li>" "$H/q4/quality.html"
	# the demo's own files are all of the period
	grep -qF '<p class="ok">Aucune source dont la dernière date est antérieure à la période 2021-Q4.</p>' "$P"
}

@test "quality: the factor of a suspicious move is configured in dashboard.yaml (2 here, 3 by default)" {
	H=$BATS_TEST_TMPDIR
	mkdir -p "$H/prev" "$H/pipelines"
	cp -R config "$H/config"
	sed -i 's/^quality: .*/quality: {factor: 2}/' "$H/config/dashboard.yaml"
	grep -qx 'quality: {factor: 2}' "$H/config/dashboard.yaml"
	ort=$(jq -r 'select(.id == "ort.communes" and .breakdown == null) | .value' "$Q/q4/indicators.ndjson")
	old=$((ort * 2 / 5))   # ort is 2.5 times that: beyond 2, within 3
	pvd-render -q "$Q/q4/indicators.ndjson" |
		jq --argjson v "$old" '.period = "2021-Q3" | (.sections[].indicators[] | select(.id == "ort.communes") | .value) = $v' \
		>"$H/prev/indicators.json"
	pipeline() { # config directory
		{
			sed -e "s|^previous: .*|previous: $H/prev/indicators.json|" -e "s|\.\./|$PVD_ROOT/|" -e "s|^output: .*|output: $H/q4|" \
				pipelines/2021-Q4.yaml
			echo "config: $1"
		} >"$H/pipelines/2021-Q4.yaml"
		PATH="$PVD_BIN:$PATH" pvd-run -q "$H/pipelines/2021-Q4.yaml" 2>/dev/null
	}
	pipeline "$H/config"
	run jq -c '.quality.previous | [.factor, .moves]' "$H/q4/run-report.json"
	assert_output "[2,[{\"id\":\"ort.communes\",\"unit\":\"communes\",\"previous\":\"$old\",\"current\":\"$ort\",\"decrease\":false,\"beyond_factor\":true}]]"
	grep -qF "<tr class=\"differ\"><th scope=\"row\"><code>ort.communes</code></th><td class=\"n\">$old</td><td class=\"n\">$ort</td><td>variation de plus d&#39;un facteur 2</td></tr>" "$H/q4/quality.html"
	# the project's config: factor 3, nothing flagged
	pipeline "$PVD_ROOT/config"
	run jq -c '.quality.previous | [.factor, .moves]' "$H/q4/run-report.json"
	assert_output '[3,[]]'
	grep -qF "<p class=\"ok\">Aucun compte ni montant en baisse ou en variation de plus d'un facteur 3 depuis 2021-Q3.</p>" "$H/q4/quality.html"
	# a bad factor is a config error, with its place
	sed -i 's/^quality: .*/quality: {factor: 1}/' "$H/config/dashboard.yaml"
	line=$(grep -n '^quality:' "$H/config/dashboard.yaml" | cut -d: -f1)
	PVD_CONFIG=$H/config run pvd-render -q "$Q/q4/indicators.ndjson"
	assert_failure 78
	assert_output "pvd-render: $H/config/dashboard.yaml:$line:19: quality: factor: expected a whole number from 2 to 1000000"
}

@test "run-report.txt: its columns stay aligned with a source name longer than the column (golden)" {
	load run-stub
	stub_setup
	sed 's/^    name: dotations$/    name: dotations-de-soutien-a-l-investissement-local-2021/' run/stub.yaml >run/long.yaml
	grep -q 'name: dotations-de-soutien-a-l-investissement-local-2021$' run/long.yaml
	bin/pvd-run -q run/long.yaml
	t=run/out/2021-Q4/run-report.txt
	# the times are measured: masked (their labels are aligned too)
	sed -E 's/wall [0-9]+\.[0-9]{2} s, CPU [0-9]+\.[0-9]{2} s, peak RSS [0-9]+ KiB/wall W s, CPU C s, peak RSS R KiB/' "$t" >got
	assert_golden got "$GOLD/run/run-report-long-name.txt"
	# every line of the table is as long as its header, its numbers under the header's names
	awk '/^source /, /^$/' "$t" | sed '/^$/d' >table
	[ "$(wc -l <table)" = 12 ]
	[ "$(awk '{ print length($0) }' table | sort -u | wc -l)" = 1 ]
	# and with short names the table is as it always was (run.bats's golden)
	bin/pvd-run -q run/stub.yaml
	sed -E 's/wall [0-9]+\.[0-9]{2} s, CPU [0-9]+\.[0-9]{2} s, peak RSS [0-9]+ KiB/wall W s, CPU C s, peak RSS R KiB/' "$t" >got
	assert_golden got "$GOLD/run/run-report.txt"
}
