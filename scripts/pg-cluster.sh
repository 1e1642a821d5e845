#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 + PostGIS cluster on 127.0.0.1:${PGPORT:-55432} for tests and
# benchmarks, and prints the DATABASE_URL to use. Needs Debian's postgresql-15-postgis-3.
set -euo pipefail
PGBIN=/usr/lib/postgresql/15/bin
PGPORT=${PGPORT:-55432}
PGDATA=${PGDATA:-$(pwd)/.cache/pg-cluster}
RUNUSER=()
if [ "$(id -u)" = 0 ]; then RUNUSER=(runuser -u postgres --); fi
if [ ! -f "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$PGDATA" "$(dirname "$PGDATA")"
  "${RUNUSER[@]}" "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PGDATA'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 512MB
work_mem = 64MB
maintenance_work_mem = 512MB
max_wal_size = 4GB
CONF
fi
if ! "${RUNUSER[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  "${RUNUSER[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w start >/dev/null
fi
for db in minqing minqing_test; do
  "${RUNUSER[@]}" "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 ||
    "${RUNUSER[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$db"
done
echo "postgres://postgres@127.0.0.1:$PGPORT/minqing"
