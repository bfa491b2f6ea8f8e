#!/usr/bin/env bash
# Builds the JMH benchmarks if needed, runs them with short settings and prints GFLOP/s tables.
#   benchmarks/run.sh                       all benchmarks, short settings (about 4 minutes)
#   benchmarks/run.sh GemmBenchmark         only the GEMMs (any JMH options/regexps are passed on)
#   BENCH_SETTINGS="-f 1 -wi 5 -i 10" benchmarks/run.sh   longer, steadier runs
# The full log goes to benchmarks/target/benchmark-report.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=benchmarks/target/benchmarks.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml benchmarks/pom.xml benchmarks/src trainer-core/pom.xml \
    trainer-core/src/main -newer "$jar" -type f 2>/dev/null | head -1)" ]; then
  echo "building $jar"
  mvn -q -B -pl benchmarks -am package -DskipTests
fi

# One BLAS thread per JVM, as in Spark tasks: parallelism comes from partitions, not from BLAS.
export OPENBLAS_NUM_THREADS=1
settings=${BENCH_SETTINGS:-"-f 1 -wi 3 -i 5 -w 1s -r 1s"}
# shellcheck disable=SC2086
java --add-modules=jdk.incubator.vector -cp "$jar" io.sparkprop.benchmarks.BenchmarkReport $settings "$@" \
  2>&1 | tee benchmarks/target/benchmark-report.txt
