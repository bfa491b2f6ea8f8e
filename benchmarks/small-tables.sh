#!/usr/bin/env bash
# Small tables in spark.ml (NeuralNetClassifier, local[2], sync jobs and barrier) against the
# single-JVM trainer, side by side in one run (SmallTables: wine- and digits-sized stand-ins, since
# scikit-learn's sets are not on this machine). A benchmark, not a test: about a minute of CPU.
#   benchmarks/small-tables.sh [--repeat N] [--phases]
# --repeat N: also N rounds of (single JVM, barrier fit) and their medians; --phases: the median
# time of each Spark job of 9 more barrier fits (FitPhases).
set -euo pipefail
cd "$(dirname "$0")/.."

cp=benchmarks/target/spark-vs-mllib.classpath
echo "building (mvn package, no tests)"
mvn -o -q -B -pl benchmarks -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/spark-vs-mllib.classpath -Dmdep.includeScope=compile
classpath="benchmarks/target/classes:spark-driver/target/classes:trainer-core/target/classes:$(tr ':' '\n' < "$cp" \
  | grep -v -e slf4j-simple -e '/io/sparkprop/' | paste -sd:)"
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml)

export OPENBLAS_NUM_THREADS=1
# shellcheck disable=SC2086
java $flags -Xmx2g -Dlog4j2.configurationFile=benchmarks/log4j2-spark-vs-mllib.properties \
  -cp "$classpath" io.sparkprop.benchmarks.SmallTables "$@" 2>&1 | tee benchmarks/target/small-tables.txt
