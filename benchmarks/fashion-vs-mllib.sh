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

cp=benchmarks/target/fashion-vs-mllib.classpath
echo "building (mvn package, no tests)"
mvn -q -B -pl benchmarks -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/fashion-vs-mllib.classpath -Dmdep.includeScope=compile
# compile scope includes provided (Spark); slf4j-simple is left out so that Spark's log4j2 binding logs.
classpath="benchmarks/target/classes:spark-driver/target/classes:trainer-core/target/classes:$(tr ':' '\n' < "$cp" \
  | grep -v -e slf4j-simple -e '/io/sparkprop/' | paste -sd:)"
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml)

# one BLAS thread per Spark task, for both trainers (MLlib's native BLAS is the same OpenBLAS)
export OPENBLAS_NUM_THREADS=1
# shellcheck disable=SC2086
java $flags -Xmx5g -Dlog4j2.configurationFile=benchmarks/log4j2-spark-vs-mllib.properties \
  -cp "$classpath" io.sparkprop.benchmarks.FashionVsMllib "$@" 2>&1 | tee benchmarks/target/fashion-vs-mllib.txt
exit "${PIPESTATUS[0]}"
