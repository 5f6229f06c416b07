#!/usr/bin/env bash
# Times Fashion-MNIST training epochs of theta (CPU backend) and PyTorch on this machine, in one invocation,
# and prints the ratio of the median epoch times. Needs: dataset-fashion-mnist and python3-torch (Debian).
#   bench/fashion-vs-pytorch.sh [EPOCHS]
# Cases: softmax regression (examples/fashion-mnist.yaml, SGD lr 0.1, batch 128).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
epochs="${1:-5}"
for pkg in dataset-fashion-mnist python3-torch; do
    dpkg -s "$pkg" >/dev/null 2>&1 || { echo "needs the Debian package $pkg (apt-get install -y $pkg)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

theta_case() { # config -> median train-epoch seconds and final test accuracy
    ./theta train "$1" --set train.epochs="$epochs" --out "$work/$(basename "$1" .yaml)" >/dev/null 2>"$work/log" \
        || { cat "$work/log" >&2; exit 1; }
    local m="$work/$(basename "$1" .yaml)/metrics.jsonl"
    local sec acc
    sec=$(grep '"split":"train"' "$m" | sed 's/.*"seconds":\([0-9.eE-]*\).*/\1/' | median)
    acc=$(grep '"split":"test"' "$m" | tail -n 1 | sed 's/.*"accuracy":\([0-9.eE-]*\).*/\1/')
    echo "$sec $acc"
}

torch_case() { # model -> median epoch seconds and final test accuracy
    /usr/bin/python3 bench/pytorch/fashion_epoch.py "$1" "$epochs" --threads 2 | tail -n 1 \
        | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["median_epoch_s"], d["test_accuracy"])'
}

printf '%-28s %12s %10s %12s %10s %8s\n' case theta_s theta_acc torch_s torch_acc ratio
report() { # name theta_result torch_result
    read -r ts ta <<<"$2"
    read -r ps pa <<<"$3"
    printf '%-28s %12.3f %10.4f %12.3f %10.4f %8.3f\n' "$1" "$ts" "$ta" "$ps" "$pa" "$(awk -v a="$ts" -v b="$ps" 'BEGIN {print a / b}')"
}
report "softmax (sgd 0.1, b128)" "$(theta_case examples/fashion-mnist.yaml)" "$(torch_case softmax)"
