#!/bin/bash
# Runs the sharded suite on the current kubectl context: the Indexed Job, then the merge, then prints the summary.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TIMEOUT=${TIMEOUT:-4h}

kubectl apply -f "$HERE/suite-indexed-job.yaml"
kubectl wait --for=condition=complete --timeout="$TIMEOUT" job/nncert-suite
kubectl apply -f "$HERE/suite-merge-job.yaml"
kubectl wait --for=condition=complete --timeout=10m job/nncert-suite-merge || true
kubectl logs job/nncert-suite-merge
# The merge's exit code is the run's: 0 passed, 1 failed, 3 undecided, 2 a shard missing.
code=$(kubectl get pod -l job-name=nncert-suite-merge \
    -o jsonpath='{.items[0].status.containerStatuses[0].state.terminated.exitCode}')
exit "${code:-1}"
