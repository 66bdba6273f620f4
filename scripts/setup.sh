#!/usr/bin/env bash
# Installs what the box needs on Debian / Raspberry Pi OS: Debian packages and a venv in .venv.
# Idempotent and quick when nothing changed. Usage: scripts/setup.sh run|test
set -euo pipefail

profile="${1:-run}"
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"

run_packages=(
  python3 python3-venv python3-dev gcc  # gcc: pip builds aubio (no wheels on PyPI)
  libsndfile1 libportaudio2 libasound2-plugins alsa-utils
  librubberband2 rubberband-cli
  libsdl2-2.0-0 fonts-noto-core fonts-noto-cjk fonts-dejavu-core fonts-noto-color-emoji
  fluidsynth fluid-soundfont-gm
  sqlite3
  openssl  # the https remote makes its own certificate (web_remote/tls_cert.py)
)
test_packages=(
  jackd2 chromium shellcheck systemd sox fdisk
)

# deploy/install.sh reads the run packages from here: `scripts/setup.sh packages` lists them
# (`scripts/setup.sh packages test` adds the test packages: scripts/arm64-tests.sh's root).
if [ "$profile" = packages ]; then
  printf '%s\n' "${run_packages[@]}"
  [ "${2:-}" != test ] || printf '%s\n' "${test_packages[@]}"
  exit 0
fi

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

install_debian_packages() {
  local wanted=("${run_packages[@]}")
  [ "$profile" = test ] && wanted+=("${test_packages[@]}")
  mapfile -t missing < <(missing_packages "${wanted[@]}")
  [ "${#missing[@]}" = 0 ] && return 0
  echo "setup: installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  # jackd2 asks about real-time priority; answer no without a prompt.
  echo "jackd2 jackd/tweak_rt_limits boolean false" | as_root debconf-set-selections
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

on_raspberry_pi() {
  grep -qs "Raspberry Pi" /proc/device-tree/model
}

install_venv() {
  local python=python3 extra="" stamp=".venv/.installed-$profile"
  [ -x /usr/bin/python3 ] && python=/usr/bin/python3
  if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    if on_raspberry_pi; then
      "$python" -m venv --system-site-packages .venv   # use Raspberry Pi OS's gpiozero/lgpio
    else
      "$python" -m venv .venv
    fi
  fi
  [ "$profile" = test ] && extra="[dev]"
  local digest
  digest="$(sha256sum < pyproject.toml | cut -c1-16)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then return 0; fi
  echo "setup: installing Python packages into .venv ($profile)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".$extra"
  echo "$digest" > "$stamp"
}

install_debian_packages
install_venv
