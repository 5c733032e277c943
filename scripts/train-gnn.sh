#!/bin/sh
# Retrains the GNN branching model in one command, from training properties the repository regenerates
# (docs/architecture.md, "The bundled model and how to retrain it"): generated properties on cifar_base_kw
# (other ε and target classes around oval21's base images) and on MNIST-FC 256x2 (other radii around the
# VNN-COMP centres) — never an evaluation instance or network. Strong branching labels the nodes; `train` fits
# the model and records this recipe in it.
#
# Usage: scripts/train-gnn.sh [OUT.json]
#   OUT.json      the model file (default: $WORK/gnn-model.json); Sources/Branching/Resources/gnn-default.json
#                 replaces the bundled model
# Environment:
#   NNCERT        the binary (default .build/release/nncert: `swift build -c release` first)
#   BENCHMARKS    the VNN-COMP sets (default ../shared/benchmarks)
#   WORK          scratch directory for properties and data files (default: a new temporary one)
#   PYTHON        a Python 3 with numpy and onnxruntime (default python3)
#   CIFAR_NODES, MNIST_NODES, EPOCHS
#                 node budgets per collection and training epochs (default 668, 400 per MNIST part, 3: the
#                 bundled model's; small values give a quick smoke run)
# Runs from the repository's root. Time on a 2-core machine with the defaults: about 5 minutes of cifar
# collection, a few minutes of MNIST collection, 6–7 minutes of training.
set -eu
absolute() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
# Paths given by the caller are relative to the caller's folder; the defaults, to the repository's root.
out=${1:+$(absolute "$1")}
work=$(absolute "${WORK:-$(mktemp -d)}")
nncert=${NNCERT:+$(absolute "$NNCERT")}
bench=${BENCHMARKS:+$(absolute "$BENCHMARKS")}
cd "$(dirname "$0")/.."
nncert=${nncert:-$PWD/.build/release/nncert}
bench=${bench:-$PWD/../shared/benchmarks}
out=${out:-$work/gnn-model.json}
cifar_nodes=${CIFAR_NODES:-668}
mnist_nodes=${MNIST_NODES:-400}
epochs=${EPOCHS:-3}
mkdir -p "$work"

# make_properties.py needs numpy and onnxruntime (it skips images the network misclassifies).
"${PYTHON:-python3}" benchmarks/branching/make_properties.py --benchmarks "$bench" --out "$work/properties"
MNISTFC="$bench/mnistfc" scripts/gnn-training-properties.sh "$work/mnist-a" 0.02 0.025
MNISTFC="$bench/mnistfc" scripts/gnn-training-properties.sh "$work/mnist-b" 0.028 0.033 0.038

"$nncert" branching collect "$bench/oval21/cifar_base_kw.onnx" \
    "$work"/properties/train/cifar_base_kw-*.vnnlib \
    --out "$work/cifar.jsonl" --candidates 16 --timeout 15 --nodes "$cifar_nodes"
"$nncert" branching collect "$bench/mnistfc/mnist-net_256x2.onnx" "$work"/mnist-a/*.vnnlib \
    --out "$work/mnist-a.jsonl" --candidates 12 --timeout 20 --workers 1 --nodes "$mnist_nodes"
"$nncert" branching collect "$bench/mnistfc/mnist-net_256x2.onnx" "$work"/mnist-b/*.vnnlib \
    --out "$work/mnist-b.jsonl" --candidates 12 --timeout 15 --workers 1 --nodes "$mnist_nodes"

"$nncert" branching train "$work/cifar.jsonl" "$work/mnist-a.jsonl" "$work/mnist-b.jsonl" \
    --out "$out" --epochs "$epochs" --seed 1
echo "model: $out"
