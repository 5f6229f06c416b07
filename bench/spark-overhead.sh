#!/usr/bin/env bash
# The cost model of training on Spark, measured in one invocation: local[2] against the local trainer on
# Fashion-MNIST softmax regression (epoch time, per-step overhead = Spark step - compute, sync SGD and parameter
# averaging with K = 4), then MLPs 784-H-10 of growing width H, to find where Spark's per-step overhead falls below
# 10 % of a step. Prints medians and ratios; see docs/distributed.md and docs/benchmarks.md.
#   bench/spark-overhead.sh [MLP-STEPS [H...]]     default: 40 steps, H = 64 256 1024 4096
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dpkg -s dataset-fashion-mnist >/dev/null 2>&1 || { echo "needs the Debian package dataset-fashion-mnist" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Test classes and the test classpath (Spark is provided scope: on the test classpath, not in theta's jars).
./build -o -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt \
    -pl distributed/spark -am >"$log" 2>&1 || { tail -40 "$log" >&2; exit 1; }
. scripts/jdk.sh
m=distributed/spark
# The --add-opens flags Spark needs on Java 17+, as the module's pom keeps them for its tests.
flags=$(awk '/<spark.jvm.flags>/,/<\/spark.jvm.flags>/' $m/pom.xml | sed -e 's:</*spark.jvm.flags>::g' | tr '\n' ' ')
SPARK_LOCAL_IP=127.0.0.1 java --add-modules jdk.incubator.vector $flags -Dlog4j2.configurationFile=$m/src/test/resources/log4j2-test.properties \
    -cp "$m/target/test-classes:$m/target/classes:$(cat $m/target/cp.txt)" dev.theta.spark.SparkOverheadBench "$@" 2>&1 \
    | grep -v -e '^WARNING' -e 'NativeCodeLoader'
