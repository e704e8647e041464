#include "joinfields.h"
#include <string.h>

const struct pvd_joinfield pvd_joinfields[PVD_JF_N] = {
	[PVD_JF_FILE] = { "_file", PVD_FT_TEXT },
	[PVD_JF_LINE] = { "_line", PVD_FT_INT },
	[PVD_JF_DATASET] = { "_dataset", PVD_FT_TEXT },
	[PVD_JF_SOURCE] = { "_source", PVD_FT_TEXT },
	[PVD_JF_COMMUNE_INSEE] = { "commune_insee", PVD_FT_INSEE },
	[PVD_JF_COMMUNE_NOM] = { "commune_nom", PVD_FT_TEXT },
	[PVD_JF_COMMUNE_DEP] = { "commune_dep", PVD_FT_DEP },
	[PVD_JF_COMMUNE_DEP_NOM] = { "commune_dep_nom", PVD_FT_TEXT },
	[PVD_JF_COMMUNE_REG] = { "commune_reg", PVD_FT_TEXT },
	[PVD_JF_COMMUNE_REG_NOM] = { "commune_reg_nom", PVD_FT_TEXT },
	[PVD_JF_COMMUNE_EPCI] = { "commune_epci", PVD_FT_SIREN },
	[PVD_JF_COMMUNE_EPCI_NOM] = { "commune_epci_nom", PVD_FT_TEXT },
	[PVD_JF_COLLECTIVITE] = { "collectivite", PVD_FT_TEXT },
	[PVD_JF_PVD] = { "pvd", PVD_FT_BOOL },
	[PVD_JF_ID_PVD] = { "id_pvd", PVD_FT_TEXT },
	[PVD_JF_PVD_COMMUNES] = { "pvd_communes", PVD_FT_LIST },
	[PVD_JF_MATCH] = { "match", PVD_FT_TEXT },
	[PVD_JF_REMAPPED_FROM] = { "remapped_from", PVD_FT_INSEE },
	[PVD_JF_MATCH_ERROR] = { "match_error", PVD_FT_TEXT },
	[PVD_JF_MATCH_MESSAGE] = { "match_message", PVD_FT_TEXT },
};

const struct pvd_joinfield *pvd_joinfield_find(const char *name)
{
	for (size_t i = 0; i < PVD_JF_N; i++)
		if (strcmp(pvd_joinfields[i].name, name) == 0)
			return &pvd_joinfields[i];
	return NULL;
}
