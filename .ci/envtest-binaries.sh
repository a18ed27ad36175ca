#!/usr/bin/env bash
# Provides etcd, kube-apiserver and kubectl for io.fabric8:kube-api-test in its layout
#   ${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/<version>-linux-<arch>/
#     {etcd,kube-apiserver,kubectl}
# by building them from the published Go modules (k8s.io/kubernetes, go.etcd.io/etcd/server/v3).
# Needs only Go and the Go module proxy, no GitHub downloads. Where kube-api-test can download
# its binaries itself, this script is optional: tests only need the files to be there.
#
# Env: ENVTEST_K8S_VERSION (default below), ENVTEST_ETCD_VERSION (default: the etcd that
# k8s.io/kubernetes' go.mod pins), KUBE_API_TEST_DIR, ENVTEST_SRC_DIR (throwaway Go modules).
# Prints progress to stderr and the binary directory to stdout.
set -euo pipefail

# Everything lives in main so bash parses the whole file before running it: an edit or a git
# checkout during a long build cannot change what the running script does.
main() {
  k8s_version="${ENVTEST_K8S_VERSION:-1.34.4}"
  k8s_version="${k8s_version#v}"
  etcd_version="${ENVTEST_ETCD_VERSION:-}"
  etcd_version="${etcd_version#v}"
  test_dir="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
  cache_home="${XDG_CACHE_HOME:-$HOME/.cache}"
  src_root="${ENVTEST_SRC_DIR:-$cache_home/mailgun-ip-pool-operator/envtest-src}"

  log() { printf 'envtest-binaries: %s\n' "$*" >&2; }
  die() { log "error: $*"; exit 1; }

  if [[ ! "$k8s_version" =~ ^1\.([0-9]+)\.[0-9]+$ ]]; then
    die "ENVTEST_K8S_VERSION must look like 1.34.4, got '$k8s_version'"
  fi
  k8s_minor="${BASH_REMATCH[1]}"
  if [[ -n "$etcd_version" && ! "$etcd_version" =~ ^3\.[0-9]+\.[0-9]+$ ]]; then
    die "ENVTEST_ETCD_VERSION must look like 3.6.4, got '$etcd_version'"
  fi

  [[ "$(uname -s)" == Linux ]] || die "only Linux is supported (the folder name says linux)"
  case "$(uname -m)" in
    x86_64 | amd64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    ppc64le) arch=ppc64le ;;
    *) die "unsupported CPU architecture $(uname -m)" ;;
  esac
  bin_dir="$test_dir/k8s/${k8s_version}-linux-${arch}"

  # Each check runs the binary, so a truncated or foreign file does not pass as done.
  apiserver_ok() {
    [[ -x "$bin_dir/kube-apiserver" ]] &&
      [[ "$("$bin_dir/kube-apiserver" --version 2>/dev/null)" == "Kubernetes v${k8s_version}" ]]
  }
  kubectl_ok() {
    [[ -x "$bin_dir/kubectl" ]] || return 1
    # Captured, not piped into grep -q: an early grep exit would SIGPIPE kubectl under pipefail.
    local out
    out="$("$bin_dir/kubectl" version --client 2>/dev/null)" || return 1
    [[ $'\n'"$out"$'\n' == *$'\n'"Client Version: v${k8s_version}"$'\n'* ]]
  }
  # Without an explicit ENVTEST_ETCD_VERSION any etcd 3.5 or newer is kept (for example one that
  # kube-api-test downloaded itself); with one, exactly that version.
  etcd_ok() {
    [[ -x "$bin_dir/etcd" ]] || return 1
    local out have
    out="$("$bin_dir/etcd" --version 2>/dev/null)" || return 1
    have="$(sed -n 's/^etcd Version: //p' <<<"$out")"
    if [[ -n "$etcd_version" ]]; then
      [[ "$have" == "$etcd_version" ]]
    else
      [[ "$have" =~ ^3\.([0-9]+)\. ]] && ((BASH_REMATCH[1] >= 5))
    fi
  }
  all_ok() { apiserver_ok && kubectl_ok && etcd_ok; }

  if all_ok; then
    log "up to date: kube-apiserver and kubectl v${k8s_version}, etcd present in $bin_dir"
    echo "$bin_dir"
    exit 0
  fi

  # Go's official tarball lives here; a non-login shell may not have it on PATH.
  if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then
    PATH="/usr/local/go/bin:$PATH"
  fi
  command -v go >/dev/null || die "go is not installed; it is needed to build the binaries"
  mkdir -p "$test_dir/k8s" "$src_root"

  # Serialise concurrent runs (a developer and CI on one machine); re-check once we hold the lock.
  exec 9>"$test_dir/.envtest-binaries.lock"
  if command -v flock >/dev/null; then
    log "taking lock $test_dir/.envtest-binaries.lock"
    flock 9
    if all_ok; then
      log "built meanwhile by another run: $bin_dir"
      echo "$bin_dir"
      exit 0
    fi
    # Holding the lock, no other run is active: staging left by a killed run is garbage.
    rm -rf "$test_dir"/.envtest-staging.*
  fi

  # A private setup so a caller's GOFLAGS, go.work or GOTOOLCHAIN cannot change the build.
  export GOTOOLCHAIN=local CGO_ENABLED=0 GOOS=linux GOARCH="$arch" GOWORK=off
  export GOFLAGS=-buildvcs=false
  go_version="$(go env GOVERSION)"
  log "using $go_version"

  # Built binaries wait here (same filesystem as $bin_dir) and are renamed into place one by one,
  # so an interrupted run never leaves a half-written file under its final name.
  staging="$(mktemp -d "$test_dir/.envtest-staging.XXXXXX")"
  trap 'rm -rf "$staging"' EXIT

  start=$SECONDS
  need_apiserver=true need_kubectl=true need_etcd=true
  if apiserver_ok; then need_apiserver=false; fi
  if kubectl_ok; then need_kubectl=false; fi
  if etcd_ok; then need_etcd=false; fi

  # Prints the go.mod path of module@version, downloading it into the module cache if needed.
  module_gomod() {
    local json gomod
    if ! json="$(go mod download -json "$1@$2")"; then
      die "cannot download $1@$2: $(sed -n 's/^[[:space:]]*"Error": //p' <<<"$json")"
    fi
    gomod="$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")"
    [[ -f "$gomod" ]] || die "go mod download named no go.mod for $1@$2"
    echo "$gomod"
  }

  # Writes a throwaway main module in $1 that requires $2@$3 with the go and godebug lines of
  # that module's own go.mod (they set the runtime defaults its authors tested with); extra
  # go.mod lines come on stdin.
  write_module() {
    local dir="$1" module="$2" version="$3" dep_gomod="$4"
    mkdir -p "$dir"
    {
      echo "// Generated by .ci/envtest-binaries.sh; only used to build $module@$version."
      echo "module envtest.local/build"
      echo
      grep -E '^(go|godebug) ' "$dep_gomod"
      echo
      echo "require $module $version"
      cat
    } >"$dir/go.mod"
    rm -f "$dir/go.sum"
  }

  k8s_gomod=""
  if $need_apiserver || $need_kubectl || { $need_etcd && [[ -z "$etcd_version" ]]; }; then
    log "resolving k8s.io/kubernetes v${k8s_version}"
    k8s_gomod="$(module_gomod k8s.io/kubernetes "v${k8s_version}")"
  fi

  if $need_apiserver || $need_kubectl; then
    # k8s.io/kubernetes requires its staging modules (k8s.io/api, k8s.io/client-go, ...) at
    # v0.0.0 and replaces them with folders a dependent cannot see; point each at its published
    # v0.<minor>.<patch> instead.
    mapfile -t staging_modules < <(awk '
      /^require[[:space:]]*\(/ { inreq = 1; next }
      inreq && /^\)/ { inreq = 0 }
      inreq && $2 == "v0.0.0" { print $1 }
      /^require[[:space:]]+[^(]/ && $3 == "v0.0.0" { print $2 }' "$k8s_gomod")
    ((${#staging_modules[@]} > 0)) || die "found no v0.0.0 staging requires in $k8s_gomod"
    k8s_src="$src_root/k8s-v${k8s_version}"
    {
      echo
      echo "replace ("
      for m in "${staging_modules[@]}"; do echo "	$m => $m v0.${k8s_version#1.}"; done
      echo ")"
    } | write_module "$k8s_src" k8s.io/kubernetes "v${k8s_version}" "$k8s_gomod"
    log "resolving kube-apiserver and kubectl in $k8s_src (${#staging_modules[@]} staging modules)"
    (cd "$k8s_src" && go get "k8s.io/kubernetes/cmd/kube-apiserver@v${k8s_version}" \
      "k8s.io/kubernetes/cmd/kubectl@v${k8s_version}") ||
      die "go get failed for k8s.io/kubernetes v${k8s_version}"

    # Without these the binaries report v0.0.0-master and kube-apiserver derives a wrong
    # emulation version; kubectl reads the client-go copy.
    ldflags="-s -w"
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ldflags+=" -X $pkg.gitVersion=v${k8s_version} -X $pkg.gitMajor=1"
      ldflags+=" -X $pkg.gitMinor=${k8s_minor} -X $pkg.gitTreeState=clean"
    done
    cmds=()
    if $need_apiserver; then cmds+=(kube-apiserver); fi
    if $need_kubectl; then cmds+=(kubectl); fi
    for cmd in "${cmds[@]}"; do
      log "building $cmd v${k8s_version} (the first build takes several minutes)"
      (cd "$k8s_src" &&
        go build -trimpath -ldflags "$ldflags" -o "$staging/$cmd" "k8s.io/kubernetes/cmd/$cmd") ||
        die "building $cmd failed"
    done
  fi

  if $need_etcd; then
    if [[ -z "$etcd_version" ]]; then
      etcd_version="$(awk '$1 == "go.etcd.io/etcd/server/v3" { sub(/^v/, "", $2); print $2 }' \
        "$k8s_gomod")"
      if [[ -z "$etcd_version" ]]; then
        die "k8s.io/kubernetes v${k8s_version} pins no etcd server; set ENVTEST_ETCD_VERSION"
      fi
      log "etcd version $etcd_version (pinned by k8s.io/kubernetes v${k8s_version})"
    fi
    log "resolving go.etcd.io/etcd/server/v3 v${etcd_version}"
    etcd_gomod="$(module_gomod go.etcd.io/etcd/server/v3 "v${etcd_version}")"
    etcd_src="$src_root/etcd-v${etcd_version}"
    write_module "$etcd_src" go.etcd.io/etcd/server/v3 "v${etcd_version}" "$etcd_gomod" </dev/null
    (cd "$etcd_src" && go get "go.etcd.io/etcd/server/v3@v${etcd_version}") ||
      die "go get failed for go.etcd.io/etcd/server/v3 v${etcd_version}"
    log "building etcd v${etcd_version}"
    # The module root of go.etcd.io/etcd/server/v3 is etcd's main package.
    (cd "$etcd_src" &&
      go build -trimpath -ldflags "-s -w" -o "$staging/etcd" go.etcd.io/etcd/server/v3) ||
      die "building etcd failed"
  fi

  mkdir -p "$bin_dir"
  for f in etcd kubectl kube-apiserver; do
    if [[ -e "$staging/$f" ]]; then
      chmod 0755 "$staging/$f"
      mv -f "$staging/$f" "$bin_dir/$f"
      log "installed $bin_dir/$f"
    fi
  done

  all_ok || die "the binaries in $bin_dir do not report the expected versions after the build"
  log "done in $((SECONDS - start))s: kube-apiserver and kubectl v${k8s_version}," \
    "$("$bin_dir/etcd" --version | sed -n 1p)"
  echo "$bin_dir"
}

main "$@"
