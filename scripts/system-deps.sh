#!/usr/bin/env bash
# Debian packages the tests need beyond PyPI: CJK fonts (the OCR tests render Chinese text and
# sample_scans/generate.py typesets reports) and the optional Tesseract engine. Installs only
# what is missing; needs root (the machines this project targets run as root).
# postgresql: the database tests start a throwaway cluster (initdb/pg_ctl from
# /usr/lib/postgresql/*/bin) on a temp dir; the Debian service itself is not used.
# chromium: the review page's browser test (Playwright drives /usr/bin/chromium; nothing is
# downloaded by `playwright install`).
set -euo pipefail
PACKAGES="fonts-wqy-zenhei fonts-arphic-uming fonts-arphic-ukai tesseract-ocr tesseract-ocr-chi-sim postgresql chromium"
missing=""
for pkg in $PACKAGES; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages:$missing -- run as root: apt-get install$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
