/* The plain-text instance export: a header, one line per demand point, per candidate and
 * per coverage list, then the plan's open sites (and its backup sites with their weight
 * covered twice, when it has some). Written to a temporary file beside the
 * target and renamed, so a reader never sees half a file. */
#include "jobs/instance.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void write_body(FILE *f, const struct plan_level *lv, const struct demand *d)
{
	const struct cover_model *m = lv->model;
	fprintf(f, "hubplanner-instance 1\n");
	fprintf(f, "# maximal covering: choose p candidates maximising the total weight of\n"
		"# demand points covered by at least one chosen candidate; fixed candidates\n"
		"# must be chosen. Coordinates are RD New (EPSG:28992) metres.\n");
	fprintf(f, "p %zu\n", lv->sol.nopen);
	fprintf(f, "sizes %zu %zu %zu\n", m->ndemand, m->ncand, m->nnz);
	for (size_t i = 0; i < m->ndemand; i++)
		fprintf(f, "d %zu %.6f %.6f %u %.1f %.1f\n", i, m->weight[i], m->residents[i],
			m->group[i], d->xy[2 * i], d->xy[2 * i + 1]);
	for (size_t j = 0; j < m->ncand; j++)
		fprintf(f, "c %zu %d %u %.1f %.1f\n", j, m->fixed[j], m->cand_group[j],
			lv->cand.xy[2 * j], lv->cand.xy[2 * j + 1]);
	for (size_t j = 0; j < m->ncand; j++) {
		fprintf(f, "a %zu %u", j, m->cand_off[j + 1] - m->cand_off[j]);
		for (uint32_t e = m->cand_off[j]; e < m->cand_off[j + 1]; e++)
			fprintf(f, " %u", m->cand_dem[e]);
		fputc('\n', f);
	}
	fprintf(f, "plan %zu", lv->sol.nopen);
	for (size_t k = 0; k < lv->sol.nopen; k++)
		fprintf(f, " %u", lv->sol.open[k]);
	fprintf(f, "\nbound %.6f\ncovered %.6f\n", lv->bound, lv->covered_weight);
	if (lv->nprimary >= lv->sol.nopen)
		return;
	fprintf(f, "backup %zu", lv->sol.nopen - lv->nprimary);   /* backup_sites, in plan too */
	for (size_t k = lv->nprimary; k < lv->sol.nopen; k++)
		fprintf(f, " %u", lv->sol.open[k]);
	fprintf(f, "\ntwice %.6f %.6f %.6f\n", lv->twice.base_weight, lv->twice.weight,
		lv->twice.bound);
}

int instance_write(const char *path, const struct plan_level *lv, const struct demand *d,
		   char *err, size_t errlen)
{
	size_t len = strlen(path) + 8;
	char *tmp = malloc(len);
	FILE *f = NULL;
	int rc = 0;
	if (!tmp) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	snprintf(tmp, len, "%s.tmp", path);
	if (!(f = fopen(tmp, "w"))) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto done;
	}
	write_body(f, lv, d);
	if (ferror(f) | (fclose(f) != 0) || rename(tmp, path) != 0) {
		rc = -errno ? -errno : -EIO;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
	}
done:
	free(tmp);
	return rc;
}
