#!/usr/bin/env bash
# Builds the kstatus test tool (src/test/go/kstatus: sigs.k8s.io/cli-utils' status.Compute, what
# Flux's health checks run) into a cache outside the clone and prints the binary's path. Rebuilt
# only when its sources change. Needs Go and the Go module proxy.
set -euo pipefail

main() {
  local root src cache_home out stamp want
  root="$(cd "$(dirname "$0")/.." && pwd)"
  src="$root/src/test/go/kstatus"
  cache_home="${XDG_CACHE_HOME:-$HOME/.cache}"
  out="$cache_home/mailgun-ip-pool-operator/kstatus"
  stamp="$out/sources.sha256"
  want="$(cd "$src" && cat go.mod go.sum main.go | sha256sum | cut -d' ' -f1)"
  if [[ -x "$out/kstatus" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "$out/kstatus"
    exit 0
  fi
  if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then
    PATH="/usr/local/go/bin:$PATH"
  fi
  command -v go >/dev/null || { echo "kstatus-tool: go is not installed" >&2; exit 1; }
  mkdir -p "$out"
  exec 9>"$out/.lock"
  flock 9
  # A private setup so a caller's GOFLAGS, go.work or GOTOOLCHAIN cannot change the build.
  export GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off GOFLAGS="-mod=readonly -buildvcs=false"
  echo "kstatus-tool: building $src ($(go env GOVERSION))" >&2
  (cd "$src" && nice go build -trimpath -o "$out/kstatus.new" .)
  mv -f "$out/kstatus.new" "$out/kstatus"
  echo "$want" >"$stamp"
  echo "$out/kstatus"
}

main "$@"
