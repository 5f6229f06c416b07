#!/usr/bin/env bash
# Fashion-MNIST epoch benchmarks: theta's CPU backend, theta's onnxruntime backend (where ./theta has it) and
# PyTorch 1.13 (Debian python3-torch), all in one invocation, plus a measured sgemm ceiling.
#   bench/epochs.sh [EPOCHS] [CASE...]        CASE: MODEL/BATCH, e.g. softmax/128 mlp/128 mlp512/1024
# Models: softmax (784-10, SGD 0.1), mlp-sgd (784-256-10 ReLU, SGD 0.1), mlp (784-256-10 ReLU, Adam 1e-3),
# mlp512 (784-512-512-10 ReLU, Adam 1e-3), cnn (examples/fashion-mnist-cnn.yaml's network, Adam 1e-3), lenet
# (examples/fashion-mnist-lenet.yaml's, Adam 1e-3). Default: the dense models at batch 32, 128 and 1024 and the
# convolutional ones at 64, 3 epochs. For cnn and lenet GFLOP/s counts the convolutions' multiply-adds too (as
# direct convolutions, im2col's products: forward, weight gradients, input gradients past the first layer; where
# theta's CPU backend runs a 3x3 convolution by Winograd, which multiplies 2.25x less, the figure is the rate
# equivalent to the direct one).
# Per case and framework: median train-epoch seconds, examples/s, GFLOP/s of the matrix products actually executed
# (forward, weight gradients, input gradients past the first layer), time relative to PyTorch, fraction of the
# sgemm ceiling, peak RSS of the whole process, last test accuracy. See docs/benchmarks.md.
# Environment: THETA, the theta command (default ./theta; e.g. a launcher for a runner built with `package`, where
# ./theta would install); BACKENDS, theta's backends to time (default "cpu onnxruntime"); ROUNDS, how many times to
# run every framework, alternating (default 1): each epoch time is then the median over the rounds of each run's
# median epoch, peak RSS the largest, and a line per round shows the pairs (the host's load moves by minutes).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
epochs="${1:-3}"
shift || true
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
    for m in softmax mlp-sgd mlp mlp512; do for b in 32 128 1024; do cases+=("$m/$b"); done; done
    cases+=(cnn/64 lenet/64)
fi
for pkg in dataset-fashion-mnist python3-torch libopenblas0-pthread; do
    dpkg -s "$pkg" >/dev/null 2>&1 || { echo "needs the Debian package $pkg (apt-get install -y $pkg)" >&2; exit 1; }
done
# Debian's PyTorch multiplies through whatever libblas.so.3 points at; with the reference BLAS (libblas3, what apt
# picks without recommends) its MLP epoch is ~6x slower, which would flatter every ratio below.
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)
case "$blas" in
    *openblas*) ;;
    *) echo "PyTorch would use $blas, not OpenBLAS: update-alternatives --set libblas.so.3-x86_64-linux-gnu" \
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3" >&2; exit 1 ;;
esac
theta="${THETA:-./theta}"
backends="${BACKENDS:-cpu onnxruntime}"
rounds="${ROUNDS:-1}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

$theta --version >/dev/null 2>&1 || { echo "theta does not build" >&2; exit 1; }
./build -q -f bench/jmh/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/cp.txt >"$work/jmh.log" 2>&1 \
    || { cat "$work/jmh.log" >&2; exit 1; }
. scripts/jdk.sh
bench_cp="bench/jmh/target/classes:$(cat bench/jmh/target/cp.txt)"
ceiling=$(java --enable-native-access=ALL-UNNAMED -cp "$bench_cp" dev.theta.bench.SgemmCeiling 2 2>/dev/null | tail -n 1)
echo "# $(date -u +%FT%TZ)  load: $(cut -d' ' -f1-3 /proc/loadavg)  sgemm ceiling: $ceiling GFLOP/s  epochs: $epochs  rounds: $rounds"

flops_per_example() { # executed matrix-product FLOPs per example and step
    case "$1" in
        softmax) echo $((2 * 2 * 784 * 10)) ;;
        mlp|mlp-sgd) echo $((2 * 2 * 784 * 256 + 2 * 3 * 256 * 10)) ;;
        mlp512) echo $((2 * 2 * 784 * 512 + 2 * 3 * 512 * 512 + 2 * 3 * 512 * 10)) ;;
        # Multiply-adds per layer: conv = output pixels x out channels x kernel area x in channels.
        cnn) echo $((2 * 2 * 28 * 28 * 32 * 9 + 2 * 3 * 14 * 14 * 64 * 9 * 32 + 2 * 3 * 3136 * 128 + 2 * 3 * 128 * 10)) ;;
        lenet) echo $((2 * 2 * 28 * 28 * 6 * 25 + 2 * 3 * 10 * 10 * 16 * 25 * 6 + 2 * 3 * 400 * 120 + 2 * 3 * 120 * 84
                       + 2 * 3 * 84 * 10)) ;;
    esac
}

config() { # model batch backend -> config file
    local f="$work/$1-$2-$3.yaml" hyp opt
    case "$1" in
        softmax) hyp='{name: linear}'; opt='{name: sgd, lr: 0.1}' ;;
        mlp-sgd) hyp='{name: mlp, hidden: [256], activation: relu}'; opt='{name: sgd, lr: 0.1}' ;;
        mlp) hyp='{name: mlp, hidden: [256], activation: relu}'; opt='{name: adam, lr: 0.001}' ;;
        mlp512) hyp='{name: mlp, hidden: [512, 512], activation: relu}'; opt='{name: adam, lr: 0.001}' ;;
        cnn) hyp='{name: cnn, image: [1, 28, 28], layers: [{conv: 32, kernel: 3, pad: 1}, relu, {maxpool: 2},
              {conv: 64, kernel: 3, pad: 1}, relu, {maxpool: 2}, flatten, {dense: 128}, relu]}'
             opt='{name: adam, lr: 0.001}' ;;
        lenet) hyp='{name: cnn, image: [1, 28, 28], layers: [{conv: 6, kernel: 5, pad: 2}, relu, {avgpool: 2},
                {conv: 16, kernel: 5}, relu, {avgpool: 2}, flatten, {dense: 120}, relu, {dense: 84}, relu]}'
               opt='{name: adam, lr: 0.001}' ;;
    esac
    cat >"$f" <<YAML
name: bench-$1-$2
seed: 0
data:
  train: {name: idx, images: /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz,
          labels: /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz}
  test:  {name: idx, images: /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz,
          labels: /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz}
hypothesis: $hyp
loss: {name: cross-entropy}
optimizer: $opt
train: {epochs: $epochs, batch-size: $2}
backend: {name: $3}
YAML
    echo "$f"
}

theta_case() { # model batch backend -> "median_s accuracy rss_kb" or "n/a"
    local cfg out
    cfg=$(config "$1" "$2" "$3")
    out="$work/run-$1-$2-$3"
    if ! /usr/bin/time -f %M -o "$work/rss" $theta train "$cfg" --out "$out" --overwrite --set export=none \
            >"$work/log" 2>&1; then
        [ "$3" = cpu ] && { cat "$work/log" >&2; exit 1; }
        echo n/a
        return
    fi
    /usr/bin/python3 - "$out/metrics.jsonl" "$(tail -n 1 "$work/rss")" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
train = [r["seconds"] for r in rows if r["split"] == "train"]
test = [r for r in rows if r["split"] == "test"]
print(statistics.median(train), test[-1]["accuracy"], sys.argv[2])
PY
}

torch_case() { # model batch -> "median_s accuracy rss_kb"
    /usr/bin/time -f %M -o "$work/rss" /usr/bin/python3 bench/pytorch/fashion_epoch.py "$1" "$epochs" --batch "$2" \
        --threads 2 >"$work/torch" 2>&1 || { cat "$work/torch" >&2; exit 1; }
    tail -n 1 "$work/torch" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["median_epoch_s"], d["test_accuracy"], sys.argv[1])' \
        "$(tail -n 1 "$work/rss")"
}

printf '%-14s %-17s %9s %10s %8s %9s %9s %8s %8s\n' case backend epoch_s examples/s GFLOP/s vs_torch ceiling rss_MB test_acc
median() { /usr/bin/python3 -c 'import statistics, sys; print(statistics.median(float(a) for a in sys.argv[1:]))' "$@"; }

for c in "${cases[@]}"; do
    model="${c%/*}"
    batch="${c#*/}"
    fpe=$(flops_per_example "$model")
    declare -A seconds=() accuracy=() peak=()
    for ((round = 1; round <= rounds; round++)); do
        # PyTorch first, then each backend, in every round: a slow minute of the host lands on one pair, not on
        # one framework's every epoch.
        line="# $c round $round:"
        for backend in torch $backends; do
            if [ "$backend" = torch ]; then r=$(torch_case "$model" "$batch"); else r=$(theta_case "$model" "$batch" "$backend"); fi
            [ "$r" = n/a ] && { seconds[$backend]=n/a; continue; }
            read -r s acc rss <<<"$r"
            seconds[$backend]="${seconds[$backend]:-} $s"
            accuracy[$backend]=$acc
            peak[$backend]=$(( rss > ${peak[$backend]:-0} ? rss : ${peak[$backend]:-0} ))
            line="$line $backend $s s"
        done
        if [ "$rounds" -gt 1 ]; then echo "$line"; fi
    done
    torch_s=$(median ${seconds[torch]})
    for backend in $backends torch; do
        label=$([ "$backend" = torch ] && echo pytorch || echo "theta-$backend")
        case "${seconds[$backend]}" in *n/a*) printf '%-14s %-17s %9s\n' "$c" "$label" n/a; continue ;; esac
        s=$(median ${seconds[$backend]})
        awk -v c="$c" -v b="$label" -v s="$s" -v t="$torch_s" -v f="$fpe" -v ceil="$ceiling" -v rss="${peak[$backend]}" \
            -v acc="${accuracy[$backend]}" \
            'BEGIN { g = 60000 * f / s / 1e9;
                     printf "%-14s %-17s %9.3f %10.0f %8.1f %9.3f %8.1f%% %8.0f %8.4f\n", c, b, s, 60000 / s, g, s / t, 100 * g / ceil, rss / 1024, acc }'
    done
    unset seconds accuracy peak
done
echo "# load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
