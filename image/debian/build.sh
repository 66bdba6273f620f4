#!/usr/bin/env bash
# Builds the karaoke box's arm64 SD-card image from Debian packages only, on any Debian host
# (x86-64 through qemu-user + binfmt, or natively on arm64). Needs root and network access to a
# Debian mirror and to PyPI (the venv is built inside the arm64 root by deploy/install.sh).
#
#   sudo image/debian/build.sh OUT.img              # build
#   image/debian/build.sh --dry-run OUT.img         # print the plan (phases, packages, layout)
#
# Options:
#   --dry-run          print the plan and change nothing (needs no tools, no root)
#   --suite NAME       Debian suite (default bookworm)
#   --mirror URL       Debian mirror (default http://deb.debian.org/debian)
#   --work DIR         scratch folder (default /var/tmp/karaoke-image-build)
#   --cache DIR        apt .debs and pip cache kept between builds (default /var/cache/karaoke-image)
#   --root-size MIB    root partition size (default: content + 40%, at least 1536)
#   --data-size MIB    initial size of the data partition KARAOKE-DATA (default 256; grown at boot)
#   --keep-root        keep the unpacked root folder in the work folder
#   --reuse-root       (development) skip mmdebstrap when a kept root is there; the later phases
#                      are idempotent. Not for release images.
#
# The card: MBR, 1) vfat BOOT (/boot/firmware: Raspberry Pi firmware, Debian's kernel and initrd,
# config.txt, cmdline.txt, karaoke.toml.example), 2) ext4 ROOT (overlay root in RAM from the 2nd
# boot on), 3) ext4 KARAOKE-DATA on /var/lib/karaoke (grown to the card's end at boot). The same
# layout as image/'s image-karaoke-small. Debian's kernel (linux-image-arm64) and raspi-firmware
# make it boot on a Pi 3B+/4 (and qemu-system-aarch64's virt machine, see boot-test.sh).
# Assembled without loop devices: mkfs.ext4 -d, mtools for vfat, sfdisk + dd.
# shellcheck disable=SC2016  # hooks and sh -c bodies are expanded by their own shell
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export MTOOLS_SKIP_CHECK=1   # mtools on a FAT image that is not a floppy
src="$(cd "$here/../.." && pwd)"

suite=bookworm
mirror=http://deb.debian.org/debian
security_mirror=http://deb.debian.org/debian-security
work=/var/tmp/karaoke-image-build
cache=/var/cache/karaoke-image
dry_run=0 keep_root=0 reuse_root=0
root_size="" data_size=256 boot_size=256
out=""

# Host tools (Debian package: command).
host_tools=(
  "mmdebstrap:mmdebstrap" "qemu-user-static:qemu-aarch64-static" "binfmt-support:update-binfmts"
  "mtools:mcopy" "dosfstools:mkfs.vfat" "e2fsprogs:mkfs.ext4" "fdisk:sfdisk" "arch-test:arch-test"
)

# The initramfs is built once, at the end, with only the modules a Pi or QEMU's virt machine needs
# to find its root (MODULES=list): under qemu-user a MODULES=most initramfs rebuilt at every
# kernel/firmware trigger is what took a previous attempt past 30 minutes.
initramfs_modules=(
  ext4 overlay vfat nls_ascii nls_cp437
  mmc_block sdhci_iproc bcm2835 sdhci_brcmstb                                 # Pi 3B+ / 4 / 5 SD card
  pcie_brcmstb xhci_pci xhci_plat_hcd dwc2 usb_storage uas                      # Pi 4/5 USB boot
  virtio_pci virtio_mmio virtio_blk virtio_scsi                                 # qemu virt machine
)

# Packages besides the app's (scripts/setup.sh packages) and the appliance's
# (deploy/packages-appliance.txt): a bootable system with Debian's kernel and the Pi firmware.
base_packages=(
  systemd-sysv udev kmod dbus procps iproute2 netbase ca-certificates
  initramfs-tools linux-image-arm64 raspi-firmware firmware-brcm80211
  python3-venv
)
# Only while the venv is built (zipfile-deflate64 has no aarch64 wheel): purged afterwards.
build_only_packages=(gcc)

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --dry-run) dry_run=1 ;;
      --suite) suite="$2"; shift ;;
      --mirror) mirror="$2"; shift ;;
      --work) work="$2"; shift ;;
      --cache) cache="$2"; shift ;;
      --root-size) root_size="$2"; shift ;;
      --data-size) data_size="$2"; shift ;;
      --keep-root) keep_root=1 ;;
      --reuse-root) reuse_root=1 keep_root=1 ;;
      -h|--help) usage; exit 0 ;;
      -*) echo "build.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
      *) [ -z "$out" ] || { echo "build.sh: one OUT.img only" >&2; exit 2; }; out="$1" ;;
    esac
    shift
  done
  [ -n "$out" ] || { echo "usage: build.sh [options] OUT.img (see --help)" >&2; exit 2; }
}

say() { echo "build: $*"; }

# --- phase timing ------------------------------------------------------------------------------

phase_start=0 phase_name=""
timings=()
phase() {
  phase_end
  phase_name="$1" phase_start="$(date +%s)"
  say "== phase $phase_name"
}
phase_end() {
  [ -n "$phase_name" ] || return 0
  local took=$(( $(date +%s) - phase_start ))
  timings+=("$phase_name $took")
  say "== phase $phase_name took ${took}s"
  phase_name=""
}

# --- plan -------------------------------------------------------------------------------------

app_packages() {
  { bash "$src/scripts/setup.sh" packages; grep -v '^[[:space:]]*#' "$src/deploy/packages-appliance.txt"; } |
    tr -s ' \t' '\n' | grep -v '^$'
}

all_packages() {
  { printf '%s\n' "${base_packages[@]}" "${build_only_packages[@]}"; app_packages; } | awk '!seen[$0]++'
}

sources() {
  echo "deb $mirror $suite main non-free-firmware"
  echo "deb $mirror $suite-updates main non-free-firmware"
  echo "deb $security_mirror $suite-security main non-free-firmware"
}

print_plan() {
  echo "plan: arm64 Debian $suite image -> $out"
  echo "phase host-tools: ${host_tools[*]%%:*}"
  echo "phase root: mmdebstrap --variant=apt --arch=arm64 $suite (update-initramfs diverted)"
  sources | sed 's/^/  source: /'
  echo "  packages: $(all_packages | tr '\n' ' ')"
  echo "phase install: deploy/install.sh --image-mode --data-partition --skip-packages (in the root)"
  echo "phase demo: karaoke demo --build /var/lib/karaoke/demo-library (in the root)"
  echo "phase initramfs: MODULES=list ${initramfs_modules[*]}"
  echo "phase purge: ${build_only_packages[*]}"
  echo "phase assemble: p1 vfat BOOT ${boot_size}MiB /boot/firmware;" \
    "p2 ext4 ROOT ${root_size:-auto}MiB /; p3 ext4 KARAOKE-DATA ${data_size}MiB /var/lib/karaoke"
  echo "cache: $cache/apt $cache/pip"
}

# --- host -------------------------------------------------------------------------------------

ensure_host_tools() {
  local entry missing=()
  for entry in "${host_tools[@]}"; do
    command -v "${entry#*:}" >/dev/null 2>&1 || [ -x "/usr/sbin/${entry#*:}" ] || missing+=("${entry%%:*}")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing host packages: ${missing[*]}"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if [ "$(uname -m)" != aarch64 ]; then
    [ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    update-binfmts --enable qemu-aarch64 2>/dev/null || true
    arch-test arm64 >/dev/null || { echo "build.sh: this host cannot run arm64 programs" >&2; exit 1; }
  fi
}

# --- root -------------------------------------------------------------------------------------

# Files put in the root before any package: the initramfs configuration and /boot/firmware.
write_preseed() {
  local pre="$1"
  rm -rf "$pre"
  mkdir -p "$pre/etc/initramfs-tools/conf.d" "$pre/boot/firmware"
  printf 'MODULES=list\nCOMPRESS=gzip\n' > "$pre/etc/initramfs-tools/conf.d/karaoke-image.conf"
  printf '%s\n' "${initramfs_modules[@]}" > "$pre/etc/initramfs-tools/modules"
}

build_root() {
  local root="$1" pkgs
  pkgs="$(all_packages | paste -sd, -)"
  local -a mirrors
  mapfile -t mirrors < <(sources)
  mkdir -p "$cache/apt" "$cache/pip"
  write_preseed "$work/preseed"
  local -a hooks=(
    --setup-hook="cp -a $work/preseed/. \"\$1\"/"
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives'
    --setup-hook="sync-in $cache/apt /var/cache/apt/archives/"
    # No initramfs while packages go in: built once in the install phase.
    --essential-hook='chroot "$1" dpkg-divert --quiet --local --rename --add /usr/sbin/update-initramfs'
    --essential-hook='ln -sf /bin/true "$1"/usr/sbin/update-initramfs'
    --customize-hook="sync-out /var/cache/apt/archives $cache/apt"
  )
  mmdebstrap --variant=apt --arch=arm64 --include="$pkgs" --skip=download/empty \
    --aptopt='Acquire::Retries "3"' --dpkgopt='force-confold' \
    "${hooks[@]}" "$suite" "$root" "${mirrors[@]}"
}

# Behind a TLS-intercepting proxy the root's CA bundle does not know the proxy's CA: pip in the
# root uses the host's bundle during the build (copied in, removed in the purge phase).
host_ca=/etc/ssl/certs/ca-certificates.crt
chroot_run() {
  local ca=()
  [ -f "$root/tmp/host-ca.crt" ] && ca=(PIP_CERT=/tmp/host-ca.crt)
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "${ca[@]}" "$@"
}

with_mounts() {
  mount -t proc proc "$root/proc"
  mount -t sysfs sysfs "$root/sys"
  mount --bind /dev "$root/dev"
  mount --bind /dev/pts "$root/dev/pts" 2>/dev/null || true
  mkdir -p "$root/root/.cache/pip"
  mount --bind "$cache/pip" "$root/root/.cache/pip"
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
  [ ! -f "$host_ca" ] || cp "$host_ca" "$root/tmp/host-ca.crt"
}

umount_all() {
  local m
  for m in root/.cache/pip dev/pts dev sys proc; do
    mountpoint -q "$root/$m" && umount -l "$root/$m"
  done
  return 0
}

copy_source() {
  local dest="$root/tmp/karaoke-src"
  rm -rf "$dest" && mkdir -p "$dest"
  if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    # What git knows of the checkout (tracked and untracked-not-ignored files), as they are now.
    (cd "$src" && git ls-files -z --cached --others --exclude-standard |
      xargs -0 -I{} sh -c '[ -e "$1" ] && printf "%s\0" "$1"' _ {} | tar --null -T - -cf -) | tar -C "$dest" -xf -
  else
    tar -C "$src" --exclude=.venv --exclude=.git --exclude=__pycache__ -cf - . | tar -C "$dest" -xf -
  fi
}

# Packages of the plan the root lacks (a reused root after the lists changed; none on a fresh one).
install_missing_packages() {
  local pkg missing=()
  while read -r pkg; do
    chroot_run dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done < <(all_packages)
  [ "${#missing[@]}" -gt 0 ] || return 0
  say "installing into the root: ${missing[*]}"
  chroot_run apt-get update -qq
  chroot_run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_app() {
  install_missing_packages
  copy_source
  chroot_run /tmp/karaoke-src/deploy/install.sh --image-mode --data-partition --skip-packages
  chroot_run systemctl enable karaoke-overlayroot.service
  rm -rf "$root/tmp/karaoke-src"
}

# The demo songs the box plays when no library is configured, built now (under qemu-user) rather
# than by the box at its first start: on a Pi 3B+ that would keep the first guests waiting.
build_demo_library() {
  if compgen -G "$root/var/lib/karaoke/demo-library/*/song.toml" >/dev/null; then return 0; fi
  chroot_run env KARAOKE_STATE_DIR=/var/lib/karaoke /opt/karaoke/venv/bin/karaoke demo \
    --build /var/lib/karaoke/demo-library >/dev/null
  chroot_run chown -R karaoke:karaoke /var/lib/karaoke/demo-library
}

configure_system() {
  echo karaoke > "$root/etc/hostname"
  printf '127.0.0.1\tlocalhost\n127.0.1.1\tkaraoke\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
  # / and /boot/firmware by label; the data partition's line is install.sh's (--data-partition).
  local fstab="$root/etc/fstab" rest
  rest="$(grep -v -e '^# UNCONFIGURED' -e ' / ' -e ' /boot/firmware ' "$fstab" 2>/dev/null || true)"
  {
    echo "LABEL=ROOT  /  ext4  defaults,noatime,errors=remount-ro  0 1"
    echo "LABEL=BOOT  /boot/firmware  vfat  defaults,noatime,umask=0022  0 2"
    [ -z "$rest" ] || echo "$rest"
  } > "$fstab"
  # raspi-firmware writes cmdline.txt from these at every kernel or initramfs update.
  # (consoles fixed here: "auto" would probe the build host's /dev).
  local defaults="$root/etc/default/raspi-firmware"
  sed -i -e '/^#\?ROOTPART=/d' -e '/^#\?CONSOLES=/d' "$defaults"
  printf 'ROOTPART=LABEL=ROOT\nCONSOLES="tty0 ttyS1,115200"\n' >> "$defaults"
  echo "video=HDMI-A-1:1920x1080@60 vt.global_cursor_default=0" > "$root/etc/default/raspi-extra-cmdline"
  : > "$root/etc/machine-id"   # a new one at first boot
  rm -f "$root/var/lib/dbus/machine-id"
  chroot_run systemctl enable systemd-networkd-wait-online.service >/dev/null 2>&1 || true
}

build_initramfs() {
  if [ -e "$root/usr/sbin/update-initramfs.distrib" ]; then
    rm -f "$root/usr/sbin/update-initramfs"
    chroot_run dpkg-divert --quiet --local --rename --remove /usr/sbin/update-initramfs
  fi
  chroot_run update-initramfs -c -k all
  find "$root/boot" -maxdepth 2 -type f -printf "  %p %s\n"
}

purge_build_packages() {
  local pkg installed=()
  for pkg in "${build_only_packages[@]}"; do
    chroot_run dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q "ok installed" && installed+=("$pkg")
  done
  if [ "${#installed[@]}" -gt 0 ]; then
    chroot_run env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq --autoremove "${installed[@]}" >/dev/null
  fi
  chroot_run apt-get clean
  ! mountpoint -q "$root/root/.cache/pip" || umount "$root/root/.cache/pip"
  rm -rf "$root/var/lib/apt/lists/"* "$root/root/.cache" "$root/tmp/"* "$root/etc/resolv.conf"
  find "$root/opt/karaoke" -name __pycache__ -prune -o -type f -print >/dev/null
}

# --- card -------------------------------------------------------------------------------------

mib_of() { du -s --block-size=1M "$1" | cut -f1; }

assemble() {
  local parts="$work/parts" bootdir datadir img="$work/card.img"
  rm -rf "$parts" && mkdir -p "$parts/boot" "$parts/data"
  bootdir="$parts/boot" datadir="$parts/data"
  # Move the contents of the other partitions' mount points out of the root.
  (shopt -s dotglob nullglob; mv "$root/boot/firmware/"* "$bootdir/"; mv "$root/var/lib/karaoke/"* "$datadir/")
  chown --reference="$root/var/lib/karaoke" "$datadir"
  chmod --reference="$root/var/lib/karaoke" "$datadir"

  local used
  used="$(mib_of "$root")"
  [ -n "$root_size" ] || root_size=$(( used * 14 / 10 + 64 ))
  [ "$root_size" -ge 1536 ] || root_size=1536
  say "root content ${used} MiB, partition ${root_size} MiB"

  mkfs.vfat -F 32 -n BOOT -C "$parts/boot.img" $(( boot_size * 1024 )) >/dev/null
  mcopy -s -p -i "$parts/boot.img" "$bootdir/"* ::/
  mkfs.ext4 -q -F -L ROOT -d "$root" "$parts/root.img" "${root_size}M"
  mkfs.ext4 -q -F -L KARAOKE-DATA -d "$datadir" "$parts/data.img" "${data_size}M"

  local p1=8 p2 p3 total
  p2=$(( p1 + boot_size )) p3=$(( p2 + root_size ))
  total=$(( p3 + data_size ))
  rm -f "$img" && truncate -s "${total}M" "$img"
  sfdisk --quiet "$img" <<EOF
label: dos
unit: sectors
start=$(( p1 * 2048 )), size=$(( boot_size * 2048 )), type=c, bootable
start=$(( p2 * 2048 )), size=$(( root_size * 2048 )), type=83
start=$(( p3 * 2048 )), size=$(( data_size * 2048 )), type=83
EOF
  dd if="$parts/boot.img" of="$img" bs=1M seek="$p1" conv=notrunc,sparse status=none
  dd if="$parts/root.img" of="$img" bs=1M seek="$p2" conv=notrunc,sparse status=none
  dd if="$parts/data.img" of="$img" bs=1M seek="$p3" conv=notrunc,sparse status=none
  if [ "$keep_root" = 1 ]; then   # a kept root keeps its boot and data contents
    (shopt -s dotglob nullglob; mv "$bootdir/"* "$root/boot/firmware/"; mv "$datadir/"* "$root/var/lib/karaoke/")
  fi
  rm -rf "$parts"
  mv "$img" "$out"
}

cleanup() {
  [ -n "${root:-}" ] || return 0
  umount_all
  if [ "$keep_root" = 0 ] && [ -d "$root" ]; then rm -rf "$root"; fi
}

main() {
  parse_args "$@"
  if [ "$dry_run" = 1 ]; then print_plan; exit 0; fi
  [ "$(id -u)" = 0 ] || { echo "build.sh: run as root (mmdebstrap, chroot, mkfs -d)" >&2; exit 1; }
  out="$(readlink -f "$out")"
  local started
  started="$(date +%s)"
  mkdir -p "$work"
  root="$work/root"
  trap cleanup EXIT
  if [ "$reuse_root" = 0 ]; then rm -rf "$root"; fi

  phase host-tools; ensure_host_tools
  phase root
  if [ -f "$root/var/lib/dpkg/status" ]; then say "reusing the root in $root"; else build_root "$root"; fi
  with_mounts
  phase install; install_app; configure_system
  phase demo; build_demo_library
  phase initramfs; build_initramfs
  phase purge; purge_build_packages
  umount_all
  phase assemble; assemble
  phase_end
  local t
  for t in "${timings[@]}"; do say "time ${t% *}: ${t##* }s"; done
  say "total: $(( $(date +%s) - started ))s; image $out ($(du -h --apparent-size "$out" | cut -f1))"
  printf '%s\n' "${timings[@]}" > "$out.times"
}

main "$@"
