# pvd-render: a large pvd-aggregate output (every indicator of the dashboard
# broken down by région, département and EPCI: what the real catalogue
# emits, and more) → the JSON document, the HTML page and the CSV table,
# next to jq grouping the same records into one document.
echo "== pvd-render: indicator records → dashboard"
# The size of a real quarter is set by the catalogue, not by BENCH_ROWS:
# ~70 indicators × (1 + 18 régions + 101 départements + 1 250 EPCI).
nd="$BENCH_DIR/render-indicators.ndjson"
if [ ! -s "$nd" ]; then
	awk 'BEGIN {
		while (("grep -oE \"^      - [a-z_.]+$\" '"$PVD_ROOT"'/config/dashboard.yaml" | getline l) > 0) { sub(/^ *- /, "", l); id[++n] = l }
		for (k = 1; k <= n; k++) {
			u = id[k] ~ /part$/ ? "part" : id[k] ~ /montant$/ ? "eur" : id[k] ~ /moyen$/ ? "moyenne" : "communes"
			for (g = 0; g <= 1369; g++) {
				if (g == 0) { bd = "null"; key = "null"; kl = "null" }
				else if (g <= 18) { bd = "\"reg\""; key = "\"r" g "\""; kl = "\"Région " g "\"" }
				else if (g <= 119) { bd = "\"dep\""; key = sprintf("\"%03d\"", g - 18); kl = "\"Département " (g - 18) "\"" }
				else { bd = "\"epci\""; key = sprintf("\"2000%05d\"", g); kl = "\"CC numéro " g "\"" }
				if (u == "part" || u == "moyenne") { den = 50 + g % 900; num = (g * 7) % den
					val = sprintf("%d.%06d", int(num / den), int((num * 2000000 + den) / (2 * den)) % 1000000) }
				else if (u == "eur") { val = sprintf("%d.%02d", (g * 104729 + k) % 90000000, g % 100); num = "null"; den = "null" }
				else { val = (g * 31 + k) % 2000; num = "null"; den = "null" }
				printf "{\"id\":\"%s\",\"label\":\"Indicateur %s\",\"unit\":\"%s\",\"period\":\"2021-Q4\",\"value\":%s,\"num\":%s,\"den\":%s,", id[k], id[k], u, val, num, den
				printf "\"breakdown\":%s,\"key\":%s,\"key_label\":%s,\"datasets\":[\"bench\"],\"records\":%d,\"inputs\":[\"bench.csv\"]}\n", bd, key, kl, 1 + g
			}
		}
	}' >"$nd"
fi
printf '  input: %s records, %s MB\n' "$(wc -l <"$nd")" "$(($(stat -c %s "$nd") / 1000000))"
bench_time "pvd-render -f json" "$nd" pvd-render -q
t_pvd=$BENCH_LAST
bench_time "pvd-render -f html" "$nd" pvd-render -q -f html
bench_time "pvd-render -f csv" "$nd" pvd-render -q -f csv
[ -n "$t_pvd" ] && printf '  %-34s %8.2f k records/s\n' "pvd-render json" "$(echo "$(wc -l <"$nd") / $t_pvd / 1000" | bc -l)"
if have jq; then
	bench_time "jq -s group_by(.id) into one document" "$nd" jq -s 'group_by(.id) | map({id: .[0].id, head: map(select(.breakdown == null))[0], groups: map(select(.breakdown != null))})'
	bench_ratio "$t_pvd" "$BENCH_LAST" "pvd-render vs jq"
fi
