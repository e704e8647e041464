#!/usr/bin/env bats
# make install: programs, man pages and the configuration where PREFIX says.
load helper

@test "make install PREFIX=... DESTDIR=... installs every program, its man page and the config" {
	cd "$PVD_ROOT"
	run make --no-print-directory -s install BUILD="${PVD_BUILD:-build}" PREFIX=/opt/pvd DESTDIR="$BATS_TEST_TMPDIR/root"
	assert_success
	root="$BATS_TEST_TMPDIR/root/opt/pvd"
	for d in cmd/*/; do
		p=$(basename "$d")
		[ -x "$root/bin/$p" ]
		[ -f "$root/share/man/man1/$p.1" ]
		run "$root/bin/$p" --version
		assert_success
		assert_output --partial "$p (pvd) "
	done
	[ -f "$root/share/pvd/config/indicators.yaml" ]
	[ -d "$root/share/pvd/config/sources" ]
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
