#!/usr/bin/env bash
# Installs the karaoke box as an appliance: Debian packages, the karaoke user, a venv with the app,
# systemd units, journald/watchdog drop-ins, the hotspot, captive DNS, mDNS, USB automount and the
# kernel command line. Idempotent: a second run changes nothing.
#
#   sudo deploy/install.sh                     # on a Pi (or any Debian box) from a checkout
#   deploy/install.sh --image-mode             # inside an image build's chroot: start nothing
#   deploy/install.sh --root /tmp/r --dry-run  # list what would be done in a throwaway root
#
# Options:
#   --image-mode            no services started, no systemctl calls that need a running systemd
#   --root DIR              install into DIR (default: $DESTDIR, else /); packages are then skipped
#   --dry-run               list the actions, change nothing
#   --wheel FILE            install the app from this wheel instead of the checkout
#   --wheelhouse DIR        offline: pip uses only the wheels in DIR (a USB stick), never an index
#   --no-deps               install only the app, not its PyPI dependencies (tests, quick updates)
#   --skip-packages         do not install Debian packages
#   --system-site-packages  force a venv that sees Debian's Python packages (default on Pi OS)
#   --data-partition        the state lives on its own partition (label KARAOKE-DATA): write its
#                           /etc/fstab line and enable the unit growing it at boot (Pi 3B+ /
#                           Zero 2 W images; A/B images get /var/lib/karaoke from image-rota)
set -euo pipefail

src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deploy="$src/deploy"
root="${DESTDIR:-/}"
image_mode=0 dry_run=0 no_deps=0 skip_packages=0 system_site=0 data_partition=0
wheel="" wheelhouse=""

app_dir=/opt/karaoke
venv="$app_dir/venv"
lib_dir=/usr/local/lib/karaoke
user=karaoke
groups=(video render input audio gpio plugdev)
cmdline_params=(video=HDMI-A-1:1920x1080@60 vt.global_cursor_default=0)
units=(karaoke.service karaoke-firstboot.service karaoke-network.service)
optional_units=(karaoke-overlayroot.service)   # enabled by the Pi 3B+ / Zero 2 W image layer
data_units=(karaoke-data-grow.service)          # with --data-partition
# The data partition: ext4 with data journalling (file contents go through the journal too) and a
# 2 s commit, so a power cut loses at most the last 2 s and never leaves half-written blocks; the
# app fsyncs what matters anyway (SQLite WAL + synchronous=FULL). fsck (pass 2) repairs at boot.
data_label=KARAOKE-DATA
data_mount=/var/lib/karaoke
data_options=defaults,noatime,data=journal,commit=2,errors=remount-ro,x-systemd.growfs

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --image-mode) image_mode=1 ;;
      --root) root="$2"; shift ;;
      --dry-run) dry_run=1 ;;
      --wheel) wheel="$(readlink -f "$2")"; shift ;;
      --wheelhouse) wheelhouse="$(readlink -f "$2")"; shift ;;
      --no-deps) no_deps=1 ;;
      --skip-packages) skip_packages=1 ;;
      --system-site-packages) system_site=1 ;;
      --data-partition) data_partition=1 ;;
      -h|--help) usage; exit 0 ;;
      *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
  done
  root="${root%/}"
}

# --- helpers ------------------------------------------------------------------------------------

say() { echo "install: $*"; }

# Runs a command, or only shows it with --dry-run.
act() {
  if [ "$dry_run" = 1 ]; then
    echo "would run: $*"
  else
    "$@"
  fi
}

in_root() { printf '%s%s' "$root" "$1"; }

on_live_system() { [ -z "$root" ] && [ "$image_mode" = 0 ] && [ -d /run/systemd/system ]; }

# Writes content from stdin to a path in the root when it differs; mode as third argument.
put_content() {
  local dest mode="${2:-0644}" tmp
  dest="$(in_root "$1")"
  tmp="$(mktemp)"
  cat > "$tmp"
  if [ -f "$dest" ] && cmp -s "$tmp" "$dest" && [ "$(stat -c %a "$dest")" = "${mode#0}" ]; then
    rm -f "$tmp"
    return 0
  fi
  if [ "$dry_run" = 1 ]; then
    echo "would write: $1 (mode $mode)"
    rm -f "$tmp"
    return 0
  fi
  mkdir -p "$(dirname "$dest")"
  install -m "$mode" "$tmp" "$dest"
  rm -f "$tmp"
  say "wrote $1"
}

put_file() { put_content "$2" "${3:-0644}" < "$1"; }

# --- steps --------------------------------------------------------------------------------------

package_list() {
  { bash "$src/scripts/setup.sh" packages; grep -v '^[[:space:]]*#' "$deploy/packages-appliance.txt"; } |
    tr -s ' \t' '\n' | grep -v '^$'
}

install_packages() {
  if [ "$skip_packages" = 1 ] || [ -n "$root" ]; then
    say "Debian packages skipped (${root:+installing into $root; }run inside the root to install them)"
    return 0
  fi
  local wanted missing=() pkg
  mapfile -t wanted < <(package_list)
  while read -r pkg; do
    [ -z "$pkg" ] || [[ "$pkg" == \#* ]] && continue
    if apt-cache show "$pkg" >/dev/null 2>&1; then wanted+=("$pkg"); fi
  done < "$deploy/packages-rpios.txt"
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ "${#missing[@]}" = 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  act apt-get update -qq
  act env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

root_args() { if [ -n "$root" ]; then printf '%s\n' --root "$root"; fi; }

group_exists() { grep -q "^$1:" "$(in_root /etc/group)" 2>/dev/null; }

user_groups() { awk -F: -v u="$user" '{ n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == u) print $1 }' "$(in_root /etc/group)"; }

create_user() {
  local extra=() wanted=() g rargs
  mapfile -t rargs < <(root_args)
  for g in "${groups[@]}"; do
    if group_exists "$g"; then wanted+=("$g"); else say "group $g does not exist here: skipped"; fi
  done
  if ! grep -q "^$user:" "$(in_root /etc/passwd)" 2>/dev/null; then
    say "creating user $user"
    [ "${#wanted[@]}" -gt 0 ] && extra=(--groups "$(IFS=,; echo "${wanted[*]}")")
    act useradd "${rargs[@]}" --system --user-group --home-dir /var/lib/karaoke --no-create-home \
      --shell /usr/sbin/nologin --comment "Karaoke box" "${extra[@]}" "$user"
    return 0
  fi
  local have missing=()
  have=" $(user_groups | tr '\n' ' ') "
  for g in "${wanted[@]}"; do [[ "$have" == *" $g "* ]] || missing+=("$g"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "adding $user to groups: ${missing[*]}"
    act usermod "${rargs[@]}" --append --groups "$(IFS=,; echo "${missing[*]}")" "$user"
  fi
}

on_raspberry_pi_os() {
  [ "$system_site" = 1 ] || [ -f "$(in_root /etc/rpi-issue)" ] || grep -qs "Raspberry Pi" /proc/device-tree/model
}

source_digest() {
  if [ -n "$wheel" ]; then
    sha256sum "$wheel" | cut -c1-32
  else
    (cd "$src" && find pyproject.toml appliance web_remote -type f \( -name '*.py' -o -name '*.toml' \
      -o -name '*.html' -o -name '*.css' -o -name '*.js' -o -name '*.svg' -o -name '*.png' -o -name '*.json' \) \
      -not -path '*/__pycache__/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-32)
  fi
}

create_venv() {
  local python=/usr/bin/python3 args=()
  [ -x "$python" ] || python=python3
  [ -x "$(in_root "$venv/bin/python")" ] && return 0
  on_raspberry_pi_os && args+=(--system-site-packages)   # Raspberry Pi OS's gpiozero/lgpio
  say "creating the venv $venv ${args[*]}"
  act mkdir -p "$(in_root "$app_dir")"
  act "$python" -m venv "${args[@]}" "$(in_root "$venv")"
}

install_app() {
  local stamp digest pip_args=(--quiet --disable-pip-version-check) target="$src"
  stamp="$(in_root "$venv/.karaoke-source")"
  digest="$(source_digest)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then return 0; fi
  [ -n "$wheel" ] && target="$wheel"
  [ "$no_deps" = 1 ] && pip_args+=(--no-deps)
  [ -n "$wheelhouse" ] && pip_args+=(--no-index --find-links "$wheelhouse")
  say "installing the app from $target into $venv"
  act env PIP_ROOT_USER_ACTION=ignore "$(in_root "$venv/bin/python")" -m pip install "${pip_args[@]}" "$target"
  if [ "$dry_run" = 0 ]; then echo "$digest" > "$stamp"; fi
}

hotspot_profile() {
  local path=/etc/NetworkManager/system-connections/karaoke-hotspot.nmconnection uuid psk
  [ -f "$(in_root "$path")" ] && return 0
  # A password of its own for each installation; the first-boot settings may replace it.
  uuid="$(cat /proc/sys/kernel/random/uuid)"
  psk="$(tr -dc 'a-km-z2-9' < /dev/urandom | head -c 10 || true)"
  sed -e "s/@UUID@/$uuid/" -e "s/@SSID@/Karaoke/" -e "s/@PSK@/$psk/" \
    "$deploy/config/karaoke-hotspot.nmconnection.in" | grep -v '^#' | put_content "$path" 0600
}

install_files() {
  local u
  for u in "${units[@]}" "${optional_units[@]}"; do
    put_file "$deploy/systemd/$u" "/etc/systemd/system/$u"
  done
  for u in karaoke-network-fallback karaoke-cmdline karaoke-overlayroot-enable karaoke-data-grow; do
    put_file "$deploy/bin/$u" "$lib_dir/$u" 0755
  done
  put_file "$deploy/config/journald-volatile.conf" /etc/systemd/journald.conf.d/karaoke-volatile.conf
  put_file "$deploy/config/system-watchdog.conf" /etc/systemd/system.conf.d/karaoke-watchdog.conf
  put_file "$deploy/config/dnsmasq-captive.conf" /etc/NetworkManager/dnsmasq-shared.d/karaoke-captive.conf
  put_file "$deploy/config/avahi-karaoke.service" /etc/avahi/services/karaoke.service
  put_file "$deploy/config/99-karaoke-usb.rules" /etc/udev/rules.d/99-karaoke-usb.rules
  put_file "$deploy/config/50-karaoke-power.rules" /etc/polkit-1/rules.d/50-karaoke-power.rules
  put_file "$deploy/karaoke.toml.example" /boot/firmware/karaoke.toml.example
  hotspot_profile
}

# The fstab line for the data partition: replaces any other line for the same mount point, keeps
# the rest of the file. overlayroot (recurse=0) passes non-root lines through unchanged, so the
# partition is mounted read-write from the card while / is an overlay in RAM.
fstab_with_data_line() {
  local fstab
  fstab="$(in_root /etc/fstab)"
  if [ -f "$fstab" ]; then
    awk -v m="$data_mount" '$0 ~ /^[[:space:]]*#/ || $2 != m' "$fstab"
  fi
  printf 'LABEL=%s  %s  ext4  %s  0 2\n' "$data_label" "$data_mount" "$data_options"
}

set_data_partition() {
  [ "$data_partition" = 1 ] || return 0
  local u
  for u in "${data_units[@]}"; do
    put_file "$deploy/systemd/$u" "/etc/systemd/system/$u"
  done
  fstab_with_data_line | put_content /etc/fstab 0644
  [ -d "$(in_root "$data_mount")" ] || act mkdir -p "$(in_root "$data_mount")"
}

set_cmdline() {
  local file=/boot/firmware/cmdline.txt result
  if [ ! -f "$(in_root "$file")" ]; then
    say "no $file here: kernel command line left alone (the image build sets it)"
    return 0
  fi
  if [ "$dry_run" = 1 ]; then
    echo "would set on $file: ${cmdline_params[*]}"
    return 0
  fi
  result="$(sh "$deploy/bin/karaoke-cmdline" --file "$(in_root "$file")" "${cmdline_params[@]}")"
  [ "$result" = changed ] && say "kernel command line: ${cmdline_params[*]}"
  return 0
}

set_default_hostname() {
  local file current
  file="$(in_root /etc/hostname)"
  current="$(cat "$file" 2>/dev/null || true)"
  case "$current" in
    ""|raspberrypi|localhost|debian) echo karaoke | put_content /etc/hostname ;;
    *) ;;
  esac
}

enable_units() {
  local rargs
  mapfile -t rargs < <(root_args)
  local wants
  wants="$(in_root /etc/systemd/system/multi-user.target.wants)"
  local u todo=()
  for u in "${units[@]}"; do [ -L "$wants/$u" ] || todo+=("$u"); done
  if [ "$data_partition" = 1 ]; then
    for u in "${data_units[@]}"; do
      [ -L "$(in_root /etc/systemd/system/local-fs.target.wants)/$u" ] || todo+=("$u")
    done
  fi
  if [ "${#todo[@]}" -gt 0 ]; then
    act systemctl "${rargs[@]}" --quiet enable "${todo[@]}"
  fi
  # The TV owns tty1: no login prompt there (other consoles keep theirs).
  if [ -L "$(in_root /etc/systemd/system/getty.target.wants/getty@tty1.service)" ]; then
    act systemctl "${rargs[@]}" --quiet disable getty@tty1.service
  fi
}

start_services() {
  if ! on_live_system; then
    say "services not started (${root:+root $root}${root:+, }image mode or no running systemd)"
    return 0
  fi
  act systemctl daemon-reload
  act udevadm control --reload
  act systemctl restart systemd-journald.service
  act systemctl daemon-reexec   # picks up the watchdog drop-in
  act systemctl start karaoke-network.service
  act systemctl restart karaoke.service
}

main() {
  parse_args "$@"
  [ "$dry_run" = 1 ] && say "dry run: nothing is changed"
  [ -n "$root" ] && [ ! -d "$root" ] && { echo "install.sh: root $root does not exist" >&2; exit 2; }
  install_packages
  create_user
  create_venv
  install_app
  install_files
  set_data_partition
  set_cmdline
  set_default_hostname
  enable_units
  start_services
  say "done"
}

main "$@"
