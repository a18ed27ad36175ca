#!/usr/bin/env bash
# Builds the operator's container image without a Docker engine or a registry:
#   target/mailgun-ip-pool-operator-image.tar
# an OCI archive (with Docker's manifest.json too, so `podman load -i` and `docker load -i` both
# take it), tagged localhost/mailgun-ip-pool-operator:<project version>. Three layers:
#   1. a Debian root with only the C libraries the JVM links (mmdebstrap; no shell, no package
#      manager, no programs at all), /etc/passwd with the nonroot user 65532;
#   2. a Java runtime jlink'ed from the installed JDK with the modules jdeps finds in the jar;
#   3. the shaded jar at /app/mailgun-ip-pool-operator.jar (built here when src/ is newer).
# Layers 1 and 2 are cached in ~/.cache/mailgun-ip-pool-operator/image, keyed by their inputs
# (this script, the Debian package versions, the JDK, the pom), so a rerun only adds the jar.
# Installs what it needs with apt-get: mmdebstrap and umoci to build, podman and runc to load and
# run the image (the e2e test does). Prints progress to stderr and the archive's path to stdout.
set -euo pipefail

# Everything lives in main so bash parses the whole file before running it.
main() {
  cd "$(dirname "$0")/.."
  local root script archive name version jar cache
  root="$PWD"
  script="$root/.ci/image.sh"
  archive="$root/target/mailgun-ip-pool-operator-image.tar"
  name=localhost/mailgun-ip-pool-operator
  jar="$root/target/mailgun-ip-pool-operator.jar"
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/mailgun-ip-pool-operator/image"
  # The C libraries the runtime links (libjvm: libstdc++, libgcc_s, libm; libzip: libz), /etc/services
  # and /etc/protocols (netbase), /etc/os-release and the licenses (base-files).
  local packages=(libc6 libstdc++6 libgcc-s1 zlib1g netbase base-files)
  # jdeps cannot see what is loaded by name: the EC ciphers TLS to Mailgun and the API server use.
  # jdk.jfr: Flight Recorder, to profile the operator in place (.ci/bench-deployed.sh --jfr).
  local extra_modules=jdk.crypto.ec,jdk.jfr
  # Half the memory limit for the heap: at 6,000 resources the rest held metaspace, code, thread
  # stacks and malloc, and 75% got the pod killed (README, Performance). C1 only: at one CPU the
  # C2 compiler took a third of the operator's CPU to converge, more than it saved.
  local jvm_options="-XX:MaxRAMPercentage=50 -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -Xss512k -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError"

  local started=$SECONDS
  version="$(project_version)"
  [[ -n "$version" ]] || die "cannot read the project version from pom.xml"
  install_tools
  mkdir -p "$cache" "$root/target"
  build_jar
  # One build at a time per machine from here: worktrees and CI share the cache.
  exec 9>"$cache/.lock"
  flock 9

  local jdk_id modules modules_file
  jdk_id="$(java_home): $(tr '\n' ' ' <"$(java_home)/release")"
  modules_file="$cache/modules-$(hash_of "$(file_hash pom.xml)" "$jdk_id" "$extra_modules")"
  if [[ ! -s "$modules_file" ]]; then
    log "jdeps: finding the JDK modules the jar uses"
    jdeps --ignore-missing-deps --print-module-deps --multi-release 17 "$jar" |
      tr -d '\n' >"$modules_file.tmp"
    printf ',%s\n' "$extra_modules" >>"$modules_file.tmp"
    mv "$modules_file.tmp" "$modules_file"
  fi
  modules="$(tr -d '\n' <"$modules_file")"

  local suite arch versions base
  suite="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  [[ -n "$suite" && -r /etc/debian_version ]] ||
    die "needs a Debian host (its JDK's libraries must match the Debian root's)"
  arch="$(dpkg --print-architecture)"
  # Candidate versions from the host's package lists: a Debian update of libc6 rebuilds layer 1.
  versions="$(apt-cache policy "${packages[@]}" | grep -E '^[^ ]|Candidate' | tr -s ' \n' ' ')"
  base="$cache/base-$(hash_of "$(file_hash "$script")" "$suite" "$arch" "$versions" "$jdk_id" "$modules" "$jvm_options")"
  if [[ ! -f "$base/index.json" ]]; then
    build_base "$base" "$suite" "$modules" "$jvm_options" "${packages[@]}"
  fi
  touch "$base"
  touch "$modules_file"
  # Keep the three most recent of each (other worktrees may build other versions).
  local kind
  for kind in base modules; do
    find "$cache" -mindepth 1 -maxdepth 1 -name "$kind-*" -printf '%T@ %p\n' | sort -rn |
      tail -n +4 | cut -d' ' -f2- | xargs -r rm -rf
  done

  assemble "$base" "$name:$version" "$version"
  flock -u 9
  log "done in $((SECONDS - started)) s"
  echo "$archive"
}

log() { printf 'image: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

hash_of() { printf '%s\n' "$@" | sha256sum | cut -c1-16; }

# By content only: every clone, wherever it is, finds the same cache entries.
file_hash() { sha256sum <"$1" | cut -c1-64; }

java_home() { dirname "$(dirname "$(readlink -f "$(command -v jlink)")")"; }

# The first <version> after the project's own artifactId (the pom has no parent).
project_version() {
  awk '/<artifactId>mailgun-ip-pool-operator<\/artifactId>/ { found = 1 }
       found && /<version>/ { gsub(/.*<version>|<\/version>.*/, ""); print; exit }' pom.xml
}

pom_value() {
  awk -v tag="$1" '$0 ~ "<" tag ">" { gsub(".*<" tag ">|</" tag ">.*", ""); print; exit }' pom.xml
}

install_tools() {
  local missing=()
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
  command -v umoci >/dev/null || missing+=(umoci)
  command -v jq >/dev/null || missing+=(jq)
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || missing+=(runc)
  command -v jlink >/dev/null || missing+=(openjdk-17-jdk-headless)
  ((${#missing[@]} == 0)) && return
  log "installing ${missing[*]}"
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "run as root, or install first: ${missing[*]}"
    sudo=(sudo)
  fi
  # Other jobs on the machine may hold the dpkg lock for a while: wait rather than fail.
  "${sudo[@]}" apt-get -q -o DPkg::Lock::Timeout=600 update >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=600 \
    install --no-install-recommends "${missing[@]}" >&2
}

build_jar() {
  if [[ -f "$jar" && -z "$(find pom.xml src/main config/samples crds -newer "$jar" -print -quit)" ]]; then
    log "jar is up to date: $jar"
    return
  fi
  log "building the jar (mvn package)"
  mvn -B -ntp -q -Dstyle.color=never -DskipTests package >&2
}

# Layers 1 and 2 as an OCI layout with tag "base", written to a temporary directory and moved into
# place whole, so an interrupted build never leaves a half base behind.
build_base() {
  local base="$1" suite="$2" modules="$3" jvm_options="$4"
  shift 4
  local work="$base.tmp.$$"
  rm -rf "$work"
  mkdir -p "$work"
  trap 'rm -rf "$work"' EXIT

  log "mmdebstrap: Debian $suite root from ${*}"
  # extract: unpack the packages without running anything from them. The hook records each
  # package's control fields in /var/lib/dpkg/status.d, where image scanners look (as distroless).
  local mirror=http://deb.debian.org/debian
  mmdebstrap --variant=extract --include="$(IFS=,; echo "$*")" \
    --aptopt='Acquire::Check-Valid-Until "false"' \
    --extract-hook='mkdir -p "$1/var/lib/dpkg/status.d"; for d in "$1"/var/cache/apt/archives/*.deb; do dpkg-deb -f "$d" >"$1/var/lib/dpkg/status.d/$(dpkg-deb -f "$d" Package)"; done' \
    "$suite" "$work/rootfs" \
    "deb $mirror $suite main" "deb $mirror $suite-updates main" \
    "deb http://deb.debian.org/debian-security $suite-security main" >"$work/mmdebstrap.log" 2>&1 ||
    { cat "$work/mmdebstrap.log" >&2; die "mmdebstrap failed"; }
  slim_rootfs "$work/rootfs"

  log "jlink: $modules"
  jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --compress=0 --add-options="$jvm_options" --output "$work/jre"
  # The layer's gzip compresses better than jlink's own --compress, and start-up is faster.

  local rootless=()
  ((EUID == 0)) || rootless=(--rootless)
  umoci init --layout "$work/layout"
  umoci new --image "$work/layout:base"
  umoci insert "${rootless[@]}" --image "$work/layout:base" \
    --history.created_by "mmdebstrap --variant=extract $suite $*; no programs" \
    "$work/rootfs" /
  umoci insert "${rootless[@]}" --image "$work/layout:base" \
    --history.created_by "jlink --add-modules $modules --add-options=\"$jvm_options\"" \
    "$work/jre" /opt/java/openjdk
  mv "$work/layout" "$base"
  rm -rf "$work"
  trap - EXIT
}

# Leaves the shared libraries and a few files in /etc: no programs, docs beyond the copyright
# files, locales, charset converters or apt state. Adds the users and name service config.
slim_rootfs() {
  local r="$1"
  rm -rf "$r"/usr/bin/* "$r"/usr/sbin/* "$r"/bin/* "$r"/sbin/* \
    "$r"/usr/lib/*-linux-gnu/gconv "$r"/usr/share/{man,info,lintian,locale,doc-base} \
    "$r"/etc/apt "$r"/var/lib/apt "$r"/var/cache/apt "$r"/var/log/apt "$r"/var/cache/debconf \
    "$r"/etc/update-motd.d "$r"/etc/profile.d "$r"/etc/skel "$r"/etc/fstab \
    "$r"/var/lib/dpkg/status.d/mawk "$r"/etc/resolv.conf "$r"/etc/hostname "$r"/etc/hosts
  find "$r/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete
  find "$r/usr/share/doc" -mindepth 1 -type d -empty -delete
  cat >"$r/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
  cat >"$r/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
nonroot:x:65532:
EOF
  cat >"$r/etc/nsswitch.conf" <<'EOF'
passwd: files
group: files
hosts: files dns
networks: files
protocols: files
services: files
EOF
  mkdir -p "$r/home/nonroot" "$r/app"
  chown 65532:65532 "$r/home/nonroot"
  chmod 0700 "$r/home/nonroot"
  chmod 1777 "$r/tmp"
}

# Layer 3 and the configuration on a copy of the cached base, then the archive.
assemble() {
  local base="$1" ref="$2" version="$3"
  local work="$root/target/image-build"
  rm -rf "$work"
  mkdir -p "$work"
  cp -a "$base" "$work/layout"
  local layout="$work/layout"
  local rootless=()
  ((EUID == 0)) || rootless=(--rootless)

  local revision="" created
  created="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  if git rev-parse --git-dir >/dev/null 2>&1; then
    revision="$(git rev-parse HEAD)"
    # The commit's time, not the clock's: the same commit gives the same labels.
    created="$(TZ=UTC git log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd)"
  fi
  local source licenses
  source="$(pom_value url)"
  # SPDX's word for "not stated" until pom.xml declares <licenses>.
  licenses="$(awk '/<licenses>/,/<\/licenses>/' pom.xml | pom_value_in name)"
  licenses="${licenses:-NOASSERTION}"

  cp "$jar" "$work/mailgun-ip-pool-operator.jar"
  touch -d "$created" "$work/mailgun-ip-pool-operator.jar"
  umoci insert "${rootless[@]}" --image "$layout:base" --tag image \
    --history.created "$created" \
    --history.created_by "COPY target/mailgun-ip-pool-operator.jar /app/" \
    "$work/mailgun-ip-pool-operator.jar" /app/mailgun-ip-pool-operator.jar
  local labels=(
    "org.opencontainers.image.title=mailgun-ip-pool-operator"
    "org.opencontainers.image.description=$(pom_value description)"
    "org.opencontainers.image.version=$version"
    "org.opencontainers.image.source=$source"
    "org.opencontainers.image.url=$source"
    "org.opencontainers.image.licenses=$licenses"
    "org.opencontainers.image.created=$created"
  )
  [[ -n "$revision" ]] && labels+=("org.opencontainers.image.revision=$revision")
  local label_args=()
  for l in "${labels[@]}"; do label_args+=(--config.label "$l"); done
  # Entrypoint and command as src/main/docker/Dockerfile has them; java is found on PATH.
  umoci config --image "$layout:image" --created "$created" \
    --history.created "$created" --history.created_by "config: user, entrypoint, labels" \
    --config.user 65532:65532 \
    --config.entrypoint java --config.entrypoint -jar \
    --config.entrypoint /app/mailgun-ip-pool-operator.jar \
    --config.cmd run \
    --config.env PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.env JAVA_HOME=/opt/java/openjdk \
    --config.env LANG=C.UTF-8 \
    --config.env MALLOC_ARENA_MAX=2 \
    --config.exposedports 8080/tcp \
    "${label_args[@]}"
  umoci rm --image "$layout:base"
  umoci gc --layout "$layout"

  # The full name in the index (podman, skopeo, containerd) and Docker's manifest.json beside it
  # (docker load without the containerd image store reads only that).
  local manifest config
  manifest="$layout/blobs/$(jq -r '.manifests[0].digest | sub(":"; "/")' "$layout/index.json")"
  config="blobs/$(jq -r '.config.digest | sub(":"; "/")' "$manifest")"
  jq --arg ref "$ref" '.manifests[0].annotations = {
      "org.opencontainers.image.ref.name": $ref, "io.containerd.image.name": $ref}' \
    "$layout/index.json" >"$work/index.json"
  mv "$work/index.json" "$layout/index.json"
  jq -c --arg ref "$ref" --arg config "$config" \
    '[{Config: $config, RepoTags: [$ref], Layers: [.layers[].digest | "blobs/" + sub(":"; "/")]}]' \
    "$manifest" >"$layout/manifest.json"
  chmod -R a+rX "$layout"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="$created" \
    -C "$layout" -cf "$archive.tmp" oci-layout index.json manifest.json blobs
  mv "$archive.tmp" "$archive"
  report "$layout" "$manifest" "$ref"
  rm -rf "$work"
}

pom_value_in() {
  awk -v tag="$1" '$0 ~ "<" tag ">" { gsub(".*<" tag ">|</" tag ">.*", ""); print; exit }'
}

report() {
  local layout="$1" manifest="$2" ref="$3"
  local config created_by sizes
  config="$layout/blobs/$(jq -r '.config.digest | sub(":"; "/")' "$manifest")"
  mapfile -t created_by < <(jq -r '.history[] | select(.empty_layer != true) | .created_by' "$config")
  mapfile -t sizes < <(jq -r '.layers[].digest | sub(":"; "/")' "$manifest")
  log "$ref: $(du -m "$archive" | cut -f1) MB archive ($archive)"
  local i unpacked
  for i in "${!sizes[@]}"; do
    unpacked="$(gzip -dc "$layout/blobs/${sizes[$i]}" | wc -c)"
    log "  layer $((i + 1)): $(($(stat -c %s "$layout/blobs/${sizes[$i]}") / 1048576)) MB gzip," \
      "$((unpacked / 1048576)) MB unpacked: ${created_by[$i]:-}"
  done
}

main "$@"
