#!/usr/bin/env bash
# Ruta load test: production-mode gunicorn + task worker on a scratch PostgreSQL database,
# 50 Locust users (+1 /healthz prober) for LOAD_TIME, optional PostgreSQL restart mid-run.
# Usage: make loadtest   (or loadtest/run.sh; see loadtest/README.md for the knobs)
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
LOCUST=${LOCUST:-.venv-load/bin/locust}
PORT=${LOAD_PORT:-8765}
TIME=${LOAD_TIME:-150s}
WORKERS=${LOAD_WORKERS:-3}
FAULT=${LOAD_FAULT:-none}          # none | pg-restart
MODE=${LOAD_MODE:-locust}          # locust | throughput (loadtest/throughput.py)
FAULT_AT=${LOAD_FAULT_AT:-60}      # seconds after Locust starts
PG_CLUSTER=${LOAD_PG_CLUSTER:-"15 main"}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
DB=${LOAD_DB:-ruta_load}
OUT=var/loadtest
case "$DB" in *ruta_load*) ;; *) echo "LOAD_DB must contain ruta_load" >&2; exit 2 ;; esac

mkdir -p "$OUT"
rm -f "$OUT"/failures.jsonl "$OUT"/run_*.csv "$OUT"/fault.json "$OUT"/access.log "$OUT"/gunicorn.log "$OUT"/worker.log

# Production-mode environment: generated secrets (kept under var/, never committed).
if [ ! -f "$OUT/keys.env" ]; then
  umask 077
  {
    echo "SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')"
    echo "RUTA_FIELD_KEYS=$($PY -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
  } > "$OUT/keys.env"
  umask 022
fi
set -a
# shellcheck disable=SC1091
. "$OUT/keys.env"
DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB"
ALLOWED_HOSTS=127.0.0.1
STATIC_ROOT=$PWD/$OUT/static
MEDIA_ROOT=$PWD/$OUT/media
RUTA_BASE_URL=https://127.0.0.1:$PORT
LOG_LEVEL=WARNING
set +a
PROD=(env DEBUG=false RUTA_DEMO=false)
DEMO=(env DEBUG=true RUTA_DEMO=true)   # load_demo only, as `make run` does, but with the real keys

psql_admin() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d test -v ON_ERROR_STOP=1 -q "$@"; }
echo "== prepare: database $DB"
psql_admin -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)"
psql_admin -c "CREATE DATABASE \"$DB\""
"${PROD[@]}" $PY manage.py migrate --no-input -v 0
"${PROD[@]}" $PY manage.py collectstatic --no-input -v 0
"${DEMO[@]}" $PY manage.py load_demo | tail -n 3
"${DEMO[@]}" $PY loadtest/prepare.py "$OUT/plan.json"
"${PROD[@]}" $PY manage.py check --deploy --database default --fail-level ERROR | tail -n 1

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

echo "== start: gunicorn ($WORKERS workers) and the task worker, DEBUG=false"
"${PROD[@]}" .venv/bin/gunicorn ruta.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --no-control-socket --access-logfile "$OUT/access.log" --error-logfile "$OUT/gunicorn.log" &
PIDS+=($!)
GUNICORN=$!
"${PROD[@]}" $PY manage.py task_worker > "$OUT/worker.log" 2>&1 &
PIDS+=($!)
WORKER=$!
for _ in $(seq 60); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "http://127.0.0.1:$PORT/healthz"; echo
workers_before=$(pgrep -P "$GUNICORN" | sort | tr '\n' ' ')

echo "== uptime before: $(uptime)"
if [ "$MODE" = "throughput" ]; then
  # Requests per second for /healthz, a static file and the finder; nothing else runs.
  rc=0
  $PY loadtest/throughput.py "http://127.0.0.1:$PORT" --seconds "${LOAD_SECONDS:-20}" \
    --connections "${LOAD_CONNECTIONS:-8}" || rc=$?
  echo "== uptime after:  $(uptime)"
  echo "gunicorn workers: $WORKERS; errors logged: $(grep -c -i "error" "$OUT/gunicorn.log" || true)"
  exit "$rc"
fi
if [ "$FAULT" = "pg-restart" ]; then
  (
    sleep "$FAULT_AT"
    start=$($PY -c 'import time; print(time.time())')
    pg_ctlcluster $PG_CLUSTER restart
    end=$($PY -c 'import time; print(time.time())')
    echo "{\"fault\": \"pg_ctlcluster $PG_CLUSTER restart\", \"start\": $start, \"end\": $end}" > "$OUT/fault.json"
  ) &
  PIDS+=($!)
fi
LOAD_PLAN="$OUT/plan.json" LOAD_FAILURES="$OUT/failures.jsonl" "$LOCUST" -f loadtest/locustfile.py \
  --headless -u 51 -r 10 -t "$TIME" --host "http://127.0.0.1:$PORT" \
  --csv "$OUT/run" --only-summary --loglevel WARNING > "$OUT/locust.log" 2>&1 || true
echo "== uptime after:  $(uptime)"

workers_after=$(pgrep -P "$GUNICORN" | sort | tr '\n' ' ')
echo "== processes"
echo "gunicorn master $GUNICORN alive: $(kill -0 "$GUNICORN" 2>/dev/null && echo yes || echo NO)"
echo "gunicorn workers before: $workers_before"
echo "gunicorn workers after:  $workers_after"
echo "task worker $WORKER alive: $(kill -0 "$WORKER" 2>/dev/null && echo yes || echo NO)"
echo "healthz after the run: $(curl -sS "http://127.0.0.1:$PORT/healthz")"
# The worker still works: a job queued now is run (send_referral_alerts hands it over).
"${PROD[@]}" $PY manage.py send_referral_alerts --enqueue
status=none
for _ in $(seq 10); do
  status=$("${PROD[@]}" $PY manage.py shell -v 0 -c "from django_tasks_db.models import DBTaskResult as R; print(R.objects.order_by('-enqueued_at').values_list('status', flat=True).first())")
  [ "$status" = SUCCESSFUL ] && break
  sleep 2
done
echo "a task queued after the run: $status"
grep -h "Database unavailable" "$OUT/worker.log" | head -n 5 || true

echo "== figures"
$PY loadtest/report.py "$OUT"
echo "== consistency"
"${PROD[@]}" $PY loadtest/check_consistency.py
