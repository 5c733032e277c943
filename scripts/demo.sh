#!/bin/sh
# The main job on shipped examples (make demo): inspect, verify and bound networks from properties/, then compress
# ACAS Xu 1_1, compare it with the original, gate it against a policy, and sweep compression levels.
set -u
NNCERT=${1:-.build/release/nncert}
P=properties
run() { echo "\$ nncert $*"; "$NNCERT" "$@"; code=$?; [ "$code" -eq 0 ] || echo "(exit code $code)"; echo; }

run info $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx
run info $P/acasxu/prop_6.vnnlib
run verify $P/tiny/tiny.onnx $P/tiny/tiny_sat.vnnlib --timeout 20
run verify $P/tiny/tiny.onnx $P/tiny/tiny_unsat.vnnlib --timeout 20
run verify $P/test/test_sat.onnx $P/test/test_prop.vnnlib --timeout 30
run verify $P/test/test_unsat.onnx $P/test/test_prop.vnnlib --timeout 30
run verify $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx $P/acasxu/prop_1.vnnlib --timeout 60
run verify $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx $P/acasxu/prop_3.vnnlib --timeout 60
run verify $P/acasxu/ACASXU_run2a_1_2_batch_2000.onnx $P/acasxu/prop_2.vnnlib --timeout 60
run verify $P/mnistfc/mnist-net_256x2.onnx $P/mnistfc/prop_2_0.03.vnnlib --timeout 60
run bounds $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx $P/acasxu/prop_1.vnnlib
run lipschitz $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx --method lipsdp-neuron
run lipschitz $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx --method lipsdp-neuron --property $P/acasxu/prop_3.vnnlib

# Compression: prune half of each layer's weights and quantise to 8 bits, then compare the compressed network with
# the original on two properties the original satisfies (properties/regression.csv): prop_1 is preserved, prop_3
# is lost, with a counterexample confirmed on the compressed model; beside them the certified bound on
# |compressed − original| over each box, whether the advisory (the lowest score) is the same on the whole box,
# and both certified Lipschitz bounds.
OUT=${TMPDIR:-/tmp}/nncert-demo
mkdir -p "$OUT"
run compress $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx --out "$OUT/acasxu_1_1_pruned_q8.onnx" --prune 0.5 --quantize 8
run compare $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx "$OUT/acasxu_1_1_pruned_q8.onnx" \
    --property $P/acasxu/prop_1.vnnlib --property $P/acasxu/prop_3.vnnlib --decision argmin --report "$OUT/compare.md"

# The gate CI runs on every compression change (docs/ci.md): examples/gate/policy.yaml (property 1 stays proven,
# max |compressed − original| ≤ 0.5 over property 4's box, Lipschitz bound grown by at most 5%) passes, exit 0;
# policy-lost.yaml also demands property 3, which this compression loses: exit 1, with the counterexample.
run gate $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx "$OUT/acasxu_1_1_pruned_q8.onnx" --policy examples/gate/policy.yaml \
    --junit "$OUT/gate.xml" --json "$OUT/gate.json"
run gate $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx "$OUT/acasxu_1_1_pruned_q8.onnx" --policy examples/gate/policy-lost.yaml

# A sweep of quantisation levels: what each level keeps, with the HTML report's plots (exit 1: some level loses
# property 3).
run sweep $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx --quantize 8,6,4,3 --decision argmin \
    --property $P/acasxu/prop_1.vnnlib --property $P/acasxu/prop_3.vnnlib --lipschitz-method compositional \
    --html "$OUT/sweep.html"
echo "reports: $OUT (compare.md, gate.xml, gate.json, sweep.html)"
