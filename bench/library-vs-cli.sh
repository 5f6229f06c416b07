#!/usr/bin/env bash
# The library path (Experiment.train in a program of its own, no command line) against `theta train` on the same
# config, alternating in one invocation; prints each run's median epoch time and the ratio library / CLI.
#   bench/library-vs-cli.sh [CONFIG] [PAIRS]     (default examples/fashion-mnist.yaml, 3 pairs; needs ./build install)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/jdk.sh
config="${1:-examples/fashion-mnist.yaml}"
pairs="${2:-3}"
./mvnw -q -B -f examples/java-api/pom.xml package
# The launcher's JVM flags, so both sides run the same kernels (the vector API) with the same collector.
flags=(-XX:+UseParallelGC -XX:MaxNewSize=128m -Xss4m --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector)
out="$(mktemp -d)"
# Epoch 1 holds the JIT's warm-up: the medians are over the later epochs.
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
cli_all=(); lib_all=()
for i in $(seq "$pairs"); do
    ./theta train "$config" --out "$out/cli" --overwrite >/dev/null 2>&1
    cli=$(python3 -c 'import json,sys; [print(l["seconds"]) for l in map(json.loads, open(sys.argv[1])) if l["split"] == "train" and l["epoch"] > 1]' \
        "$out/cli/metrics.jsonl" | median)
    lib=$(cd examples/java-api && java "${flags[@]}" -cp 'target/classes:target/lib/*' example.TrainFromConfig "../../$config" 2>/dev/null \
        | awk '/train seconds/ && $2 > 1 {print $5}' | median)
    echo "pair $i: theta train median epoch ${cli}s, library ${lib}s, ratio $(python3 -c "print(round($lib / $cli, 3))")"
    cli_all+=("$cli"); lib_all+=("$lib")
done
c=$(printf '%s\n' "${cli_all[@]}" | median); l=$(printf '%s\n' "${lib_all[@]}" | median)
echo "median over pairs: theta train ${c}s, library ${l}s, library / theta train = $(python3 -c "print(round($l / $c, 3))")"
rm -rf "$out"
