#!/usr/bin/env bash
# A single-node Kubernetes (etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
# kubelet v1.34.4 on Debian's containerd, runc and CNI plugins) for RealNodeE2E, with no registry
# and no internet:
#   .ci/real-node.sh build    installs the Debian packages, builds kubelet, kube-controller-manager
#                             and kube-scheduler (cached) and the pause image
#   .ci/real-node.sh up       starts the node; prints the kubeconfig's path
#   .ci/real-node.sh import F imports an image archive (OCI or docker) into the node's containerd
#   .ci/real-node.sh down     stops what `up` started, by recorded pids, and removes every process,
#                             mount, network namespace, cgroup and file it left
#   .ci/real-node.sh k ARGS   kubectl against the node
# Everything runs in the network namespace mgop-node, which has no default route. A veth pair
# links it to this host only: the node (API server, kubelet, and the test's Mailgun emulator) is
# 10.77.0.1, the host side 10.77.0.2; pods get 10.88.0.0/24 behind a bridge. Root is needed
# (namespaces, mounts, cgroups), as in CI. One node per machine: names and paths are fixed.
set -euo pipefail

main() {
  V=1.34.4
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/mailgun-ip-pool-operator"
  BIN="$cache/real-node/bin"                       # kubelet, kube-controller-manager, kube-scheduler
  KBIN="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/$V-linux-amd64"  # etcd, kube-apiserver, kubectl
  D="${REAL_NODE_DIR:-/var/lib/mgop-real-node}"    # state, configs, logs, pids: all removed by down
  NS=mgop-node NODE=mgop-node NODE_IP=10.77.0.1 HOST_IP=10.77.0.2 POD_CIDR=10.88.0.0/24
  SOCK=/run/mgop-containerd/containerd.sock
  PAUSE=localhost/mgop/pause:1.0
  case "${1:-}" in
    build) build ;;
    up) up ;;
    down) down ;;
    import) ctr_ images import "${2:?an image archive}" >/dev/null && log "imported $2" ;;
    k) shift; k "$@" ;;
    *) echo "usage: $0 build | up | import <image.tar> | down | k <kubectl args>" >&2; exit 2 ;;
  esac
}

log() { printf 'real-node %s: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
inns() { nsenter --net="/run/netns/$NS" "$@"; }
k() { "$KBIN/kubectl" --kubeconfig "$D/pki/admin.kubeconfig" "$@"; }
ctr_() { ctr -a "$SOCK" -n k8s.io "$@"; }

build() {
  local t=$SECONDS missing=() c
  if ! command -v containerd >/dev/null || ! command -v runc >/dev/null ||
    [[ ! -x /usr/lib/cni/bridge ]] || ! command -v umoci >/dev/null || ! command -v jq >/dev/null; then
    log "installing containerd, runc, CNI plugins, umoci with apt-get"
    apt-get update -q >/dev/null
    # policy-rc.d: the package must not start the machine's own containerd.
    local own_policy=false
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
      own_policy=true
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      containerd runc containernetworking-plugins umoci jq iproute2 util-linux openssl >/dev/null
    if $own_policy; then rm -f /usr/sbin/policy-rc.d; fi
  fi
  for c in kubelet kube-controller-manager kube-scheduler; do
    [[ "$("$BIN/$c" --version 2>/dev/null)" == "Kubernetes v$V" ]] || missing+=("$c")
  done
  if ((${#missing[@]})); then build_k8s "${missing[@]}"; fi
  [[ -f $BIN/pause.tar ]] || build_pause
  log "build: $((SECONDS - t))s"
}

# The same throwaway module envtest-binaries.sh resolved for kube-apiserver (its go.mod pins the
# staging modules), copied so the two scripts never edit one go.mod at once.
build_k8s() {
  local src="$cache/real-node/k8s-v$V" envtest="$cache/envtest-src/k8s-v$V" ldflags="-s -w" pkg c
  [[ -f $envtest/go.mod ]] || die "no $envtest/go.mod: run .ci/envtest-binaries.sh first"
  mkdir -p "$src" "$BIN"
  cp "$envtest/go.mod" "$envtest/go.sum" "$src/"
  export GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off GOFLAGS=-buildvcs=false
  PATH="$PATH:/usr/local/go/bin"
  local minor=${V#1.}; minor=${minor%%.*} targets=()
  for c in "$@"; do targets+=("k8s.io/kubernetes/cmd/$c@v$V"); done
  (cd "$src" && go get "${targets[@]}") || die "go get failed"
  # As envtest-binaries.sh: without these the binaries report v0.0.0-master.
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=v$V -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  for c in "$@"; do
    log "building $c v$V"
    (cd "$src" && nice -n 19 go build -trimpath -ldflags "$ldflags" -o "$BIN/$c.new" \
      "k8s.io/kubernetes/cmd/$c") || die "building $c failed"
    mv "$BIN/$c.new" "$BIN/$c"
  done
}

# The sandbox image: a static Go process that waits for SIGTERM and reaps children, packed with
# umoci into an OCI archive named for containerd's import.
build_pause() {
  local w
  w=$(mktemp -d)
  mkdir -p "$w/src" "$w/rootfs"
  cat >"$w/src/main.go" <<'EOF'
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	c := make(chan os.Signal, 8)
	signal.Notify(c, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range c {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			if pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil); pid <= 0 || err != nil {
				break
			}
		}
	}
}
EOF
  printf 'module mgop.local/pause\n\ngo 1.22\n' >"$w/src/go.mod"
  (cd "$w/src" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false PATH="$PATH:/usr/local/go/bin" \
    go build -trimpath -ldflags "-s -w" -o "$w/rootfs/pause" .)
  umoci init --layout "$w/oci" && umoci new --image "$w/oci:img"
  umoci insert --image "$w/oci:img" "$w/rootfs" / >/dev/null
  umoci config --image "$w/oci:img" --config.entrypoint /pause
  umoci gc --layout "$w/oci"
  jq --arg r "$PAUSE" '.manifests[0].annotations = {"io.containerd.image.name": $r}' \
    "$w/oci/index.json" >"$w/index.json" && mv "$w/index.json" "$w/oci/index.json"
  mkdir -p "$BIN"
  tar -C "$w/oci" -cf "$BIN/pause.tar.new" oci-layout index.json blobs && mv "$BIN/pause.tar.new" "$BIN/pause.tar"
  rm -rf "$w"
}


netns_up() {
  [[ -e /run/netns/$NS ]] || ip netns add "$NS"
  ip -n "$NS" link set lo up
  if ! ip link show mgop-h >/dev/null 2>&1; then
    ip link add mgop-h type veth peer name mgop-n netns "$NS"
    ip addr add "$HOST_IP/24" dev mgop-h
    ip link set mgop-h up
    ip -n "$NS" addr add "$NODE_IP/24" dev mgop-n
    ip -n "$NS" link set mgop-n up
  fi
  # Pods answer the host through the node, which routes between the pod bridge and the veth.
  ip route replace "$POD_CIDR" via "$NODE_IP" dev mgop-h
  inns sysctl -qw net.ipv4.ip_forward=1
}

cert() { # name CN O [SANs]: a key, a certificate signed by the node's CA, and a kubeconfig
  local name=$1 cn=$2 o=$3 san=${4:-} subj="/CN=$2"
  [[ -n $o ]] && subj="/O=$o/CN=$cn"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$D/pki/$name.key" -subj "$subj" \
    -out "$D/pki/$name.csr" 2>/dev/null
  {
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    if [[ -n $san ]]; then
      echo "extendedKeyUsage=serverAuth,clientAuth"
      echo "subjectAltName=$san"
    else
      echo "extendedKeyUsage=clientAuth"
    fi
  } >"$D/pki/$name.ext"
  openssl x509 -req -in "$D/pki/$name.csr" -CA "$D/pki/ca.crt" -CAkey "$D/pki/ca.key" \
    -CAcreateserial -days 2 -extfile "$D/pki/$name.ext" -out "$D/pki/$name.crt" 2>/dev/null
  cat >"$D/pki/$name.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: node, cluster: {server: "https://$NODE_IP:6443", certificate-authority: "$D/pki/ca.crt"}}]
users: [{name: $name, user: {client-certificate: "$D/pki/$name.crt", client-key: "$D/pki/$name.key"}}]
contexts: [{name: node, context: {cluster: node, user: $name}}]
current-context: node
EOF
}

pki() {
  mkdir -p "$D/pki"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$D/pki/ca.key" -subj /CN=mgop-node-ca \
    -days 2 -out "$D/pki/ca.crt" 2>/dev/null
  openssl genrsa -out "$D/pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$D/pki/sa.key" -pubout -out "$D/pki/sa.pub" 2>/dev/null
  cert apiserver kube-apiserver "" \
    "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:127.0.0.1,IP:$NODE_IP,IP:10.96.0.1"
  cert admin admin system:masters
  cert kubelet-client kube-apiserver-kubelet-client system:masters
  cert kcm system:kube-controller-manager ""
  cert scheduler system:kube-scheduler ""
  cert kubelet "system:node:$NODE" system:nodes "DNS:$NODE,IP:$NODE_IP"
}

configs() {
  mkdir -p "$D/cni"
  # Non-hostNetwork pods: a bridge inside the namespace, no masquerade.
  cat >"$D/cni/10-mgop.conflist" <<EOF
{"cniVersion": "0.4.0", "name": "mgop", "plugins": [
  {"type": "bridge", "bridge": "mgopbr0", "isGateway": true, "ipMasq": false,
   "ipam": {"type": "host-local", "dataDir": "$D/cni-ipam", "ranges": [[{"subnet": "$POD_CIDR"}]],
            "routes": [{"dst": "10.77.0.0/24"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}]}
EOF
  cat >"$D/containerd.toml" <<EOF
version = 2
root = "$D/containerd"
state = "/run/mgop-containerd"
[grpc]
  address = "$SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  # Root here lacks CAP_SYS_RESOURCE, so runc may not lower a sandbox's oom_score_adj (-998):
  # clamp every score to containerd's own.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
      Root = "/run/mgop-containerd/runc"
      SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$D/cni"
EOF
  # No cluster DNS: lookups fail fast instead of leaving the namespace.
  echo "nameserver 127.0.0.1" >"$D/resolv.conf"
  cat >"$D/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
authentication: {anonymous: {enabled: false}, webhook: {enabled: true}, x509: {clientCAFile: "$D/pki/ca.crt"}}
authorization: {mode: Webhook}
tlsCertFile: "$D/pki/kubelet.crt"
tlsPrivateKeyFile: "$D/pki/kubelet.key"
containerRuntimeEndpoint: "unix://$SOCK"
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
resolvConf: "$D/resolv.conf"
# Imported images cannot be pulled again: never collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "2%", imagefs.available: "2%"}
EOF
}

run() { # name command...: in the node's namespace, its pid recorded for down
  local name=$1
  shift
  nohup nsenter --net="/run/netns/$NS" "$@" </dev/null >"$D/logs/$name.log" 2>&1 &
  echo $! >"$D/run/$name.pid"
}

wait_for() { # what seconds command...
  local what=$1 secs=$2 t=$SECONDS
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS - t < secs)) || die "no $what after ${secs}s (logs: $D/logs)"
    sleep 0.5
  done
  log "$what after $((SECONDS - t))s"
}

up() {
  local t=$SECONDS b
  for b in "$KBIN/etcd" "$KBIN/kube-apiserver" "$KBIN/kubectl" "$BIN/kubelet" \
    "$BIN/kube-controller-manager" "$BIN/kube-scheduler" "$BIN/pause.tar"; do
    [[ -e $b ]] || die "missing $b: run .ci/envtest-binaries.sh and $0 build"
  done
  [[ ! -d $D/run ]] || die "$D/run exists: a node is up, or was not brought down ($0 down)"
  mkdir -p "$D/logs" "$D/run"
  swapoff -a 2>/dev/null || true
  # `ip netns add` makes /run/netns a mount the first time: down undoes it only then.
  mountpoint -q /run/netns || : >"$D/run/netns-mount"
  netns_up
  pki
  configs
  run containerd containerd --config "$D/containerd.toml"
  wait_for containerd 60 ctr -a "$SOCK" version
  ctr_ images import "$BIN/pause.tar" >/dev/null
  run etcd "$KBIN/etcd" --data-dir "$D/etcd" --unsafe-no-fsync \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster default=http://127.0.0.1:2380
  run kube-apiserver "$KBIN/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
    --bind-address=0.0.0.0 --secure-port=6443 --advertise-address="$NODE_IP" \
    --tls-cert-file="$D/pki/apiserver.crt" --tls-private-key-file="$D/pki/apiserver.key" \
    --client-ca-file="$D/pki/ca.crt" --service-cluster-ip-range=10.96.0.0/24 \
    --service-account-issuer=https://kubernetes.default.svc \
    --service-account-key-file="$D/pki/sa.pub" --service-account-signing-key-file="$D/pki/sa.key" \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
    --kubelet-client-certificate="$D/pki/kubelet-client.crt" \
    --kubelet-client-key="$D/pki/kubelet-client.key" \
    --kubelet-certificate-authority="$D/pki/ca.crt" --kubelet-preferred-address-types=InternalIP
  wait_for kube-apiserver 120 k get --raw /readyz
  run kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig="$D/pki/kcm.kubeconfig" --authentication-kubeconfig="$D/pki/kcm.kubeconfig" \
    --authorization-kubeconfig="$D/pki/kcm.kubeconfig" --bind-address=127.0.0.1 \
    --leader-elect=false --use-service-account-credentials \
    --service-account-private-key-file="$D/pki/sa.key" --root-ca-file="$D/pki/ca.crt"
  run kube-scheduler "$BIN/kube-scheduler" --kubeconfig="$D/pki/scheduler.kubeconfig" \
    --authentication-kubeconfig="$D/pki/scheduler.kubeconfig" \
    --authorization-kubeconfig="$D/pki/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false
  run kubelet "$BIN/kubelet" --config="$D/kubelet.yaml" --kubeconfig="$D/pki/kubelet.kubeconfig" \
    --hostname-override="$NODE" --node-ip="$NODE_IP" --root-dir="$D/kubelet"
  wait_for "node Ready" 180 k wait --for=condition=Ready "node/$NODE" --timeout=1s
  wait_for "default ServiceAccount" 120 k get serviceaccount default
  log "node up in $((SECONDS - t))s"
  echo "$D/pki/admin.kubeconfig"
}

stop_pid() { # name: TERM, then KILL after 10 s
  local f="$D/run/$1.pid" pid
  [[ -f $f ]] || return 0
  pid=$(<"$f")
  if kill "$pid" 2>/dev/null; then
    for _ in {1..20}; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

# Leaves nothing behind, whatever `up` got to: each step tolerates what is already gone.
down() {
  local c m
  for c in kubelet kube-scheduler kube-controller-manager kube-apiserver etcd; do stop_pid "$c"; done
  if [[ -S $SOCK ]]; then
    for c in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks kill -s SIGKILL "$c" >/dev/null 2>&1 || true; done
    for _ in {1..20}; do [[ -z $(ctr_ tasks ls -q 2>/dev/null) ]] && break; sleep 0.5; done
    for c in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks delete -f "$c" >/dev/null 2>&1 || true; done
    for c in $(ctr_ containers ls -q 2>/dev/null); do ctr_ containers delete "$c" >/dev/null 2>&1 || true; done
  fi
  stop_pid containerd
  for m in $(awk -v d="$D" '$2 ~ "^(" d "|/run/mgop-containerd)" {print $2}' /proc/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" || true
  done
  # The pods' network namespaces containerd made (cni-*), each routing our pod network.
  for m in $(ip netns list 2>/dev/null | awk '/^cni-/ {print $1}'); do
    if ip -n "$m" route 2>/dev/null | grep -q "^${POD_CIDR%.*}\."; then ip netns del "$m"; fi
  done
  # The kubelet's pod cgroups (cgroupfs driver, one tree per v1 hierarchy), empty by now.
  find /sys/fs/cgroup/*/kubepods -depth -type d -exec rmdir {} + 2>/dev/null || true
  ip route del "$POD_CIDR" via "$NODE_IP" 2>/dev/null || true
  ip link del mgop-h 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  if [[ -f $D/run/netns-mount && -z $(ls -A /run/netns 2>/dev/null) ]]; then
    umount /run/netns && rmdir /run/netns
  fi
  rm -rf "$D" /run/mgop-containerd /var/lib/cni/results/mgop-*
  # containerd 1.6 puts shim sockets under /run/containerd/s and libcni its cache under
  # /var/lib/cni whatever the config says: remove the folders if nothing else uses them.
  rmdir /run/containerd/s /run/containerd /var/lib/cni/results /var/lib/cni 2>/dev/null || true
  log "down"
}

main "$@"
