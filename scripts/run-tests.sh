#!/usr/bin/env bash
# Runs the built tests serially (arguments go to `swift test`), keeping the whole output in
# .build/test.log. When a test fails, its failure lines are printed again at the end, because
# CI logs keep only their tail.
set -uo pipefail
cd "$(dirname "$0")/.."
log=.build/test.log
mkdir -p .build
swift test --skip-build --no-parallel "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
    echo
    echo "==== failures (whole output in $log) ===="
    grep -E '✘|error:|XCTAssert|failed \(' "$log" | grep -v '^✘ Test run with' | tail -60
    grep -E '✘ Test run with|Executed [0-9]+ tests' "$log" | tail -3
fi
exit "$status"
