#!/usr/bin/env bash
# Submits an application jar to the cluster of cluster.sh (or any master) through
# org.apache.spark.deploy.SparkSubmit, with the driver in this JVM (client mode).
#
# Usage: deploy/submit.sh APP_JAR MAIN_CLASS [APP_ARGS...]
#   e.g. deploy/submit.sh deploy/target/sparkprop-app.jar io.sparkprop.cli.Main train
#
# Settings (environment, all optional; see also common.sh):
#   SPARKPROP_MASTER         master URL (default spark://$SPARKPROP_HOST:$SPARKPROP_MASTER_PORT;
#                            local[4] runs everything in this JVM)
#   SPARKPROP_DRIVER_MEMORY  driver heap (default 2g)
#   SPARKPROP_SUBMIT_ARGS    more spark-submit options, split on blanks, e.g.
#                            "--executor-memory 1g --total-executor-cores 2 --conf spark.x=y"
# Executors get OPENBLAS_NUM_THREADS=1 (one BLAS thread per task slot) and the same JVM flags as
# the driver (as spark.executor.defaultJavaOptions, so spark.executor.extraJavaOptions stays free).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ $# -ge 2 ] || die "usage: $0 APP_JAR MAIN_CLASS [APP_ARGS...]"
APP_JAR=$1
MAIN_CLASS=$2
shift 2
[ -f "$APP_JAR" ] || die "application jar $APP_JAR not found (build it: mvn -B -DskipTests package)"

MASTER=${SPARKPROP_MASTER:-$MASTER_URL}
read -r -a EXTRA_ARGS <<< "${SPARKPROP_SUBMIT_ARGS:-}"
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}

exec "$JAVA" "${JVM_FLAGS[@]}" "-Xmx${SPARKPROP_DRIVER_MEMORY:-2g}" -cp "$SPARK_CLASSPATH" \
  org.apache.spark.deploy.SparkSubmit \
  --master "$MASTER" --deploy-mode client \
  --conf spark.executorEnv.OPENBLAS_NUM_THREADS=1 \
  --conf "spark.executor.defaultJavaOptions=${JVM_FLAGS[*]}" \
  ${EXTRA_ARGS[@]+"${EXTRA_ARGS[@]}"} \
  --class "$MAIN_CLASS" "$APP_JAR" "$@"
