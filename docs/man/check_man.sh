#!/usr/bin/env bash
# The manual pages against the binaries (ctest man_matches_help, label unit):
# - every option and every command that `hubplannerd --help` / `hubctl --help` print is in
#   hubplannerd(8) / hubctl(1), a command as the tag of its own .TP paragraph;
# - every key of `hubplannerd --dump-config` is a .TP tag in the right "SECTION [name]" of
#   hubplanner.conf(5), its paragraph holds "TYPE RANGE, default VALUE" exactly as the dump's
#   comment says, and every key the page documents exists;
# - each page names the version the binaries print;
# - with groff installed (Debian: groff-base, which man-db needs), each page formats without
#   a single warning, with groff -ww and with man -l.
# Usage: check_man.sh HUBPLANNERD HUBCTL HUBPLANNERD.8 HUBCTL.1 HUBPLANNER.CONF.5
set -euo pipefail

if [ $# -ne 5 ]; then
	echo "usage: $0 HUBPLANNERD HUBCTL HUBPLANNERD.8 HUBCTL.1 HUBPLANNER.CONF.5" >&2
	exit 2
fi
daemon=$1 ctl=$2 man8=$3 man1=$4 man5=$5
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# A page as plain lines: comments dropped; hyphen, font, quote and zero-width escapes undone.
plain() {
	sed -e '/^\.\\"/d' -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f([A-Z][A-Z]//g' \
	    -e 's/\\f\[[^]]*\]//g' -e 's/\\&//g' -e 's/\\(dq/"/g' -e "s/\\\\(aq/'/g" "$1"
}

# "HEADING<TAB>TAG<TAB>TEXT<TAB>TAGLINE" for every .TP paragraph of a plain page: the .SH
# heading it is under, the first word of its tag, its text lines joined by spaces, its tag.
paragraphs() {
	awk 'function flush() { if (tag != "") print sh "\t" tag "\t" text "\t" tagline
	                        tag = ""; text = "" }
	     /^\.SH/ { flush(); sh = substr($0, 5); gsub(/"/, "", sh); next }
	     /^\.(TP|SS|PP|RS|RE)/ { flush(); want = ($0 ~ /^\.TP/); next }
	     want { tagline = $0; sub(/^\.[BIR]+[ \t]+/, "", tagline); gsub(/"/, "", tagline)
	            split(tagline, w, /[ \t]+/); tag = w[1]; want = 0; next }
	     tag != "" && !/^\./ { text = text $0 " " }
	     END { flush() }'
}

# Every -x and --long-option token of a --help text, once each.
options_of() {
	grep -oE -- '(^|[^[:alnum:]-])--?[[:alpha:]][[:alnum:]-]*' | sed -E 's/^[^-]*//' | sort -u
}

# The first word of each entry of the "Commands:" part of a --help text.
commands_of() {
	awk '/^Commands:/ { on = 1; next } /^[^ ]/ { on = 0 } on && /^  [a-z]/ { print $1 }'
}

# The options that the "Options:" part of a --help text describes ("  -c, --config FILE").
described_options_of() {
	awk '/^Options:/ { on = 1; next } /^[^ ]/ { on = 0 } on && /^ +-/ { print }' |
		grep -oE -- '^ +(-[[:alpha:]], )?--?[[:alpha:]][[:alnum:]-]*' | grep -oE -- '--?[[:alnum:]-]+'
}

has_token() { # TEXT TOKEN: TOKEN appears, not as part of a longer option or word
	grep -qE -- "(^|[^[:alnum:]-])$2([^[:alnum:]-]|\$)" <<<"$1"
}

check_program() { # PROGRAM PAGE
	local prog=$1 page=$2 help text tags taglines version opt cmd n=0
	help=$("$prog" --help)
	text=$(plain "$page")
	tags=$(paragraphs <<<"$text" | cut -f2)
	taglines=$(paragraphs <<<"$text" | cut -f4)
	for opt in $(options_of <<<"$help"); do
		n=$((n + 1))
		has_token "$text" "$opt" || fail "$(basename "$page"): option $opt of $(basename "$prog") --help is missing"
	done
	for opt in $(described_options_of <<<"$help"); do
		has_token "$taglines" "$opt" ||
			fail "$(basename "$page"): option $opt of $(basename "$prog") --help has no .TP paragraph"
	done
	for cmd in $(commands_of <<<"$help"); do
		n=$((n + 1))
		grep -qxF -- "$cmd" <<<"$tags" ||
			fail "$(basename "$page"): command $cmd of $(basename "$prog") --help has no .TP paragraph"
	done
	version=$("$prog" --version | awk '{ print $2 }')
	grep -q "^\.TH .*\"hubplanner $version\"" "$page" ||
		fail "$(basename "$page"): .TH does not name version $version"
	[ "$n" -gt 5 ] || fail "$(basename "$prog") --help: only $n options and commands found"
	echo "$(basename "$page"): $n options and commands of $(basename "$prog") --help checked"
}

check_config_page() { # HUBPLANNERD PAGE
	local prog=$1 page=$2 dump section key want n=0
	local -A doc_section doc_text dump_keys
	# -c /dev/null: the built-in defaults, whatever /etc holds on this machine
	dump=$("$prog" -c /dev/null --dump-config)
	while IFS=$'\t' read -r section key text _; do
		case $section in
		"SECTION ["*"]") doc_section[$key]=${section#SECTION }; doc_text[$key]=$text ;;
		esac
	done < <(plain "$page" | paragraphs)
	while IFS=$'\t' read -r section key want; do
		n=$((n + 1))
		dump_keys[$key]=1
		if [ -z "${doc_section[$key]:-}" ]; then
			fail "$(basename "$page"): key $key ($section) is missing"
		elif [ "${doc_section[$key]}" != "$section" ]; then
			fail "$(basename "$page"): key $key is under ${doc_section[$key]}, not $section"
		elif [[ "${doc_text[$key]}" != *"$want."* ]]; then
			fail "$(basename "$page"): key $key: the page lacks \"$want.\""
		fi
	done < <(awk '/^\[/ { section = $0; next }
		      /^; / { comment = substr($0, 3); next }
		      / = / { print section "\t" $1 "\t" substr(comment, 1, index(comment, ": ") - 1) }' \
		  <<<"$dump")
	for key in "${!doc_section[@]}"; do
		[ -n "${dump_keys[$key]:-}" ] ||
			fail "$(basename "$page"): documents $key, which --dump-config does not know"
	done
	[ "$n" -gt 10 ] || fail "--dump-config: only $n keys found"
	echo "$(basename "$page"): $n keys of --dump-config checked (section, type, range, default)"
}

lint_page() { # PAGE
	local out
	out=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$1" 2>&1) || true
	[ -z "$out" ] || fail "$(basename "$1"): groff -ww: $out"
	if command -v man >/dev/null 2>&1; then
		out=$(LC_ALL=C.UTF-8 MANWIDTH=80 MANPAGER=cat man --warnings=w -l "$1" 2>&1 >/dev/null) ||
			out="man -l failed${out:+: $out}"
		[ -z "$out" ] || fail "$(basename "$1"): man -l: $out"
	fi
}

check_program "$daemon" "$man8"
check_program "$ctl" "$man1"
check_config_page "$daemon" "$man5"
if command -v groff >/dev/null 2>&1; then
	for page in "$man8" "$man1" "$man5"; do
		lint_page "$page"
	done
	echo "groff: 3 pages formatted with -ww"
else
	echo "SKIP: groff is not installed (Debian package groff-base): the pages were not linted"
fi

if [ "$failures" -gt 0 ]; then
	echo "$failures problem(s)"
	exit 1
fi
echo "manual pages match --help and --dump-config"
