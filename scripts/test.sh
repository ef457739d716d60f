#!/usr/bin/env bash
# Runs every test: installs the npm test clients (real yjs, y-websocket, y-protocols), then
# the Rust unit and integration tests, which start the real server on random ports.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "test.sh: Node.js and npm are required for the Yjs test clients" >&2
    exit 1
fi
(cd tests/js && npm ci --no-audit --no-fund --loglevel=error)

cargo test --all-targets "$@"
