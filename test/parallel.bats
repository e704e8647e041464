#!/usr/bin/env bats
# The README's scale-out recipe (section Performance): a quarter's sources
# run by GNU parallel down to pvd-aggregate --partial and merged by --merge.
# The block is taken from README.md as written and run with the local machine
# as the only "remote" (-S :): it must give the bytes of one pass, and a
# source that fails must fail it before anything is merged.

load helper

# The README's block, its hosts replaced by the local machine.
recipe() {
	sed -n '/^# scale-out recipe: begin$/,/^# scale-out recipe: end$/p' "$PVD_ROOT/README.md" |
		sed 's/-S host1,host2/-S :/'
}

setup() {
	command -v parallel >/dev/null || skip "GNU parallel is not installed (test/install-deps installs it)"
	parallel --will-cite --version 2>/dev/null | grep -q '^GNU parallel' ||
		skip "the parallel on PATH is not GNU parallel (moreutils'?): the recipe needs GNU parallel"
	cd "$BATS_TEST_TMPDIR"
	ln -s "$PVD_ROOT/fixtures" fixtures
	ln -s "$PVD_ROOT/config" config
	export PVD_CONFIG="$PVD_ROOT/config"
	printf '%s\t%s\t%s\n' \
		pvd config/ref/pvd-2021-01.csv pvd-liste-2021 \
		ort fixtures/exports/ort_suivi_conventions_dgaln.csv ort-dgaln \
		detr fixtures/run/e2e/detr-prefecture.csv dotations-prefecture >sources.tsv
}

@test "the README's GNU parallel recipe gives the bytes of one pass and of pvd-run" {
	recipe >recipe.sh
	grep -q -- '-S : ' recipe.sh   # the block is there, and its hosts were replaced
	run bash recipe.sh
	[ "$status" -eq 0 ]
	[ "$(ls ./*.state | wc -l)" -eq 3 ]
	# one pass: every source's joined records into one pvd-aggregate
	while IFS=$'\t' read -r _ file profile; do
		pvd-ingest -q --profile "$profile" "$file" | pvd-clean -q --profile "$profile" |
			pvd-join -q --ref pvd=pvd-2021-01 --ref communes=cog-2026
	done <sources.tsv | pvd-aggregate -q --period 2021-Q4 >one.ndjson
	[ "$(wc -l <one.ndjson)" -gt 100 ]
	cmp one.ndjson indicators.ndjson
	# and the runner on the same quarter
	cp "$FIX/run/e2e/2021-Q4.yaml" q.yaml
	pvd-run -q q.yaml
	cmp out/2021-Q4/indicators.ndjson indicators.ndjson
}

@test "a source whose chain fails stops the recipe before the merge" {
	recipe >recipe.sh
	printf 'gone\tfixtures/exports/no-such-export.csv\tort-dgaln\n' >>sources.tsv
	run bash recipe.sh
	[ "$status" -ne 0 ]
	[[ "$output" == *"no-such-export.csv"* ]]
	[ ! -e indicators.ndjson ]
}
