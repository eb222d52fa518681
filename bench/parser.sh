#!/usr/bin/env bash
# Runs the SIP parser benchmarks (bench/CallControl.Benchmarks) in Release and prints the result table,
# with the machine and its load average before and after: the machine is shared, so a figure means little
# without the load it was measured under. Extra arguments go to BenchmarkDotNet (e.g. --filter '*Parse*').
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts=${BENCH_ARTIFACTS:-bench/artifacts}

echo "cores: $(nproc); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet build bench/CallControl.Benchmarks -c Release -nologo -clp:ErrorsOnly >&2
dotnet bench/CallControl.Benchmarks/bin/Release/net10.0/CallControl.Benchmarks.dll \
  --artifacts "$artifacts" "$@" >"$artifacts.log" 2>&1 || { tail -50 "$artifacts.log"; exit 1; }
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$artifacts"/results/*-report-github.md
