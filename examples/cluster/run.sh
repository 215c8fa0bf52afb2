#!/usr/bin/env bash
# Three Herald nodes on one PostgreSQL database and one Redis, nginx in front of them (docs/cluster.md §12).
#   ./run.sh        creates the database if missing, starts the nodes and nginx, prints the address
#   ./run.sh stop   stops them (the database stays: psql -c 'DROP DATABASE herald_example' removes it)
# Settings (environment): PG (postgresql://postgres@127.0.0.1:5432), HERALD_EXAMPLE_DB (herald_example),
# REDIS (redis://127.0.0.1:6379), HERALD_ADMIN_TOKEN (example-admin-token). Ports: nginx 8080, the nodes
# 8081-8083, their cluster listeners 9081-9083, all on 127.0.0.1 (nginx.conf names them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
state=$here/state
pg=${PG:-postgresql://postgres@127.0.0.1:5432}
db=${HERALD_EXAMPLE_DB:-herald_example}
redis=${REDIS:-redis://127.0.0.1:6379}
token=${HERALD_ADMIN_TOKEN:-example-admin-token}
jar=$root/herald-cli/target/herald.jar
PATH=$PATH:/usr/sbin

stop() {
  for pidfile in "$state"/*.pid; do
    [ -e "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

if [ "${1:-}" = stop ]; then
  stop
  echo "stopped"
  exit 0
fi

command -v nginx >/dev/null || { echo "nginx not installed: apt-get install nginx (or run .ci/run as root)" >&2; exit 1; }
command -v psql >/dev/null || { echo "psql not installed: apt-get install postgresql-client" >&2; exit 1; }
[ -f "$jar" ] || (cd "$root" && mvn -B -q package -pl herald-cli -am -DskipTests)
mkdir -p "$state/tmp"
stop

if [ "$(psql "$pg/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
  psql "$pg/postgres" -qc "CREATE DATABASE $db"
fi

# one after another: three JVMs starting at once on a small machine can starve the first one's Redis connection
for i in 1 2 3; do
  HERALD_ADMIN_TOKEN=$token java -jar "$jar" serve --host 127.0.0.1 --port 808$i --data "$state/node$i" \
    --store "$pg/$db" --bus "$redis/herald-example" --cluster herald-example \
    --cluster-address 127.0.0.1 --cluster-port 908$i >"$state/node$i.log" 2>&1 &
  echo $! >"$state/node$i.pid"
  until curl -sf "http://127.0.0.1:808$i/health/ready" >/dev/null; do
    kill -0 "$(cat "$state/node$i.pid")" 2>/dev/null || { cat "$state/node$i.log" >&2; stop; exit 1; }
    sleep 0.5
  done
done
nginx -p "$state" -c "$here/nginx.conf" -e stderr >"$state/nginx.log" 2>&1 &
echo $! >"$state/nginx.pid"
until curl -s -o /dev/null "http://127.0.0.1:8080/health/live"; do
  kill -0 "$(cat "$state/nginx.pid")" 2>/dev/null || { cat "$state/nginx.log" >&2; stop; exit 1; }
  sleep 0.2
done

cat <<TEXT
Herald (three nodes behind nginx) at http://127.0.0.1:8080, admin token $token
  curl -H 'Authorization: Bearer $token' -H 'Content-Type: application/json' \\
       -d '{"type":"demo","status":"running"}' http://127.0.0.1:8080/api/v1/jobs
  $root/herald watch --url http://127.0.0.1:8080 --token $token JOB_ID
Logs in $state; stop with: $0 stop
TEXT
