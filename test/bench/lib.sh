# Helpers for the benchmark scripts (sourced by test/bench/run).

# The table printed at the end of `make bench`: one row per bench_time.
BENCH_TABLE="$BENCH_DIR/table.tsv"
BENCH_CASE=""

# bench_case NAME: the case the next rows of the table belong to.
bench_case() { BENCH_CASE=$1; }

# bench_time LABEL INPUT_FILE CMD...: runs CMD (stdin = INPUT_FILE, stdout
# discarded) BENCH_RUNS times (default 3), keeps the best wall time, prints
# label, seconds, MB/s and the peak RSS, records the time in BENCH_LAST for
# ratio lines and adds a row to the table.  The peak RSS is GNU time's %M:
# the largest resident set of CMD and of every process it waited for (each
# filter pvd-run starts, the stages of a pipeline run by bash), not their sum.
bench_time() {
	local label=$1 input=$2; shift 2
	local size best="" t s e rss="" r tf="$BENCH_DIR/.time"
	size=$(stat -c %s "$input")
	for _ in $(seq "${BENCH_RUNS:-3}"); do
		s=$(date +%s.%N)
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f %M -o "$tf" "$@" <"$input" >/dev/null 2>/dev/null || { echo "  $label: FAILED"; BENCH_LAST=""; return 0; }
		else
			"$@" <"$input" >/dev/null 2>/dev/null || { echo "  $label: FAILED"; BENCH_LAST=""; return 0; }
		fi
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc -l)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
		if [ -x /usr/bin/time ]; then
			r=$(tail -n 1 "$tf")
			if [ -z "$rss" ] || [ "$r" -gt "$rss" ]; then rss=$r; fi
		fi
	done
	BENCH_LAST=$best
	local mbs rssm=""
	mbs=$(echo "$size / 1000000 / $best" | bc -l)
	[ -n "$rss" ] && rssm=$(echo "$rss / 1024" | bc -l)
	printf '  %-34s %8.3f s %9.1f MB/s %s\n' "$label" "$best" "$mbs" "${rssm:+$(printf '%7.1f MiB peak' "$rssm")}"
	local tool=${1##*/}
	[ "$tool" = node ] && tool=duckdb
	printf '%s\t%s\t%s\t%.3f\t%.1f\t%s\n' "$BENCH_CASE" "$label" "$tool" "$best" "$mbs" \
		"${rssm:+$(printf '%.1f' "$rssm")}" >>"$BENCH_TABLE"
}

# bench_ratio A_SECONDS B_SECONDS TEXT: prints "TEXT: x.yz×" (B / A: how many
# times faster A is than B).
bench_ratio() {
	[ -n "$1" ] && [ -n "$2" ] || return 0
	printf '  %-34s %8.2f×\n' "$3" "$(echo "$2 / $1" | bc -l)"
}

# bench_table: the rows of every case run, as one table.
bench_table() {
	[ -s "$BENCH_TABLE" ] || return 0
	echo
	echo "== summary: best of ${BENCH_RUNS:-3} runs; peak RSS = largest single process (GNU time %M)"
	awk -F'\t' '
		BEGIN { printf "  %-10s %-40s %-14s %9s %9s %10s\n", "case", "what", "tool", "time s", "MB/s", "peak MiB" }
		{ printf "  %-10s %-40s %-14s %9s %9s %10s\n", $1, substr($2, 1, 40), $3, $4, $5, $6 == "" ? "-" : $6 }
	' "$BENCH_TABLE"
}

have() { command -v "$1" >/dev/null 2>&1; }

# DuckDB: the duckdb command, else its Node.js package installed by
# `test/install-deps --bench` (same engine), through a small wrapper on PATH
# (a command, not a function, so that GNU time can run it).
if ! command -v duckdb >/dev/null 2>&1 && [ -d "$BENCH_DIR/duckdb/node_modules/@duckdb/node-api" ]; then
	mkdir -p "$BENCH_DIR/bin"
	cmp -s "$PVD_ROOT/test/bench/duckdb.mjs" "$BENCH_DIR/duckdb/duckdb.mjs" ||
		cp "$PVD_ROOT/test/bench/duckdb.mjs" "$BENCH_DIR/duckdb/duckdb.mjs"
	printf '#!/bin/sh\nexec node "%s/duckdb/duckdb.mjs" "$@"\n' "$BENCH_DIR" >"$BENCH_DIR/bin/duckdb"
	chmod +x "$BENCH_DIR/bin/duckdb"
	PATH="$BENCH_DIR/bin:$PATH"
fi
