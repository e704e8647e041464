# pvd-ingest on a spreadsheet: a generated .xlsx of BENCH_XLSX_ROWS rows
# (default 1000000, Excel's layout: shared strings, 17-digit doubles, dates)
# → NDJSON, next to xlsx2csv (Debian's converter) in the same run; rows/s,
# MB/s of sheet XML, and peak memory at a tenth of the rows and at all of
# them (flat: the sheet is streamed).
echo "== pvd-ingest: .xlsx workbook → NDJSON"
rows=${BENCH_XLSX_ROWS:-1000000}
xlsx="$BENCH_DIR/grants-$rows.xlsx"
small="$BENCH_DIR/grants-$((rows / 10)).xlsx"
[ -s "$xlsx" ] || "$PVD_TOOLS/xlsx-gen" "$rows" "$xlsx" || { echo "  cannot generate $xlsx: skipped"; rm -f "$xlsx"; }
[ -s "$small" ] || "$PVD_TOOLS/xlsx-gen" "$((rows / 10))" "$small" || rm -f "$small"
if [ -s "$xlsx" ] && [ -s "$small" ]; then
	xml=$(unzip -l "$xlsx" xl/worksheets/sheet1.xml | awk 'NR == 4 { print $1 }')
	printf '  input: %s rows, %s MB zipped, %s MB of sheet XML\n' "$rows" \
		"$(($(stat -c %s "$xlsx") / 1000000))" "$((xml / 1000000))"
	# xlsx_time LABEL CMD...: best wall time of 3 runs (the file as an argument)
	xlsx_time() {
		local label=$1 best="" s e t; shift
		for _ in 1 2 3; do
			s=$(date +%s.%N)
			"$@" >/dev/null 2>&1 || { echo "  $label: FAILED"; BENCH_LAST=""; return 0; }
			e=$(date +%s.%N)
			t=$(echo "$e - $s" | bc -l)
			if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
		done
		BENCH_LAST=$best
		printf '  %-34s %8.3f s %9.0f rows/s %7.1f MB/s (sheet XML)\n' "$label" "$best" \
			"$(echo "$rows / $best" | bc -l)" "$(echo "$xml / 1000000 / $best" | bc -l)"
	}
	xlsx_time "pvd-ingest" pvd-ingest -q "$xlsx"
	t_pvd=$BENCH_LAST
	if have /usr/bin/time; then
		rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
		printf '  %-34s %8s KB at %s rows, %s KB at %s rows\n' "pvd-ingest peak memory" \
			"$(rss pvd-ingest -q "$small")" "$((rows / 10))" "$(rss pvd-ingest -q "$xlsx")" "$rows"
	fi
	if have xlsx2csv; then
		xlsx_time "xlsx2csv" xlsx2csv "$xlsx"
		bench_ratio "$t_pvd" "$BENCH_LAST" "pvd-ingest vs xlsx2csv"
		have /usr/bin/time && printf '  %-34s %8s KB at %s rows\n' "xlsx2csv peak memory" "$(rss xlsx2csv "$xlsx")" "$rows"
	else
		echo "  xlsx2csv: not installed, skipped (test/install-deps --bench)"
	fi
	# DuckDB's spreadsheet reader is an extension: only when already installed (offline)
	if have duckdb && duckdb -c "LOAD excel" >/dev/null 2>&1; then
		xlsx_time "duckdb read_xlsx" duckdb -c "LOAD excel; COPY (SELECT * FROM read_xlsx('$xlsx', all_varchar=true)) TO '/dev/null' (FORMAT json)"
		bench_ratio "$t_pvd" "$BENCH_LAST" "pvd-ingest vs DuckDB"
	else
		echo "  duckdb excel extension: not available offline, skipped"
	fi
fi
