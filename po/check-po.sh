#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails unless LANG.po translates every message of the current sources:
# no untranslated, no fuzzy, and msgfmt --check passes.
#   check-po.sh SRCROOT LANG [--sources]
# With --sources the catalog is first merged with a template extracted from
# po/POTFILES.in now, so a string added without its translation fails too.
set -eu
srcroot=$1
lang=$2
mode=${3:-}
po="$srcroot/po/$lang.po"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "$mode" = "--sources" ]; then
  (cd "$srcroot" && grep -v '^#' po/POTFILES.in | grep -v '^$' | sort > "$tmp/files")
  # Every source with a translatable string must be listed in POTFILES.in.
  (cd "$srcroot" && {
     grep -rlE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|g_dngettext|ngettext)[[:space:]]*\(' \
       --include='*.c' app banks ledger ui 2>/dev/null
     grep -rl 'translatable="yes"' --include='*.ui' ui 2>/dev/null
   } | sort -u > "$tmp/needed")
  missing=$(comm -23 "$tmp/needed" "$tmp/files")
  if [ -n "$missing" ]; then
    echo "po/POTFILES.in does not list these files with translatable strings:" >&2
    echo "$missing" >&2
    exit 1
  fi
  # The keywords of meson's i18n 'glib' preset.
  (cd "$srcroot" && xgettext --package-name=treasury-desk --from-code=UTF-8 --add-comments \
      --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
      --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
      --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
      --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
      --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
      --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
      --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
      --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
      --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
      -f "$tmp/files" -o "$tmp/template.pot")
  msgmerge --quiet --no-fuzzy-matching "$po" "$tmp/template.pot" -o "$tmp/merged.po"
  po="$tmp/merged.po"
fi

msgfmt --check --statistics -o /dev/null "$po" > "$tmp/stats" 2>&1 || {
  cat "$tmp/stats" >&2
  exit 1
}
cat "$tmp/stats"
if grep -qE 'untranslated|fuzzy' "$tmp/stats"; then
  echo "$lang.po is incomplete:" >&2
  msgattrib --untranslated --only-fuzzy "$po" 2>/dev/null | grep '^msgid' >&2 || true
  msgattrib --untranslated "$po" | grep -A1 '^msgid' | head -40 >&2 || true
  exit 1
fi
