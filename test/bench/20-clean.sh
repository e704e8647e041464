# pvd-clean: messy grant records (préfecture shape) → typed records, next to
# a jq program doing the same kind of work per record (trim and collapse
# text, pad INSEE codes, read "1 234 567,89 €" amounts, reorder dates, map
# the dotation to a code).  jq reads amounts as doubles: it does less, not
# more, than pvd-clean's exact cents and checks.
echo "== pvd-clean: messy NDJSON records → typed records"
# One million records (fewer if BENCH_ROWS says so): jq needs minutes for them.
rows=$((BENCH_ROWS < 1000000 ? BENCH_ROWS : 1000000))
nd="$BENCH_DIR/clean-$rows.ndjson"
[ -s "$nd" ] || awk -v n="$rows" 'BEGIN {
	split("DETR|DSIL|FNADT|DSIL Exceptionnelle|dsil rt", dot, "|")
	for (i = 1; i <= n; i++) {
		insee = sprintf(i % 3 ? "%d" : "%05d", 1001 + i % 8000)
		euros = i % 9000000; cents = i % 100
		printf "{\"_file\":\"bench/detr.csv\",\"_line\":%d,\"_dataset\":\"dotations\",\"_source\":\"dotations-prefecture\",", i + 1
		printf "\"dotation\":\"%s\",\"beneficiaire_insee\":\"%s\",\"beneficiaire_siren\":\"\",", dot[i % 5 + 1], insee
		printf "\"beneficiaire_nom\":\"  Commune  %d \",\"beneficiaire_dep\":\"00%d\",", i % 8000, 1 + i % 9
		printf "\"intitule\":\"Rénovation  de l%sécole n° %d\",", "\047", i
		printf "\"cout\":\"%d %03d,%02d €\",\"montant\":\"%d,%d\",", 1 + euros % 999, euros % 1000, cents, euros % 500000, cents % 10
		printf "\"exercice\":\"2021\",\"date_decision\":\"%02d/%02d/20%02d\"}\n", 1 + i % 28, 1 + i % 12, 18 + i % 6
	}
}' >"$nd"
printf '  input: %s records, %s MB\n' "$rows" "$(($(stat -c %s "$nd") / 1000000))"
bench_time "pvd-clean" "$nd" pvd-clean -q
t_pvd=$BENCH_LAST
if have jq; then
	# split/join rather than regular expressions: the fastest jq can do this
	jqprog='
	def trim: split(" ") | map(select(. != "")) | join(" ");
	def eur: if . == "" then null else split(" ") | join("") | split("€") | join("")
		| split(",") | join(".") | tonumber end;
	.dotation |= (ascii_downcase | split(" ") | join("_"))
	| .beneficiaire_insee |= (if length == 4 then "0" + . else . end)
	| .beneficiaire_siren |= (if . == "" then null else . end)
	| .beneficiaire_nom |= trim | .intitule |= trim
	| .beneficiaire_dep |= (ltrimstr("0") | if length == 1 then "0" + . else . end)
	| .cout |= eur | .montant |= eur
	| .exercice |= tonumber
	| .date_decision |= (split("/") | reverse | join("-"))'
	# one run, not the best of three: jq takes minutes, and its spread is
	# small next to the ratio
	BENCH_RUNS=1 bench_time "jq (comparable work, one run)" "$nd" jq -c "$jqprog"
	t_jq=$BENCH_LAST
	bench_ratio "$t_pvd" "$t_jq" "pvd-clean vs jq"
else
	echo "  jq: not installed, skipped"
fi
