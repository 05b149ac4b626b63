#!/usr/bin/env bash
# Installs Debian's headless Chromium and its driver for the browser test, if missing.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install_browser: no apt-get; install Chromium and ChromeDriver yourself" >&2
  exit 1
fi
run_as_root=()
if [ "$(id -u)" != 0 ]; then
  run_as_root=(sudo)
fi
echo "install_browser: installing chromium and chromium-driver from Debian"
"${run_as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${run_as_root[@]}" apt-get install -y -qq chromium chromium-driver >/dev/null
