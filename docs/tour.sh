#!/usr/bin/env bash
# The README's five-minute tour, as a script: run it in an empty directory while `./cairn serve` runs.
# It prints each command and its output; the README shows the output of one such run.
set -uo pipefail
cairn_launcher="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/cairn"
cairn() { "$cairn_launcher" "$@"; }
show() { echo "\$ $*"; eval "$@" 2>&1; echo; }

mkdir -p v1 v2 v3
echo "weights of v1" > v1/model.onnx; echo '{"threshold": 0.5}' > v1/config.json
echo "weights of v2" > v2/model.onnx; echo '{"threshold": 0.5}' > v2/config.json
echo "weights of v3" > v3/model.onnx; echo '{"threshold": 0.2}' > v3/config.json
nov=sha256:60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752

show cairn register fraud v1/ --metric auc=0.91 --metric f1=0.84 --param lr=0.05 --format onnx \
  --dataset train=s3://data/transactions@2026-10#sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 \
  --commit 4f2a9c1 --repo https://git.example.com/risk/fraud.git --branch main
show cairn register fraud v2/ --metric auc=0.93 --metric f1=0.86 --param lr=0.03 --format onnx \
  --dataset "train=s3://data/transactions@2026-11#$nov" \
  --commit 7d1e0b2 --repo https://git.example.com/risk/fraud.git --branch main --parent fraud:1
show cairn promote fraud 2 --to production --comment "'beats v1 on AUC'"
show cairn alias set fraud champion 2
show cairn resolve models:/fraud/Production
show cairn register fraud v3/ --metric auc=0.71 --metric f1=0.55 --param lr=0.3 --format onnx \
  --dataset "train=s3://data/transactions@2026-11#$nov" \
  --commit 9c44e10 --repo https://git.example.com/risk/fraud.git --branch hotfix
show cairn promote fraud 3 --to production --comment "'lower threshold'"
show cairn versions list fraud
show cairn rollback fraud --stage production --comment "'v3 flags every EU payment'"
show cairn resolve fraud/production --output json
show cairn compare fraud 2 3
show cairn history fraud
show cairn lineage --dataset s3://data/transactions
show cairn verify fraud
show cairn download fraud/production --out ./serving
