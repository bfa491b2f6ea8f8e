#!/usr/bin/env bash
# Fashion-MNIST side by side in one local[2] run: this trainer against Spark MLlib's MLP, both
# 784-256-128-10 on the same cached Parquet copy: time to 85% and to 88% test accuracy, samples/s.
#   benchmarks/fashion-vs-mllib.sh                                   everything (MLlib stops after 1,200 s of fits)
#   benchmarks/fashion-vs-mllib.sh --skip-mllib                      only this trainer
#   benchmarks/fashion-vs-mllib.sh --runs 128:0.001 --mllib-chunk 10 --mllib-budget 600
# Needs the Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist).
# The report goes to benchmarks/target/fashion-vs-mllib.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  echo "not run: /usr/share/datasets/fashion-mnist is missing; install it with: apt-get install dataset-fashion-mnist" >&2
  exit 2
fi

. benchmarks/spark-java.sh
spark_benchmark FashionVsMllib 5g fashion-vs-mllib "$@"
