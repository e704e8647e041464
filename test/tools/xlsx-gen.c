/* xlsx-gen — writes a large .xlsx for the benchmark (never committed):
 *   xlsx-gen ROWS OUT.xlsx
 * One sheet of a préfecture's grant table: a title row, a header, then ROWS
 * rows of code (text), commune (shared string), amount (a number with
 * cents), date (a serial in a date format), status (shared string), the
 * last row a TOTAL.  Built with libzip as Excel lays a workbook out (shared
 * strings, styles, 17-digit doubles); the sheet XML is written to a
 * temporary file first, so memory stays small whatever ROWS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

static const char *names[] = { "Ambérieu-en-Bugey", "Saint-Jean-de-Maurienne", "Dunières", "Château-Renault",
			       "Sézanne", "Nonancourt", "Ézy-sur-Eure", "Bourg-en-Bresse" };
static const char *status[] = { "Attribuée", "Engagée", "Soldée" };

static int add(zip_t *z, const char *name, const char *text)
{
	zip_source_t *s = zip_source_buffer(z, text, strlen(text), 0);
	return !s || zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8) < 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: xlsx-gen ROWS OUT.xlsx\n");
		return 64;
	}
	long rows = strtol(argv[1], NULL, 10);
	char tmpl[] = "/tmp/xlsx-gen.XXXXXX";
	int fd = mkstemp(tmpl);
	FILE *f = fd >= 0 ? fdopen(fd, "w+") : NULL;
	if (!f) {
		perror("xlsx-gen: temporary file");
		return 73;
	}
	unlink(tmpl);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
	      f);
	fprintf(f, "<dimension ref=\"A1:E%ld\"/><sheetData>", rows + 3);
	fputs("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>11</v></c></row>"
	      "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>12</v></c><c r=\"B2\" t=\"s\"><v>13</v></c><c r=\"C2\" t=\"s\"><v>14</v></c>"
	      "<c r=\"D2\" t=\"s\"><v>15</v></c><c r=\"E2\" t=\"s\"><v>16</v></c></row>",
	      f);
	unsigned long long x = 88172645463325252ULL, cents = 0;
	for (long i = 0; i < rows; i++) {
		long r = i + 3;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		unsigned long long c = x % 10000000; /* up to 100 000,00 € */
		cents += c;
		fprintf(f,
			"<row r=\"%ld\"><c r=\"A%ld\" t=\"inlineStr\"><is><t>%05llu</t></is></c><c r=\"B%ld\" t=\"s\"><v>%llu</v></c>"
			"<c r=\"C%ld\"><v>%.17g</v></c><c r=\"D%ld\" s=\"1\"><v>%llu</v></c><c r=\"E%ld\" t=\"s\"><v>%llu</v></c></row>",
			r, r, 1000 + (x >> 20) % 95000, r, (x >> 8) % 8, r, (double)c / 100, r, 44197 + (x >> 30) % 365, r,
			8 + (x >> 40) % 3);
	}
	fprintf(f, "<row r=\"%ld\"><c r=\"A%ld\" t=\"s\"><v>17</v></c><c r=\"C%ld\"><f>SUM(C3:C%ld)</f><v>%.17g</v></c></row>",
		rows + 3, rows + 3, rows + 3, rows + 2, (double)cents / 100);
	fputs("</sheetData></worksheet>", f);
	if (fflush(f)) {
		perror("xlsx-gen: write");
		return 74;
	}
	int err;
	zip_t *z = zip_open(argv[2], ZIP_CREATE | ZIP_TRUNCATE, &err);
	if (!z) {
		fprintf(stderr, "xlsx-gen: cannot create %s\n", argv[2]);
		return 73;
	}
	char sst[4096];
	int n = snprintf(sst, sizeof sst,
			 "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
			 "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
	for (int i = 0; i < 8; i++)
		n += snprintf(sst + n, sizeof sst - (size_t)n, "<si><t>%s</t></si>", names[i]);
	for (int i = 0; i < 3; i++)
		n += snprintf(sst + n, sizeof sst - (size_t)n, "<si><t>%s</t></si>", status[i]);
	snprintf(sst + n, sizeof sst - (size_t)n,
		 "<si><t>Subventions attribuées (bench)</t></si><si><t>Code INSEE</t></si><si><t>Commune</t></si>"
		 "<si><t>Montant</t></si><si><t>Date de décision</t></si><si><t>Statut</t></si><si><t>TOTAL</t></si></sst>");
	rewind(f);
	zip_source_t *sheet = zip_source_filep(z, f, 0, -1);
	if (add(z, "[Content_Types].xml",
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
		"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
		"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
		"<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
		"<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
		"<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
		"<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
		"</Types>") ||
	    add(z, "_rels/.rels",
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
		"</Relationships>") ||
	    add(z, "xl/workbook.xml",
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
		"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		"<sheets><sheet name=\"Subventions\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>") ||
	    add(z, "xl/_rels/workbook.xml.rels",
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
		"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
		"<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
		"</Relationships>") ||
	    add(z, "xl/styles.xml",
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		"<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>") ||
	    add(z, "xl/sharedStrings.xml", sst) || !sheet ||
	    zip_file_add(z, "xl/worksheets/sheet1.xml", sheet, 0) < 0 || zip_close(z) < 0) {
		fprintf(stderr, "xlsx-gen: %s\n", zip_strerror(z));
		return 74;
	}
	return 0;
}
