#!/bin/sh
# Prints the folder of the shared corpus of third-party bank files and schemas (read in place,
# never copied into the repository), or nothing when there is none:
#   $TREASURY_CORPUS, else ../shared/corpus beside this tree, else beside the repository this
#   tree was cloned from (a clone made elsewhere, e.g. git clone . /tmp/fresh).
root=$(cd "$(dirname "$0")/.." && pwd)
origin=$(git -C "$root" config --get remote.origin.url 2>/dev/null || true)
for c in "${TREASURY_CORPUS:-}" "$root/../shared/corpus" "${origin:+$origin/../shared/corpus}"; do
  if [ -n "$c" ] && [ -d "$c/xsd" ]; then
    (cd "$c" && pwd)
    exit 0
  fi
done
