#!/usr/bin/env bash
# A Spark standalone cluster on one machine: a master and N workers, each its own JVM, run from
# the Spark home that deploy/spark-home.sh builds from Maven artifacts (no Spark download).
#
# Usage: deploy/cluster.sh start|stop|status
#
# Settings (environment, all optional; see also common.sh for the Spark home, host and master port):
#   SPARKPROP_WORKERS         number of workers (default 2)
#   SPARKPROP_WORKER_CORES    cores per worker (default 1)
#   SPARKPROP_WORKER_MEMORY   memory a worker offers to executors (default 1g; an executor asking
#                             for more than this waits forever)
#   SPARKPROP_MASTER_UI_PORT  master web UI (default 18080; 0 = any free port)
#   SPARKPROP_WORKER_UI_PORT  first worker's web UI, the next workers count up (default 18081;
#                             0 = any free port for every worker)
#   SPARKPROP_DAEMON_MEMORY   heap of the master and of each worker JVM (default 512m)
#   SPARKPROP_START_TIMEOUT   seconds to wait for each daemon to come up (default 90)
#   SPARKPROP_STOP_TIMEOUT    seconds to wait for the daemons to exit before SIGKILL (default 30)
#
# Files under SPARKPROP_CLUSTER_DIR (default deploy/target/cluster): logs/master.log,
# logs/worker-<i>.log, pids/*.pid, work/worker-<i>/<app-id>/<executor-id>/{stdout,stderr},
# master-url. `stop` only signals processes whose command line carries this cluster's marker
# (-Dsparkprop.cluster=<dir>), and the executors those workers launched.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

WORKERS=${SPARKPROP_WORKERS:-2}
WORKER_CORES=${SPARKPROP_WORKER_CORES:-1}
WORKER_MEMORY=${SPARKPROP_WORKER_MEMORY:-1g}
MASTER_UI_PORT=${SPARKPROP_MASTER_UI_PORT:-18080}
WORKER_UI_PORT=${SPARKPROP_WORKER_UI_PORT:-18081}
DAEMON_MEMORY=${SPARKPROP_DAEMON_MEMORY:-512m}
START_TIMEOUT=${SPARKPROP_START_TIMEOUT:-90}
STOP_TIMEOUT=${SPARKPROP_STOP_TIMEOUT:-30}

mkdir -p "$SPARKPROP_CLUSTER_DIR"
CLUSTER_DIR=$(cd "$SPARKPROP_CLUSTER_DIR" && pwd)
LOGS=$CLUSTER_DIR/logs
PIDS=$CLUSTER_DIR/pids
WORK=$CLUSTER_DIR/work
MARKER="-Dsparkprop.cluster=$CLUSTER_DIR"

# True when PID is alive and is one of this cluster's daemons.
ours() {
  grep -qzxF -- "$MARKER" "/proc/$1/cmdline" 2>/dev/null
}

# True when nothing accepts connections on HOST:PORT.
port_free() {
  ! (exec 3<>"/dev/tcp/$SPARKPROP_HOST/$1") 2>/dev/null
}

# Polls LOG until it contains TEXT; fails when PID exits or TIMEOUT seconds pass.
wait_for() {
  local log=$1 text=$2 pid=$3 name=$4 deadline=$((SECONDS + START_TIMEOUT))
  until grep -qF -- "$text" "$log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "error: $name (pid $pid) exited before logging \"$text\"; last lines of $log:" >&2
      tail -n 30 "$log" >&2 || true
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "error: $name (pid $pid) did not log \"$text\" within ${START_TIMEOUT}s; see $log" >&2
      return 1
    fi
    sleep 0.2
  done
}

# Starts a Spark daemon JVM in the background; its PID goes to pids/NAME.pid.
start_daemon() {
  local name=$1 class=$2
  shift 2
  nohup "$JAVA" "${JVM_FLAGS[@]}" "-Xmx$DAEMON_MEMORY" "$MARKER" \
    -Dspark.port.maxRetries=0 -Dspark.master.rest.enabled=false \
    -cp "$SPARK_CLASSPATH" "$class" "$@" > "$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$PIDS/$name.pid"
}

pid_files() {
  # Workers first, so that they stop (and stop their executors) before the master.
  local f
  for f in "$PIDS"/worker-*.pid "$PIDS"/master.pid; do
    [ -f "$f" ] && echo "$f"
  done
  return 0
}

# Waits until none of the given PIDs is alive, at most $1 seconds; true when all are gone.
wait_gone() {
  local deadline=$((SECONDS + $1)) pid alive
  shift
  while :; do
    alive=0
    for pid in "$@"; do
      kill -0 "$pid" 2>/dev/null && alive=1
    done
    [ "$alive" = 0 ] && return 0
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}

stop_cluster() {
  local f pid daemons=() executors=()
  while read -r f; do
    pid=$(cat "$f")
    if ours "$pid"; then
      # The executor JVMs this worker launched (its child processes).
      executors+=($(ps -o pid= --ppid "$pid" || true))
      kill -TERM "$pid" 2>/dev/null || true
      daemons+=("$pid")
    fi
    rm -f "$f"
  done < <(pid_files)
  if [ "${#daemons[@]}" -gt 0 ] && ! wait_gone "$STOP_TIMEOUT" "${daemons[@]}"; then
    for pid in "${daemons[@]}"; do
      ours "$pid" && { echo "pid $pid did not exit after SIGTERM; sending SIGKILL" >&2; kill -KILL "$pid" 2>/dev/null || true; }
    done
    wait_gone 10 "${daemons[@]}" || true
  fi
  if [ "${#executors[@]}" -gt 0 ] && ! wait_gone 10 "${executors[@]}"; then
    for pid in "${executors[@]}"; do
      if grep -qzF org.apache.spark.executor. "/proc/$pid/cmdline" 2>/dev/null; then
        echo "executor pid $pid outlived its worker; sending SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done
  fi
  rm -f "$CLUSTER_DIR/master-url"
  echo "stopped ${#daemons[@]} daemon(s) and ${#executors[@]} executor(s) of $CLUSTER_DIR"
}

start_cluster() {
  local f pid i ui start=$SECONDS
  mkdir -p "$LOGS" "$PIDS" "$WORK"
  while read -r f; do
    pid=$(cat "$f")
    ours "$pid" && die "already running (pid $pid from $f); run: $0 stop"
    rm -f "$f"   # stale
  done < <(pid_files)

  local ports=("$SPARKPROP_MASTER_PORT")
  [ "$MASTER_UI_PORT" != 0 ] && ports+=("$MASTER_UI_PORT")
  if [ "$WORKER_UI_PORT" != 0 ]; then
    for ((i = 0; i < WORKERS; i++)); do ports+=($((WORKER_UI_PORT + i))); done
  fi
  for p in "${ports[@]}"; do
    port_free "$p" || die "port $SPARKPROP_HOST:$p is in use; choose other ports (SPARKPROP_*_PORT)"
  done

  start_daemon master org.apache.spark.deploy.master.Master \
    --host "$SPARKPROP_HOST" --port "$SPARKPROP_MASTER_PORT" --webui-port "$MASTER_UI_PORT"
  wait_for "$LOGS/master.log" "I have been elected leader" "$(cat "$PIDS/master.pid")" master \
    || { stop_cluster >&2; exit 1; }

  for ((i = 1; i <= WORKERS; i++)); do
    ui=0
    [ "$WORKER_UI_PORT" != 0 ] && ui=$((WORKER_UI_PORT + i - 1))
    mkdir -p "$WORK/worker-$i"
    start_daemon "worker-$i" org.apache.spark.deploy.worker.Worker \
      --host "$SPARKPROP_HOST" --cores "$WORKER_CORES" --memory "$WORKER_MEMORY" \
      --webui-port "$ui" --work-dir "$WORK/worker-$i" "$MASTER_URL"
  done
  for ((i = 1; i <= WORKERS; i++)); do
    wait_for "$LOGS/worker-$i.log" "Successfully registered with master" "$(cat "$PIDS/worker-$i.pid")" "worker-$i" \
      || { stop_cluster >&2; exit 1; }
  done
  echo "$MASTER_URL" > "$CLUSTER_DIR/master-url"
  echo "master $MASTER_URL (web UI port $MASTER_UI_PORT), $WORKERS worker(s) x $WORKER_CORES core(s), up in $((SECONDS - start))s; logs in $LOGS"
}

status_cluster() {
  local f pid name running=0 total=0
  while read -r f; do
    pid=$(cat "$f")
    name=$(basename "$f" .pid)
    total=$((total + 1))
    if ours "$pid"; then
      running=$((running + 1))
      echo "$name pid $pid running"
    else
      echo "$name pid $pid not running"
    fi
  done < <(pid_files)
  if [ "$total" = 0 ]; then
    echo "not running ($CLUSTER_DIR)"
    exit 3
  fi
  [ -f "$CLUSTER_DIR/master-url" ] && echo "master $(cat "$CLUSTER_DIR/master-url")"
  [ "$running" = "$total" ]
}

case "${1:-}" in
  start) start_cluster ;;
  stop) stop_cluster ;;
  status) status_cluster ;;
  *) die "usage: $0 start|stop|status" ;;
esac
