#!/usr/bin/env bash
# Builds a Spark home from Maven artifacts (no Spark download) into DIR
# (default: deploy/target/spark-home):
#   DIR/jars/                  spark-core, spark-sql, spark-mllib 2.13 and their runtime jars (~320 MB)
#   DIR/conf/log4j2.properties logging of every Spark JVM started from this home
#   DIR/conf/jvm-flags         the JVM flags every Spark JVM needs (the parent pom's spark.jvm.flags)
# Idempotent: does nothing when DIR was built from the same poms and conf files; rebuilds jars/
# when they changed. Refuses to touch a non-empty DIR it did not build.
# Usage: deploy/spark-home.sh [DIR]
set -euo pipefail

DEPLOY_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(dirname "$DEPLOY_DIR")
DIR=${1:-$DEPLOY_DIR/target/spark-home}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
STAMP="$DIR/.sparkprop-spark-home"

# The inputs that decide the content: both poms and the conf templates.
inputs_hash() {
  cat "$ROOT_DIR/pom.xml" "$DEPLOY_DIR/spark-home/pom.xml" "$DEPLOY_DIR"/spark-home/conf/* | sha256sum | cut -d' ' -f1
}
WANT=$(inputs_hash)

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && [ -d "$DIR/jars" ] && [ -f "$DIR/conf/jvm-flags" ]; then
  echo "Spark home $DIR is up to date" >&2
  exit 0
fi
if [ ! -f "$STAMP" ] && [ -n "$(ls -A "$DIR")" ]; then
  echo "error: $DIR is not empty and was not built by $0; give an empty or new folder" >&2
  exit 1
fi

echo "Building Spark home $DIR from Maven artifacts" >&2
echo building > "$STAMP"   # marks DIR as ours, so that a rerun after a failed build may rebuild it
# jars/ is ours alone; in conf/ only our two files are replaced (a spark-defaults.conf stays).
rm -rf "$DIR/jars"
rm -f "$DIR/conf/jvm-flags" "$DIR/conf/log4j2.properties"
mvn -q -B -f "$DEPLOY_DIR/spark-home/pom.xml" package -Dspark.home.dir="$DIR" >&2
printf '%s\n' "$WANT" > "$STAMP.tmp"
mv "$STAMP.tmp" "$STAMP"
echo "Spark home $DIR ready: $(ls "$DIR/jars" | wc -l) jars" >&2
