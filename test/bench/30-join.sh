# pvd-join: BENCH_ROWS cleaned records (NDJSON) joined to the COG 2026 commune
# table and the January 2021 PVD list, next to mlr join on the same input;
# plus the time to load and index the reference tables.
echo "== pvd-join: NDJSON records × COG 2026 communes + PVD list"
ref="$PVD_ROOT/config/ref"
nd="$BENCH_DIR/join-$BENCH_ROWS.ndjson"
# Records on real codes: every commune in turn, 1 in 50 an old code of a
# merged commune, 1 in 100 an EPCI beneficiary (no code).
if [ ! -s "$nd" ]; then
	awk -F, -v rows="$BENCH_ROWS" '
		FILENAME ~ /communes/ && FNR > 1 { c[nc++] = $1; next }
		FILENAME ~ /anciens/ && FNR > 1 { o[no++] = $1; next }
		FILENAME ~ /epci/ && FNR > 1 { e[ne++] = $1; next }
		END {
			for (i = 1; i <= rows; i++) {
				if (i % 100 == 0)
					k = "\"beneficiaire_insee\":\"\",\"beneficiaire_siren\":\"" e[i % ne] "\""
				else
					k = "\"insee\":\"" (i % 50 == 0 ? o[i % no] : c[(i * 7919) % nc]) "\""
				printf "{\"_file\":\"bench.csv\",\"_line\":%d,\"_dataset\":\"dotations\",%s,\"montant\":%d.%02d,\"intitule\":\"Projet %d\"}\n", i + 1, k, i % 100000, i % 100, i
			}
		}' "$ref/cog-2026/communes.csv" "$ref/cog-2026/anciens_codes.csv" "$ref/cog-2026/epci.csv" >"$nd"
fi
printf '  input: %s records, %s MB\n' "$BENCH_ROWS" "$(( $(stat -c %s "$nd") / 1000000 ))"

# Reference load: best of 5, as measured inside pvd-join (read, check, index),
# wall time and CPU time (the wall time swells on a busy machine).
best="" cpu=""
for _ in 1 2 3 4 5; do
	pvd-join -q --ref pvd=pvd-2021-01 --report "$BENCH_DIR/join-load.json" </dev/null
	ms=$(jq '.refs.load_ms' "$BENCH_DIR/join-load.json")
	c=$(jq '.refs.load_cpu_ms' "$BENCH_DIR/join-load.json")
	if [ -z "$best" ] || [ "$(echo "$ms < $best" | bc -l)" = 1 ]; then best=$ms; fi
	if [ -z "$cpu" ] || [ "$(echo "$c < $cpu" | bc -l)" = 1 ]; then cpu=$c; fi
done
printf '  %-34s %8.1f ms wall, %.1f ms CPU (%s communes, %s old codes, %s names)\n' "reference load + index" "$best" "$cpu" \
	"$(jq '.refs.communes.communes' "$BENCH_DIR/join-load.json")" \
	"$(jq '.refs.communes.old_codes' "$BENCH_DIR/join-load.json")" \
	"$(jq '.refs.communes.names' "$BENCH_DIR/join-load.json")"
bench_time "pvd-join, no records (start-up)" /dev/null pvd-join -q --ref pvd=pvd-2021-01

bench_time "pvd-join (inner)" "$nd" pvd-join -q --ref pvd=pvd-2021-01
t_pvd=$BENCH_LAST
[ -n "$t_pvd" ] && printf '  %-34s %8.0f records/s\n' "pvd-join throughput" "$(echo "$BENCH_ROWS / $t_pvd" | bc -l)"
bench_time "pvd-join -m anti" "$nd" pvd-join -q --ref pvd=pvd-2021-01 -m anti
if have mlr; then
	# the same commune table with the join field named as in the records
	sed '1s/^code_insee,/insee,/' "$ref/cog-2026/communes.csv" >"$BENCH_DIR/join-communes.csv"
	bench_time "mlr join -j insee -f communes.csv" "$nd" \
		mlr --ijsonl --ojsonl join -j insee -i csv -f "$BENCH_DIR/join-communes.csv"
	bench_ratio "$t_pvd" "$BENCH_LAST" "pvd-join vs mlr join"
	[ -n "$BENCH_LAST" ] && printf '  %-34s %8.0f records/s\n' "mlr join throughput" "$(echo "$BENCH_ROWS / $BENCH_LAST" | bc -l)"
else
	echo "  mlr: not installed (test/install-deps --bench)"
fi
if have duckdb; then
	# the same join in DuckDB, written out as NDJSON (to /dev/null) like the others
	bench_time "duckdb JOIN → NDJSON" "$nd" duckdb -c "COPY (SELECT r.*, c.* FROM read_json_auto('$nd', format='newline_delimited') r JOIN read_csv('$ref/cog-2026/communes.csv', all_varchar=true) c ON r.insee = c.code_insee) TO '/dev/null' (FORMAT json)"
	bench_ratio "$t_pvd" "$BENCH_LAST" "pvd-join vs DuckDB"
else
	echo "  duckdb: not installed, skipped (test/install-deps --bench)"
fi
