#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a layer includes what it must never include (STYLE.md §1).
root="$1"
status=0

check () {
  dir="$1"; pattern="$2"; what="$3"
  [ -d "$root/$dir" ] || return 0
  hits=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pattern)" "$root/$dir" \
           --include='*.c' --include='*.h' | grep -v "^$root/$dir/export/" || true)
  if [ "$dir" = "ledger/export" ]; then
    hits=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pattern)" "$root/$dir" \
             --include='*.c' --include='*.h' || true)
  fi
  if [ -n "$hits" ]; then
    echo "layering: $dir must not include $what:" >&2
    echo "$hits" >&2
    status=1
  fi
}

check ledger        'gtk/|adwaita|curl/|openssl/|xlsxwriter|libsoup|banks/|ui/|app/' 'gtk, adw, curl, openssl, xlsxwriter, banks, ui, app'
check ledger/export 'gtk/|adwaita|curl/|openssl/|banks/|ui/|app/' 'gtk, adw, curl, openssl, banks, ui, app'
check banks         'gtk/|adwaita|sqlite3|ui/|app/|xlsxwriter' 'gtk, adw, sqlite3, ui, app'
check ui            'sqlite3|curl/|openssl/|xlsxwriter|app/' 'sqlite3, curl, openssl, xlsxwriter, app'

# Only banks/tsy-crypto.c (and the simulator's own TLS setup) may include OpenSSL.
hits=$(grep -rlE '#[[:space:]]*include[[:space:]]*<openssl/' "$root/banks" --include='*.c' --include='*.h' 2>/dev/null \
         | grep -vE '/banks/tsy-crypto\.c$' || true)
if [ -n "$hits" ]; then
  echo "layering: only banks/tsy-crypto.c may include OpenSSL headers:" >&2
  echo "$hits" >&2
  status=1
fi

# No REAL columns and no float/double next to money in ledger and banks.
hits=$(grep -rnE '\bREAL\b' "$root/ledger" --include='*.c' | grep -i 'create table' || true)
if [ -n "$hits" ]; then
  echo "layering: money columns must be INTEGER, not REAL:" >&2
  echo "$hits" >&2
  status=1
fi

[ $status -eq 0 ] && echo "layering: ok"
exit $status
