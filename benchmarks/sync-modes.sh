#!/usr/bin/env bash
# Jobs against barrier mode, side by side in one run, on Fashion-MNIST (60,000 images) through the
# main job (examples/configs/fashion-mlp.json, 784-256-128-10) in Spark local[2]: for each batch size,
# one short run per mode; prints each epoch's samples/s and the barrier/jobs ratio of the last epoch
# (the first epoch carries JIT warm-up and the block conversion).
#   benchmarks/sync-modes.sh                    batch 128 and 1024, 2 epochs per run
#   benchmarks/sync-modes.sh --batches "128" --epochs 3 --master 'local[2]'
# Needs dataset-fashion-mnist (/usr/share/datasets/fashion-mnist) and deploy/target/sparkprop-app.jar
# (mvn -o -B -pl deploy -am package -DskipTests). A benchmark, not a test: minutes of CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
batches="128 1024" epochs=2 master='local[2]' config=fashion-mlp
while [ $# -gt 0 ]; do
  case $1 in
    --batches) batches=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --master) master=$2; shift 2 ;;
    --config) config=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
jar=deploy/target/sparkprop-app.jar
[ -f "$jar" ] || { echo "missing $jar: build it with mvn -o -B -pl deploy -am package -DskipTests" >&2; exit 2; }
out=benchmarks/target/sync-modes/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); master $master; config $config; $epochs epochs per run"
declare -A last
for b in $batches; do
  for s in jobs barrier; do
    log="$out/$s-$b.log"
    start=$(date +%s.%N)
    java -jar "$jar" train --config "$config" --set training.batchSize="$b" --set spark.sync="$s" \
      --epochs "$epochs" --master "$master" --progress log --output "$out/$s-$b" >"$log" 2>&1 || {
      echo "run $s batch $b failed (log $log)" >&2; tail -5 "$log" >&2; exit 1; }
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    # the epoch lines: "epoch i/n - loss ... - 3.21 s, 18,690 samples/s, ..."
    grep -E '^epoch [0-9]+/.* samples/s' "$log" | sed -E 's/^(epoch [0-9]+\/[0-9]+).* - ([0-9.]+ s), ([0-9,]+ samples\/s).*/\1 \2 \3/' \
      | sed "s/^/$s batch $b: /"
    grep -E 'sync (jobs|barrier)|barrier stage 1:|training in jobs mode|run as Spark jobs' "$log" | head -3 | sed 's/^/  log: /'
    last[$s-$b]=$(grep -E '^epoch [0-9]+/.* samples/s' "$log" | tail -1 | sed -E 's/.* ([0-9,]+) samples\/s.*/\1/' | tr -d ,)
    steps=$(( (60000 + b - 1) / b ))
    printf '%s batch %s: last epoch %s samples/s, %.2f ms per step (%d steps); whole command %.0f s; %s\n' \
      "$s" "$b" "${last[$s-$b]}" "$(echo "$b * 1000 / ${last[$s-$b]}" | bc -l)" "$steps" "$wall" \
      "$(grep -E '^test:' "$log" | head -1)"
  done
  printf 'batch %s: barrier/jobs samples/s = %.2fx\n' "$b" "$(echo "${last[barrier-$b]} / ${last[jobs-$b]}" | bc -l)"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); logs in $out"
