#!/usr/bin/env bash
# The full delay-slot differential run against qemu-mipsel (see
# tests/delay_differential.rs): DELAY_DIFF_COUNT programs (default 2000)
# from DELAY_DIFF_SEED (default 1), each under qemu-mipsel and four myvmm
# runs (both engines, two slice sizes). Installs qemu-user and
# gcc-mipsel-linux-gnu from Debian's packages when absent.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v qemu-mipsel >/dev/null || ! command -v mipsel-linux-gnu-gcc >/dev/null; then
  apt-get update && apt-get install -y qemu-user gcc-mipsel-linux-gnu
fi
time cargo test --release --test delay_differential -- --ignored full_run --nocapture
