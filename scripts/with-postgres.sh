#!/usr/bin/env bash
# Runs the given command with a throw-away PostgreSQL server on a loopback port, if one can be started,
# and exports THEMATICA_TEST_PG_URL for the tests that need it. The server is stopped afterwards.
# In CI (CI=true) a server that cannot be started is an error, never a silent skip.
# The server is throw-away: fsync, synchronous commit and full-page writes are off (nothing must survive
# an operating-system crash), which makes the tests' CREATE DATABASE and commits cheap.
set -u
start_pg() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bindir" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || return 1
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  [ -n "$bindir" ] || return 1
  PGDIR=$(mktemp -d /tmp/thematica-pg.XXXXXX)
  chmod 755 "$PGDIR"
  local runas=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$PGDIR"; runas=(runuser -u postgres --); fi
  PGPORT=$(( 20000 + RANDOM % 20000 ))
  "${runas[@]}" "$bindir/initdb" -D "$PGDIR/data" -A trust -U thematica >/dev/null || return 1
  "${runas[@]}" "$bindir/pg_ctl" -D "$PGDIR/data" -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" -l "$PGDIR/log" -w start >/dev/null || return 1
  "${runas[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$PGPORT" -U thematica thematica_test || return 1
  PG_STOP=("${runas[@]}" "$bindir/pg_ctl" -D "$PGDIR/data" -m fast -w stop)
  export THEMATICA_TEST_PG_URL="postgresql+psycopg://thematica@127.0.0.1:$PGPORT/thematica_test"
  return 0
}
if [ "${THEMATICA_NO_PG:-}" != 1 ] && start_pg; then
  echo "with-postgres: PostgreSQL on 127.0.0.1:$PGPORT"
  trap '"${PG_STOP[@]}" >/dev/null 2>&1; rm -rf "$PGDIR"' EXIT
elif [ "${CI:-}" = true ]; then
  echo "with-postgres: could not start PostgreSQL in CI" >&2
  exit 1
else
  echo "with-postgres: no PostgreSQL server; tests marked 'postgres' will be skipped"
fi
"$@"
