#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates the GB18030 samples from their UTF-8 sources (the bytes a Windows export of
# 工商银行 / 中国银行 has); run it here after changing a source, and commit both.
set -eu
cd "$(dirname "$0")"
for f in icbc-2026-10 boc-2026-10 custom-layout; do
  iconv -f UTF-8 -t GB18030 "$f.csv" > "$f.gb18030.csv"
done
