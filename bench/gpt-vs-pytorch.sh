#!/usr/bin/env bash
# Times the transformer's training iteration of nanoGPT's CPU recipe (4 layers, 4 heads, embedding 128, windows of
# 64 characters, batch 12, no biases, AdamW) in theta's CPU backend and in PyTorch (Debian's python3-torch), in one
# invocation, alternating theta and PyTorch ROUNDS times, and prints each pair's ratio of median iteration times.
#   bench/gpt-vs-pytorch.sh [ITERS] [THREADS] [ROUNDS]
# Needs python3-torch and libopenblas0-pthread (else PyTorch multiplies on the reference BLAS and the ratio flatters
# theta). Builds and installs theta first (the step timer is the standalone project bench/jmh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
iters="${1:-40}"
threads="${2:-2}"
rounds="${3:-2}"
for pkg in python3-torch libopenblas0-pthread; do
    dpkg -s "$pkg" >/dev/null 2>&1 || { echo "needs the Debian package $pkg (apt-get install -y $pkg)" >&2; exit 1; }
done
log=$(mktemp)
trap 'rm -f "$log"' EXIT
./build -q install -DskipTests >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
./build -q -f bench/jmh/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/cp.txt >"$log" 2>&1 \
    || { cat "$log" >&2; exit 1; }
. scripts/jdk.sh
cp="bench/jmh/target/classes:$(cat bench/jmh/target/cp.txt)"
text=examples/data/tinyshakespeare/input.txt
echo "# $(date -u +%FT%TZ)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
java --enable-native-access=ALL-UNNAMED -cp "$cp" dev.theta.bench.SgemmCeiling "$threads" 2>/dev/null | head -n 1
for round in $(seq "$rounds"); do
    t=$(java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$cp" dev.theta.bench.GptStepTimer \
        "$text" "$iters" "$threads" 12 2>/dev/null)
    p=$(/usr/bin/python3 bench/pytorch/gpt_iter.py --iters "$iters" --warmup 5 --threads "$threads" --no-bias --data "$text")
    echo "$t"
    echo "$p" | grep -E '^(parameters|iteration|tokens/s|peak RSS)' || true
    tm=$(echo "$t" | sed -n 's/.*median \([0-9.]*\) ms\/iter.*/\1/p')
    pm=$(echo "$p" | tail -n 1 | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["median_iter_ms"])')
    awk -v r="$round" -v a="$tm" -v b="$pm" 'BEGIN {printf "round %d: theta %.1f ms, pytorch %.1f ms, theta/pytorch %.3f\n", r, a, b, a / b}'
done
