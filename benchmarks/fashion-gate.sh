#!/usr/bin/env bash
# Accuracy gate on Fashion-MNIST (60,000 training / 10,000 test images) through Spark local[2]:
# trains the bundled configs with the main job and fails loudly when test accuracy is below the floor.
#   benchmarks/fashion-gate.sh            both: fashion-mlp (floor 0.890) and fashion-cnn (floor 0.920)
#   benchmarks/fashion-gate.sh mlp        only the MLP (the CNN takes much longer on 2 cores)
# Needs the Debian package dataset-fashion-mnist (files under /usr/share/datasets/fashion-mnist);
# without it the gate cannot run and says so (exit 2). A benchmark, not a test: minutes of CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
data=/usr/share/datasets/fashion-mnist
if [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then
  echo "FASHION GATE NOT RUN: $data is missing; install it with: apt-get install dataset-fashion-mnist" >&2
  exit 2
fi
jar=deploy/target/sparkprop-app.jar
if [ ! -f "$jar" ]; then
  mvn -q -B -DskipTests package
fi
which=${1:-all}
out=benchmarks/target/fashion-gate
mkdir -p "$out"
status=0
gate() { # config floor
  local cfg=$1 floor=$2 dir="$out/$1-$(date +%Y%m%d-%H%M%S)"
  echo "== $cfg: training through Spark local[2] (floor $floor) -> $dir"
  /usr/bin/time -v java -jar "$jar" train --config "$cfg" --master 'local[2]' --progress log --output "$dir" \
    2> "$dir.time" | tee "$dir.log" | grep -E '^(epoch [0-9]+/[0-9]+ - loss|test:|trained in)' || true
  grep -E 'Elapsed|Maximum resident' "$dir.time" || true
  local acc
  acc=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['test_accuracy'])" "$dir/metrics.json" \
    2>/dev/null || echo missing)
  if [ "$acc" != missing ] && python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)" \
      "$acc" "$floor"; then
    echo "fashion gate passed: $cfg test accuracy $acc >= $floor"
  else
    echo "FASHION GATE FAILED: $cfg test accuracy $acc is below the floor $floor (log: $dir.log)" >&2
    status=1
  fi
}
if [ "$which" = all ] || [ "$which" = mlp ]; then gate fashion-mlp 0.890; fi
if [ "$which" = all ] || [ "$which" = cnn ]; then gate fashion-cnn 0.920; fi
exit $status
