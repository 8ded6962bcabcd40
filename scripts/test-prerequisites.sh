#!/usr/bin/env bash
# Runs before `npm test`: the suites start a throwaway redis-server (replicas share data versions and
# the cache through it), drive Debian's chromium (the playground's browser test) and validate
# docker-compose.yml with Debian's docker-compose (no Docker engine needed). chDB and the S3
# server come from npm. On Debian/Ubuntu as root this installs what is missing; elsewhere it says
# what to install.
set -euo pipefail
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
[ -x /usr/bin/chromium ] || { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; } || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "test prerequisites: installing ${missing[*]} with apt-get" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "test prerequisites missing: ${missing[*]} — install them (Debian/Ubuntu: sudo apt-get install -y ${missing[*]}) and run npm test again" >&2
exit 1
