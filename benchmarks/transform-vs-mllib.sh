#!/usr/bin/env bash
# Rows/s of spark.ml transform, 784-256-128-10: sparkprop in blocks of 1,024 rows, sparkprop one row
# at a time, and MLlib's MultilayerPerceptronClassificationModel, in one run on the same data (local[2]).
#   benchmarks/transform-vs-mllib.sh                 30,000 rows, 5 repetitions (about 2-4 minutes)
#   benchmarks/transform-vs-mllib.sh --copies 5 --reps 7
# The report goes to benchmarks/target/transform-vs-mllib.txt.
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
  -cp "$classpath" io.sparkprop.benchmarks.TransformVsMllib "$@" 2>&1 | tee benchmarks/target/transform-vs-mllib.txt
