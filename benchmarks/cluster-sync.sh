#!/usr/bin/env bash
# Jobs against barrier mode on the 2-worker standalone cluster of deploy/ (cluster.sh: a master and
# 2 workers x 1 core on 127.0.0.1, Spark home from Maven artifacts), side by side in one run: the
# bundled MNIST config (784-256-128-10, 8,000 training digits) at batch 128 (63 steps per epoch)
# through submit.sh, once per mode. Prints each epoch line (seconds, samples/s and the step's
# broadcast/compute/aggregate/update shares) and the last epoch's ms per step. The cluster is this
# script's own (its own folder and ports) and is stopped on exit, also on failure.
#   benchmarks/cluster-sync.sh                 3 epochs per mode
#   benchmarks/cluster-sync.sh --epochs 4
# Needs deploy/target/sparkprop-app.jar and a Spark home (deploy/spark-home.sh). A benchmark, not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=3
while [ $# -gt 0 ]; do
  case $1 in
    --epochs) epochs=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
jar=deploy/target/sparkprop-app.jar
[ -f "$jar" ] || { echo "missing $jar: build it with mvn -o -B -pl deploy -am package -DskipTests" >&2; exit 2; }
# not the defaults of cluster.sh, so that a developer's cluster on 17077 is left alone
export SPARKPROP_CLUSTER_DIR=$PWD/benchmarks/target/cluster-sync SPARKPROP_MASTER_PORT=${SPARKPROP_MASTER_PORT:-27177}
export SPARKPROP_MASTER_UI_PORT=0 SPARKPROP_WORKER_UI_PORT=0 SPARKPROP_DRIVER_MEMORY=1g
out=benchmarks/target/cluster-sync-runs/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
trap 'deploy/cluster.sh stop >/dev/null 2>&1 || true' EXIT
deploy/cluster.sh start
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $epochs epochs per mode, batch 128, 2 partitions"
for s in jobs barrier; do
  log=$out/$s.log
  deploy/submit.sh "$jar" io.sparkprop.cli.Main train --epochs "$epochs" --partitions 2 --seed 7 --batch-size 128 \
    --lr 0.001 --set 'training.schedule={"type": "constant"}' --set spark.sync="$s" --progress log \
    --output "$out/$s" >"$log" 2>&1 || { echo "$s run failed (log $log)" >&2; tail -20 "$log" >&2; exit 1; }
  grep -E '^epoch [0-9]+/.* samples/s' "$log" | sed "s/^/$s: /"
  grep -E 'sync (jobs|barrier)|barrier stage 1:|training in jobs mode|run as Spark jobs' "$log" | head -3 \
    | sed 's/^/  log: /'
  secs=$(grep -E '^epoch [0-9]+/.* samples/s' "$log" | tail -1 | sed -E 's/.* - ([0-9.]+) s, .*/\1/')
  printf '%s: last epoch %.2f s = %.1f ms per step (63 steps + the validation pass)\n' "$s" "$secs" \
    "$(echo "$secs * 1000 / 63" | bc -l)"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); logs in $out"
