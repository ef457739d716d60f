#!/usr/bin/env bash
# Runs every test, on both storage backends: installs what the tests drive (the npm Yjs test
# clients, Debian's nginx for the deployment example, LibreOffice and poppler-utils to read the
# DOCX and PDF exports back, Debian's Chromium and the built browser app for the browser tests,
# Debian's PostgreSQL when the machine has none), checks that PostgreSQL answers on
# 127.0.0.1:5432, then runs the Rust unit and integration tests, which start the real server
# on random ports — once on SQLite, and the live-document suite again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { echo "test.sh: $*" >&2; exit 1; }

command -v node >/dev/null && command -v npm >/dev/null ||
    need "Node.js and npm are required for the Yjs test clients"
(cd tests/js && npm ci --no-audit --no-fund --loglevel=error)

# The browser tests (tests/browser.rs): Debian's Chromium — never a browser downloaded by npm —,
# playwright-core and axe-core for tests/e2e, and the built app in web/dist that the server serves.
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "test.sh: installing Debian's chromium for the browser tests"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        need "Chromium is required for the browser tests (Debian: apt-get install chromium)"
    fi
fi
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "test.sh: installing Debian's nginx for the deployment test"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
    else
        need "nginx is required (Debian: apt-get install nginx-light)"
    fi
fi

# The export tests read DOCX back with LibreOffice headless (which sets it in Liberation Sans,
# the font the DOCX names) and PDF with pdftotext.
missing=()
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
fc-list 2>/dev/null | grep -qi "Liberation Sans" || missing+=(fonts-liberation2)
command -v pdftotext >/dev/null && command -v pdffonts >/dev/null || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "test.sh: installing Debian's ${missing[*]} for the export tests"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends "${missing[@]}" >/dev/null
    else
        need "the export tests need ${missing[*]} (Debian: apt-get install ${missing[*]})"
    fi
fi

PG_ADMIN="${SAMSKRIV_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
if ! psql "$PG_ADMIN/postgres" -qAtc 'SELECT 1' >/dev/null 2>&1; then
    # No PostgreSQL at all (a bare machine): Debian's, with a cluster that trusts local
    # connections, as the test machines' does (the tests log in as postgres without a password).
    if [ -z "${SAMSKRIV_TEST_POSTGRES:-}" ] && ! command -v pg_ctlcluster >/dev/null &&
        [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "test.sh: installing Debian's postgresql for the PostgreSQL tests"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        hba="$(ls /etc/postgresql/*/main/pg_hba.conf | head -n1)"
        printf 'local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n' >"$hba"
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main restart || true
    fi
    # The machine's cluster may be installed but stopped.
    if command -v pg_ctlcluster >/dev/null; then
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
        sleep 2
    fi
    psql "$PG_ADMIN/postgres" -qAtc 'SELECT 1' >/dev/null ||
        need "PostgreSQL must answer at $PG_ADMIN (set SAMSKRIV_TEST_POSTGRES to use another)"
fi

cargo test --all-targets "$@"
SAMSKRIV_TEST_DATABASE=postgres cargo test --test live_documents --test hearings --test authorisation --test round --test provenance --test versions "$@"
