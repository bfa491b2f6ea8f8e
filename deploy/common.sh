# Shared by cluster.sh and submit.sh (sourced, not run). Settings, all optional:
#   SPARKPROP_SPARK_HOME   Spark home (default deploy/target/spark-home, built on demand by spark-home.sh)
#   SPARKPROP_CLUSTER_DIR  logs, PID files and worker dirs (default deploy/target/cluster)
#   SPARKPROP_HOST         address every JVM binds to (default 127.0.0.1)
#   SPARKPROP_MASTER_PORT  master RPC port (default 17077)
#   SPARKPROP_CONF_DIR     Spark conf folder of every JVM (default: the Spark home's conf/); put a
#                          spark-defaults.conf there (mode 0600 when it holds a secret) for settings
#                          such as spark.authenticate, read by the master, the workers and spark-submit
#   JAVA_HOME              the JDK (default: java on PATH)
# The SPARK_HOME of the calling shell is ignored on purpose: a Spark distribution of another
# version must not mix with this one.

die() {
  echo "error: $*" >&2
  exit 1
}

DEPLOY_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SPARKPROP_HOST=${SPARKPROP_HOST:-127.0.0.1}
SPARKPROP_MASTER_PORT=${SPARKPROP_MASTER_PORT:-17077}
SPARKPROP_CLUSTER_DIR=${SPARKPROP_CLUSTER_DIR:-$DEPLOY_DIR/target/cluster}

if [ -z "${SPARKPROP_SPARK_HOME:-}" ]; then
  SPARKPROP_SPARK_HOME=$DEPLOY_DIR/target/spark-home
  "$DEPLOY_DIR/spark-home.sh" "$SPARKPROP_SPARK_HOME"
fi
[ -d "$SPARKPROP_SPARK_HOME/jars" ] && [ -f "$SPARKPROP_SPARK_HOME/conf/jvm-flags" ] \
  || die "$SPARKPROP_SPARK_HOME is not a Spark home built by deploy/spark-home.sh (no jars/ or conf/jvm-flags)"

# What the Worker needs to launch executors without Spark's bin/ scripts.
export SPARK_HOME=$SPARKPROP_SPARK_HOME
export SPARK_SCALA_VERSION=2.13
export SPARK_LOCAL_IP=$SPARKPROP_HOST
export SPARK_CONF_DIR=${SPARKPROP_CONF_DIR:-$SPARK_HOME/conf}

# The flags every Spark JVM needs on JDK 17+ (the parent pom's spark.jvm.flags).
read -r -a JVM_FLAGS < "$SPARK_HOME/conf/jvm-flags"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
SPARK_CLASSPATH="$SPARK_CONF_DIR:$SPARK_HOME/jars/*"
MASTER_URL="spark://$SPARKPROP_HOST:$SPARKPROP_MASTER_PORT"
