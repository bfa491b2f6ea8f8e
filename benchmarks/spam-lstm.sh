#!/usr/bin/env bash
# Embedding(64) + LSTM(64) on the bundled spam set: s/epoch and samples/s of the single-JVM trainer
# (one thread) and of SparkTrainer in local[2], and the 95.0% test-accuracy gate (exit status 1 below it).
#   benchmarks/spam-lstm.sh                        1 local epoch, then 5 Spark epochs
#   benchmarks/spam-lstm.sh --epochs 5 --local-epochs 0
#   benchmarks/spam-lstm.sh --compare --epochs 1      jobs and barrier mode, each with dense and with sparse
#                                                  embedding gradients, in one JVM
#   benchmarks/spam-lstm.sh --steps [--samples 1280 --epochs 1]
#                                                  where a step's time goes, per sync mode, dense
#                                                  against sparse embedding gradients (SpamLstmSteps)
# The report goes to benchmarks/target/spam-lstm.txt (spam-lstm-steps.txt with --steps).
set -euo pipefail
cd "$(dirname "$0")/.."

main=SpamLstm report=spam-lstm
if [ "${1:-}" = --steps ]; then
  main=SpamLstmSteps report=spam-lstm-steps
  shift
fi
. benchmarks/spark-java.sh
spark_benchmark "$main" 4g "$report" "$@"
