#!/usr/bin/env bash
# Small tables in spark.ml (NeuralNetClassifier, local[2], sync jobs and barrier) against the
# single-JVM trainer, side by side in one run (SmallTables: wine- and digits-sized stand-ins, since
# scikit-learn's sets are not on this machine). A benchmark, not a test: about a minute of CPU.
#   benchmarks/small-tables.sh [--repeat N] [--phases]
# --repeat N: also N rounds of (single JVM, barrier fit) and their medians; --phases: the median
# time of each Spark job of 9 more barrier fits (FitPhases). The fits read a local relation
# (createDataFrame); --repeat also times them on the same rows cached.
set -euo pipefail
cd "$(dirname "$0")/.."

. benchmarks/spark-java.sh
spark_benchmark SmallTables 2g small-tables "$@"
