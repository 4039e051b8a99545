#!/usr/bin/env bash
# One command for a fresh Debian bookworm machine: install what is missing, build, start the
# workbench. Arguments are passed to textgrad-workbench.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec "${BUILD_DIR:-build}/src/gui/textgrad-workbench" "$@"
