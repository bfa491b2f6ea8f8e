# Sourced by the benchmark scripts, not run on its own:
#   . benchmarks/spark-java.sh; spark_benchmark MAIN HEAP REPORT [ARGS...]
# compiles the benchmarks module and what it needs (offline, no tests), then runs
# io.sparkprop.benchmarks.MAIN with ARGS on Spark's classpath, the project's Spark JVM flags
# (spark.jvm.flags of pom.xml), -XmxHEAP and one BLAS thread (as in a Spark task; MLlib's native
# BLAS is the same OpenBLAS), its output also going to benchmarks/target/REPORT.txt. The status is
# the Java program's (the callers set -o pipefail). Run from the project root.
spark_benchmark() {
  local main=$1 heap=$2 report=$3
  shift 3
  echo "building (compile, no tests)"
  mvn -o -q -B -pl benchmarks -am compile dependency:build-classpath \
    -Dmdep.outputFile=target/benchmarks.classpath -Dmdep.includeScope=compile
  # compile scope includes provided (Spark); slf4j-simple is left out so that Spark's log4j2 binding logs.
  local classpath flags
  classpath="benchmarks/target/classes:spark-driver/target/classes:trainer-core/target/classes:$(tr ':' '\n' \
    < benchmarks/target/benchmarks.classpath | grep -v -e slf4j-simple -e '/io/sparkprop/' | paste -sd:)"
  flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml)
  # shellcheck disable=SC2086
  OPENBLAS_NUM_THREADS=1 java $flags -Xmx"$heap" -Dlog4j2.configurationFile=benchmarks/log4j2-spark-vs-mllib.properties \
    -cp "$classpath" "io.sparkprop.benchmarks.$main" "$@" 2>&1 | tee "benchmarks/target/$report.txt"
}
