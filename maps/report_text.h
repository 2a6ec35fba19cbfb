/* The text of the HTML report and of the exports' QGIS legends, in English and Dutch: each
 * entry is "English", "Dutch" (util/lang.h), picked with RT(o, RT_...) or LANG_PICK. The Dutch words are docs/glossary.md's. Entries with printf
 * conversions are checked against their arguments in both languages by the compiler;
 * tests/check_text.py lists the keys per language and checks the pairs. Text only: no
 * logic, and HTML only where a sentence carries markup. */
#ifndef HUB_REPORT_TEXT_H
#define HUB_REPORT_TEXT_H

#include "util/lang.h"

/* ---- the page head, title and headline figures (report.c) ---- */
#define RT_SUB_PLAN "Plan %lld, computed %s", "Plan %lld, berekend op %s"
#define RT_SUB_FOR " for ", " voor "
#define RT_SUB_DATA "; data version <code>%s</code>, imported ", \
	"; gegevensversie <code>%s</code>, ingelezen op "
#define RT_UNKNOWN "(unknown)", "(onbekend)"
#define RT_RESIDENTS "residents", "inwoners"
#define RT_FIG_COVERED "covered: a local point in reach", \
	"gedekt: een lokaal noodsteunpunt binnen bereik"
#define RT_FIG_UNCOVERED "residents not covered", "inwoners niet gedekt"
#define RT_FIG_UNCOVERED_65 "of them aged 65+", "van wie 65-plussers"
#define RT_FIG_BLACKOUT "covered in a blackout: a point with funded power in reach", \
	"gedekt bij stroomuitval: een punt met gefinancierde noodstroom binnen bereik"
#define RT_FIG_TWICE "covered twice: two or more local points in reach", \
	"dubbel gedekt: twee of meer lokale noodsteunpunten binnen bereik"
#define RT_FIG_BACKUP "of the local points are backup points, placed to cover residents twice", \
	"van de lokale noodsteunpunten zijn reservepunten, geplaatst om inwoners dubbel te dekken"
#define RT_LOCAL_POINTS "local points", "lokale noodsteunpunten"
#define RT_REGIONAL_POINTS "regional points", "hoofdsteunpunten"
#define RT_WIJKBATTERIJEN LANG_SAME("wijkbatterijen")

/* ---- plan parameters, bound and gap, data (report.c) ---- */
#define RT_PARAMS "Plan parameters", "Parameters van het plan"
#define RT_PARAMS_UNREADABLE "The plan's parameters could not be read.", \
	"De parameters van het plan konden niet worden gelezen."
#define RT_PARAM_NATION "none (the nation)", "geen (heel Nederland)"
#define RT_URBANITY "urbanity class", "stedelijkheid"
#define RT_URBANITY_1 "1 (2,500+ addresses/km²)", "1 (2.500+ adressen/km²)"
#define RT_URBANITY_2 "2 (1,500–2,500)", "2 (1.500–2.500)"
#define RT_URBANITY_3 "3 (1,000–1,500)", "3 (1.000–1.500)"
#define RT_URBANITY_4 "4 (500–1,000)", "4 (500–1.000)"
#define RT_URBANITY_5 "5 (under 500)", "5 (minder dan 500)"
#define RT_BOUND "Bound and gap", "Bovengrens en gat"
#define RT_BOUND_INTRO "The bound is an upper limit on the weighted demand any plan with the " \
	"same number of points could cover; the gap is how far this plan may be from the " \
	"best, in % of the bound.", \
	"De bovengrens is een bewezen maximum voor de gewogen vraag die een plan met evenveel " \
	"punten kan dekken; het gat is hoe ver dit plan hoogstens van het beste plan af ligt, " \
	"in % van de bovengrens."
#define RT_BOUND_LEVEL "level (whole plan)", "niveau (heel plan)"
#define RT_POINTS "points", "punten"
#define RT_CANDIDATES "candidates", "kandidaatlocaties"
#define RT_COVERED_WEIGHT "covered weight", "gedekt gewicht"
#define RT_BOUND_COL "bound", "bovengrens"
#define RT_GAP_PCT "gap %", "gat %"
#define RT_LEVEL_LOCAL "local", "lokaal"
#define RT_LEVEL_REGIONAL "regional", "regionaal"
#define RT_DATA "Data", "Gegevens"
#define RT_DATA_VERSION "Data version <code>%s</code>, imported ", \
	"Gegevensversie <code>%s</code>, ingelezen op "
#define RT_DATA_FROM " from:", " uit:"
#define RT_DATA_SOURCES "Bron: CBS, Kadaster (PDOK): CBS Wijk- en Buurtkaart 2024, Kerncijfers " \
	"wijken en buurten 2024 (tabel 85984NED), Vierkantstatistieken 2024 and " \
	"Gebiedsindelingen 2023. Safety-region boundaries and membership derived from CBS " \
	"Gebiedsindelingen 2023 (as published in the Dutch government's open COVID-19 " \
	"dashboard repository, EUPL-1.2). Schools: DUO open onderwijsdata, 22 Nov 2024, " \
	"geocoded on BAG (Kadaster, CC0). Boundaries are generalised; the map simplifies them " \
	"further to %.0f m.", \
	"Bron: CBS, Kadaster (PDOK): CBS Wijk- en Buurtkaart 2024, Kerncijfers wijken en " \
	"buurten 2024 (tabel 85984NED), Vierkantstatistieken 2024 en Gebiedsindelingen 2023. " \
	"Grenzen en indeling van de veiligheidsregio's afgeleid uit CBS Gebiedsindelingen 2023 " \
	"(zoals gepubliceerd in de open repository van het coronadashboard van de " \
	"Rijksoverheid, EUPL-1.2). Scholen: DUO open onderwijsdata, 22 nov. 2024, " \
	"gegeocodeerd op de BAG (Kadaster, CC0). De grenzen zijn gegeneraliseerd; de kaart " \
	"vereenvoudigt ze verder tot %.0f m."

/* ---- the map (report_svg.c) ---- */
#define RT_MAP_LABEL "Coverage map of ", "Dekkingskaart van "
#define RT_NO_RESIDENTS "no residents", "geen inwoners"
#define RT_NOT_IN_PLAN "not in this plan", "niet in dit plan"
#define RT_AREA_TITLE "%s %% covered; %s residents, %s uncovered (%s aged 65+)", \
	"%s %% gedekt; %s inwoners, %s niet gedekt (%s 65-plussers)"
#define RT_UNCOVERED_IN "Uncovered in ", "Niet gedekt in "
#define RT_UNCOVERED_TITLE ": %s residents (%s aged 65+)", ": %s inwoners (%s 65-plussers)"
#define RT_BATTERIES_TITLE LANG_SAME("%s wijkbatterijen")
#define RT_ORIGIN_CANDIDATE "candidate site", "kandidaatlocatie"
#define RT_ORIGIN_AREA "generated: area centre", "gegenereerd: midden van het gebied"
#define RT_ORIGIN_BLOCK "generated: cell block", "gegenereerd: blok van rastercellen"
#define RT_SITE_LOCAL "Local noodsteunpunt %d: ", "Lokaal noodsteunpunt %d: "
#define RT_SITE_REGIONAL "Regional noodsteunpunt %d: ", "Hoofdsteunpunt %d: "
#define RT_ADDED "added", "toegevoegd"
#define RT_REMOVED "removed", "vervallen"
#define RT_GENERATED_POSITION "generated position", "gegenereerde locatie"
#define RT_LEGEND_HEAD_1 "Residents within reach of a local", "Inwoners binnen bereik van een"
#define RT_LEGEND_HEAD_2 "noodsteunpunt (% per area)", "lokaal noodsteunpunt (% per gebied)"
#define RT_CLASS_0 "no residents / not planned", "geen inwoners / niet gepland"
#define RT_CLASS_1 "99.9 % or more", "99,9 % of meer"
#define RT_CLASS_2 "99.5 – 99.9 %", "99,5 – 99,9 %"
#define RT_CLASS_3 "99 – 99.5 %", "99 – 99,5 %"
#define RT_CLASS_4 LANG_SAME("98 – 99 %")
#define RT_CLASS_5 LANG_SAME("95 – 98 %")
#define RT_CLASS_6 LANG_SAME("90 – 95 %")
#define RT_CLASS_7 "under 90 %", "minder dan 90 %"
#define RT_LEGEND_FIRST_PLAN "first plan: no changes to mark", \
	"eerste plan: geen wijzigingen te tonen"
#define RT_LEGEND_ADDED "added since plan %lld", "toegevoegd sinds plan %lld"
#define RT_LEGEND_REMOVED "removed since plan %lld", "vervallen sinds plan %lld"
#define RT_LEGEND_FEW "paler: fewer than 50 residents", "lichter: minder dan 50 inwoners"
#define RT_LEGEND_UNCOVERED "uncovered places (cells, squares)", \
	"niet gedekte plekken (cellen, vierkanten)"
#define RT_LEGEND_BUURT "buurt (100 m cells shaded)", "buurt (100m-cellen gekleurd)"
#define RT_LEGEND_LOCAL "local noodsteunpunt", "lokaal noodsteunpunt"
#define RT_LEGEND_REGIONAL "regional noodsteunpunt", "hoofdsteunpunt"
#define RT_LEGEND_BATTERY_BOX "wijkbatterij (shown with the box below)", \
	"wijkbatterij (te tonen met het vakje onder de kaart)"
#define RT_LEGEND_BATTERY LANG_SAME("wijkbatterij")
#define RT_LEGEND_GEMEENTE "gemeente boundary", "gemeentegrens"
#define RT_LEGEND_REGION "safety region boundary", "grens van de veiligheidsregio"
#define RT_NORTH "grid north (RD New, EPSG:28992)", "roosternoorden (RD New, EPSG:28992)"
#define RT_ATTR_GEOCODED "geocoded on BAG (Kadaster).", "gegeocodeerd op de BAG (Kadaster)."
#define RT_ATTR_SIMPLIFIED "Boundaries simplified for this map.", \
	"Grenzen vereenvoudigd voor deze kaart."
#define RT_SHOW_BATTERIES " show the wijkbatterijen on the map", \
	" toon de wijkbatterijen op de kaart"

/* ---- what changed (report_changes.c) ---- */
#define RT_CHANGES "Changes since the previous plan", "Wijzigingen sinds het vorige plan"
#define RT_CHANGES_FIRST "This is the first plan: there is no previous plan to compare it with.", \
	"Dit is het eerste plan: er is geen vorig plan om het mee te vergelijken."
#define RT_CHANGES_COMPARED "Compared with plan %lld (computed %s): %ld site%s added and %ld " \
	"removed in ", "Vergeleken met plan %lld (berekend op %s): %ld locatie%s toegevoegd en " \
	"%ld vervallen in "
#define RT_CHANGES_MATCHED ", matched by position (within 1 m).", \
	", gekoppeld op positie (binnen 1 m)."
#define RT_CHANGES_NATION " Nationally, ", " Landelijk, "
#define RT_CHANGES_LEVEL "%s: %s added, %s removed, %s kept", \
	"%s: %s toegevoegd, %s vervallen, %s behouden"
#define RT_CHANGES_MARKS " The map marks them: a green ring for an added site, a grey cross " \
	"for a removed one.", " De kaart toont ze: een groene ring voor een toegevoegde " \
	"locatie, een grijs kruis voor een vervallen."
#define RT_CHANGE "change", "wijziging"
#define RT_LEVEL "level", "niveau"
#define RT_NAME "name", "naam"
#define RT_GEMEENTE LANG_SAME("gemeente")
#define RT_REGION "region", "regio"
#define RT_RD_XY LANG_SAME("RD x, y")
#define RT_GENERATED_PAREN "(generated position)", "(gegenereerde locatie)"

/* ---- where the points stand (report_sites.c) ---- */
#define RT_SITES "Where the points stand, and power for institutions", \
	"Waar de punten staan, en noodstroom voor instellingen"
#define RT_KIND "kind", "soort"
#define RT_SHARE "share", "aandeel"
#define RT_KIND_GENERATED "generated", "gegenereerd"
#define RT_KIND_SCHOOL LANG_SAME("school")
#define RT_KIND_FIRE_STATION "fire station", "brandweerkazerne"
#define RT_KIND_TOWN_HALL "town hall", "gemeentehuis"
#define RT_KIND_AMBULANCE_POST "ambulance post", "ambulancepost"
#define RT_KIND_COMMUNITY_CENTRE "community centre", "buurthuis"
#define RT_KIND_CHURCH "church", "kerk"
#define RT_KIND_OTHER "other", "overig"
#define RT_GENERATED_ONE "%zu regional point stands in ", "%zu hoofdsteunpunt staat in "
#define RT_GENERATED_MANY "%zu regional points stand in ", "%zu hoofdsteunpunten staan in "
#define RT_GENERATED_WHY " at a generated position because no site of the plan's regional " \
	"kinds (<code>", " op een gegenereerde locatie, omdat geen locatie van de soorten " \
	"voor hoofdsteunpunten (<code>"
#define RT_ANY_KIND "any kind", "elke soort"
#define RT_GENERATED_REACH "</code>) reaches the residents there.", \
	"</code>) de inwoners daar bereikt."
#define RT_LAT_LON "lat, lon", "breedte, lengte"
#define RT_CARE_SUMMARY "Care institutions: %zu, %zu of them with a generator funded within " \
	"the yearly budget. Hospitals: %zu (%.0f beds, %.0f ventilated IC beds where the " \
	"source gives them); they must have emergency power already, so the plan counts them " \
	"and buys nothing for them.", \
	"Zorginstellingen: %zu, van wie %zu met een noodstroomaggregaat dat binnen het " \
	"jaarbudget gefinancierd is. Ziekenhuizen: %zu (%.0f bedden, %.0f IC-bedden met " \
	"beademing waar de bron ze noemt); die moeten al noodstroom hebben, dus het plan telt " \
	"ze en koopt er niets voor."
#define RT_INSTITUTION "institution", "instelling"
#define RT_BEDS_CLIENTS "beds or clients", "bedden of cliënten"
#define RT_GENERATOR_KVA "generator, kVA", "aggregaat, kVA"
#define RT_COST_EUR "cost, EUR", "kosten, EUR"

/* ---- the tables (report_table.c) ---- */
#define RT_PER_GEMEENTE LANG_SAME("Per gemeente")
#define RT_GEMEENTEN_INTRO "Click a column header to sort. Points and wijkbatterijen are " \
	"counted in the gemeente they stand in. <em>Demand placed by</em>: how many of its " \
	"areas had their residents placed by grid cells (cells), spread by an older finer " \
	"layer (its name, e.g. buurten_2015) or spread evenly over their land (even).", \
	"Klik op een kolomkop om te sorteren. Punten en wijkbatterijen tellen in de gemeente " \
	"waar ze staan. <em>Vraag geplaatst via</em>: hoeveel van de gebieden hun inwoners " \
	"geplaatst kregen via rastercellen (cells), gespreid via een oudere, fijnere laag " \
	"(de naam ervan, bv. buurten_2015) of gelijkmatig over hun land gespreid (even)."
#define RT_OUT_OF_MEMORY "Out of memory while counting.", "Geen geheugen meer bij het tellen."
#define RT_CODE LANG_SAME("code")
#define RT_COVERED_PCT "covered %", "gedekt %"
#define RT_BLACKOUT_PCT "in a blackout %", "bij stroomuitval %"
#define RT_TWICE_PCT "covered twice %", "dubbel gedekt %"
#define RT_UNCOVERED "uncovered", "niet gedekt"
#define RT_UNCOVERED_65 "uncovered 65+", "niet gedekt 65+"
#define RT_SPREAD "demand placed by", "vraag geplaatst via"
#define RT_SAFETY_REGION "safety region", "veiligheidsregio"
#define RT_BOUND_BY "bound by", "bovengrens via"
#define RT_BY_OPTIMUM "proven optimum (CBC)", "bewezen optimum (CBC)"
#define RT_BY_MIP "CBC at its time limit", "CBC bij de tijdslimiet"
#define RT_BY_COVER "proven optimum (all reachable demand)", \
	"bewezen optimum (alle bereikbare vraag)"
#define RT_BY_LAGRANGE "Lagrangian dual", "lagrangiaans duaal"

/* ---- the QGIS legends of the exported layers (export_styles.c; the classes are RT_CLASS_*) */
#define RT_STYLE_REGIONAL_FIRE "regional noodsteunpunt in a fire station", \
	"hoofdsteunpunt in een brandweerkazerne"
#define RT_STYLE_REGIONAL_OTHER "regional noodsteunpunt, other site or generated position", \
	"hoofdsteunpunt, andere locatie of gegenereerde locatie"
#define RT_STYLE_LOCAL_SCHOOL "local noodsteunpunt in a school", \
	"lokaal noodsteunpunt in een school"
#define RT_STYLE_LOCAL_OTHER "local noodsteunpunt in another building (town hall, ...)", \
	"lokaal noodsteunpunt in een ander gebouw (gemeentehuis, ...)"
#define RT_STYLE_LOCAL_GENERATED "local noodsteunpunt at a generated position (area centre or " \
	"block)", "lokaal noodsteunpunt op een gegenereerde locatie (midden van gebied of blok)"
#define RT_STYLE_BATTERY_FUNDED "wijkbatterij, funded by the budget", \
	"wijkbatterij, gefinancierd uit het budget"
#define RT_STYLE_BATTERY_UNFUNDED "wijkbatterij, not funded", "wijkbatterij, niet gefinancierd"
#define RT_STYLE_UNCOVERED "uncovered places: no local noodsteunpunt in reach", \
	"niet gedekte plekken: geen lokaal noodsteunpunt binnen bereik"
#define RT_STYLE_ADDED "added since the previous plan", "toegevoegd sinds het vorige plan"
#define RT_STYLE_REMOVED "removed since the previous plan", "vervallen sinds het vorige plan"
#define RT_STYLE_DESCRIPTION "hubplanner's style: the classes and symbols of the report", \
	"stijl van hubplanner: de klassen en symbolen van het rapport"

#endif
