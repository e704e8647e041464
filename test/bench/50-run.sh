# pvd-run: a whole quarter (ingest | clean | join | aggregate per source,
# merge, render json) over the benchmark export cut into BENCH_SOURCES
# sources (default 4), next to ONE DuckDB query doing the same work (read the
# CSV, pad the codes, parse the French amounts into DECIMAL, join the commune
# table, group by région with a distinct count), both on 2 threads; then
# -j 2 against -j 1, the pipe mode (--pipes, when pvd-run has it) and the
# same commands run by bash from `pvd-run --dry-run` (what the runner adds:
# the reports, the provenance digests, the swap).
nsrc=${BENCH_SOURCES:-4}
echo "== pvd-run: the whole chain, $nsrc sources → indicators.json"
csv="$BENCH_DIR/export-$BENCH_ROWS.csv"
[ -s "$csv" ] || "$PVD_TOOLS/gen-export" "$BENCH_ROWS" >"$csv"
rd="$BENCH_DIR/run-$nsrc"
mkdir -p "$rd"
if [ ! -s "$rd/s$nsrc.csv" ] || [ "$rd/s$nsrc.csv" -ot "$csv" ]; then
	# rows dealt round-robin; a quoted field never spans lines in this export
	awk -v d="$rd" -v n="$nsrc" 'NR == 1 { for (i = 1; i <= n; i++) print > (d "/s" i ".csv"); next }
		{ print > (d "/s" ((NR - 2) % n + 1) ".csv") }' "$csv"
fi
cp "$PVD_ROOT/test/bench/export-profile.yaml" "$rd/profile.yaml"
{
	echo "period: 2021-Q4"
	echo "config: $PVD_ROOT/config"
	echo "sources:"
	for i in $(seq "$nsrc"); do printf '  - {name: s%d, file: s%d.csv, profile: profile.yaml}\n' "$i" "$i"; done
	echo "reference: {pvd: pvd-2021-01, communes: cog-2026}"
	echo "indicators: $PVD_ROOT/config/indicators.yaml"
	echo "output: out/2021-Q4"
	echo "formats: [json]"
} >"$rd/q.yaml"
printf '  input: %s rows in %s sources, %s MB\n' "$BENCH_ROWS" "$nsrc" "$(( $(stat -c %s "$csv") / 1000000 ))"
bench_time "pvd-run -j 2 (default mode)" "$csv" pvd-run -q -j 2 "$rd/q.yaml"
t2=$BENCH_LAST
if pvd-run --help 2>/dev/null | grep -q -- '--pipes'; then
	bench_time "pvd-run -j 2 --pipes" "$csv" pvd-run -q -j 2 --pipes "$rd/q.yaml"
	bench_ratio "$t2" "$BENCH_LAST" "default mode vs --pipes"
fi
if have duckdb; then
	# What pvd-run's chain does, as far as SQL goes: codes padded, amounts
	# "353585,12" or "1 060 755,36" to DECIMAL, joined to the commune
	# table, grouped by région (records, sum, distinct communes).
	cog="$PVD_ROOT/config/ref/cog-2026/communes.csv"
	sql="WITH g AS (
	  SELECT lpad(trim(\"Code INSEE\"), 5, '0') AS insee,
	         CAST(replace(replace(trim(\"Montant attribué\"), ' ', ''), ',', '.') AS DECIMAL(18,2)) AS montant
	  FROM read_csv('$rd/s*.csv', delim=';', header=true, all_varchar=true)),
	c AS (SELECT code_insee, code_region FROM read_csv('$cog', header=true, all_varchar=true))
	SELECT c.code_region, count(*) AS n, sum(g.montant) AS montant, count(DISTINCT g.insee) AS communes
	FROM g JOIN c ON c.code_insee = g.insee GROUP BY c.code_region ORDER BY c.code_region"
	# its start-up (Node.js when no duckdb command) is in every DuckDB time
	bench_time "DuckDB start-up (SELECT 1)" /dev/null duckdb -c "SELECT 1"
	DUCKDB_THREADS=2 bench_time "DuckDB, one query, 2 threads" "$csv" duckdb -c "$sql"
	bench_ratio "$t2" "$BENCH_LAST" "pvd-run -j 2 vs DuckDB"
else
	echo "  duckdb: not installed, skipped (test/install-deps --bench)"
fi
bench_time "pvd-run -j 1" "$csv" pvd-run -q -j 1 "$rd/q.yaml"
t1=$BENCH_LAST
bench_ratio "$t2" "$t1" "-j 2 vs -j 1 ($(nproc) cores)"
pvd-run --dry-run "$rd/q.yaml" >"$rd/script.sh"
bench_time "bash (the --dry-run script)" "$csv" bash "$rd/script.sh"
bench_ratio "$t1" "$BENCH_LAST" "pvd-run -j 1 vs its script"
