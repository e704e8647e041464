#!/usr/bin/env bats
# Installation: make install under any PREFIX or DESTDIR (then moved), and
# the Debian package, each running the demo quarter from an unrelated
# directory with nothing but the installed files (programs, config) and the
# demo's exports: the same indicators.json as the tree's own run.
load helper

# The demo project without its config/: the two quarters' pipelines, as they
# are (they name no config file: the catalogue, profiles and references come
# from the config directory), and a copy of the exports.
make_project() { # DIR
	mkdir -p "$1/pipelines" "$1/fixtures"
	cp "$PVD_ROOT"/pipelines/2021-Q3.yaml "$PVD_ROOT"/pipelines/2021-Q4.yaml "$1/pipelines/"
	cp -R "$PVD_ROOT/fixtures/demo" "$1/fixtures/"
}

# A document without its provenance (paths and times depend on where and
# when the run was made), and the provenance's input checksums, which must
# not; the files named in the indicators' lineage are named as from the
# project's top (the tree's run names them so: it was made from there).
comparable() {
	jq -S 'del(.provenance)' "$1" | sed -E 's#"[^"]*/fixtures/demo/#"fixtures/demo/#g; s#"[^"]*/share/pvd/config/#"config/#g'
	jq -r '.provenance.inputs[] | .sha256' "$1"
}

setup_file() {
	# The tree's own run, with the built programs and the tree's config.
	T=$BATS_FILE_TMPDIR/tree
	mkdir -p "$T/pipelines"
	cp "$PVD_ROOT"/pipelines/2021-Q3.yaml "$PVD_ROOT"/pipelines/2021-Q4.yaml "$T/pipelines/"
	ln -s "$PVD_ROOT/fixtures" "$T/fixtures"
	ln -s "$PVD_ROOT/config" "$T/config"
	(cd "$T" && unset PVD_CONFIG && pvd-run -q pipelines/2021-Q3.yaml && pvd-run -q pipelines/2021-Q4.yaml) \
		>"$BATS_FILE_TMPDIR/tree.log" 2>&1
	echo $? >"$BATS_FILE_TMPDIR/tree.rc"
}

setup() {
	unset PVD_CONFIG
	T=$BATS_FILE_TMPDIR/tree
	[ "$(cat "$BATS_FILE_TMPDIR/tree.rc")" = 0 ] || { cat "$BATS_FILE_TMPDIR/tree.log"; false; }
	[ -s "$T/out/2021-Q4/indicators.json" ]
	mkdir -p "$BATS_TEST_TMPDIR/elsewhere"
}

@test "make install PREFIX=... DESTDIR=... installs every program, its man page, the config and the completion" {
	cd "$PVD_ROOT"
	run make --no-print-directory -s install BUILD="${PVD_BUILD:-build}" PREFIX=/opt/pvd DESTDIR="$BATS_TEST_TMPDIR/root"
	assert_success
	root="$BATS_TEST_TMPDIR/root/opt/pvd"
	for d in cmd/*/; do
		p=$(basename "$d")
		[ -x "$root/bin/$p" ]
		[ -f "$root/share/man/man1/$p.1" ]
		[ -L "$root/share/bash-completion/completions/$p" ]
		run "$root/bin/$p" --version
		assert_success
		assert_output --partial "$p (pvd) "
	done
	[ -f "$root/share/bash-completion/completions/pvd" ]
	diff -r config "$root/share/pvd/config"
}

@test "nothing is compiled from PREFIX: another PREFIX rebuilds nothing, no program holds it" {
	cd "$PVD_ROOT"
	# (make -q would answer "stale" for the phony pkgcheck: ask what would be compiled)
	run make -n BUILD="${PVD_BUILD:-build}" PREFIX=/some/where/else all
	assert_success
	refute_output --partial " -o ${PVD_BUILD:-build}/"
	! grep -rqa /usr/local/share/pvd "${PVD_BUILD:-build}/bin/"
}

@test "installed under a prefix: the demo quarter from an unrelated directory gives the tree's indicators.json" {
	P=$BATS_TEST_TMPDIR/prefix
	make -C "$PVD_ROOT" --no-print-directory -s install BUILD="${PVD_BUILD:-build}" PREFIX="$P" >/dev/null
	make_project "$BATS_TEST_TMPDIR/proj"
	cd "$BATS_TEST_TMPDIR/elsewhere"
	# nothing of the tree on PATH: the installed pvd-run and its filters only
	export PATH=/usr/bin:/bin
	run "$P/bin/pvd-run" -q ../proj/pipelines/2021-Q3.yaml
	assert_success
	run "$P/bin/pvd-run" -q "$BATS_TEST_TMPDIR/proj/pipelines/2021-Q4.yaml"
	assert_success
	[ -z "$(ls)" ]   # nothing written in the current directory
	diff <(comparable "$T/out/2021-Q4/indicators.json") <(comparable ../proj/out/2021-Q4/indicators.json)
	# the filters alone find the installed config too
	run "$P/bin/pvd-ingest" -q -p ort-dgaln "$PVD_ROOT/fixtures/exports/ort_suivi_conventions_dgaln.csv"
	assert_success
	[ "${#lines[@]}" = 2290 ]
	run "$P/bin/pvd-run" --print-deps ../proj/pipelines/2021-Q4.yaml
	assert_line "$P/share/pvd/config/dashboard.yaml"
	assert_line "$P/share/pvd/config/indicators.yaml"
	assert_line "$P/share/pvd/config/datasets/ort.yaml"
	assert_line "$P/share/pvd/config/ref/cog-2026/communes.csv"
}

@test "installed into a DESTDIR, then moved elsewhere: still finds its config, same indicators.json" {
	make -C "$PVD_ROOT" --no-print-directory -s install BUILD="${PVD_BUILD:-build}" PREFIX=/usr/local \
		DESTDIR="$BATS_TEST_TMPDIR/stage" >/dev/null
	mv "$BATS_TEST_TMPDIR/stage/usr/local" "$BATS_TEST_TMPDIR/moved"
	M=$BATS_TEST_TMPDIR/moved
	make_project "$BATS_TEST_TMPDIR/proj"
	mkdir -p "$BATS_TEST_TMPDIR/proj/out"
	cp -R "$T/out/2021-Q3" "$BATS_TEST_TMPDIR/proj/out/"   # the previous quarter, as the tree made it
	cd "$BATS_TEST_TMPDIR/elsewhere"
	export PATH=/usr/bin:/bin
	run "$M/bin/pvd-run" -q "$BATS_TEST_TMPDIR/proj/pipelines/2021-Q4.yaml"
	assert_success
	diff <(comparable "$T/out/2021-Q4/indicators.json") <(comparable ../proj/out/2021-Q4/indicators.json)
	run "$M/bin/pvd-clean" -d nosuch </dev/null
	assert_failure 78
	assert_output "pvd-clean: no datasets named 'nosuch' (looked for $M/share/pvd/config/datasets/nosuch.yaml)"
}

@test "a ./config in the current directory does not change a pipeline's run" {
	P=$BATS_TEST_TMPDIR/prefix
	make -C "$PVD_ROOT" --no-print-directory -s install BUILD="${PVD_BUILD:-build}" PREFIX="$P" >/dev/null
	make_project "$BATS_TEST_TMPDIR/proj"
	mkdir -p "$BATS_TEST_TMPDIR/proj/out"
	cp -R "$T/out/2021-Q3" "$BATS_TEST_TMPDIR/proj/out/"
	cd "$BATS_TEST_TMPDIR/elsewhere"
	# a decoy config that would break every source
	mkdir -p config/sources config/ref
	printf 'dataset: nothing\n' >config/sources/pvd-liste.yaml
	export PATH=/usr/bin:/bin
	run "$P/bin/pvd-run" -n "$BATS_TEST_TMPDIR/proj/pipelines/2021-Q4.yaml"
	assert_success
	assert_line "export PVD_CONFIG=$P/share/pvd/config"
	run "$P/bin/pvd-run" -q "$BATS_TEST_TMPDIR/proj/pipelines/2021-Q4.yaml"
	assert_success
	diff <(comparable "$T/out/2021-Q4/indicators.json") <(comparable ../proj/out/2021-Q4/indicators.json)
}

@test "make deb: a Debian package with the programs, man pages, config, completion and its Depends; it runs the demo" {
	command -v dpkg-deb >/dev/null || skip "no dpkg-deb"
	cd "$PVD_ROOT"
	run make --no-print-directory -s deb BUILD="${PVD_BUILD:-build}"
	assert_success
	deb=$(ls "${PVD_BUILD:-build}"/pvd_*.deb)
	run dpkg-deb -f "$deb" Package Version Architecture
	assert_output "Package: pvd
Version: $(cat VERSION)
Architecture: $(dpkg --print-architecture)"
	run dpkg-deb -f "$deb" Depends
	for lib in libc6 libyaml-0-2 libjansson4 libcsv3 libzip4 libexpat1 libfreexl1; do assert_output --partial "$lib"; done
	dpkg-deb -c "$deb" | awk '{print $6}' >"$BATS_TEST_TMPDIR/list"
	for d in cmd/*/; do
		p=$(basename "$d")
		grep -qx "./usr/bin/$p" "$BATS_TEST_TMPDIR/list"
		grep -qx "./usr/share/man/man1/$p.1.gz" "$BATS_TEST_TMPDIR/list"
		grep -qx "./usr/share/bash-completion/completions/$p" "$BATS_TEST_TMPDIR/list"
	done
	grep -qx ./usr/share/pvd/config/indicators.yaml "$BATS_TEST_TMPDIR/list"
	grep -qx ./usr/share/pvd/config/ref/cog-2026/communes.csv "$BATS_TEST_TMPDIR/list"
	# unpacked into a scratch root, run from an empty directory
	R=$BATS_TEST_TMPDIR/deb-root
	dpkg -x "$deb" "$R"
	make_project "$BATS_TEST_TMPDIR/proj"
	mkdir -p "$BATS_TEST_TMPDIR/proj/out"
	cp -R "$T/out/2021-Q3" "$BATS_TEST_TMPDIR/proj/out/"
	cd "$BATS_TEST_TMPDIR/elsewhere"
	export PATH=/usr/bin:/bin
	run "$R/usr/bin/pvd-run" -q "$BATS_TEST_TMPDIR/proj/pipelines/2021-Q4.yaml"
	assert_success
	diff <(comparable "$T/out/2021-Q4/indicators.json") <(comparable ../proj/out/2021-Q4/indicators.json)
}

@test "the installed package (CI: dpkg -i, PVD_INSTALLED_BIN=/usr/bin) runs the demo from an empty directory" {
	[ -n "${PVD_INSTALLED_BIN:-}" ] || skip "PVD_INSTALLED_BIN not set (.ci/run sets it after dpkg -i)"
	B=$PVD_INSTALLED_BIN
	if [ "$B" = /usr/bin ]; then
		run dpkg-query -W -f='${Status} ${Version}' pvd
		assert_output "install ok installed $(cat "$PVD_ROOT/VERSION")"
	fi
	make_project "$BATS_TEST_TMPDIR/proj"
	cd "$BATS_TEST_TMPDIR/elsewhere"
	export PATH=/usr/bin:/bin
	run "$B/pvd-run" -q "$BATS_TEST_TMPDIR/proj/pipelines/2021-Q3.yaml"
	assert_success
	run "$B/pvd-run" -q "$BATS_TEST_TMPDIR/proj/pipelines/2021-Q4.yaml"
	assert_success
	diff <(comparable "$T/out/2021-Q4/indicators.json") <(comparable ../proj/out/2021-Q4/indicators.json)
	[ -f "$B/../share/bash-completion/completions/pvd-run" ]
	[ -f "$B/../share/man/man1/pvd-run.1.gz" ]
}

@test "every program has a man page that documents each long option of its --help" {
	cd "$PVD_ROOT"
	for d in cmd/*/; do
		p=$(basename "$d")
		[ -f "$d/$p.1" ]
		man -l "$d/$p.1" >/dev/null 2>&1 || groff -man -Tutf8 "$d/$p.1" >/dev/null 2>&1 || true
		for opt in $("$p" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
			grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')\|$opt" "$d/$p.1" || { echo "$p: $opt not in $p.1"; return 1; }
		done
	done
}

@test "the man pages and the README state the config lookup order" {
	cd "$PVD_ROOT"
	for d in cmd/*/; do
		p=$(basename "$d")
		# pvd-explain reads no config: a lineage file and the raw exports
		[ "$p" = pvd-explain ] && continue
		grep -q 'share/pvd/config' "$d/$p.1" || { echo "$p.1"; return 1; }
	done
	grep -q 'BINDIR/../share/pvd/config' README.md
}
