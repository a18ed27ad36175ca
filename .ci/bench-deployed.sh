#!/usr/bin/env bash
# The scale benchmark as deployed (issue 21): the image .ci/image.sh builds, run under podman with a
# CPU and memory limit as the chart runs the pod, against a real kube-apiserver and the emulator
# limited to 10 calls/s. Not a test: it prints figures and targets and fails only when it breaks.
#   .ci/bench-deployed.sh [pools] [bindings] [poll seconds] [--cpus 1] [--memory 512m]
#     [--restart-at=<s>] [--histogram-at=<s>] [--jvm-options="..."] [--jfr] [--timeout=<min>]
# Defaults: 1000 5000 5 --cpus 1 --memory 512m. See DeployedBenchmark for what each figure is.
set -euo pipefail

main() {
  cd "$(dirname "$0")/.."
  bash .ci/envtest-binaries.sh >&2
  local archive
  archive="$(bash .ci/image.sh)"

  local args=() has_cpus="" has_memory=""
  local a
  for a in "$@"; do
    case "$a" in
      --cpus | --cpus=*) has_cpus=1 ;;
      --memory | --memory=*) has_memory=1 ;;
    esac
    args+=("$a")
  done
  [[ -n "$has_cpus" ]] || args+=(--cpus 1)
  [[ -n "$has_memory" ]] || args+=(--memory 512m)
  args+=("--archive=$archive")

  # exec:java splits the arguments at spaces outside double quotes: quote each one.
  local quoted="" q
  for a in "${args[@]}"; do
    q="${a//\\/\\\\}"
    quoted+="\"${q//\"/\\\"}\" "
  done
  mvn -B -ntp -q -Dstyle.color=never test-compile exec:java@bench-deployed -Dbench.args="$quoted"
}

main "$@"
