#!/bin/sh
# Regenerates fixtures/sheets/: spreadsheets written by independent writers,
# never by pvd, committed so that the tests need neither of them.
#   - openpyxl (make-sheets.py): the Excel-only cases (cells.xlsx,
#     cells-1904.xlsx) and the crafted hostile files (hostile/);
#   - LibreOffice headless: the same workbook as .ods and .xls, and a real
#     export (fixtures/exports/ort_suivi_conventions_dgaln.csv) as .xlsx, .ods
#     and .xls, as a person who opens the CSV and saves it would.
# Needs: python3-openpyxl python3-uno libreoffice-calc-nogui.
# Usage: test/tools/make-sheets.sh   (from anywhere; rewrites fixtures/sheets/)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/fixtures/sheets
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out/hostile"
lo() { soffice --headless "-env:UserInstallation=file://$tmp/profile" "$@" >"$tmp/lo.log" 2>&1 || { cat "$tmp/lo.log"; exit 1; }; }
py=/usr/bin/python3

"$py" "$root/test/tools/make-sheets.py" "$out"
# The openpyxl workbook, opened and saved by LibreOffice (cached values kept).
lo --convert-to ods --outdir "$out" "$out/cells.xlsx"
lo --convert-to xls --outdir "$out" "$out/cells.xlsx"
# A real export opened in LibreOffice (UTF-8, comma, French number and date
# recognition, as in a préfecture: 08/02/2024 is the 8th of February) and
# saved in each format.
cp "$root/fixtures/exports/ort_suivi_conventions_dgaln.csv" "$tmp/ort-dgaln.csv"
for f in xlsx ods xls; do
	lo --infilter="CSV:44,34,76,1,,1036" --convert-to "$f" --outdir "$out" "$tmp/ort-dgaln.csv"
done
# Repetitions in ODS: LibreOffice writes number-columns-repeated for equal
# cells side by side and number-rows-repeated for the empty rows to the
# sheet's end; equal rows written once with number-rows-repeated (as other
# ODF writers do) are made from its output.
printf 'code;nom;n1;n2;n3\n1004;Pareil;7;7;7\n1004;Pareil;7;7;7\n1004;Pareil;7;7;7\n;;;;\n1005;Autre;1;;2\n' >"$tmp/repeated.csv"
lo --infilter="CSV:59,34,76,1,,1036" --convert-to ods --outdir "$tmp" "$tmp/repeated.csv"
"$py" - "$tmp/repeated.ods" "$out/repeated.ods" <<'PY'
import re, sys, zipfile
src, dst = sys.argv[1:]
with zipfile.ZipFile(src) as z:
    items = [(i, z.read(i.filename)) for i in z.infolist()]
with zipfile.ZipFile(dst, "w") as z:
    for info, data in items:
        if info.filename == "content.xml":
            text = data.decode()
            rows = re.findall(r"<table:table-row[^>]*>.*?</table:table-row>", text)
            assert rows[1] == rows[2] == rows[3]
            text = text.replace(rows[1] + rows[2] + rows[3],
                                rows[1].replace("<table:table-row ", '<table:table-row table:number-rows-repeated="3" ', 1), 1)
            data = text.encode()
        z.writestr(info, data, zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED)
PY
# LibreOffice saves Excel's very hidden sheet as merely hidden in .xls: the
# same file with Param's BOUNDSHEET state byte set to 2 (very hidden).
"$py" -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); i = d.find(b"\x05\x00Param")
assert i > 0 and d[i - 2] == 1 and d.count(b"\x05\x00Param") == 1; d[i - 2] = 2; open(sys.argv[2], "wb").write(d)' \
	"$out/cells.xls" "$out/cells-very-hidden.xls"
# Hostile files: crafted from cells.xlsx and cells.xls; an OLE2 file whose
# Workbook stream is renamed is no workbook (as a Word document is).
"$py" "$root/test/tools/make-sheets.py" "$out" hostile
"$py" -c 'import sys; d = open(sys.argv[1], "rb").read(); w = "Workbook".encode("utf-16-le")
assert w in d; open(sys.argv[2], "wb").write(d.replace(w, "Notebook".encode("utf-16-le")))' \
	"$out/cells.xls" "$out/hostile/no-workbook.xls"
# Office encrypts an .xlsx into an OLE2 file whose package is the stream
# EncryptedPackage (neither LibreOffice 7.4 nor Debian's msoffcrypto-tool 5.0
# can write one): the same directory entry, renamed.
"$py" -c 'import struct, sys; d = bytearray(open(sys.argv[1], "rb").read()); w = "Workbook".encode("utf-16-le")
i = d.find(w); assert i > 0 and i % 128 == 0, i; n = "EncryptedPackage\0".encode("utf-16-le")
d[i:i + 64] = n.ljust(64, b"\0"); d[i + 64:i + 66] = struct.pack("<H", len(n)); open(sys.argv[2], "wb").write(d)' \
	"$out/cells.xls" "$out/hostile/encrypted.xlsx"
head -c 3000 "$out/cells.xls" >"$out/hostile/truncated.xls"
# libfreexl 1.0.6 converts a directory entry's name with the entry's own
# 16-bit length: 0xFFFF makes iconv read 64 KiB past its stack buffer.  The
# root entry's name length of cells.xls, so set (the name itself untouched).
"$py" -c 'import struct, sys; d = bytearray(open(sys.argv[1], "rb").read())
ss = 1 << struct.unpack_from("<H", d, 0x1E)[0]; at = (struct.unpack_from("<I", d, 0x30)[0] + 1) * ss
assert d[at:at + 20] == "Root Entry".encode("utf-16-le"); d[at + 64:at + 66] = struct.pack("<H", 0xFFFF)
open(sys.argv[2], "wb").write(d)' "$out/cells.xls" "$out/hostile/long-dir-name.xls"
# Password-protected, by LibreOffice itself (through UNO: --convert-to takes
# no password).  LibreOffice 7.4 does not encrypt .xlsx this way.
"$py" "$root/test/tools/lo-password.py" "$out/cells.xlsx" "$out/hostile/encrypted.ods" calc8 "$tmp/uno"
"$py" "$root/test/tools/lo-password.py" "$out/cells.xlsx" "$out/hostile/encrypted.xls" "MS Excel 97" "$tmp/uno"
