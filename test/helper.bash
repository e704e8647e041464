# Shared set-up for the bats suites: programs from the build under test,
# bats-assert, and a scratch directory per test.
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

: "${PVD_ROOT:=$(cd "$BATS_TEST_DIRNAME/.." && pwd)}"
: "${PVD_BIN:=$PVD_ROOT/build/bin}"
: "${PVD_TOOLS:=$PVD_ROOT/build/tools}"
PATH="$PVD_BIN:$PATH"
FIX="$PVD_ROOT/fixtures"
GOLD="$PVD_ROOT/test/golden"

# Compares a file with a golden file; PVD_UPDATE_GOLDEN=1 rewrites the golden.
assert_golden() {
	local got=$1 gold=$2
	if [ -n "${PVD_UPDATE_GOLDEN:-}" ]; then
		mkdir -p "$(dirname "$gold")"
		cp "$got" "$gold"
	fi
	if ! diff -u "$gold" "$got" >"$BATS_TEST_TMPDIR/golden.diff"; then
		head -40 "$BATS_TEST_TMPDIR/golden.diff" >&2
		return 1
	fi
}

# The demo's planted bad rows (fixtures/demo/planted-rejects.tsv, header
# dropped) as the pipelines meet them: three exports reach them as
# spreadsheets made from the CSVs (test/tools/demo-sheets.sh), with the same
# rows, the conventions sheet one row lower (its title row).
demo_planted_rejects() {
	tail -n +2 "$PVD_ROOT/fixtures/demo/planted-rejects.tsv" | awk -F'\t' -v OFS='\t' '
		$3 ~ /conventions-auvergne-rhone-alpes\.csv$/ { sub(/\.csv$/, ".xlsx", $3); $4++ }
		$3 ~ /ort-nouvelle-aquitaine\.csv$/ { sub(/\.csv$/, ".ods", $3) }
		$3 ~ /fnadt-2021\.csv$/ { sub(/\.csv$/, ".xls", $3) }
		{ print }'
}
