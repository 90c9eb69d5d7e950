#!/usr/bin/env bash
# JMH: one call into a trivial generated function vs a plain JNI static native of the same shape
# (java/bench/dev/kiln/runtime/CallBench.java). Prints the median of the measured iterations of
# each benchmark (ns/op) and their ratio (target: at most 1.3).
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/jmh-call.json
mvn -B -q -Pbench test-compile exec:exec -Djmh.args="CallBench -rf json -rff $out" >/dev/null
python3 - "$out" <<'PY'
import json, statistics, sys
medians = {}
for result in json.load(open(sys.argv[1])):
    name = result["benchmark"].rsplit(".", 1)[1]
    scores = [s for fork in result["primaryMetric"]["rawData"] for s in fork]
    medians[name] = statistics.median(scores)
    print(f"{name:14} median {medians[name]:.2f} ns/op over {len(scores)} iterations")
print(f"ratio generatedCall / plainJni = {medians['generatedCall'] / medians['plainJni']:.2f}")
PY
