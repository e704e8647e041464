/* gen-export ROWS: writes a synthetic ';'-separated préfecture export of
 * ROWS data rows on stdout (the shape of a DETR table: INSEE code, names,
 * a quoted title, amounts with a decimal comma, dates), deterministic, for
 * the benchmarks. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	unsigned long rows = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
	unsigned long long x = 88172645463325252ULL;
	static const char *const dot[] = { "DETR", "DSIL", "FNADT" };
	static const char *const word[] = { "Rénovation", "Aménagement", "Extension", "Mise aux normes",
					    "Réhabilitation", "Construction" };
	static const char *const obj[] = { "de l’école", "du centre-bourg", "de la mairie",
					   "de la salle des fêtes", "de la médiathèque", "des réseaux; voirie" };
	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	printf("Code INSEE;Commune;Dotation;Intitulé du projet;Coût HT;Montant attribué;Date de décision;Exercice\n");
	for (unsigned long i = 0; i < rows; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		unsigned long long cents = x % 50000000ULL, cost = cents * 3;
		unsigned dep = 1 + (unsigned)((x >> 20) % 95), com = 1 + (unsigned)((x >> 30) % 600);
		printf("%02u%03u;Commune n°%lu;%s;\"%s %s (tranche %lu)\";%llu %03llu,%02llu;%llu,%02llu;%02u/%02u/2021;2021\n",
		       dep, com, i, dot[x % 3], word[(x >> 8) % 6], obj[(x >> 12) % 6], i % 4 + 1,
		       cost / 100000, (cost / 100) % 1000, cost % 100, cents / 100, cents % 100,
		       1 + (unsigned)((x >> 40) % 28), 1 + (unsigned)((x >> 45) % 12));
	}
	return ferror(stdout) || fclose(stdout) ? 74 : 0;
}
