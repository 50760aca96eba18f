#!/usr/bin/env bash
# check-go.sh fails with a clear message when Go is missing or older than
# the version go.mod asks for (Debian's own golang package is too old).
set -euo pipefail
need=$(awk '/^go /{print $2; exit}' go.mod)
if ! command -v go >/dev/null 2>&1; then
  [ -x /usr/local/go/bin/go ] && { echo "Go is in /usr/local/go/bin but not on PATH: export PATH=\$PATH:/usr/local/go/bin" >&2; exit 1; }
  echo "Go $need or newer is needed: download it from https://go.dev/dl/ and unpack it in /usr/local (see README)." >&2
  exit 1
fi
have=$(go env GOVERSION | sed 's/^go//')
if [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -n1)" != "$need" ]; then
  echo "Go $have is too old: Ligne needs Go $need or newer (https://go.dev/dl/)." >&2
  exit 1
fi
