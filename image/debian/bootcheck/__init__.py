"""The arm64 image's boot test in QEMU (entry point: ``image/debian/boot_check.py``).

- ``guest_probe``: what the test puts into its copy of the image (first-boot settings, the serial
  probe unit, a slow-start drop-in) and the parsers of the probe's serial reports;
- ``qemu_machine``: the card (a larger copy of the image, its partitions) and one QEMU run on it
  (screendumps and the power cut through QMP);
- ``phone``: a phone on the remote, the night it books, the night compared across the power cut;
- ``evidence``: the captured WAV's level, the QR codes in a screendump, the overall verdict;
- ``night``: the checks, boot by boot, recorded for ``checks.json``.
"""
