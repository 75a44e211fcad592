#!/usr/bin/env bash
# The README's MLflow example as a script (needs curl and jq): run it in an empty directory while `./cairn serve` runs.
set -uo pipefail
cairn_launcher="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/cairn"
show() { echo "\$ $*"; eval "$@" 2>&1; echo; }
cairn() { "$cairn_launcher" "$@"; }
export MLFLOW_TRACKING_URI=http://127.0.0.1:8080
api=$MLFLOW_TRACKING_URI/api/2.0/mlflow
post() { curl -sf -X POST -H 'Content-Type: application/json' "$api/$1" -d "$2"; echo; }
show 'exp=$(post experiments/create "{\"name\": \"fraud-training\"}" | jq -r .experiment_id); echo $exp'
show 'run=$(post runs/create "{\"experiment_id\": \"$exp\", \"run_name\": \"nightly\", \"tags\": [{\"key\": \"mlflow.source.git.commit\", \"value\": \"7d1e0b2\"}, {\"key\": \"mlflow.source.git.repoURL\", \"value\": \"https://git.example.com/risk/fraud.git\"}, {\"key\": \"mlflow.source.git.branch\", \"value\": \"main\"}]}" | jq -r .run.info.run_id); echo $run'
show 'post runs/log-batch "{\"run_id\": \"$run\", \"metrics\": [{\"key\": \"auc\", \"value\": 0.93, \"timestamp\": 1764230000000, \"step\": 1}], \"params\": [{\"key\": \"lr\", \"value\": \"0.03\"}]}"'
show 'post runs/log-inputs "{\"run_id\": \"$run\", \"datasets\": [{\"tags\": [{\"key\": \"mlflow.data.context\", \"value\": \"train\"}], \"dataset\": {\"name\": \"transactions\", \"digest\": \"60303ae2\", \"source_type\": \"s3\", \"source\": \"{\\\"uri\\\": \\\"s3://data/transactions\\\"}\"}}]}"'
show 'echo "weights" > model.onnx; curl -sf -X PUT --data-binary @model.onnx "$MLFLOW_TRACKING_URI/api/2.0/mlflow-artifacts/artifacts/$exp/$run/artifacts/model/model.onnx"; echo'
show 'post registered-models/create "{\"name\": \"fraud\"}"'
show 'post model-versions/create "{\"name\": \"fraud\", \"source\": \"runs:/$run/model\", \"run_id\": \"$run\"}"'
show cairn lineage fraud 1
show cairn verify fraud
