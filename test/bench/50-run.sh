# pvd-run: a whole quarter (ingest | clean | join | aggregate per source,
# merge, render json) over the benchmark export cut into 4 sources; one job
# against 4 at a time, and against the same commands run by bash from
# `pvd-run --dry-run` (what the runner adds: the reports, the
# provenance digests, the swap).
echo "== pvd-run: 4 sources → indicators.json"
csv="$BENCH_DIR/export-$BENCH_ROWS.csv"
[ -s "$csv" ] || "$PVD_TOOLS/gen-export" "$BENCH_ROWS" >"$csv"
rd="$BENCH_DIR/run"
mkdir -p "$rd"
if [ ! -s "$rd/s4.csv" ] || [ "$rd/s4.csv" -ot "$csv" ]; then
	# rows dealt round-robin; a quoted field never spans lines in this export
	awk -v d="$rd" 'NR == 1 { for (i = 1; i <= 4; i++) print > (d "/s" i ".csv"); next }
		{ print > (d "/s" ((NR - 2) % 4 + 1) ".csv") }' "$csv"
fi
cp "$PVD_ROOT/test/bench/export-profile.yaml" "$rd/profile.yaml"
{
	echo "period: 2021-Q4"
	echo "sources:"
	for i in 1 2 3 4; do printf '  - {name: s%d, file: s%d.csv, profile: profile.yaml}\n' "$i" "$i"; done
	echo "reference: {pvd: pvd-2021-01, communes: cog-2026}"
	echo "indicators: $PVD_ROOT/config/indicators.yaml"
	echo "output: out/2021-Q4"
	echo "formats: [json]"
} >"$rd/q.yaml"
printf '  input: %s rows in 4 sources, %s MB\n' "$BENCH_ROWS" "$(( $(stat -c %s "$csv") / 1000000 ))"
bench_time "pvd-run -j 1" "$csv" pvd-run -q -j 1 "$rd/q.yaml"
t1=$BENCH_LAST
bench_time "pvd-run -j 4" "$csv" pvd-run -q -j 4 "$rd/q.yaml"
bench_ratio "$BENCH_LAST" "$t1" "-j 4 vs -j 1 ($(nproc) cores)"
pvd-run --dry-run "$rd/q.yaml" >"$rd/script.sh"
bench_time "bash (the --dry-run script)" "$csv" bash "$rd/script.sh"
bench_ratio "$t1" "$BENCH_LAST" "pvd-run -j 1 vs its script"
