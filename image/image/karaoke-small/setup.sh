#!/bin/bash
# genimage exec-pre for image-karaoke-small: the root's fstab and the kernel's root= parameter.
# The data partition's fstab line is written by deploy/install.sh --data-partition (one source of
# truth for its mount options), so this keeps the lines it finds for other mount points.
set -eu

part="$1"
mnt="${IMAGEMOUNTPATH:?}"

case "$part" in
  ROOT)
    others="$(grep -v -E '^[^#[:space:]]+[[:space:]]+(/|/boot/firmware)[[:space:]]' "$mnt/etc/fstab" 2>/dev/null || true)"
    {
      echo "LABEL=ROOT  /  ext4  rw,noatime,errors=remount-ro,commit=30  0 1"
      echo "LABEL=BOOT  /boot/firmware  vfat  defaults,rw,noatime,errors=remount-ro  0 2"
      [ -z "$others" ] || printf '%s\n' "$others"
    } > "$mnt/etc/fstab.new"
    mv "$mnt/etc/fstab.new" "$mnt/etc/fstab"
    ;;
  BOOT)
    sed -i 's|root=[^ ]*|root=LABEL=ROOT|' "$mnt/cmdline.txt"
    ;;
  *) ;;
esac
