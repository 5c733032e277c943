#!/bin/bash
# Queues a sharded `nncert suite` on Slurm: N array tasks, then the merge once they have all ended.
# Usage: deploy/slurm/submit.sh INSTANCES.csv [N]   (run from the folder the reports/ folder should go in;
#        NNCERT=/path/to/nncert, SUITE_OPTIONS="--expected expected.csv --undecided fail" are passed through)
set -euo pipefail

INSTANCES=${1:?usage: submit.sh INSTANCES.csv [N]}
SHARDS=${2:-4}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p reports  # Slurm opens the --output files before the script runs
export INSTANCES SHARDS

array=$(sbatch --parsable --array="1-$SHARDS" --export=ALL "$HERE/suite-shard.sbatch")
merge=$(sbatch --parsable --dependency="afterany:${array%%;*}" --export=ALL "$HERE/suite-merge.sbatch")
echo "array job $array ($SHARDS shards), merge job $merge; reports in $(pwd)/reports"
