#!/usr/bin/env bash
# Debian's Lua 5.1 (what Argo CD's gopher-lua implements), for the Argo CD health-script tests.
set -euo pipefail
if command -v lua5.1 >/dev/null; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq lua5.1 >/dev/null
lua5.1 -v
