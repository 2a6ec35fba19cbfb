/* The catalog of hubctl's human text: every label, header, note and message of its tables
 * (hubctl_print*.c, hubctl_resilience.c), of export/report and of recompute --wait, as an
 * English, Dutch pair (util/lang.h) picked with CTL_T or LANG_PICK. Dutch words are those
 * of docs/glossary.md. Holds no code; JSON, exports and the daemon's messages stay as sent.
 * tests/check_text.py HT_ checks it (ctest test_hubctl_text). */
#ifndef HUB_HUBCTL_TEXT_H
#define HUB_HUBCTL_TEXT_H

#include "util/lang.h"

/* ---- machine values in words (levels, statuses, yes/no) ---- */
#define HT_LOCAL "local", "lokaal"
#define HT_REGIONAL "regional", "regionaal"
#define HT_TOTAL "total", "totaal"
#define HT_DESIGNATED "designated", "aangewezen"
#define HT_REJECTED "rejected", "afgewezen"
#define HT_RELEASED "released", "vrijgegeven"
#define HT_YES "yes", "ja"
#define HT_NO "no", "nee"
#define HT_GEMEENTE LANG_SAME("gemeente")
#define HT_WIJK LANG_SAME("wijk")
#define HT_BUURT LANG_SAME("buurt")

/* the phases of a recompute (jobs/progress.c; "local" and "regional" are the levels') */
#define HT_PHASE_STARTING "starting", "starten"
#define HT_PHASE_DEMAND "demand", "vraagpunten"
#define HT_PHASE_CANDIDATES "candidates", "kandidaten"
#define HT_PHASE_RESULTS "results", "resultaten"
#define HT_PHASE_DONE "done", "klaar"

/* ---- labels shared by several printers ---- */
#define HT_PLAN LANG_SAME("plan")
#define HT_PLAN_LINE "#%s, created %s, data version %s", "#%s, gemaakt %s, dataversie %s"
#define HT_SELECTION "selection", "selectie"
#define HT_RESIDENTS "residents", "inwoners"
#define HT_COVERED "covered", "gedekt"
#define HT_UNCOVERED "uncovered", "niet gedekt"
#define HT_UNCOVERED_VULNERABLE "uncovered vulnerable", "kwetsbaar niet gedekt"
#define HT_COVERED_BLACKOUT "covered in a blackout", "gedekt bij stroomuitval"
#define HT_COVERED_TWICE "covered twice", "dubbel gedekt"
#define HT_SAFETY_REGION "safety region", "veiligheidsregio"
#define HT_LOCAL_SITES "local sites", "lokale noodsteunpunten"
#define HT_REGIONAL_SITES "regional sites", "hoofdsteunpunten"

/* ---- table headers ---- */
#define HT_H_LEVEL "LEVEL", "NIVEAU"
#define HT_H_COVERED "COVERED", "GEDEKT"
#define HT_H_RADIUS "RADIUS", "BEREIK"
#define HT_H_SITE "SITE", "PUNT"
#define HT_H_DISTANCE "DISTANCE", "AFSTAND"
#define HT_H_LAT_LON LANG_SAME("LAT, LON")
#define HT_H_LAT LANG_SAME("LAT")
#define HT_H_LON LANG_SAME("LON")
#define HT_H_RD LANG_SAME("RD X, Y")
#define HT_H_NAME "NAME", "NAAM"
#define HT_H_CODE LANG_SAME("CODE")
#define HT_H_UNCOVERED "UNCOVERED", "NIET GEDEKT"
#define HT_H_KIND "KIND", "SOORT"
#define HT_H_BEDS_CLIENTS "BEDS/CLIENTS", "BEDDEN/CLIËNTEN"
#define HT_H_GENERATOR_KVA "GENERATOR KVA", "AGGREGAAT KVA"
#define HT_H_COST_EUR "COST EUR", "KOSTEN EUR"
#define HT_H_SITES "SITES", "PUNTEN"
#define HT_H_CANDIDATES "CANDIDATES", "KANDIDATEN"
#define HT_H_BOUND "BOUND", "BOVENGRENS"
#define HT_H_GAP "GAP", "GAT"
#define HT_H_SECONDS "SECONDS", "SECONDEN"
#define HT_H_REGION "REGION", "REGIO"
#define HT_H_RESIDENTS "RESIDENTS", "INWONERS"
#define HT_H_BLACKOUT "BLACKOUT", "STROOMUITVAL"
#define HT_H_TWICE "TWICE", "DUBBEL"
#define HT_H_LOCAL "LOCAL", "LOKAAL"
#define HT_H_REGIONAL "REGIONAL", "REGIONAAL"
#define HT_H_BOUND_BY "BOUND BY", "GRENS VIA"
#define HT_H_CHANGE "CHANGE", "VERANDERING"
#define HT_H_CANDIDATE "CANDIDATE", "KANDIDAAT"
#define HT_H_WEIGHT "WEIGHT", "GEWICHT"
#define HT_H_STATUS LANG_SAME("STATUS")
#define HT_H_SOURCE_ID "SOURCE:ID", "BRON:ID"
#define HT_H_SET_BY "SET BY", "GEZET DOOR"
#define HT_H_SET_AT "SET AT", "GEZET OP"
#define HT_H_NOTE "NOTE", "NOTITIE"
#define HT_H_ADDED "ADDED", "TOEGEVOEGD"
#define HT_H_REMOVED "REMOVED", "VERWIJDERD"
#define HT_H_KEPT "KEPT", "BEHOUDEN"
#define HT_H_GEMEENTE LANG_SAME("GEMEENTE")
#define HT_H_LOCAL_COUNTS "LOCAL +/-/=", "LOKAAL +/-/="
#define HT_H_REGIONAL_COUNTS "REGIONAL +/-/=", "REGIONAAL +/-/="
#define HT_H_COVERED_BEFORE_AFTER "COVERED BEFORE -> AFTER", "GEDEKT VOOR -> NA"
#define HT_H_SHARE "SHARE", "AANDEEL"
#define HT_H_VULNERABLE "VULNERABLE", "KWETSBAAR"
#define HT_H_RANK "RANK", "RANG"
#define HT_H_SEQ "SEQ", "NR"
#define HT_H_ALONE "ALONE", "ALLEEN"
#define HT_H_MOST_AFFECTED "MOST AFFECTED", "MEEST GETROFFEN"

/* ---- backup power (coverage, stats) ---- */
#define HT_BACKUP_POWER "backup power", "noodstroom"
#define HT_NOT_PLANNED "not planned yet", "nog niet gepland"
#define HT_BP_HOUSEHOLDS_ONE "%s households in %s battery area", \
	"%s huishoudens in %s batterijgebied"
#define HT_BP_HOUSEHOLDS_OTHER "%s households in %s battery areas", \
	"%s huishoudens in %s batterijgebieden"
#define HT_BP_WIJK LANG_SAME("%s wijkbatterijen: %s kWh, %s kW")
#define HT_BP_HOME "%s home batteries: %s kWh", "%s thuisbatterijen: %s kWh"
#define HT_BP_COST_ONE "cost EUR %s, of which funded EUR %s (%s of %s area)", \
	"kosten EUR %s, waarvan gefinancierd EUR %s (%s van %s gebied)"
#define HT_BP_COST_OTHER "cost EUR %s, of which funded EUR %s (%s of %s areas)", \
	"kosten EUR %s, waarvan gefinancierd EUR %s (%s van %s gebieden)"
#define HT_BP_PROTECTED "%s households protected when funded, %s funded now", \
	"%s huishoudens beschermd wanneer gefinancierd, %s nu gefinancierd"

/* ---- coverage ---- */
#define HT_POINT "point", "locatie"
#define HT_URBANITY "urbanity class", "stedelijkheid"
#define HT_NEAREST_HOSPITAL "nearest hospital", "dichtstbij ziekenhuis"
#define HT_NEAREST_FIRE_STATION "nearest fire station", "dichtstbij brandweer"
#define HT_NONE_WITHIN_100KM "none within 100 km", "geen binnen 100 km"
#define HT_BEDS "; %s beds", "; %s bedden"
#define HT_IC_BEDS ", %s ventilated IC beds", ", %s IC-bedden met beademing"
#define HT_YES_NOT_BLACKOUT "yes, not in a blackout", "ja, niet bij stroomuitval"
#define HT_YES_TWICE "yes, twice", "ja, dubbel"
#define HT_NO_SITES "(no sites)", "(geen punten)"
#define HT_ORIGIN_AREA_CENTRE "(area centre)", "(middelpunt van het gebied)"
#define HT_ORIGIN_CELL_BLOCK "(cell block)", "(middelpunt van rastercellen)"

/* ---- gaps ---- */
#define HT_LARGEST_SPOT "largest uncovered spot", "grootste ongedekte plek"
#define HT_NONE_ALL_COVERED "none (everyone is covered)", "geen (iedereen is gedekt)"
#define HT_M_TO_NEAREST_LOCAL "%s m to the nearest local site", \
	"%s m tot het dichtstbijzijnde lokale noodsteunpunt"
#define HT_WORST_AREAS "\nworst areas by uncovered residents\n", \
	"\ngebieden met de meeste niet-gedekte inwoners\n"
#define HT_CARE "care institutions", "zorginstellingen"
#define HT_CARE_FUNDED "%s, %s with a funded generator", \
	"%s, %s met een gefinancierd noodstroomaggregaat"
#define HT_CARE_WITHOUT "\ncare institutions without funded backup power\n", \
	"\nzorginstellingen zonder gefinancierde noodstroom\n"
#define HT_UNKNOWN_BLACKOUT "unknown (plan made before blackout coverage)", \
	"onbekend (plan van vóór de dekking bij stroomuitval)"
#define HT_UNKNOWN_TWICE "unknown (plan made before backup coverage)", \
	"onbekend (plan van vóór de reservepunten)"
#define HT_SUB_VULNERABLE "  vulnerable uncovered", "  kwetsbaar niet gedekt"

/* ---- stats ---- */
#define HT_SERVED "served within capacity", "bediend binnen capaciteit"
#define HT_DEMAND_POINTS "demand points", "vraagpunten"
#define HT_POWER_FUNDED "power funded", "noodstroom gefinancierd"
#define HT_POWER_FUNDED_COUNTS "%s of %s local, %s of %s regional points", \
	"%s van %s lokale noodsteunpunten, %s van %s hoofdsteunpunten"
#define HT_TWICE_BACKUP "%12s  %s (%s backup points)", "%12s  %s (%s reservepunten)"
#define HT_COVERED_WEIGHT "covered weight", "gedekt gewicht"
#define HT_BOUND "bound", "bovengrens"
#define HT_GAP "gap", "gat"
#define HT_BOUND_BY "bound by", "bovengrens via"
#define HT_EXACT_BEST "exact best", "exact optimum"
#define HT_EXACT_TIME "exact time", "rekentijd exact"
#define HT_REGIONAL_COVERED "regional covered", "regionaal gedekt"
#define HT_MEAN_DISTANCE "mean distance (m)", "gemiddelde afstand (m)"

/* ---- whatif and suggest ---- */
#define HT_GAINED "residents gained", "inwoners erbij"
#define HT_LOST "residents lost", "inwoners kwijt"
#define HT_NET "net change", "netto verandering"
#define HT_WARNING "warning: %s\n", "waarschuwing: %s\n"
#define HT_FAILED_SITES "failed sites", "uitgevallen punten"
#define HT_FAILED_COUNTS "%s local, %s regional", "%s lokaal, %s regionaal"
#define HT_REGIONAL_LOST "regional point lost", "hoofdsteunpunt verloren"
#define HT_N_RESIDENTS "%12s residents", "%12s inwoners"
#define HT_REPLACEMENTS \
	"\nreplacements outside the failed area (each gain given the ones above)\n\n", \
	"\nvervangers buiten het uitgevallen gebied (elke winst bovenop de rijen erboven)\n\n"
#define HT_TOGETHER_AGAIN "\ntogether %s of the lost residents covered again\n", \
	"\nsamen %s van de verloren inwoners weer gedekt\n"
#define HT_NO_CANDIDATE "no candidate in %s adds coverage\n", \
	"geen kandidaatlocatie in %s voegt dekking toe\n"
#define HT_BEST_NEW "best new sites in %s (each gain given the ones above)\n\n", \
	"beste nieuwe punten in %s (elke winst bovenop de rijen erboven)\n\n"
#define HT_TOGETHER_MORE "\ntogether %s more residents covered\n", \
	"\nsamen %s inwoners meer gedekt\n"

/* ---- status ---- */
#define HT_HOURS_MIN "%ld h %02ld min", "%ld u %02ld min"
#define HT_RECOMPUTE "recompute", "herberekening"
#define HT_RUNNING_SINCE "running since %s: %s %s%%, %s left", "bezig sinds %s: %s %s%%, nog %s"
#define HT_UNKNOWN_TIME "unknown time", "onbekend hoelang"
#define HT_NOT_RUNNING "not running", "niet bezig"
#define HT_LAST_RECOMPUTE "last recompute", "laatste herberekening"
#define HT_NONE_SINCE_START "none since the daemon started", "geen sinds de daemon startte"
#define HT_FINISHED_AFTER "%s, finished %s after %s s", "%s, klaar %s na %s s"
#define HT_LAST_ERROR "last recompute error", "fout laatste herberekening"
#define HT_DAEMON LANG_SAME("daemon")
#define HT_DAEMON_UP "hubplannerd %s, up %s", "hubplannerd %s, draait %s"
#define HT_NO_PLAN "none loaded (run `hubctl recompute`)", "geen geladen (draai `hubctl recompute`)"
#define HT_LOAD_ERROR "plan load error", "fout bij laden plan"
#define HT_REQUESTS "requests", "verzoeken"
#define HT_REQUESTS_ERRORS "%s (%s errors)", "%s (%s fouten)"
#define HT_CLIENTS "clients", "verbindingen"
#define HT_CLIENTS_COUNTS "%s connected; %s accepted, %s refused (full), %s dropped (slow)", \
	"%s verbonden; %s aangenomen, %s geweigerd (vol), %s verbroken (traag)"

/* ---- sites, site statuses ---- */
#define HT_SITES_ONE "%zu site (%zu local%s, %zu regional)", \
	"%zu punt (%zu lokaal%s, %zu regionaal)"
#define HT_SITES_OTHER "%zu sites (%zu local%s, %zu regional)", \
	"%zu punten (%zu lokaal%s, %zu regionaal)"
#define HT_OF_THEM_BACKUP ", %zu of them backup", ", waarvan %zu reservepunt"
#define HT_WRITTEN_TO " written to %s\n", " geschreven naar %s\n"
#define HT_UNCOVERED_WRITTEN "\nuncovered area written to %s\n", \
	"\nniet-gedekt gebied geschreven naar %s\n"
#define HT_SITE "site", "punt"
#define HT_NAME "name", "naam"
#define HT_POSITION_RD "position (RD)", "positie (RD)"
#define HT_FROM_POINT "from the given point", "vanaf de gegeven plek"
#define HT_STATUS LANG_SAME("status")
#define HT_STATUS_WAS LANG_SAME("%s (was %s)")
#define HT_SET_BY "set by", "gezet door"
#define HT_SET_BY_AT "%s at %s", "%s op %s"
#define HT_NOTE "note", "notitie"
#define HT_IN_SERVED_PLAN "in the served plan", "in het actieve plan"
#define HT_STATUSES_LINE "%s: %lld designated, %lld rejected\n", \
	"%s: %lld aangewezen, %lld afgewezen\n"
#define HT_GONE "gone", "weg"

/* ---- diff (the changes method) ---- */
#define HT_NO_GEMEENTE_CHANGED "\nno gemeente has a site added or removed\n", \
	"\ngeen gemeente met een toegevoegd of verwijderd punt\n"
#define HT_ADDED_SITES "\nadded sites (%zu)\n", "\ntoegevoegde punten (%zu)\n"
#define HT_REMOVED_SITES "\nremoved sites (%zu)\n", "\nverwijderde punten (%zu)\n"
#define HT_GENERATED "(generated)", "(gegenereerd)"
#define HT_FIRST_PLAN "plan #%s (%s) is the first plan: nothing to compare\n", \
	"plan #%s (%s) is het eerste plan: niets te vergelijken\n"
#define HT_CHANGES "changes", "wijzigingen"
#define HT_IN LANG_SAME("in")
#define HT_TRUNCATED "\n(lists cut at the limit: see the counts above)\n", \
	"\n(lijsten afgekapt bij de limiet: zie de aantallen hierboven)\n"

/* ---- resilience ---- */
#define HT_PLAN_N LANG_SAME("%s (plan #%s)")
#define HT_LOCAL_INSIDE "local sites inside", "lokale punten binnen"
#define HT_SOLE_SITES "sites covering alone", "punten die alleen dekken"
#define HT_NO_SITE "no site", "geen punt"
#define HT_ONE_SITE "exactly one site", "precies één punt"
#define HT_TWO_OR_MORE "two or more", "twee of meer"
#define HT_LOSS_TITLE \
	"\nsites whose loss uncovers most (* designated; out: serves the selection from outside)\n", \
	"\npunten waarvan uitval de meeste inwoners ongedekt laat (* aangewezen; buiten: " \
	"bedient de selectie van buitenaf)\n"
#define HT_OUT "out", "buiten"

/* ---- export, report ---- */
#define HT_WROTE_EXPORT "wrote %s (%s, plan %lld, %s %s) in %s s\n", \
	"%s geschreven (%s, plan %lld, %s %s) in %s s\n"
#define HT_GPKG_RD LANG_SAME("GeoPackage, RD New")
#define HT_GEOJSON_LONLAT LANG_SAME("GeoJSON, lon/lat")
#define HT_FEATURES "  %-12s %10s features\n", "  %-12s %10s objecten\n"
#define HT_WROTE_REPORT "wrote %s (%s bytes; plan %lld, %s %s; %ld areas, %ld sites, " \
	"%ld batteries) in %s s\n", "%s geschreven (%s bytes; plan %lld, %s %s; %ld gebieden, " \
	"%ld punten, %ld batterijen) in %s s\n"

/* ---- recompute --wait and the notes of recompute and reload ---- */
#define HT_RC_PHASE "recompute: %s (%s%%)\n", "herberekening: %s (%s%%)\n"
#define HT_RC_LEFT ", %s s left", ", nog %s s"
#define HT_RC_FINISHED "recompute finished in %s s; hubplannerd serves plan #%s (data version " \
	"%s)\n", "herberekening klaar in %s s; hubplannerd gebruikt plan #%s (dataversie %s)\n"
#define HT_RC_JOINING "a recompute is already running; waiting for it\n", \
	"er loopt al een herberekening; hubctl wacht erop\n"
#define HT_RC_STARTED "recompute started\n", "herberekening gestart\n"
#define HT_RC_STARTED_NOTE \
	"recompute started (follow it with hubctl status, or use recompute --wait)\n", \
	"herberekening gestart (volg haar met hubctl status, of gebruik recompute --wait)\n"
#define HT_RELOAD_NOTE "reload started: configuration read, loading the newest plan " \
	"(see hubctl status)\n", "herladen gestart: configuratie gelezen, het nieuwste plan " \
	"wordt geladen (zie hubctl status)\n"
#define HT_RC_FAILED "hubctl: recompute failed: %s\n", "hubctl: herberekening mislukt: %s\n"
#define HT_RC_NOT_LOADED "hubctl: the recompute finished but its plan did not load: %s\n", \
	"hubctl: de herberekening is klaar, maar haar plan is niet geladen: %s\n"
#define HT_RC_OLD_PLAN "hubctl: the recompute finished but hubplannerd still serves the old " \
	"plan after %g s\n", "hubctl: de herberekening is klaar, maar hubplannerd gebruikt na " \
	"%g s nog het oude plan\n"

#endif
