#!/usr/bin/env bash
# Boots the arm64 image in qemu-system-aarch64 (virt, cortex-a72, 4 CPUs, 2 GB, virtio-gpu as the
# TV, a USB sound card recorded to a WAV, the remote forwarded to a loopback port) and checks the
# box on it; see boot_check.py for the checks. Exit 0 only when every check holds.
#
#   image/debian/boot-test.sh IMAGE EVIDENCE_DIR
#
# EVIDENCE_DIR gets checks.json, the TV's screendumps (tv-boot1.png, tv-boot2.png), the serial
# logs, the captured WAVs and the API's state before and after the power cut. Installs the host
# packages it needs (qemu-system-arm, mtools, e2fsprogs, fdisk) and the project's test venv
# (zxing-cpp to read the QR code). KARAOKE_BOOT_TIMEOUT: seconds to wait for each boot (1800).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(cd "$here/../.." && pwd)"

[ $# = 2 ] || { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
image="$(readlink -f "$1")"
evidence="$(readlink -m "$2")"
[ -f "$image" ] || { echo "boot-test: no image $1" >&2; exit 2; }

need=()
for entry in qemu-system-arm:qemu-system-aarch64 mtools:mcopy e2fsprogs:debugfs fdisk:sfdisk; do
  command -v "${entry#*:}" >/dev/null 2>&1 || [ -x "/usr/sbin/${entry#*:}" ] || need+=("${entry%%:*}")
done
if [ "${#need[@]}" -gt 0 ]; then
  echo "boot-test: installing ${need[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
"$top/scripts/setup.sh" test >/dev/null

mkdir -p "$evidence"
started="$(date +%s)"
rc=0
PATH="$PATH:/usr/sbin:/sbin" "$top/.venv/bin/python" "$here/boot_check.py" "$image" "$evidence" || rc=$?
rm -rf "$evidence/work"
echo "boot-test: $(( $(date +%s) - started )) s, exit $rc, evidence in $evidence"
exit "$rc"
