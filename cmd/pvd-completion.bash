# bash completion for the pvd programs (pvd-ingest, pvd-clean, pvd-join,
# pvd-aggregate, pvd-render, pvd-run, pvd-explain).  Installed by `make install` and the
# Debian package as share/bash-completion/completions/pvd-* (one file, the
# others link to it); or: source cmd/pvd-completion.bash
#
# Options come from each program's own --help (read once per shell), so
# they never disagree with the program.  Values: profile names from the
# config directory's sources/, dataset names from datasets/, reference
# versions from ref/, formats, locales, modes, encodings, delimiters, and
# pipeline files (*.yaml) for pvd-run, lineage files, output directories and
# indicator ids (the config directory's indicators.yaml, its for: templates
# expanded by pvd-aggregate itself) for pvd-explain.  The config directory is found as the
# programs find it: pvd-run's --config DIR, $PVD_CONFIG, ./config, then the
# installed copy beside the program (BINDIR/../share/pvd/config).

declare -gA _pvd_opts_cache 2>/dev/null || true

# The long and short options of a program's --help.
_pvd_options()
{
	local prog=$1
	if [[ -z ${_pvd_opts_cache[$prog]-} ]]; then
		# the option lines: "  -p, --profile NAME  ..." and "      --strict  ..."
		_pvd_opts_cache[$prog]=$("$prog" --help 2>/dev/null |
			sed -nE 's/^ {1,8}((-[A-Za-z0-9], )?--[A-Za-z][A-Za-z-]*).*/\1/p' |
			tr ', ' '\n\n' | grep -E '^-' | sort -u | tr '\n' ' ')
	fi
	printf '%s' "${_pvd_opts_cache[$prog]}"
}

# The config directory in use (see confpath.h).
_pvd_config_dir()
{
	local i
	for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
		[[ ${COMP_WORDS[i]} == --config && ${COMP_WORDS[0]} == pvd-run ]] && {
			printf '%s' "${COMP_WORDS[i + 1]}"
			return
		}
	done
	if [[ -n ${PVD_CONFIG-} ]]; then
		printf '%s' "$PVD_CONFIG"
	elif [[ -d config ]]; then
		printf config
	else
		local bin
		bin=$(command -v "${COMP_WORDS[0]}" 2>/dev/null) || return
		bin=$(readlink -f "$bin" 2>/dev/null) || return
		printf '%s' "${bin%/*}/../share/pvd/config"
	fi
}

# Names of KIND in the config directory: files NAME.EXT (and, for ref,
# directories NAME).
_pvd_names()
{
	local kind=$1 ext=$2 dir f
	dir=$(_pvd_config_dir)/$kind
	[[ -d $dir ]] || return
	for f in "$dir"/*; do
		[[ -e $f ]] || continue
		f=${f##*/}
		if [[ $f == *"$ext" ]]; then
			printf '%s\n' "${f%"$ext"}"
		elif [[ $kind == ref && -d $dir/$f ]]; then
			printf '%s\n' "$f"
		fi
	done
}

# Indicator ids of the config directory's catalogue, as pvd-aggregate
# expands them (for: templates): for no input it writes one headline per
# indicator, id first.  The pvd-aggregate beside the program, else PATH's.
_pvd_indicator_ids()
{
	local cat agg
	cat=$(_pvd_config_dir)/indicators.yaml
	[[ -f $cat ]] || return
	agg=$(command -v "${COMP_WORDS[0]}" 2>/dev/null)
	agg=${agg%/*}/pvd-aggregate
	[[ -x $agg ]] || agg=pvd-aggregate
	"$agg" -q -p 2000-Q1 -i "$cat" </dev/null 2>/dev/null | sed -nE 's/^\{"id":"([^"]*)".*/\1/p'
}

# pvd-explain's operands before the current word: OUTDIR then ID, or ID
# alone after --lineage FILE.  Prints "outdir" or "id".
_pvd_explain_operand()
{
	local i w n=0 lineage=0 skip=0
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((skip)); then
			skip=0
			continue
		fi
		case $w in
		-l | --lineage) lineage=1 skip=1 ;;
		-C | --directory) skip=1 ;;
		--lineage=* | -l?*) lineage=1 ;;
		-*) ;;
		*) n=$((n + 1)) ;;
		esac
	done
	if ((lineage || n > 0)); then echo id; else echo outdir; fi
}

# COMPREPLY from a word list (one per line), for the current word.
_pvd_words()
{
	local cur=$1 w
	shift
	while IFS= read -r w; do
		[[ -n $w && $w == "$cur"* ]] && COMPREPLY+=("$w")
	done <<<"$*"
}

_pvd_files()
{
	local cur=$1 glob=${2-}
	local IFS=$'\n'
	if [[ -n $glob ]]; then
		COMPREPLY+=($(compgen -f -X "!$glob" -- "$cur") $(compgen -d -S / -- "$cur"))
	else
		COMPREPLY+=($(compgen -f -- "$cur"))
	fi
	compopt -o filenames 2>/dev/null
}

_pvd()
{
	local prog=${COMP_WORDS[0]##*/} cur prev= toks
	COMPREPLY=()
	if [[ -n ${COMP_LINE-} ]]; then
		# Words by blanks, from the line itself: bash splits "--ref pvd=x" at
		# '=' too (COMP_WORDBREAKS), which would lose "pvd=".
		local line=${COMP_LINE:0:${COMP_POINT:-${#COMP_LINE}}}
		read -ra toks <<<"$line"
		[[ $line == *[[:space:]] ]] && toks+=("")
		cur=${toks[${#toks[@]} - 1]}
		((${#toks[@]} > 1)) && prev=${toks[${#toks[@]} - 2]}
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	fi
	_pvd_complete "$prog" "$cur" "$prev"
	# readline replaces only what follows the last word-break character
	# ('=', ':'): take that part of each candidate off.
	if [[ -n ${COMP_LINE-} && -n ${COMP_WORDBREAKS-} ]]; then
		local i pre=
		for ((i = ${#cur} - 1; i >= 0; i--)); do
			[[ $COMP_WORDBREAKS == *"${cur:i:1}"* && ${cur:i:1} != [[:space:]\"\'] ]] && { pre=${cur:0:i+1}; break; }
		done
		[[ -n $pre ]] && COMPREPLY=("${COMPREPLY[@]#"$pre"}")
	fi
	return 0
}

_pvd_complete()
{
	local prog=$1 cur=$2 prev=$3
	# --opt=VALUE: complete the value as if it were the next word
	if [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		cur=${cur#*=}
	fi
	# values from a fixed list, or names of the config directory (KIND EXT)
	local list= names=
	case $prog:$prev in
	pvd-ingest:-e | pvd-ingest:--encoding) list=$'auto\nutf-8\nwindows-1252\nutf-16le\nutf-16be' ;;
	pvd-ingest:-d | pvd-ingest:--delimiter) list=$'auto\n,\n;\ntab\n|' ;;
	pvd-join:-m | pvd-join:--mode) list=$'inner\nleft\nanti' ;;
	pvd-render:-f | pvd-render:--format) list=$'json\nhtml\nmd\ncsv' ;;
	pvd-render:-l | pvd-render:--locale) list=$'fr\nc' ;;
	pvd-ingest:-p | pvd-ingest:--profile | pvd-clean:-p | pvd-clean:--profile) names=sources ;;
	pvd-clean:-d | pvd-clean:--dataset) names=datasets ;;
	esac
	if [[ -n $list ]]; then
		_pvd_words "$cur" "$list"
		return
	elif [[ -n $names ]]; then
		_pvd_words "$cur" "$(_pvd_names "$names" .yaml)"
		[[ $cur == */* || $cur == .* ]] && _pvd_files "$cur" '*.yaml'
		return
	fi
	case $prog:$prev in
	pvd-join:--ref)
		local v
		if [[ $cur == *=* ]]; then
			v=$(_pvd_names ref .csv)
			COMPREPLY=()
			_pvd_words "${cur#*=}" "$v"
			COMPREPLY=("${COMPREPLY[@]/#/${cur%%=*}=}")
			[[ ${cur#*=} == */* || ${cur#*=} == .* ]] && {
				local IFS=$'\n' f
				for f in $(compgen -f -- "${cur#*=}"); do COMPREPLY+=("${cur%%=*}=$f"); done
			}
		else
			_pvd_words "$cur" $'pvd=\ncommunes='
			compopt -o nospace 2>/dev/null
		fi
		return ;;
	pvd-aggregate:-p | pvd-aggregate:--period | pvd-ingest:-s | pvd-ingest:--skip | \
	pvd-ingest:--max-field | pvd-run:-j | pvd-run:--jobs)
		return ;; # a value to type
	pvd-explain:-l | pvd-explain:--lineage)
		_pvd_files "$cur" '*.ndjson'
		return ;;
	pvd-run:--config | pvd-run:-o | pvd-run:--output | pvd-explain:-C | pvd-explain:--directory)
		local IFS=$'\n'
		COMPREPLY=($(compgen -d -- "$cur"))
		compopt -o filenames 2>/dev/null
		return ;;
	*:-r | *:--rejects | *:--report | *:-i | *:--indicators | *:-p | *:--previous | \
	*:-P | *:--provenance | *:-c | *:--config | *:-o | *:--output)
		_pvd_files "$cur"
		return ;;
	esac
	if [[ $cur == -* ]]; then
		local o
		for o in $(_pvd_options "$prog"); do
			[[ $o == "$cur"* ]] && COMPREPLY+=("$o")
		done
		return
	fi
	case $prog in
	pvd-run) _pvd_files "$cur" '*.yaml' ;;
	pvd-explain) # OUTDIR (a quarter's output directory), then an indicator id
		if [[ $(_pvd_explain_operand) == id ]]; then
			[[ $cur == *=* ]] || _pvd_words "$cur" "$(_pvd_indicator_ids)"
			return
		fi
		local IFS=$'\n'
		COMPREPLY=($(compgen -d -- "$cur"))
		compopt -o filenames 2>/dev/null ;;
	*) _pvd_files "$cur" ;;
	esac
}

complete -F _pvd pvd-ingest pvd-clean pvd-join pvd-aggregate pvd-render pvd-run pvd-explain
