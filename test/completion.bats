#!/usr/bin/env bats
# Bash completion (cmd/pvd-completion.bash): registered for every program,
# options read from each program's --help, values from the config directory
# (profiles, datasets, reference versions) and from fixed lists.  Each test
# sources the script in a bash, sets COMP_WORDS / COMP_CWORD (and COMP_LINE
# for the '=' cases, as bash does), calls the function and reads COMPREPLY.
load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	export PVD_CONFIG="$PVD_ROOT/config"
}

# complete WORD...: the candidates for the last word, one per line, sorted.
complete_words() {
	bash -c 'source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_pvd; printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$PVD_ROOT/cmd/pvd-completion.bash" "$@"
}
# complete_line LINE: as bash calls it, with COMP_LINE / COMP_POINT (words split at '=').
complete_line() {
	bash -c 'source "$1"; COMP_LINE=$2; COMP_POINT=${#2}
		read -ra COMP_WORDS <<<"${2//=/ = }"; [[ $2 == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_pvd; printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$PVD_ROOT/cmd/pvd-completion.bash" "$1"
}

@test "every program has its completion function registered (complete -p)" {
	for d in "$PVD_ROOT"/cmd/*/; do
		p=$(basename "$d")
		run bash -c 'source "$1"; complete -p "$2"' _ "$PVD_ROOT/cmd/pvd-completion.bash" "$p"
		assert_success
		assert_output "complete -F _pvd $p"
	done
}

@test "options: exactly the option lines of each program's --help" {
	for d in "$PVD_ROOT"/cmd/*/; do
		p=$(basename "$d")
		want=$("$p" --help | sed -nE 's/^ {1,8}((-[A-Za-z0-9], )?--[A-Za-z][A-Za-z-]*).*/\1/p' |
			grep -oE -- '--[A-Za-z][A-Za-z-]*' | sort -u)
		[ -n "$want" ]
		got=$(complete_words "$p" --)
		[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); return 1; }
	done
	run complete_words pvd-clean --st
	[ "$output" = --strict ]
}

@test "profile and dataset names come from the config directory's sources/ and datasets/" {
	want=$(ls "$PVD_CONFIG/sources" | sed -n 's/\.yaml$//p' | grep '^ort' | sort)
	run complete_words pvd-ingest -p ort
	assert_output "$want"
	run complete_words pvd-clean --profile ort-d
	assert_output ort-dgaln
	run complete_words pvd-clean -d conv
	assert_output conventions
	# another config directory, another list
	mkdir -p other/sources && touch other/sources/mine.yaml
	PVD_CONFIG=$PWD/other run complete_words pvd-ingest -p ""
	assert_output mine
}

@test "reference versions after --ref NAME=, with bash's split at '='" {
	run complete_words pvd-join --ref ""
	assert_output $'communes=\npvd='
	run complete_words pvd-join --ref pvd=pvd-20
	assert_output pvd=pvd-2021-01
	# as bash passes it: only what follows '=' is replaced
	run complete_line "pvd-join --ref communes=cog"
	assert_output cog-2026
	run complete_line "pvd-render --format=m"
	assert_output md
}

@test "fixed value lists: formats, locales, modes, encodings" {
	run complete_words pvd-render -f ""
	assert_output $'csv\nhtml\njson\nmd'
	run complete_words pvd-render --locale ""
	assert_output $'c\nfr'
	run complete_words pvd-join --mode ""
	assert_output $'anti\ninner\nleft'
	run complete_words pvd-ingest -e w
	assert_output windows-1252
	run complete_words pvd-ingest -e utf-16
	assert_output $'utf-16be\nutf-16le'
}

@test "pvd-run completes pipeline files (*.yaml) and directories, nothing else" {
	mkdir -p pipelines sub && touch pipelines/2021-Q4.yaml pipelines/notes.txt
	run complete_words pvd-run pipelines/
	assert_output pipelines/2021-Q4.yaml
	run complete_words pvd-run s
	assert_output sub/
}

@test "the installed completion finds the installed config beside the program" {
	cd "$PVD_ROOT"
	make --no-print-directory -s install BUILD="${PVD_BUILD:-build}" PREFIX=/opt/pvd DESTDIR="$BATS_TEST_TMPDIR/root" >/dev/null
	root=$BATS_TEST_TMPDIR/root/opt/pvd
	[ -f "$root/share/bash-completion/completions/pvd" ]
	for d in cmd/*/; do [ "$(readlink "$root/share/bash-completion/completions/$(basename "$d")")" = pvd ]; done
	cd "$BATS_TEST_TMPDIR"
	unset PVD_CONFIG
	run env PATH="$root/bin:$PATH" bash -c 'source "$1"; COMP_WORDS=(pvd-clean -d ort); COMP_CWORD=2; _pvd; echo "${COMPREPLY[@]}"' _ "$root/share/bash-completion/completions/pvd-clean"
	assert_output ort
}

@test "pvd-explain: OUTDIR first, then the indicator ids of the configured catalogue" {
	mkdir -p out.d
	run complete_words pvd-explain out
	assert_output out.d
	# the ids as pvd-aggregate expands the catalogue (its for: templates):
	# one headline per indicator for no input
	want=$(pvd-aggregate -q -p 2000-Q1 -i "$PVD_CONFIG/indicators.yaml" </dev/null | jq -r .id | sort)
	[ "$(wc -l <<<"$want")" -gt 20 ]
	run complete_words pvd-explain out.d ""
	[ "$output" = "$want" ]
	run complete_words pvd-explain out.d dotations.
	[ "$output" = "$(grep '^dotations\.' <<<"$want")" ]
	[ -n "$output" ]
	# after --lineage FILE (or -C DIR), the first operand is the id
	run complete_words pvd-explain --lineage l.ndjson -C . conventions.n
	[ "$output" = "$(grep '^conventions\.n' <<<"$want")" ]
	[ -n "$output" ]
	# ID=KEY: no guess for the key
	run complete_words pvd-explain out.d pvd.communes=
	assert_output ""
	# another config directory, another catalogue
	cp -r "$PVD_CONFIG" other
	sed -i 's/france_services\.nombre/france_services.maisons/' other/indicators.yaml other/dashboard.yaml
	PVD_CONFIG=$PWD/other run complete_words pvd-explain out.d france_services.
	assert_output france_services.maisons
}
