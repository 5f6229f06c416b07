#!/usr/bin/env bash
# Mutation fuzz of the CSV, IDX and YAML readers (bench/fuzz/ReaderFuzz.java): bench/fuzz/fuzz-readers.sh [MINUTES] [SEED]
# Needs the runner built (./build -q package -DskipTests -pl runner -am). Counts and failures go to bench/fuzz/out/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. scripts/jdk.sh
java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx2g -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 \
    -cp "runner/target/theta-runner.jar:runner/target/lib/*" bench/fuzz/ReaderFuzz.java "${1:-10}" "${2:-1}" bench/fuzz/out 2>&1 \
    | grep --line-buffered -E '^(case |[0-9]+ cases)'
