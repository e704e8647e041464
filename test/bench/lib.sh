# Helpers for the benchmark scripts (sourced by test/bench/run).

# bench_time LABEL INPUT_FILE CMD...: runs CMD (stdin = INPUT_FILE, stdout
# discarded) 3 times, keeps the best wall time, prints label, seconds, MB/s
# and records the time in BENCH_LAST for ratio lines.
bench_time() {
	local label=$1 input=$2; shift 2
	local size best="" t s e
	size=$(stat -c %s "$input")
	for _ in 1 2 3; do
		s=$(date +%s.%N)
		"$@" <"$input" >/dev/null 2>/dev/null || { echo "  $label: FAILED"; BENCH_LAST=""; return 0; }
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc -l)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
	done
	BENCH_LAST=$best
	printf '  %-34s %8.3f s %9.1f MB/s\n' "$label" "$best" "$(echo "$size / 1000000 / $best" | bc -l)"
}

# bench_ratio A_SECONDS B_SECONDS TEXT: prints "TEXT: x.yz×" (B / A: how many
# times faster A is than B).
bench_ratio() {
	[ -n "$1" ] && [ -n "$2" ] || return 0
	printf '  %-34s %8.2f×\n' "$3" "$(echo "$2 / $1" | bc -l)"
}

have() { command -v "$1" >/dev/null 2>&1; }

# DuckDB: the duckdb command, else its Node.js package installed by
# `test/install-deps --bench` (same engine).
if ! command -v duckdb >/dev/null 2>&1 && [ -d "$BENCH_DIR/duckdb/node_modules/@duckdb/node-api" ]; then
	duckdb() { node "$BENCH_DIR/duckdb/duckdb.mjs" "$@"; }
fi
