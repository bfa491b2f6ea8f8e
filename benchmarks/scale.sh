#!/usr/bin/env bash
# Scale benchmark (issue 10, item 6): the main job on an augmented Fashion-MNIST of N rows, on the
# standalone cluster of deploy/ (a master and 2 workers of 1 core on 127.0.0.1), executors and
# driver with a 1 GiB heap. For each N:
#   1. a Spark job (io.sparkprop.benchmarks.AugmentFashion, on the same cluster) writes N rows to
#      Parquet: the 60,000 training images, then seeded copies shifted by up to 2 pixels and
#      flipped horizontally (features array<float>, label double);
#   2. `train` of the application jar (spark-submit, client mode) trains the MLP 784-256-128-10 for
#      2 epochs at a global batch of 1,024 on that folder and tests on the real 10,000 test images;
#   3. one table row: conversion (Parquet write) time, time per epoch, samples/s, peak heap of the
#      driver and of each executor, bytes spilled, test accuracy.
# A benchmark, never a test: minutes (6,000 rows) to about an hour (1.2M rows) on 2 cores.
#
#   benchmarks/scale.sh                    N = 60000 600000 1200000
#   benchmarks/scale.sh 6000               a quick end-to-end check
#   SCALE_PARTITIONS=8 benchmarks/scale.sh 600000
#
# Settings (environment): SCALE_DIR (default benchmarks/target/scale: data, runs, logs, results.md),
# SCALE_PARTITIONS (training partitions, spark.partitions; default 0 = one per core), SCALE_KEEP_DATA=1
# keeps the Parquet folders, SCALE_MASTER_PORT (default 17277), SCALE_EPOCHS (default 2),
# SCALE_LR (default 0.004), SCALE_MEMORY (driver and executor heap, default 1g),
# SCALE_SUBMIT_ARGS (more spark-submit options of the training run, e.g. "--conf
# spark.sql.files.maxPartitionBytes=8m": Parquet splits are sized by compressed bytes, and these
# images compress about 6.6x), SCALE_TRAIN_TIMEOUT (seconds; stops a training run that takes longer, and its row gives the
# samples/s of the steps done so far from the progress lines; default 0 = none).
#
# Peak heap is measured two ways, both real: the largest heap in use after a collection (GC log of
# each JVM, -Xlog:gc: the live data) and the largest used heap Spark sampled (JVMHeapMemory of the
# event log's stage and task executor metrics: includes garbage not yet collected).
# Every process started here (cluster daemons, executors, drivers) is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

data=/usr/share/datasets/fashion-mnist
if [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then
  echo "SCALE BENCHMARK NOT RUN: $data is missing; install it with: apt-get install dataset-fashion-mnist" >&2
  exit 2
fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(60000 600000 1200000)

app=deploy/target/sparkprop-app.jar
bench=$(ls benchmarks/target/benchmarks-*.jar 2>/dev/null | grep -v original | head -1 || true)
if [ ! -f "$app" ] || [ -z "$bench" ] || [ benchmarks/src/main/java/io/sparkprop/benchmarks/AugmentFashion.java -nt "$bench" ]; then
  echo "building (mvn package, no tests)"
  mvn -q -B -pl deploy,benchmarks -am package -DskipTests
  bench=$(ls benchmarks/target/benchmarks-*.jar | grep -v original | head -1)
fi

dir=${SCALE_DIR:-benchmarks/target/scale}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
partitions=${SCALE_PARTITIONS:-0}
epochs=${SCALE_EPOCHS:-2}
lr=${SCALE_LR:-0.004}
mem=${SCALE_MEMORY:-1g}
results=$dir/results.md

export SPARKPROP_CLUSTER_DIR=$dir/cluster
export SPARKPROP_MASTER_PORT=${SCALE_MASTER_PORT:-17277}
export SPARKPROP_MASTER_UI_PORT=0 SPARKPROP_WORKER_UI_PORT=0
export SPARKPROP_WORKERS=2 SPARKPROP_WORKER_CORES=1 SPARKPROP_WORKER_MEMORY=$mem
export SPARKPROP_DRIVER_MEMORY=$mem
unset JAVA_TOOL_OPTIONS

cluster_up=0
cleanup() {
  if [ "$cluster_up" = 1 ]; then
    deploy/cluster.sh stop || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

deploy/cluster.sh start
cluster_up=1

{
  echo
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): benchmarks/scale.sh ${sizes[*]} (partitions $partitions, heap $mem, $epochs epochs, batch 1024, Adam $lr${SCALE_SUBMIT_ARGS:+, $SCALE_SUBMIT_ARGS})"
  echo
  echo "| N | Parquet write s | block conversion s | epoch s (1, 2) | samples/s (epoch 2) | driver heap MB: after GC / used | executor heap MB: after GC / used | spilled | test accuracy | train wall s | driver RSS MB | load avg |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |"
} >> "$results"

for n in "${sizes[@]}"; do
  run=$dir/n$n-p$partitions
  rm -rf "$run"
  mkdir -p "$run/events"
  parquet=$dir/data/fashion-aug-$n.parquet
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)

  if [ "${SCALE_KEEP_DATA:-0}" = 1 ] && [ -f "$parquet/_SUCCESS" ]; then
    echo "== N=$n: reusing $parquet (SCALE_KEEP_DATA=1)"
    echo "reused $parquet" > "$run/augment.log"
  else
    echo "== N=$n: writing $parquet"
    t0=$(date +%s.%N)
    SPARKPROP_SUBMIT_ARGS="--executor-memory $mem --conf spark.ui.enabled=false" \
      deploy/submit.sh "$bench" io.sparkprop.benchmarks.AugmentFashion \
      "$data/train-images-idx3-ubyte.gz" "$data/train-labels-idx1-ubyte.gz" "$n" "file:$parquet" \
      > "$run/augment.log" 2>&1 || { echo "AugmentFashion failed; see $run/augment.log" >&2; tail -20 "$run/augment.log" >&2; exit 1; }
    t1=$(date +%s.%N)
    grep '^wrote ' "$run/augment.log" || true
    echo "   submit wall $(python3 -c "print(round($t1-$t0,1))") s, $(du -sh "$parquet" | cut -f1) on disk"
  fi

  steps=$(( (n + 1023) / 1024 * epochs ))
  warmup=$(( steps / 20 > 10 ? steps / 20 : 10 ))
  python3 - "$run/config.json" "$parquet" "$data" "$steps" "$warmup" "$epochs" "$lr" "$partitions" <<'EOF'
import json, sys
out, parquet, data, steps, warmup, epochs, lr, partitions = sys.argv[1:]
cfg = {
  "name": "fashion-scale",
  "model": {"inputShape": [784], "layers": [
      {"type": "dense", "units": 256}, {"type": "relu"},
      {"type": "dense", "units": 128}, {"type": "relu"},
      {"type": "dense", "units": 10}],
    "loss": {"type": "softmax_cross_entropy"}, "seed": 42},
  "training": {"optimizer": {"type": "adam", "learningRate": float(lr)},
    "schedule": {"type": "cosine_decay", "warmupSteps": int(warmup), "totalSteps": int(steps), "minMultiplier": 0.02},
    "epochs": int(epochs), "batchSize": 1024, "seed": 42},
  "data": {"train": {"format": "parquet", "path": "file:" + parquet, "featuresColumn": "features", "labelColumn": "label"},
           "test": {"format": "idx", "images": data + "/t10k-images-idx3-ubyte.gz",
                    "labels": data + "/t10k-labels-idx1-ubyte.gz"}},
  "spark": {"partitions": int(partitions)},
  "checkpoint": {"everyEpochs": 0},
  "output": {"dir": "out", "timestamped": False}}
json.dump(cfg, open(out, "w"), indent=2)
EOF

  echo "== N=$n: training ($steps steps, warm-up $warmup)"
  t0=$(date +%s.%N)
  status=0
  JAVA_TOOL_OPTIONS="-Xlog:gc:file=$run/gc-driver.log" \
  SPARKPROP_SUBMIT_ARGS="--executor-memory $mem --conf spark.ui.enabled=false --conf spark.eventLog.enabled=true \
--conf spark.eventLog.dir=file:$run/events --conf spark.eventLog.compress=false --conf spark.eventLog.logStageExecutorMetrics=true \
--conf spark.executor.extraJavaOptions=-Xlog:gc:file=$run/gc-executor-%p.log ${SCALE_SUBMIT_ARGS:-}" \
    /usr/bin/time -v -o "$run/time.txt" timeout "${SCALE_TRAIN_TIMEOUT:-0}" deploy/submit.sh "$app" io.sparkprop.cli.Main train \
    --config "$run/config.json" --output "$run/out" --progress log > "$run/driver.log" 2>&1 || status=$?
  t1=$(date +%s.%N)
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  grep -E '^(epoch [0-9]+/[0-9]+ - loss|test:)|blocks spilled|blocks: |cached partitions|OutOfMemory' "$run/driver.log" || true
  [ "$status" = 0 ] || echo "training exited with $status; see $run/driver.log" >&2

  python3 benchmarks/scale-report.py "$run" "$n" "$(python3 -c "print($t1-$t0)")" "$load_before" "$load_after" "$status" >> "$results"
  tail -1 "$results"
  # executors of this run only (the cluster's work folder keeps the earlier runs' logs)
  find "$dir"/cluster/work -name stderr -newer "$run/config.json" -exec grep -l OutOfMemoryError {} + 2>/dev/null \
    | sed 's/^/OutOfMemoryError in /' || true
  [ "${SCALE_KEEP_DATA:-0}" = 1 ] || rm -rf "$parquet"
done
echo "results: $results"
