#!/usr/bin/env bash
# Copies the ALTCHA widget release pinned in tests/a11y/package.json into the app's wwwroot, so the
# portal serves it itself (no CDN). To upgrade: change the version there, `npm install --prefix
# tests/a11y`, run this, then `dotnet test --filter VendoredWidget` and the browser journeys.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --prefix tests/a11y --no-audit --no-fund >/dev/null
from=tests/a11y/node_modules/altcha
to=src/InfraTerra.Web/wwwroot/lib/altcha
mkdir -p "$to/workers" "$to/i18n"
# The "external" build: no inline <style> and no blob: workers, so the CSP stays 'self'-only.
cp "$from/dist/external/altcha.min.js" "$from/dist/external/altcha.css" "$to/"
cp "$from/dist/workers/pbkdf2.js" "$to/workers/"
for language in fr-fr es-es ar; do cp "$from/dist/i18n/$language.umd.cjs" "$to/i18n/$language.js"; done
cp "$from/LICENSE.txt" "$to/"
echo "altcha $(node -p "require('./$from/package.json').version") copied into $to"
