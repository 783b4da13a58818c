#!/bin/sh
# Installs what is needed, builds, and opens the window on the demo group.
#   ./scripts/run-demo.sh            (the demo database lives in $XDG_DATA_HOME/treasury/demo.db)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
./scripts/install-deps.sh
[ -d build ] || meson setup build --buildtype=debugoptimized
ninja -C build
data="${XDG_DATA_HOME:-$HOME/.local/share}/treasury"
db="$data/demo.db"
mkdir -p "$data"
if [ ! -f "$db" ]; then
  ./build/app/treasury --db "$db" demo
fi
export TREASURY_LOCALEDIR="$root/build/po"
export GSETTINGS_SCHEMA_DIR="$root/build/resources"
exec ./build/app/treasury --db "$db"
