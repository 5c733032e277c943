#!/bin/sh
# The main job on shipped examples (make demo): inspect, verify and bound networks from properties/.
set -u
NNCERT=${1:-.build/release/nncert}
P=properties
run() { echo "\$ nncert $*"; "$NNCERT" "$@"; echo; }

run info $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx
run info $P/acasxu/prop_6.vnnlib
run verify $P/tiny/tiny.onnx $P/tiny/tiny_sat.vnnlib --timeout 20
run verify $P/tiny/tiny.onnx $P/tiny/tiny_unsat.vnnlib --timeout 20
run verify $P/test/test_sat.onnx $P/test/test_prop.vnnlib --timeout 30
run verify $P/test/test_unsat.onnx $P/test/test_prop.vnnlib --timeout 30
run verify $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx $P/acasxu/prop_3.vnnlib --timeout 60
run verify $P/acasxu/ACASXU_run2a_1_2_batch_2000.onnx $P/acasxu/prop_2.vnnlib --timeout 60
run verify $P/mnistfc/mnist-net_256x2.onnx $P/mnistfc/prop_2_0.03.vnnlib --timeout 60
run bounds $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx $P/acasxu/prop_1.vnnlib
run lipschitz $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx --method lipsdp-neuron
run lipschitz $P/acasxu/ACASXU_run2a_1_1_batch_2000.onnx --method lipsdp-neuron --property $P/acasxu/prop_3.vnnlib
