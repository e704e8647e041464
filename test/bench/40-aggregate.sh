# pvd-aggregate: BENCH_ROWS joined grant records (NDJSON) → sum and count of
# montant by région, next to mlr stats1 and DuckDB's GROUP BY on the same
# file; then the whole catalogue (config/indicators.yaml: distinct communes,
# filters, breakdowns) on it, and the same split over every core with
# --partial / --merge.
echo "== pvd-aggregate: NDJSON records → indicators"
nd="$BENCH_DIR/aggregate-$BENCH_ROWS.ndjson"
if [ ! -s "$nd" ]; then
	awk -v n="$BENCH_ROWS" 'BEGIN {
		split("84|11|75|76|44|32|28|53|52|24|27|93|94", reg, "|")
		split("detr|dsil|fnadt|dsid|detr", dot, "|")
		for (i = 1; i <= n; i++) {
			c = sprintf("%05d", 1001 + (i * 7919) % 35000); r = reg[1 + i % 13]; p = (i % 5 == 0)
			printf "{\"_file\":\"bench/dotations-%d.csv\",\"_line\":%d,\"_dataset\":\"dotations\",", i % 4, i + 1
			printf "\"dotation\":\"%s\",\"beneficiaire_insee\":\"%s\",\"montant\":%d.%02d,\"exercice\":2021,", dot[1 + i % 5], c, (i * 104729) % 5000000, i % 100
			printf "\"date_decision\":\"2021-%02d-%02d\",\"commune_insee\":\"%s\",\"commune_dep\":\"%02d\",", 1 + i % 12, 1 + i % 28, c, 1 + i % 95
			printf "\"commune_dep_nom\":\"Dép %d\",\"commune_reg\":\"%s\",\"commune_reg_nom\":\"Région %s\",", 1 + i % 95, r, r
			printf "\"collectivite\":\"%s\",\"pvd\":%s,\"pvd_communes\":[%s]}\n", c, p ? "true" : "false", p ? "\"" c "\"" : ""
		}
	}' >"$nd"
fi
printf '  input: %s records, %s MB\n' "$BENCH_ROWS" "$(($(stat -c %s "$nd") / 1000000))"
bench_time "pvd-aggregate (sum+count by région)" "$nd" pvd-aggregate -q -p 2021-Q4 -i "$PVD_ROOT/fixtures/aggregate/bench.yaml"
t_pvd=$BENCH_LAST
bench_time "pvd-aggregate (whole catalogue)" "$nd" pvd-aggregate -q -p 2021-Q4 -i "$PVD_ROOT/config/indicators.yaml"
t_all=$BENCH_LAST
[ -n "$t_pvd" ] && printf '  %-34s %8.2f M records/s\n' "pvd-aggregate sum+count" "$(echo "$BENCH_ROWS / $t_pvd / 1000000" | bc -l)"
[ -n "$t_all" ] && printf '  %-34s %8.2f M records/s\n' "pvd-aggregate whole catalogue" "$(echo "$BENCH_ROWS / $t_all / 1000000" | bc -l)"
if have mlr; then
	bench_time "mlr stats1 -a sum,count -g reg" "$nd" mlr --ijsonl --ojsonl stats1 -a sum,count -f montant -g commune_reg
	bench_ratio "$t_pvd" "$BENCH_LAST" "pvd-aggregate vs mlr"
else
	echo "  mlr: not installed (test/install-deps --bench)"
fi
if have duckdb; then
	bench_time "duckdb GROUP BY" "$nd" duckdb -c "SELECT commune_reg, sum(montant), count(*) FROM read_json_auto('$nd', format='newline_delimited') GROUP BY commune_reg"
	bench_ratio "$t_pvd" "$BENCH_LAST" "pvd-aggregate vs DuckDB"
else
	echo "  duckdb: not installed, skipped (test/install-deps --bench)"
fi
# The whole catalogue over every core: one partial state per piece, one merge.
j=$(nproc)
if [ "$j" -gt 1 ]; then
	pieces="$BENCH_DIR/aggregate-pieces"
	rm -rf "$pieces" && mkdir -p "$pieces"
	split -n "l/$j" -d "$nd" "$pieces/p."
	s=$(date +%s.%N)
	ls "$pieces"/p.* | xargs -P "$j" -I{} sh -c 'pvd-aggregate -q -p 2021-Q4 --partial {} >{}.state 2>/dev/null'
	pvd-aggregate -q -p 2021-Q4 --merge "$pieces"/p.*.state >"$pieces/merged.ndjson" 2>/dev/null
	e=$(date +%s.%N)
	printf '  %-34s %8.3f s (%d jobs, pieces already split)\n' "whole catalogue, --partial + --merge" "$(echo "$e - $s" | bc -l)" "$j"
	pvd-aggregate -q -p 2021-Q4 "$nd" 2>/dev/null | cmp -s - "$pieces/merged.ndjson" &&
		echo "  merged output identical to one pass" || echo "  MERGED OUTPUT DIFFERS"
	rm -rf "$pieces"
fi
