#!/usr/bin/env bats
# pvd-ingest on spreadsheets (.xlsx, .ods, .xls).  The fixtures of
# fixtures/sheets/ were written by openpyxl and LibreOffice (see
# test/tools/make-sheets.sh): the values expected here are the ones the
# script gave those writers, typed again, never pvd's output copied.
load helper
bats_require_minimum_version 1.5.0

S="$FIX/sheets"
H="$FIX/sheets/hostile"

setup() {
	T=$BATS_TEST_TMPDIR
	export PVD_CONFIG=$PVD_ROOT/config
	cd "$S"
}

# Records without _file, one per line.
recs() { jq -c 'del(._file)'; }

@test "xlsx: cells as a person sees them (openpyxl workbook, Excel's 17-digit numbers, rich text, cached formulas)" {
	run --separate-stderr pvd-ingest cells.xlsx
	assert_success
	assert_output "$(printf '%s\n' \
		'{"_file":"cells.xlsx","_line":3,"_sheet":"Suivi","code":"01004","nom":"Ambérieu-en-Bugey","montant":"7010.31","date":"2021-11-05","horodatage":"2021-11-05T10:28","signee":"TRUE","double":"14020.62"}' \
		'{"_file":"cells.xlsx","_line":4,"_sheet":"Suivi","code":"1002","nom":"Saint-Denis (Réunion)","montant":"12","date":"2021-01-31","horodatage":"2021-01-31T23:59:30","signee":"FALSE","double":"24"}' \
		'{"_file":"cells.xlsx","_line":6,"_sheet":"Suivi","code":"26198","nom":"Bourg-en-Bresse","montant":"0.1","date":"","horodatage":"2021-12-31T00:00","signee":"Oui","double":""}' \
		'{"_file":"cells.xlsx","_line":11,"_sheet":"Suivi","code":"1056","nom":"Grand","montant":"100000000000000000000","date":"-0.000125","horodatage":"10:28","signee":"","double":""}' \
		'{"_file":"cells.xlsx","_line":12,"_sheet":"Suivi","code":"1057","nom":"Pareil","montant":"7","date":"7","horodatage":"7","signee":"7","double":""}' \
		'{"_file":"cells.xlsx","_line":13,"_sheet":"Suivi","code":"1057","nom":"Pareil","montant":"7","date":"7","horodatage":"7","signee":"7","double":""}')"
	# the file holds the double as Excel writes it, 17 digits
	unzip -p cells.xlsx xl/worksheets/sheet2.xml | grep -q '<v>7010.3100000000004</v>'
	# error cells and a formula never computed: rejects naming the cell; the
	# TOTAL (a SUM with its cached value) reported, not emitted
	[ "$stderr" = "$(printf '%s\n' \
		'pvd-ingest: cells.xlsx[Suivi]:7: C7: error value #N/A' \
		'pvd-ingest: cells.xlsx[Suivi]:8: G8: formula =C8+1 has no value (the file was saved without computing it)' \
		'pvd-ingest: cells.xlsx[Suivi]:9: total row not emitted: TOTAL: montant="7022.410000000001"' \
		'pvd-ingest: cells.xlsx[Suivi]:10: C10: error value #DIV/0!' \
		'pvd-ingest: read 13 rows: emitted 6, rejected 3, skipped 4 (1 header, 1 title, 1 total, 1 blank)')" ] ||
		{ echo "$stderr" >&2; false; }
}

@test "xlsx: the TOTAL's cached value is the double of the sum, in its shortest text" {
	# Excel sums 7010.31 + 12 + 0.1 in binary: the shortest text of that double
	want=$(python3 -c 'print(repr(7010.31 + 12 + 0.1))')
	pvd-ingest -q --report "$T/r.json" cells.xlsx >/dev/null
	[ "$(jq -r '.totals[0].fields.montant' "$T/r.json")" = "$want" ]
	jq -e '.files[0] | .format == "xlsx" and .sheet == "Suivi" and .header_line == 2' "$T/r.json"
}

@test "a rejected row's raw text holds the faulty cell as the file has it (.xlsx, .ods, .xls)" {
	pvd-ingest -q -r "$T/rj.ndjson" cells.xlsx cells.ods cells.xls >/dev/null
	# cells shown between | here
	run jq -r '"\(.file):\(.line): \(.raw | sub("\t+$"; "") | gsub("\t"; "|"))"' "$T/rj.ndjson"
	assert_output "$(printf '%s\n' \
		'cells.xlsx[Suivi]:7: 1053|Erreur|#N/A' \
		'cells.xlsx[Suivi]:8: 1054|Jamais calculé|5||||=C8+1' \
		'cells.xlsx[Suivi]:10: 1055|Division|#DIV/0!' \
		'cells.ods[Suivi]:7: 1053|Erreur|#N/A' \
		'cells.ods[Suivi]:10: 1055|Division|#DIV/0!' \
		'cells.xls[Suivi]:7: 1053|Erreur|#N/A' \
		'cells.xls[Suivi]:10: 1055|Division|#DIV/0!')"
}

@test "pvd-explain shows a spreadsheet row as pvd-ingest read it, from the sheet it names" {
	pvd-ingest -q cells.xlsx cells.xls |
		jq -c 'select(._line == 3 or ._line == 4) | {_dataset: "t", _file, _sheet, _line, dep: "01", commune: .code, montant: (.montant | tonumber)}' >"$T/recs.ndjson"
	pvd-aggregate -q -i "$FIX/explain/indicators.yaml" -p 2021-Q4 --lineage "$T/e.lin" "$T/recs.ndjson" >/dev/null
	run pvd-explain -C "$S" -l "$T/e.lin" t.montant
	assert_success
	assert_output "$(printf '%s\n' 't.montant: sum' \
		'cells.xls:3 [Suivi]	+7010.31' '    01004	Ambérieu-en-Bugey	7010.31	2021-11-05	2021-11-05T10:28	TRUE	14020.62' \
		'cells.xls:4 [Suivi]	+12.00' '    1002	Saint-Denis _x0028_Réunion_x0029_	12	2021-01-31	2021-01-31T23:59:30	FALSE	24' \
		'cells.xlsx:3 [Suivi]	+7010.31' '    01004	Ambérieu-en-Bugey	7010.31	2021-11-05	2021-11-05T10:28	TRUE	14020.62' \
		'cells.xlsx:4 [Suivi]	+12.00' '    1002	Saint-Denis (Réunion)	12	2021-01-31	2021-01-31T23:59:30	FALSE	24' \
		'  cells.xls: 2 records, 7022.31' '  cells.xlsx: 2 records, 7022.31' 'total: 14044.62 (4 records)')"
	# a workbook that is not there: said, the figure still explained
	run pvd-explain -C "$T" -l "$T/e.lin" t.montant
	assert_success
	assert_line --index 2 '    (raw file not readable, or shorter than this line)'
}

@test "rejects carry the sheet, the row number and the cell" {
	pvd-ingest -q -r "$T/rj.ndjson" cells.xlsx >/dev/null
	run jq -r '[.file, .line, .reason, .message] | @tsv' "$T/rj.ndjson"
	assert_output "$(printf '%s\t%s\t%s\t%s\n' \
		'cells.xlsx[Suivi]' 7 cell-error 'C7: error value #N/A' \
		'cells.xlsx[Suivi]' 8 formula-without-value 'G8: formula =C8+1 has no value (the file was saved without computing it)' \
		'cells.xlsx[Suivi]' 10 cell-error 'C10: error value #DIV/0!')"
}

@test "dates: the 1900 system (with the phantom 29/02/1900) and the 1904 system give the same ISO text" {
	# the same datetimes, stored as different serials in the two files
	unzip -p cells.xlsx xl/worksheets/sheet2.xml | grep -q '<c r="D3" s="1" t="n"><v>44505</v>'
	unzip -p cells-1904.xlsx xl/worksheets/sheet2.xml | grep -q '<c r="D3" s="1" t="n"><v>43043</v>'
	unzip -p cells-1904.xlsx xl/workbook.xml | grep -q 'date1904="1"'
	diff <(pvd-ingest -q cells.xlsx | recs) <(pvd-ingest -q cells-1904.xlsx | recs)
	# raw serials: 60 is Excel's 29/02/1900; in 1904, serial 0 is 1904-01-01
	run pvd-ingest -q --sheet Dates cells.xlsx
	assert_output --partial '"serial":"59","date":"1900-02-28"'
	assert_output --partial '"serial":"60","date":"1900-02-29"'
	assert_output --partial '"serial":"61","date":"1900-03-01"'
	assert_output --partial '"serial":"44505.4361111111","date":"2021-11-05T10:28"'
	run pvd-ingest -q --sheet Dates cells-1904.xlsx
	assert_output --partial '"serial":"1","date":"1904-01-02"'
	assert_output --partial '"serial":"59","date":"1904-02-29"'
	assert_output --partial '"serial":"44505","date":"2025-11-06"'
}

@test "sheets: hidden ones never by default; --sheet by name or position; --list-sheets" {
	run pvd-ingest --list-sheets cells.xlsx
	assert_success
	assert_output "$(printf '%s\t%s\t%s\n' Brouillon hidden 1 Suivi visible 13 Param very-hidden 1 Dates visible 7)"
	run pvd-ingest --list-sheets cells.ods repeated.ods
	assert_output "$(printf '%s\t%s\t%s\t%s\n' cells.ods Brouillon hidden 1 cells.ods Suivi visible 13 \
		cells.ods Param hidden 1 cells.ods Dates visible 7 repeated.ods repeated visible 6)"
	run pvd-ingest -q --sheet Brouillon cells.xlsx
	assert_success
	assert_output ''
	diff <(pvd-ingest -q --sheet 4 cells.xlsx) <(pvd-ingest -q --sheet Dates cells.xlsx)
	run pvd-ingest -q --sheet Nope cells.xlsx
	assert_failure 65
	assert_output 'pvd-ingest: cells.xlsx: no sheet "Nope" (sheets: "Brouillon", "Suivi", "Param", "Dates")'
	run pvd-ingest -q --sheet 5 cells.xlsx
	assert_failure 65
	run pvd-ingest --list-sheets "$FIX/ingest/clean.csv"
	assert_failure 65
	assert_output --partial 'not a spreadsheet'
}

@test "sheet: in a source profile picks the sheet; --sheet wins over it" {
	# Profiles are checked against their dataset's schema: a scratch one.
	mkdir -p "$T/cfg/datasets"
	printf 'dataset: test\nfields:\n  jour:\n    type: date\n' >"$T/cfg/datasets/test.yaml"
	export PVD_CONFIG="$T/cfg"
	cat >"$T/dates.yaml" <<-'EOF'
		dataset: test
		sheet: Dates
		fields:
		  jour: [date]
	EOF
	run pvd-ingest -q -p "$T/dates.yaml" cells.xlsx
	assert_success
	assert_line --index 2 --partial '"_sheet":"Dates","_dataset":"test","_source":"dates","jour":"1900-02-29"'
	run pvd-ingest -q -p "$T/dates.yaml" --sheet Suivi cells.xlsx
	assert_success
	assert_line --index 0 --partial '"_sheet":"Suivi","_dataset":"test","_source":"dates","jour":"2021-11-05"'
	printf 'dataset: test\nsheet: [1]\nfields: {jour: [date]}\n' >"$T/bad.yaml"
	run pvd-ingest -q -p "$T/bad.yaml" cells.xlsx
	assert_failure 78
	assert_output --partial 'sheet must be a sheet name or position'
}

@test "ods (LibreOffice's save of the same workbook): the same cells, merged title, repeated empty rows" {
	run --separate-stderr pvd-ingest --sheet Suivi cells.ods
	assert_success
	# LibreOffice computed G8 on loading, and keeps _x0028_ (an OOXML escape) as typed
	assert_output "$(printf '%s\n' \
		'{"_file":"cells.ods","_line":3,"_sheet":"Suivi","code":"01004","nom":"Ambérieu-en-Bugey","montant":"7010.31","date":"2021-11-05","horodatage":"2021-11-05T10:28","signee":"TRUE","double":"14020.62"}' \
		'{"_file":"cells.ods","_line":4,"_sheet":"Suivi","code":"1002","nom":"Saint-Denis _x0028_Réunion_x0029_","montant":"12","date":"2021-01-31","horodatage":"2021-01-31T23:59:30","signee":"FALSE","double":"24"}' \
		'{"_file":"cells.ods","_line":6,"_sheet":"Suivi","code":"26198","nom":"Bourg-en-Bresse","montant":"0.1","date":"","horodatage":"2021-12-31T00:00","signee":"Oui","double":""}' \
		'{"_file":"cells.ods","_line":8,"_sheet":"Suivi","code":"1054","nom":"Jamais calculé","montant":"5","date":"","horodatage":"","signee":"","double":"6"}' \
		'{"_file":"cells.ods","_line":11,"_sheet":"Suivi","code":"1056","nom":"Grand","montant":"100000000000000000000","date":"-0.000125","horodatage":"10:28","signee":"","double":""}' \
		'{"_file":"cells.ods","_line":12,"_sheet":"Suivi","code":"1057","nom":"Pareil","montant":"7","date":"7","horodatage":"7","signee":"7","double":""}' \
		'{"_file":"cells.ods","_line":13,"_sheet":"Suivi","code":"1057","nom":"Pareil","montant":"7","date":"7","horodatage":"7","signee":"7","double":""}')"
	[ "$(echo "$stderr" | tail -1)" = 'pvd-ingest: read 13 rows: emitted 7, rejected 2, skipped 4 (1 header, 1 title, 1 total, 1 blank)' ]
	# the file declares a million empty rows and a merged title: neither costs a row
	unzip -p cells.ods content.xml | grep -q 'table:number-rows-repeated="10485[0-9][0-9]"'
	unzip -p cells.ods content.xml | grep -q 'table:number-columns-spanned="7"'
}

@test "ods: number-columns-repeated and number-rows-repeated with values are values in each cell and row" {
	unzip -p repeated.ods content.xml | grep -q 'table:number-rows-repeated="3"'
	unzip -p repeated.ods content.xml | grep -q 'table:number-columns-repeated="3" office:value-type="float" office:value="7"'
	run pvd-ingest -q repeated.ods
	assert_output "$(for l in 2 3 4; do
		printf '{"_file":"repeated.ods","_line":%d,"_sheet":"repeated","code":"1004","nom":"Pareil","n1":"7","n2":"7","n3":"7"}\n' $l
	done; echo '{"_file":"repeated.ods","_line":6,"_sheet":"repeated","code":"1005","nom":"Autre","n1":"1","n2":"","n3":"2"}')"
}

@test "xls (LibreOffice's save): hidden sheets, formulas' cached values, booleans and error cells, read from the BIFF records" {
	run pvd-ingest --list-sheets cells.xls
	# LibreOffice saves Excel's very hidden sheet as hidden
	assert_output "$(printf '%s\t%s\t%s\n' Brouillon hidden 1 Suivi visible 13 Param hidden 1 Dates visible 7)"
	# the first visible sheet, as for .xlsx
	run --separate-stderr pvd-ingest cells.xls
	assert_success
	assert_output "$(printf '%s\n' \
		'{"_file":"cells.xls","_line":3,"_sheet":"Suivi","code":"01004","nom":"Ambérieu-en-Bugey","montant":"7010.31","date":"2021-11-05","horodatage":"2021-11-05T10:28","signee":"TRUE","double":"14020.62"}' \
		'{"_file":"cells.xls","_line":4,"_sheet":"Suivi","code":"1002","nom":"Saint-Denis _x0028_Réunion_x0029_","montant":"12","date":"2021-01-31","horodatage":"2021-01-31T23:59:30","signee":"FALSE","double":"24"}' \
		'{"_file":"cells.xls","_line":6,"_sheet":"Suivi","code":"26198","nom":"Bourg-en-Bresse","montant":"0.1","date":"","horodatage":"2021-12-31T00:00","signee":"Oui","double":""}' \
		'{"_file":"cells.xls","_line":8,"_sheet":"Suivi","code":"1054","nom":"Jamais calculé","montant":"5","date":"","horodatage":"","signee":"","double":"6"}' \
		'{"_file":"cells.xls","_line":11,"_sheet":"Suivi","code":"1056","nom":"Grand","montant":"100000000000000000000","date":"-0.000125","horodatage":"10:28","signee":"","double":""}' \
		'{"_file":"cells.xls","_line":12,"_sheet":"Suivi","code":"1057","nom":"Pareil","montant":"7","date":"7","horodatage":"7","signee":"7","double":""}' \
		'{"_file":"cells.xls","_line":13,"_sheet":"Suivi","code":"1057","nom":"Pareil","montant":"7","date":"7","horodatage":"7","signee":"7","double":""}')"
	# LibreOffice computed G8 (=C8+1) when it saved; the error cells are
	# rejects naming the cell, the TOTAL's cached value is the double's text
	[ "$stderr" = "$(printf '%s\n' \
		'pvd-ingest: cells.xls[Suivi]:7: C7: error value #N/A' \
		'pvd-ingest: cells.xls[Suivi]:9: total row not emitted: TOTAL: montant="7022.410000000001"' \
		'pvd-ingest: cells.xls[Suivi]:10: C10: error value #DIV/0!' \
		'pvd-ingest: read 13 rows: emitted 7, rejected 2, skipped 4 (1 header, 1 title, 1 total, 1 blank)')" ] ||
		{ echo "$stderr" >&2; false; }
	run pvd-ingest -q --sheet Dates cells.xls
	assert_output --partial '"serial":"60","date":"1900-02-29"'
	assert_output --partial '"serial":"44505.4361111111","date":"2021-11-05T10:28"'
	# a hidden sheet is read when named
	run pvd-ingest -q --sheet Brouillon cells.xls
	assert_success
	# a very hidden sheet (the state byte of Param's BOUNDSHEET record set to 2)
	run pvd-ingest --list-sheets cells-very-hidden.xls
	assert_output "$(printf '%s\t%s\t%s\n' Brouillon hidden 1 Suivi visible 13 Param very-hidden 1 Dates visible 7)"
}

@test "a real export as CSV and as .xlsx, .ods, .xls: the same records, but for the number text" {
	csv="$FIX/exports/ort_suivi_conventions_dgaln.csv"
	pvd-ingest -q "$csv" | jq -c 'del(._file, ._line)' >"$T/csv"
	[ "$(wc -l <"$T/csv")" = 2290 ]
	for f in ort-dgaln.xlsx ort-dgaln.ods ort-dgaln.xls; do
		pvd-ingest -q "$f" | jq -c 'del(._file, ._line, ._sheet)' >"$T/sheet"
		[ "$(wc -l <"$T/sheet")" = 2290 ]
		# What differs is what LibreOffice read as numbers and dates when the CSV
		# was opened: codes without their leading zero, dates now ISO (a month
		# alone, "décembre 2023", is its first day).
		paste -d'\n' "$T/csv" "$T/sheet" | jq -r -s '
			[range(0; length; 2) as $i | .[$i] as $a | .[$i+1] as $b
			 | ($a | keys_unsorted[]) as $k | select($a[$k] != $b[$k]) | [$k, $a[$k], $b[$k]]]
			| map(select(
				(.[0] == "Code commune" and (.[1] | ltrimstr("0")) == .[2]) or
				(.[1] | test("^(?<d>[0-9]{2})[-/](?<m>[0-9]{2})[-/](?<y>[0-9]{4})")) and
				 (.[2] == (.[1] | capture("^(?<d>[0-9]{2})[-/](?<m>[0-9]{2})[-/](?<y>[0-9]{4})(?<t> [0-9:]+)?$")
					| "\(.y)-\(.m)-\(.d)" + (if .t then "T" + (.t | ltrimstr(" ")) else "" end))) or
				((.[1] | test("^[a-zéû]+ [0-9]{4}$")) and .[2] == (.[1] | split(" ") | "\(.[1])-" +
					({"janvier":"01","février":"02","mars":"03","avril":"04","mai":"05","juin":"06","juillet":"07",
					  "août":"08","septembre":"09","octobre":"10","novembre":"11","décembre":"12"}[.[0]]) + "-01")) | not))
			| .[] | @tsv' >"$T/odd"
		[ ! -s "$T/odd" ] || { echo "$f:"; head "$T/odd"; false; } >&2
	done
}

@test "the same export as CSV and as spreadsheets: the same records once cleaned by its profile" {
	clean() { pvd-ingest -q -p ort-dgaln "$1" | pvd-clean -q | jq -c 'del(._file, ._line, ._sheet)'; }
	clean "$FIX/exports/ort_suivi_conventions_dgaln.csv" >"$T/csv"
	[ "$(wc -l <"$T/csv")" = 2290 ]
	for f in ort-dgaln.xlsx ort-dgaln.ods ort-dgaln.xls; do
		clean "$f" | diff "$T/csv" - || { echo "$f differs" >&2; false; }
	done
}

@test "the signature decides, not the name; stdin works" {
	cp cells.xlsx "$T/conventions.csv"
	diff <(pvd-ingest -q cells.xlsx | recs) <(pvd-ingest -q "$T/conventions.csv" | recs)
	diff <(pvd-ingest -q cells.ods | recs) <(pvd-ingest -q - <cells.ods | recs)
	cat cells.xlsx | pvd-ingest -q | recs | diff <(pvd-ingest -q cells.xlsx | recs) -
	diff <(pvd-ingest -q cells.xls | recs) <(pvd-ingest -q - <cells.xls | recs)
}

# exit status, and the whole message
hostile() {
	run bash -c 'pvd-ingest -q "$1" >/dev/null' _ "$H/$1"
	assert_failure 65
	assert_output "pvd-ingest: $H/$2"
}

@test "hostile: a zip bomb is refused before it expands" {
	hostile bomb.xlsx 'bomb.xlsx: refused: xl/worksheets/sheet2.xml would expand to 67112195 bytes from 66348 (zip bomb?)'
}

@test "hostile: entity declarations (billion laughs) and external entities are refused" {
	hostile entities.xlsx 'entities.xlsx: refused: xl/workbook.xml declares a document type (entities are not read)'
	hostile xxe.xlsx 'xxe.xlsx[Suivi]: refused: xl/worksheets/sheet2.xml declares a document type (entities are not read)'
}

@test "hostile: password-protected workbooks (LibreOffice's .ods and .xls with a password, Office's encrypted .xlsx)" {
	hostile encrypted.xlsx 'encrypted.xlsx: password-protected: the workbook is encrypted (save it without a password)'
	hostile encrypted.ods 'encrypted.ods: password-protected: the workbook is encrypted (save it without a password)'
	hostile encrypted.xls 'encrypted.xls: password-protected: the workbook is encrypted (save it without a password)'
}

@test "hostile: truncated files, a shared string out of range, an unsafe name in the zip" {
	hostile truncated.xlsx 'truncated.xlsx: truncated or corrupt workbook: Not a zip archive'
	hostile truncated.xls 'truncated.xls: truncated or corrupt workbook: the directory is outside the file'
	hostile bad-sst.xlsx 'bad-sst.xlsx[Suivi]: corrupt workbook: F6 cites shared string 99, out of range (2 strings)'
	hostile odd-path.xlsx 'odd-path.xlsx: refused: zip entry with an unsafe name'
}

@test "hostile: an .xls whose directory or FAT would lead libfreexl out of its buffers is refused before it reads it" {
	# one field changed in cells.xls: the root entry's name length, 0xFFFF
	# (libfreexl 1.0.6 would convert 64 KiB of its stack as the name)
	hostile long-dir-name.xls "long-dir-name.xls: truncated or corrupt workbook: a directory entry's name longer than 32 characters"
	# the fuzzer's find (test/fuzz/regress/sheet/): FAT sector numbers repeated past the file's size
	run bash -c 'pvd-ingest -q "$1" >/dev/null' _ "$PVD_ROOT/test/fuzz/regress/sheet/freexl-iconv-overread.xls"
	assert_failure 65
	assert_output "pvd-ingest: $PVD_ROOT/test/fuzz/regress/sheet/freexl-iconv-overread.xls: truncated or corrupt workbook: more FAT sectors than the file holds"
}

@test "hostile: an .xls with two DIMENSION records in a sheet (libfreexl frees pointers read past its cells) is refused" {
	# the fuzzer's find, kept in test/fuzz/regress/sheet/
	f=$PVD_ROOT/test/fuzz/regress/sheet/freexl-heap-corruption.xls
	run pvd-ingest -q "$f"
	assert_failure 65
	assert_output "pvd-ingest: $f: corrupt workbook: a sheet with two DIMENSION records"
}

@test "libfreexl runs in a child: should it crash on a file pvd's checks let through, the workbook is refused (exit 65), pvd-ingest does not crash" {
	# a libfreexl whose freexl_open() dies, put in front of the real one
	printf '%s\n' '#include <signal.h>' \
		'int freexl_open(const char *path, const void **h) { (void)path; *h = 0; raise(SIGSEGV); return 0; }' >"$T/crash.c"
	${CC:-cc} -shared -fPIC -o "$T/crash.so" "$T/crash.c"
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 LD_PRELOAD=$T/crash.so \
		run --separate-stderr pvd-ingest -q cells.xls
	assert_failure 65
	[ "${stderr_lines[-1]}" = "pvd-ingest: cells.xls: corrupt workbook: the .xls reader (libfreexl) crashed on it" ]
}

@test "hostile: a zip or OLE2 file that is no spreadsheet is refused, not read as text" {
	hostile not-a-sheet.xlsx 'not-a-sheet.xlsx: not a spreadsheet pvd can read: a zip archive with neither xl/workbook.xml nor content.xml'
	hostile no-workbook.xls 'no-workbook.xls: not a spreadsheet pvd can read: an OLE2 file with no workbook (a Word or other Office document?)'
	# whatever the name: a zip named .csv
	cp "$H/not-a-sheet.xlsx" "$T/export.csv"
	run pvd-ingest -q "$T/export.csv"
	assert_failure 65
	assert_output --partial 'not a spreadsheet pvd can read'
}

@test "a sheet is streamed: memory does not grow with its rows" {
	"$PVD_TOOLS/xlsx-gen" 5000 "$T/small.xlsx"
	"$PVD_TOOLS/xlsx-gen" 100000 "$T/big.xlsx"
	# 100 000 rows are 21 MB of sheet XML: reading it whole would show
	rss() { /usr/bin/time -f %M pvd-ingest -q "$1" 2>&1 >/dev/null | tail -1; }
	small=$(rss "$T/small.xlsx")
	big=$(rss "$T/big.xlsx")
	[ "$(unzip -l "$T/big.xlsx" xl/worksheets/sheet1.xml | awk 'NR == 4 { print $1 }')" -gt 20000000 ]
	[ "$big" -lt $((small + 4096)) ] || { echo "peak RSS: $small KB at 5000 rows, $big KB at 100000" >&2; false; }
	# and every row is read
	[ "$(pvd-ingest -q "$T/big.xlsx" | wc -l)" = 100000 ]
}
