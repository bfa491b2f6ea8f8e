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

cp=benchmarks/target/spam-transformer.classpath
echo "building (compile, no tests)"
mvn -o -q -B -pl benchmarks -am compile dependency:build-classpath \
  -Dmdep.outputFile=target/spam-transformer.classpath -Dmdep.includeScope=compile
classpath="benchmarks/target/classes:spark-driver/target/classes:trainer-core/target/classes:$(tr ':' '\n' < "$cp" \
  | grep -v -e slf4j-simple -e '/io/sparkprop/' | paste -sd:)"
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml)

export OPENBLAS_NUM_THREADS=1
# shellcheck disable=SC2086
java $flags -Xmx${SPAM_HEAP:-6g} -Dlog4j2.configurationFile=benchmarks/log4j2-spark-vs-mllib.properties \
  -cp "$classpath" io.sparkprop.benchmarks.SpamTransformer "$@" 2>&1 | tee benchmarks/target/spam-transformer.txt
exit "${PIPESTATUS[0]}"
