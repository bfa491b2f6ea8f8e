#!/usr/bin/env bash
# The Spark trainer against Spark MLlib's MLP on the bundled MNIST sample, both in local[2]:
# the Spark floor, this trainer's per-step cost at batch 128 and 1024, and time to 95% test accuracy.
#   benchmarks/spark-vs-mllib.sh                           everything (about 3-6 minutes)
#   benchmarks/spark-vs-mllib.sh --skip-mllib              only this trainer
#   benchmarks/spark-vs-mllib.sh --runs 512:0.002 --mllib-iters 120
# The report goes to benchmarks/target/spark-vs-mllib.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

cp=benchmarks/target/spark-vs-mllib.classpath
echo "building (mvn package, no tests)"
mvn -q -B -pl benchmarks -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/spark-vs-mllib.classpath -Dmdep.includeScope=compile
# compile scope includes provided (Spark); slf4j-simple is left out so that Spark's log4j2 binding logs.
classpath="benchmarks/target/classes:spark-driver/target/classes:trainer-core/target/classes:$(tr ':' '\n' < "$cp" \
  | grep -v -e slf4j-simple -e '/io/sparkprop/' | paste -sd:)"
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml)

export OPENBLAS_NUM_THREADS=1
# shellcheck disable=SC2086
java $flags -Xmx4g -Dlog4j2.configurationFile=benchmarks/log4j2-spark-vs-mllib.properties \
  -cp "$classpath" io.sparkprop.benchmarks.SparkVsMllib "$@" 2>&1 | tee benchmarks/target/spark-vs-mllib.txt
