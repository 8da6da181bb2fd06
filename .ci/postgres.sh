#!/usr/bin/env bash
# Starts a local PostgreSQL for the tests of portflow-recipes (the store recipe) and prints its
# JDBC URL on stdout. Idempotent: installs Debian's postgresql when missing, reuses the cluster on
# 127.0.0.1:5432 (creating one if there is none), starts it if it is down, and creates the user and
# database portflow/portflow (password portflow) when missing. Progress goes to stderr.
set -euo pipefail

PORT=5432
DB=portflow
DB_USER=portflow
DB_PASSWORD=portflow

log() { echo "postgres.sh: $*" >&2; }

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    log "installing postgresql from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
fi

VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)

# The cluster on our port, if any: "<version> <name> <port> <status> ...".
cluster=$(pg_lsclusters --no-header 2>/dev/null | awk -v port="$PORT" '$3 == port {print $1 " " $2; exit}')
if [ -z "$cluster" ]; then
    log "creating cluster $VERSION/portflow on port $PORT"
    pg_createcluster -p "$PORT" "$VERSION" portflow >&2
    cluster="$VERSION portflow"
fi
read -r CVERSION CNAME <<<"$cluster"

status=$(pg_lsclusters --no-header | awk -v v="$CVERSION" -v n="$CNAME" '$1 == v && $2 == n {print $4}')
if [ "$status" != "online" ]; then
    log "starting cluster $CVERSION/$CNAME"
    pg_ctlcluster "$CVERSION" "$CNAME" start >&2
fi

for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$PORT"; then
        break
    fi
    sleep 0.5
done
pg_isready -h 127.0.0.1 -p "$PORT" >&2 || { log "PostgreSQL did not become ready on 127.0.0.1:$PORT"; exit 1; }

psql_admin() {
    # The postgres superuser over the local socket (peer authentication).
    (cd / && runuser -u postgres -- psql -X -q -p "$PORT" -v ON_ERROR_STOP=1 "$@")
}

psql_admin -d postgres -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD';
  ELSE
    ALTER ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD';
  END IF;
END \$\$;" >&2
if [ "$(psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
    log "creating database $DB"
    psql_admin -d postgres -c "CREATE DATABASE $DB OWNER $DB_USER" >&2
fi

log "ready: user $DB_USER, password $DB_PASSWORD"
echo "jdbc:postgresql://127.0.0.1:$PORT/$DB"
