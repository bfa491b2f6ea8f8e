#!/usr/bin/env bash
# The Transformer floor on the spam set (examples/configs/spam-transformer.json) through the Spark
# trainer in local[2]: samples/s, seconds per epoch, test accuracy; exits 1 under the floor (95.0%).
#   benchmarks/spam-transformer.sh                          the gate (config's epochs, data/spam)
#   benchmarks/spam-transformer.sh --epochs 1 --limit 500   a quick run without the gate
#   benchmarks/spam-transformer.sh --local-epochs 1        also one single-JVM epoch on one thread first
#   benchmarks/spam-transformer.sh --data DIR --floor 95.0
# The report goes to benchmarks/target/spam-transformer.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

. benchmarks/spark-java.sh
spark_benchmark SpamTransformer "${SPAM_HEAP:-6g}" spam-transformer "$@"
