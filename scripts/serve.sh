#!/usr/bin/env bash
# Builds everything and starts Samskriv on its embedded default: SQLite in ./data, with demo
# data (HMU Socialområdet, its LMUs, users and an open hearing), on http://127.0.0.1:8080.
# Extra arguments go to `samskriv serve` (e.g. --listen 0.0.0.0:8080).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v npm >/dev/null || { echo "serve.sh: Node.js and npm are needed to build the browser app" >&2; exit 1; }
# The browser app (web/dist), rebuilt when its sources or packages changed.
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules ]; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd web && npm run build --silent)
exec cargo run --release -- serve --demo "$@"
