#!/bin/sh
# Derives the demo's spreadsheets from the demo CSVs that demo-gen writes,
# as a préfecture that keeps its sheet in a spreadsheet program would send
# it: LibreOffice (headless) opens each CSV and saves it as
#   conventions-auvergne-rhone-alpes.xlsx  with a title row above and a TOTAL
#       row below, a formula counting the conventions (French number and date
#       recognition: codes become numbers, dd/mm/yyyy dates become dates);
#   ort-nouvelle-aquitaine.ods  every cell kept as typed text (the title rows
#       are the CSV's);
#   fnadt-2021.xls  a hand-kept grant table, Windows-1252, every cell text
#       ("3 076,49 €"), its TOTAL row the CSV's.
# The CSVs stay the reference (test/demo.bats regenerates them byte for
# byte and checks that each spreadsheet holds the same records); these
# files are committed, so neither the tests nor the demo need LibreOffice.
# Usage: test/tools/demo-sheets.sh   (needs libreoffice-calc-nogui)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
lo() { soffice --headless "-env:UserInstallation=file://$tmp/profile" "$@" >"$tmp/lo.log" 2>&1 || { cat "$tmp/lo.log"; exit 1; }; }
# CSV filter options: separator, quote, charset (76 UTF-8, 1 Windows-1252),
# first line, column formats (N/2: column N as text), language 1036 (French),
# quoted as text, special numbers, -, -, -, evaluate formulas.
text_columns() { awk -F"$2" 'NR == 1 { for (i = 1; i <= NF; i++) printf "%s%d/2", (i > 1 ? "/" : ""), i; exit }' "$1"; }
for q in 2021-Q3 2021-Q4; do
	d=$root/fixtures/demo/$q
	mkdir -p "$tmp/$q"
	# conventions: one title row above, a TOTAL formula below
	f=$tmp/$q/conventions-auvergne-rhone-alpes.csv
	n=$(($(wc -l <"$d/conventions-auvergne-rhone-alpes.csv") + 1))
	{
		echo "Conventions d'adhésion Petites villes de demain – Auvergne-Rhône-Alpes;;;;;;;;;;;;"
		cat "$d/conventions-auvergne-rhone-alpes.csv"
		echo "=\"TOTAL : \"&COUNTA(A3:A$n)&\" conventions\";;;;;;;;;;;;"
	} >"$f"
	lo --infilter="CSV:59,34,76,1,,1036,false,false,false,false,false,true" --convert-to xlsx --outdir "$d" "$f"
	# ORT: text as typed
	f=$d/ort-nouvelle-aquitaine.csv
	lo --infilter="CSV:59,34,76,1,$(text_columns "$f" ';'),1036" --convert-to ods --outdir "$d" "$f"
	# FNADT: Windows-1252, text as typed
	f=$d/fnadt-2021.csv
	lo --infilter="CSV:59,34,1,1,$(text_columns "$f" ';'),1036" --convert-to xls --outdir "$d" "$f"
done
