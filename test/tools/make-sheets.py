#!/usr/bin/env python3
"""Writes the Excel-only spreadsheet fixtures of fixtures/sheets/ with openpyxl
(an independent writer: pvd only reads them).  Run by test/tools/make-sheets.sh.

openpyxl 3.0 cannot write some things Excel writes every day; those are put
in the saved file's XML afterwards, as Excel itself writes them (marked
EXCEL-LIKE below): 17-digit numbers (7010.3100000000004), cached values of
formulas, rich text runs (with a phonetic run to leave out), inline strings.
"""
import datetime as dt
import re
import sys
import zipfile

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

out = sys.argv[1]


def patch(path, part, edits, add=None):
    """Rewrites part of the zip at path with (regex, replacement) edits;
    add: {name: text} parts to add."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    assert part in [i.filename for i, _ in items], part
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == part:
                text = data.decode()
                for pat, rep in edits:
                    text, n = re.subn(pat, rep, text, count=1)
                    assert n == 1, (part, pat)
                data = text.encode()
            z.writestr(info, data)
        for name, text in (add or {}).items():
            z.writestr(name, text)


def cells(path, epoch1904=False):
    wb = openpyxl.Workbook()
    if epoch1904:
        wb.epoch = CALENDAR_MAC_1904
    draft = wb.active
    draft.title = "Brouillon"
    draft.sheet_state = "hidden"
    draft["A1"] = "brouillon: never read by default"
    ws = wb.create_sheet("Suivi")
    param = wb.create_sheet("Param")
    param.sheet_state = "veryHidden"
    param["A1"] = "param"
    ws["A1"] = "Suivi des conventions 2021"
    ws.merge_cells("A1:G1")
    ws.append(["code", "nom", "montant", "date", "horodatage", "signee", "double"])
    d = dt.datetime(2021, 11, 5)
    ws.append(["01004", "Ambérieu-en-Bugey", 7010.31, d, dt.datetime(2021, 11, 5, 10, 28), True, "=C3*2"])
    ws.append([1002, "RICH", 12, dt.datetime(2021, 1, 31), dt.datetime(2021, 1, 31, 23, 59, 30), False, "=C4*2"])
    # row 5 left out (sparse); row 6: B6 inline, D6 skipped, cells after it
    ws["A6"] = 26198
    ws["B6"] = "Bourg-en-Bresse"    # openpyxl writes inline strings
    ws["C6"] = 0.1
    ws["E6"] = dt.datetime(2021, 12, 31, 0, 0)
    ws["F6"] = "Oui"
    ws.append([])
    ws["A7"] = 1053
    ws["B7"] = "Erreur"
    ws["C7"] = "#N/A"          # openpyxl writes it as an error cell (t="e")
    ws["A8"] = 1054
    ws["B8"] = "Jamais calculé"
    ws["C8"] = 5
    ws["G8"] = "=C8+1"         # left without a cached value
    ws["A9"] = "TOTAL"
    ws["C9"] = "=SUM(C3:C6)"
    ws["A10"] = 1055
    ws["B10"] = "Division"
    ws["C10"] = "=1/0"         # cached #DIV/0! below
    ws["A11"] = 1056
    ws["B11"] = "Grand"
    ws["C11"] = 1e20
    ws["D11"] = -0.000125
    ws["E11"] = dt.time(10, 28)
    # the same values side by side, and the same row twice (ods: repeated)
    ws.append([1057, "Pareil", 7, 7, 7, 7])
    ws.append([1057, "Pareil", 7, 7, 7, 7])
    for r in range(3, 12):
        ws[f"D{r}"].number_format = "dd/mm/yyyy" if r != 11 else "General"
        ws[f"E{r}"].number_format = "dd/mm/yyyy hh:mm" if r != 11 else "hh:mm"
    # empty trailing columns with a style only (Excel keeps them)
    ws["J3"].number_format = "0.00"
    dates = wb.create_sheet("Dates")
    dates.append(["serial", "date"])
    for serial in (1, 59, 60, 61, 44505, 44505.4361111111):
        dates.append([serial, serial])
    for r in range(2, 8):
        dates[f"B{r}"].number_format = "yyyy-mm-dd" if r < 7 else "yyyy-mm-dd hh:mm"
    wb.save(path)
    # EXCEL-LIKE: in the Suivi sheet (sheet2), what openpyxl cannot write:
    # 17 digits, cached values, and a shared string table holding rich text
    # (runs to join, a phonetic run to leave out, _xHHHH_ escapes).
    total = "%.17g" % (7010.31 + 12 + 0.1)
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">'
           '<si><t>Oui</t></si>'
           '<si><r><t>Saint-</t></r><r><rPr><b/></rPr><t xml:space="preserve">Denis </t></r>'
           '<r><t>_x0028_Réunion_x0029_</t></r><rPh sb="0" eb="1"><t>NO</t></rPh></si></sst>')
    patch(path, "xl/worksheets/sheet2.xml", [
        (r'<v>7010\.31</v>', '<v>7010.3100000000004</v>'),
        (r'(<c r="G3"[^>]*><f>C3\*2</f>)<v\s*/?>(</v>)?', r'\1<v>14020.620000000001</v>'),
        (r'(<c r="G4"[^>]*><f>C4\*2</f>)<v\s*/?>(</v>)?', r'\1<v>24</v>'),
        (r'(<c r="C9"[^>]*><f>SUM\(C3:C6\)</f>)<v\s*/?>(</v>)?', r'\1<v>' + total + '</v>'),
        (r'<c r="C10"([^>]*?)( t="\w+")?><f>1/0</f><v\s*/?>(</v>)?', r'<c r="C10"\1 t="e"><f>1/0</f><v>#DIV/0!</v>'),
        (r'<c r="B4" t="inlineStr"><is><t>RICH</t></is></c>', '<c r="B4" t="s"><v>1</v></c>'),
        (r'<c r="F6" t="inlineStr"><is><t>Oui</t></is></c>', '<c r="F6" t="s"><v>0</v></c>'),
    ], add={"xl/sharedStrings.xml": sst})
    patch(path, "xl/_rels/workbook.xml.rels", [
        (r'</Relationships>', '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                              'sharedStrings" Target="sharedStrings.xml" Id="rId99"/></Relationships>')])
    patch(path, "[Content_Types].xml", [
        (r'</Types>', '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                      'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')])


def hostile(out):
    """Crafted hostile workbooks: each must be refused with a clear message."""
    base = f"{out}/cells.xlsx"
    with zipfile.ZipFile(base) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}

    def write(name, replace=None, extra=None, drop=()):
        with zipfile.ZipFile(f"{out}/hostile/{name}", "w", zipfile.ZIP_DEFLATED) as z:
            for n, data in parts.items():
                if n in drop:
                    continue
                z.writestr(n, (replace or {}).get(n, data))
            for n, data in (extra or {}).items():
                z.writestr(n, data)

    sheet = parts["xl/worksheets/sheet2.xml"].decode()
    # zip bomb: a sheet of 64 MiB (whitespace inside the XML) from ~64 KiB
    write("bomb.xlsx", {"xl/worksheets/sheet2.xml":
                        sheet.replace("<sheetData>", "<sheetData>" + " " * (64 << 20), 1).encode()})
    # billion laughs in workbook.xml
    laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)) + ']>'
    wb = parts["xl/workbook.xml"].decode()
    write("entities.xlsx", {"xl/workbook.xml": (laughs + re.sub(r'^<\?xml[^>]*\?>', '', wb)).encode()})
    # external entity in the sheet
    xxe = sheet.replace('<worksheet', '<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]><worksheet', 1)
    xxe = xxe.replace("<t>Ambérieu-en-Bugey</t>", "<t>&x;</t>", 1) if "<t>Ambérieu" in xxe else xxe
    write("xxe.xlsx", {"xl/worksheets/sheet2.xml": xxe.encode()})
    # shared string index out of range
    write("bad-sst.xlsx", {"xl/worksheets/sheet2.xml":
                           sheet.replace('<c r="F6" t="s"><v>0</v>', '<c r="F6" t="s"><v>99</v>').encode()})
    # a name that climbs out of the archive
    write("odd-path.xlsx", extra={"../../evil.txt": b"evil"})
    # truncated: the first half of the file
    data = open(base, "rb").read()
    open(f"{out}/hostile/truncated.xlsx", "wb").write(data[:len(data) // 2])
    # a zip that is no workbook, named .xlsx: the signature decides
    with zipfile.ZipFile(f"{out}/hostile/not-a-sheet.xlsx", "w") as z:
        z.writestr("readme.txt", "just a zip")


if sys.argv[2:] == ["hostile"]:
    hostile(out)
else:
    cells(f"{out}/cells.xlsx")
    cells(f"{out}/cells-1904.xlsx", epoch1904=True)
