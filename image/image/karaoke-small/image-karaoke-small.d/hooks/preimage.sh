#!/bin/bash
# Writes genimage.cfg for image-karaoke-small: boot (vfat), root (ext4), data (ext4, KARAOKE-DATA).
set -eu

genimg_in="$2"
layer_dir="${LAYER_DIR:?}"
# shellcheck disable=SC1091
. "${IGconf_image_outputdir:?}/img_uuids"

sed \
  -e "s|<IMAGE_NAME>|${IGconf_image_name:?}|g" \
  -e "s|<IMAGE_SUFFIX>|${IGconf_image_suffix:?}|g" \
  -e "s|<DISK_SIGNATURE>|${IGconf_image_disksig:?}|g" \
  -e "s|<BOOT_SIZE>|${IGconf_image_boot_part_size:?}|g" \
  -e "s|<ROOT_SIZE>|${IGconf_image_root_part_size:?}|g" \
  -e "s|<DATA_SIZE>|${IGconf_image_data_part_size:?}|g" \
  -e "s|<SETUP>|'$(readlink -ef "$layer_dir/setup.sh")'|g" \
  -e "s|<VFAT_EXTRAARGS>|-S ${IGconf_device_sector_size:?} -i ${BOOT_LABEL:?}|g" \
  -e "s|<MKE2FS_ROOT>|-U ${ROOT_UUID:?} ${IGconf_fs_ext4_mkfs_args:-}|g" \
  -e "s|<MKE2FS_DATA>|-U ${DATA_UUID:?}|g" \
  "$layer_dir/genimage.cfg.in" > "$genimg_in/genimage.cfg"
