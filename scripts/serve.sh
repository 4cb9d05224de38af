#!/usr/bin/env bash
# What `make run` serves: the web server, a django-q2 worker and the development courier.
# Usage: scripts/serve.sh HOST PORT COURIER_PORT   (PYTHON may name the interpreter)
#
# Ctrl-C, TERM, HUP, or any of the three ending, stops all three. Each runs in a session of its
# own and is stopped by its own PID, then waited for: signalling the whole process group at once
# (the former `kill 0`) reached django-q2's sentinel and workers as well as the cluster's parent,
# so the parent could lose the children it stops and the workers could outlive it (issue 14,
# point 8). What has not ended 15 s after the TERM gets a KILL, group and all.
set -uo pipefail
HOST=${1:?host} PORT=${2:?port} COURIER_PORT=${3:?courier port}
PYTHON=${PYTHON:-.venv/bin/python}
VAR=${VAR_DIR:-var}  # the courier's key and orders
cd "$(dirname "$0")/.."
export COURIER_URL="http://127.0.0.1:$COURIER_PORT"
pids=()

stop() {
  trap '' INT TERM HUP
  trap - EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for _ in $(seq 150); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; done
  wait 2>/dev/null
  echo "stopped the web server, the worker and the courier"
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM HUP
trap stop EXIT

$PYTHON manage.py dev_courier_key --file "$VAR/courier/api-key"
setsid $PYTHON manage.py qcluster &
pids+=($!)
setsid $PYTHON -m approvals.proactive.couriers.devserver --port "$COURIER_PORT" --auto 20 \
  --state "$VAR/courier/orders.json" --api-key-file "$VAR/courier/api-key" \
  --webhook-url "http://$HOST:$PORT/api/v1/approvals/courier/webhook/" &
pids+=($!)
setsid $PYTHON manage.py runserver "$HOST:$PORT" &
pids+=($!)
# The first to end ends the rest (a port in use, a crash): make run then exits instead of
# leaving a server without its worker.
wait -n
