#!/usr/bin/env bash
# Install, start and prepare a local PostgreSQL for khabar's store tests.
# Idempotent: safe on a fresh Debian 12 machine as root and when run again.
# Prints the URL to use, e.g. in CI:  eval "$(scripts/pg-setup.sh | tail -n 1)"
set -euo pipefail
export LANG=C.UTF-8 LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive

PG_USER="${KHABAR_PG_USER:-khabar}"
PG_PASSWORD="${KHABAR_PG_PASSWORD:-khabar}"
PG_DB="${KHABAR_PG_DB:-khabar_test}"
PG_HOST=127.0.0.1
PG_PORT="${KHABAR_PG_PORT:-5432}"

# Names go into SQL below: allow only plain identifiers so no quoting is needed.
for name in "$PG_USER" "$PG_DB" "$PG_PASSWORD"; do
    if [[ ! "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
        echo "pg-setup: unsafe name or password: $name" >&2
        exit 2
    fi
done

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
fi

# `service postgresql start` returns 0 when already running (pg_ctlcluster exits 2).
service postgresql start >/dev/null

for _ in $(seq 1 60); do
    if pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
        break
    fi
    sleep 0.5
done
pg_isready -h "$PG_HOST" -p "$PG_PORT" >/dev/null

# psql runs as postgres from a directory it can read.
cd /
psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA -p "$PG_PORT" "$@"; }

if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != "1" ]; then
    psql_admin -c "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
    # A C-locale database makes pg_trgm match nothing in Devanagari: UTF-8 + C.UTF-8.
    psql_admin -c "CREATE DATABASE $PG_DB OWNER $PG_USER ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
fi

URL="postgresql://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_DB"
# Prove the URL works (password login over TCP) before printing it.
runuser -u postgres -- env PGPASSWORD="$PG_PASSWORD" \
    psql -v ON_ERROR_STOP=1 -qtA "$URL" -c "SELECT 1" >/dev/null
echo "export KHABAR_TEST_PG_URL=$URL"
