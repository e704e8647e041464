# pvd-ingest: a ';' export of BENCH_ROWS rows → NDJSON, next to mlr and DuckDB.
echo "== pvd-ingest: ';' CSV export → NDJSON"
csv="$BENCH_DIR/export-$BENCH_ROWS.csv"
[ -s "$csv" ] || "$PVD_TOOLS/gen-export" "$BENCH_ROWS" >"$csv"
printf '  input: %s rows, %s MB\n' "$BENCH_ROWS" "$(( $(stat -c %s "$csv") / 1000000 ))"
bench_time "pvd-ingest" "$csv" pvd-ingest -q
t_pvd=$BENCH_LAST
bench_time "pvd-ingest --profile (mapped)" "$csv" pvd-ingest -q -p "$PVD_ROOT/test/bench/export-profile.yaml"
if have mlr; then
	bench_time "mlr --icsv --ifs ';' --ojsonl cat" "$csv" mlr --icsv --ifs ';' --ojsonl cat
	bench_ratio "$t_pvd" "$BENCH_LAST" "pvd-ingest vs mlr"
else
	echo "  mlr: not installed (test/install-deps --bench)"
fi
if have duckdb; then
	bench_time "duckdb read_csv → NDJSON" "$csv" duckdb -c "COPY (SELECT * FROM read_csv('$csv', delim=';', header=true, all_varchar=true)) TO '/dev/null' (FORMAT json)"
	bench_ratio "$t_pvd" "$BENCH_LAST" "pvd-ingest vs DuckDB"
else
	echo "  duckdb: not installed, skipped (test/install-deps --bench)"
fi
