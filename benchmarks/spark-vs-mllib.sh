#!/usr/bin/env bash
# The Spark trainer against Spark MLlib's MLP on the bundled MNIST sample, both in local[2]:
# the Spark floor, this trainer's per-step cost at batch 128 and 1024, and time to 95% test accuracy.
#   benchmarks/spark-vs-mllib.sh                           everything (about 3-6 minutes)
#   benchmarks/spark-vs-mllib.sh --skip-mllib              only this trainer
#   benchmarks/spark-vs-mllib.sh --runs 512:0.002 --mllib-iters 120
# The report goes to benchmarks/target/spark-vs-mllib.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

. benchmarks/spark-java.sh
spark_benchmark SparkVsMllib 4g spark-vs-mllib "$@"
