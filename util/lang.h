/* The two languages of hubplanner's human output (the HTML report, hubctl's tables) and how
 * a program picks one: --lang, else the locale variables. Text lives in each consumer's
 * catalog (maps/report_text.h, client/hubctl_text.h) as "English", "Dutch" pairs picked by
 * LANG_PICK; machine output (JSON, exports, the database) is never translated. No I/O. */
#ifndef HUB_UTIL_LANG_H
#define HUB_UTIL_LANG_H

enum lang { LANG_EN, LANG_NL };

/* "en" or "nl" (any case) into *out; -EINVAL for anything else (out unchanged). */
int lang_parse(const char *s, enum lang *out);

/* The language the environment asks for: the first non-empty of LC_ALL, LC_MESSAGES and
 * LANG; Dutch when it starts with "nl" ("nl_NL.UTF-8", "nl_BE", "nl"), else English. */
enum lang lang_from_env(void);

/* "en" or "nl", for <html lang> and messages. Static storage. */
const char *lang_code(enum lang l);

/* A catalog entry is a macro expanding to two string literals, English then Dutch:
 *     #define RT_RESIDENTS "residents", "inwoners"
 *     #define RT_WIJKBATTERIJEN LANG_SAME("wijkbatterijen")
 * and LANG_PICK(l, RT_RESIDENTS) is the one for l. Both stay literals, so a printf-like
 * call checks its arguments against both languages at compile time, and an entry missing a
 * language does not compile. LANG_SAME marks a term that is the same in both languages
 * (tests/check_text.py allows only those to be equal). An entry is two macro arguments
 * once expanded, so a wrapper passes it on as __VA_ARGS__:
 *     #define RT(o, ...) LANG_PICK((o)->lang, __VA_ARGS__) */
#define LANG_SAME(s) s, s
#define LANG_PICK(l, ...) LANG_PICK_((l), __VA_ARGS__)
#define LANG_PICK_(l, en, nl) ((l) == LANG_NL ? (nl) : (en))

#endif
