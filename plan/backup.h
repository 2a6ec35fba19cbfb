/* Backup power for the first 72 hours: neighbourhood batteries (wijkbatterijen) in urban
 * and dense class-4 areas, home batteries with a backup function elsewhere, power for the
 * support points and generators for care institutions; sizing, demand-weighted placement
 * on populated land, and the ranking that funds areas within a yearly budget.
 * Pure computation: no GEOS, no I/O. Every number is a parameter (domain guide defaults). */
#ifndef HUB_BACKUP_H
#define HUB_BACKUP_H

#include <stddef.h>
#include <stdint.h>

struct backup_params {
	double household_kwh;         /* essential load for the horizon: 6 kWh (72 h at 2 kWh/day) */
	double household_kw;          /* 0.5 kW per household */
	double households_per_battery; /* one wijkbatterij per transformer area: 175 */
	double battery_eur_per_kwh;   /* wijkbatterij: 400 EUR/kWh */
	double home_battery_kwh;      /* usable, with backup function: 6 kWh */
	double home_eur_per_kwh;      /* 800 EUR/kWh */
	double home_share;            /* share of households in classes 4-5 given one: 0..1 */
	double class4_min_density;    /* addresses/km2 above which a class-4 area gets wijkbatterijen */
	double local_point_kwh;       /* battery per local support point: 360 kWh */
	double regional_point_kva;    /* generator per regional point: 30 kVA */
	double care_kva;              /* smallest generator of a care institution, and its size
				       * when its beds and clients are unknown: 20 kVA */
	double care_kva_per_person;   /* per bed (else intramural client): 1 kVA */
	double care_weight;           /* households one bed or client counts for in the
				       * ranking: 4 (a resident on powered care) */
	double generator_eur_per_kva; /* generator with 72 h of fuel */
	double budget_eur;            /* yearly budget; the support points are paid first, the
					 areas and the care generators are funded from the
					 rest, best score first */
	double weight_65plus;         /* vulnerability weight per resident aged 65+ */
};

/* One area that gets backup power (a buurt, or a wijk without buurten). */
struct backup_area {
	double households;            /* NaN = unknown (then residents / 2.1 is used) */
	double residents;
	double residents_65plus;      /* estimated count */
	int urbanity;                 /* 1..5 */
	double address_density;       /* addresses per km2, NaN = unknown */
	/* Demand points of the area for placement: positions and weights (not owned). */
	const double *xy;
	const double *weight;
	size_t npoints;
};

struct backup_result {
	double households;            /* used for sizing */
	int wijk_batteries;
	double wijk_kwh, wijk_kw;
	int home_batteries;
	double home_kwh;
	double protected_households;
	double cost_eur;
	double score;                 /* vulnerability-weighted households per EUR */
	int funded;                   /* 1 when the budget covers it */
	size_t first_battery, nbatteries;  /* this area's rows in the battery list */
};

/* A care institution (organisation) with beds or intramural clients. */
struct backup_institution {
	double people;                /* beds, else intramural clients; NaN or <= 0 = unknown */
};

/* Its generator: sized, costed and ranked with the areas. */
struct backup_generator {
	double people;                /* 0 when unknown */
	double kva, cost_eur;
	double score;                 /* care_weight * people per EUR: households per EUR (people
				       * unknown: care_kva / care_kva_per_person) */
	int funded;
};

struct backup_battery {
	size_t area;
	double x, y, kwh, kw, households;
};

struct backup_plan {
	struct backup_result *areas;  /* [nareas] */
	struct backup_battery *batteries;
	size_t nbatteries;
	double points_cost_eur;       /* batteries and generators of the support points */
	struct backup_generator *generators;   /* [ngenerators], one per institution given */
	size_t ngenerators;
	double care_cost_eur;         /* all care generators, funded or not */
	double funded_cost_eur, unfunded_cost_eur;   /* areas and care generators */
};

/* Sizes, places and ranks. local_points / regional_points: counts of sites whose power is
 * part of the plan (paid first); inst: the care institutions, each a generator of
 * max(care_kva, care_kva_per_person * people) kVA funded in one ranking with the areas.
 * 0 or -ENOMEM. Free with backup_plan_free. */
int backup_compute(const struct backup_params *p, const struct backup_area *areas,
		   size_t nareas, size_t local_points, size_t regional_points,
		   const struct backup_institution *inst, size_t ninst, struct backup_plan *out);
void backup_plan_free(struct backup_plan *b);

/* The parameters of the domain guide. */
void backup_params_default(struct backup_params *p);

#endif
