#!/usr/bin/env bash
# Rows/s of spark.ml transform, 784-256-128-10: sparkprop in blocks of 1,024 rows, sparkprop one row
# at a time, and MLlib's MultilayerPerceptronClassificationModel, in one run on the same data (local[2]).
#   benchmarks/transform-vs-mllib.sh                 30,000 rows, 5 repetitions (about 2-4 minutes)
#   benchmarks/transform-vs-mllib.sh --copies 5 --reps 7
# The report goes to benchmarks/target/transform-vs-mllib.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

. benchmarks/spark-java.sh
spark_benchmark TransformVsMllib 4g transform-vs-mllib "$@"
