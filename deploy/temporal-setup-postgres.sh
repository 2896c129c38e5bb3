#!/bin/sh
# Run once by docker-compose.yml's `temporal-admin-tools` service (image temporalio/admin-tools, which ships
# temporal-sql-tool and the schema folders of its server version): creates the `temporal` and `temporal_visibility`
# databases and brings their schemas to that version. Safe to run again: an existing database is only updated.
# The same steps as cluster/start.ts (`npm run cluster:start`) and Temporal's samples-server compose setup.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
port="${DB_PORT:-5432}"
schema=/etc/temporal/schema/postgresql/v12

until nc -z "$POSTGRES_SEEDS" "$port"; do echo "waiting for PostgreSQL at $POSTGRES_SEEDS:$port"; sleep 1; done

for db in temporal temporal_visibility; do
  case "$db" in temporal) dir="$schema/temporal/versioned" ;; *) dir="$schema/visibility/versioned" ;; esac
  tool="temporal-sql-tool --plugin postgres12 --ep $POSTGRES_SEEDS -p $port -u $POSTGRES_USER --db $db"
  $tool create-database --defaultdb "${POSTGRES_DB:-postgres}" 2>/dev/null || echo "database $db exists"
  # setup-schema -v 0.0 makes the version table; on a database that has it already, update-schema alone is enough.
  $tool setup-schema -v 0.0 2>/dev/null || echo "database $db: schema versioned already"
  $tool update-schema -d "$dir"
done
echo "Temporal schemas on PostgreSQL are up to date"
