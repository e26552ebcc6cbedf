#!/bin/sh
# Issue 21's tier matrix in one command: the five tiered scenarios (MNIST and Fashion-MNIST, 4 clients, tiers
# (1, 0.5, 0.25) and (1, 0.25); the CNN with filter tiers (1, 0.5)) × neuron interpolation, HeteroFL, FedRolex and the
# two FedAvg width references × seeds, 10 rounds, at 1 and 5 local epochs. Each epoch setting is one resumable
# `fedfuse experiment` directory (<out>-e1, <out>-e5) with experiment.json, report.html, summary.md (the tables and the
# targets) and summary.csv. Needs `npm run build` first.
#   bench/tier-matrix.sh [out prefix, default bench/results/tiers] [parallel cells, default 2] [seeds, default 1,2,3] [epochs, default "1 5"] [scenarios]
# Each cell trains its clients in one process (--workers 1), as the aggregation share of a round is defined on.
set -e
OUT=${1:-bench/results/tiers}
CELLS=${2:-2}
SEEDS=${3:-1,2,3}
EPOCHS=${4:-1 5}
STRATEGIES='neuron-interpolation,heterofl,fedrolex,fedavg-small=fedavg:width=smallest,fedavg-full=fedavg:width=1'
SCENARIOS=${5:-bench/matrix/mnist-odir-4-tiers-3.yaml bench/matrix/mnist-odir-4-tiers-2.yaml bench/matrix/fashion-odir-4-tiers-3.yaml bench/matrix/fashion-odir-4-tiers-2.yaml bench/matrix/fashion-cnn-4-tiers-2.yaml}
for E in $EPOCHS; do
  node bin/fedfuse.js experiment $SCENARIOS --strategies "$STRATEGIES" --seeds "$SEEDS" --rounds 10 --local-epochs "$E" \
    --cells "$CELLS" --workers 1 --cell-timeout 7200 --out "$OUT-e$E" --title "issue 21 tiers, $E local epoch(s)" --no-png
  node --import tsx bench/tier-summary.ts --csv "$OUT-e$E/summary.csv" "$OUT-e$E/experiment.json" > "$OUT-e$E/summary.md"
  cat "$OUT-e$E/summary.md"
done
