#!/usr/bin/env bash
# Run the reference hall's test suite a second time with the hall on PostgreSQL.
#
#   tools/hall_postgres_tests.sh PYTHON [pytest args…]
#
# ONEWINDOW_TEST_HALL_DATABASE=postgresql://user@host:port set: that server is used
# (each hall of the tests creates a database of its own there).  Otherwise, as root,
# PostgreSQL is installed if missing and a throw-away cluster is started in a
# temporary directory on a free loopback port (owner: the postgres system user),
# then stopped and removed.  Not root and no PostgreSQL: the run is skipped with
# a note — the SQLite run of the whole suite has already happened.
set -euo pipefail
PY="$1"; shift
EXTRA=("$@")
SUITE=(tests/test_hall_*.py)

run_suite() {
  echo "Hall suite on PostgreSQL ($1)"
  ONEWINDOW_TEST_HALL_DATABASE="$1" QT_QPA_PLATFORM=offscreen \
    "$PY" -m pytest -q -p no:cacheprovider -m "not slow" "${SUITE[@]}" ${EXTRA[@]+"${EXTRA[@]}"}
}

if [ -n "${ONEWINDOW_TEST_HALL_DATABASE:-}" ]; then
  run_suite "$ONEWINDOW_TEST_HALL_DATABASE"
  exit $?
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL not installed and not root: hall suite on PostgreSQL skipped" \
         "(sudo apt-get install postgresql, or set ONEWINDOW_TEST_HALL_DATABASE)" >&2
    exit 0
  fi
  echo "Installing PostgreSQL"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Not root: cannot start a PostgreSQL cluster as the postgres user; hall suite on" \
       "PostgreSQL skipped (set ONEWINDOW_TEST_HALL_DATABASE to a server you run)" >&2
  exit 0
fi

cluster=$(mktemp -d /tmp/onewindow-pg-XXXXXX)
chown postgres "$cluster"
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres() { runuser -u postgres -- "$@"; }
stop_cluster() {
  as_postgres "$bindir/pg_ctl" -D "$cluster/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap stop_cluster EXIT
as_postgres "$bindir/initdb" -D "$cluster/data" -A trust -U postgres >"$cluster/initdb.log"
as_postgres "$bindir/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w \
  -o "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
run_suite "postgresql://postgres@127.0.0.1:$port"
