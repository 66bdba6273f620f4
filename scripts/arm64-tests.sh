#!/usr/bin/env bash
# Runs the project's tests on arm64 without a Pi: in an arm64 Debian root under qemu-user + binfmt
# on any Debian host (natively on an arm64 one). Needs root, and network access to a Debian mirror
# and to PyPI the first time (and whenever the package lists or pyproject.toml change).
#
#   sudo scripts/arm64-tests.sh                    # the arm64 subset (see below), result and time
#   sudo scripts/arm64-tests.sh -- tests/core -x   # these pytest arguments instead (same plugin)
#   scripts/arm64-tests.sh --dry-run               # print the plan (root key, packages, subset)
#
# Options:
#   --dry-run      print the plan and change nothing (needs no tools, no root)
#   --cache DIR    arm64 roots, apt .debs and pip's cache, kept between runs
#                  (default /var/cache/karaoke-arm64)
#   --suite NAME   Debian suite (default bookworm)
#   --mirror URL   Debian mirror (default http://deb.debian.org/debian)
#   --rebuild      make a new root even when a cached one matches
#
# The root is made with mmdebstrap from the packages `scripts/setup.sh packages test` lists and
# kept in CACHE/root-KEY, KEY being a digest of the suite and that list: a changed list makes a
# new root (older ones are removed). The checkout (what git tracks, as it is now) is copied into
# the root's /srv/karaoke beside the venv kept there, then `scripts/setup.sh test` runs inside it
# (quick when pyproject.toml did not change) and pytest runs the subset under SDL's dummy drivers.
# Prints the result and the time (each test's time in CACHE/last-junit.xml); exits with pytest's
# status (non-zero on any failure).
# shellcheck disable=SC2016  # hook bodies are expanded by mmdebstrap's shell
set -euo pipefail

src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

suite=bookworm
mirror=http://deb.debian.org/debian
security_mirror=http://deb.debian.org/debian-security
cache=/var/cache/karaoke-arm64
dry_run=0 rebuild=0
pytest_args=()

# The subset: the whole suite (tests/ and the doctests) but for what emulation cannot run or what
# checks the host. The plugin tests/support/emulated.py leaves out, by the fixtures they use, the
# tests on a real-time clock (JACK's dummy server, the live engine: under qemu-user an audio
# period is emulated many times slower than the clock that paces it) and those driving Chromium
# (its sandbox and JIT under qemu-user). Ignored here: tests/deploy and tests/image (they check
# the host's tools: systemd-analyze, loop devices, apt for arm64, shellcheck; they run in the
# normal suite). tests/bench is never collected (bench_*.py). Timings: docs/appliance.md, "The
# test suite on arm64".
subset=(--ignore=tests/deploy --ignore=tests/image)

host_tools=(
  "mmdebstrap:mmdebstrap" "qemu-user-static:qemu-aarch64-static" "binfmt-support:update-binfmts"
  "arch-test:arch-test"
)

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --dry-run) dry_run=1 ;;
      --cache) cache="$2"; shift ;;
      --suite) suite="$2"; shift ;;
      --mirror) mirror="$2"; shift ;;
      --rebuild) rebuild=1 ;;
      -h|--help) usage; exit 0 ;;
      --) shift; pytest_args=("$@"); break ;;
      *) echo "arm64-tests.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
  done
}

say() { echo "arm64-tests: $*"; }

packages() {
  { bash "$src/scripts/setup.sh" packages test; echo python3-venv; } | awk 'NF && !seen[$0]++'
}

root_key() {
  { echo "$suite $mirror"; packages; } | sha256sum | cut -c1-16
}

sources() {
  echo "deb $mirror $suite main"
  echo "deb $mirror $suite-updates main"
  echo "deb $security_mirror $suite-security main"
}

tests_to_run() {
  printf '%s\n' -p tests.support.emulated
  if [ "${#pytest_args[@]}" -gt 0 ]; then printf '%s\n' "${pytest_args[@]}"; return; fi
  printf '%s\n' "${subset[@]}"
}

print_plan() {
  echo "plan: arm64 Debian $suite root $cache/root-$(root_key)"
  sources | sed 's/^/  source: /'
  echo "  packages: $(packages | tr '\n' ' ')"
  echo "checkout: copied to /srv/karaoke in the root; scripts/setup.sh test there"
  echo "pytest: $(tests_to_run | tr '\n' ' ')"
  echo "cache: $cache/apt $cache/pip"
}

ensure_host_tools() {
  local entry missing=()
  for entry in "${host_tools[@]}"; do
    command -v "${entry#*:}" >/dev/null 2>&1 || [ -x "/usr/sbin/${entry#*:}" ] || missing+=("${entry%%:*}")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing host packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if [ "$(uname -m)" != aarch64 ]; then
    [ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    update-binfmts --enable qemu-aarch64 2>/dev/null || true
    arch-test arm64 >/dev/null || { echo "arm64-tests.sh: this host cannot run arm64 programs" >&2; exit 1; }
  fi
}

# Removes a root, never what is mounted in it (an interrupted run may have left /dev bound there).
remove_root() {
  local dir="$1" m
  [ -e "$dir" ] || return 0
  while read -r m; do umount -l "$m" || true; done < <(findmnt -rn -o TARGET | grep -F "$dir/" | sort -r)
  rm -rf --one-file-system "$dir"
}

# A root for this key: the cached one, or a new one (made beside it, then renamed into place so
# that an interrupted build never passes for a cached root).
make_root() {
  local key new
  key="$(root_key)"
  root="$cache/root-$key"
  if [ "$rebuild" = 0 ] && [ -f "$root/.karaoke-arm64-complete" ]; then
    say "reusing the arm64 root $root"
    return 0
  fi
  new="$cache/new-root-$key"
  remove_root "$new"; remove_root "$root"
  mkdir -p "$cache/apt" "$cache/pip"
  local -a mirrors
  mapfile -t mirrors < <(sources)
  say "making the arm64 root $root (mmdebstrap under qemu-user)"
  # jackd2 asks about real-time priority: answered no beforehand.
  echo "jackd2 jackd/tweak_rt_limits boolean false" > "$cache/debconf-seed"
  mmdebstrap --variant=apt --arch=arm64 --include="$(packages | paste -sd, -)" \
    --skip=download/empty --aptopt='Acquire::Retries "3"' \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives' \
    --setup-hook="sync-in $cache/apt /var/cache/apt/archives/" \
    --essential-hook="upload $cache/debconf-seed /tmp/debconf-seed" \
    --essential-hook='chroot "$1" debconf-set-selections /tmp/debconf-seed' \
    --customize-hook="sync-out /var/cache/apt/archives $cache/apt" \
    --customize-hook='chroot "$1" apt-get clean' \
    "$suite" "$new" "${mirrors[@]}"
  touch "$new/.karaoke-arm64-complete"
  mv "$new" "$root"
  local old
  for old in "$cache"/root-* "$cache"/new-root-*; do
    if [ -e "$old" ] && [ "$old" != "$root" ]; then say "removing the outdated root $old"; remove_root "$old"; fi
  done
}

# Behind a TLS-intercepting proxy the root's CA bundle does not know the proxy's CA: pip in the
# root uses the host's bundle.
host_ca=/etc/ssl/certs/ca-certificates.crt
chroot_run() {
  local ca=()
  [ -f "$root/tmp/host-ca.crt" ] && ca=(PIP_CERT=/tmp/host-ca.crt)
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    TERM="${TERM:-dumb}" "${ca[@]}" "$@"
}

mounted=()
mount_in() {   # mount_in TARGET MOUNT-ARGS...
  local target="$root/$1"; shift
  mkdir -p "$target"
  mount "$@" "$target"
  mounted=("$target" "${mounted[@]}")
}

with_mounts() {
  mount_in proc -t proc proc
  mount_in sys -t sysfs sysfs
  mount_in dev --bind /dev
  mount_in dev/pts --bind /dev/pts
  mount_in dev/shm -t tmpfs tmpfs   # multiprocessing's semaphores
  mount_in tmp -t tmpfs tmpfs
  mkdir -p "$cache/pip"
  mount_in root/.cache/pip --bind "$cache/pip"
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
  [ ! -f "$host_ca" ] || cp "$host_ca" "$root/tmp/host-ca.crt"
}

umount_all() {
  local m
  for m in "${mounted[@]}"; do
    mountpoint -q "$m" && umount -l "$m"
  done
  mounted=()
  return 0
}

# What git knows of the checkout (tracked and untracked-not-ignored files), as they are now; the
# venv from the last run stays (setup.sh keeps it when pyproject.toml did not change).
copy_source() {
  local dest="$root/srv/karaoke"
  mkdir -p "$dest"
  find "$dest" -mindepth 1 -maxdepth 1 ! -name .venv -exec rm -rf {} +
  if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$src" && git ls-files -z --cached --others --exclude-standard |
      xargs -0 -I{} sh -c '[ -e "$1" ] && printf "%s\0" "$1"' _ {} | tar --null -T - -cf -) | tar -C "$dest" -xf -
  else
    tar -C "$src" --exclude=.venv --exclude=.git --exclude=__pycache__ -cf - . | tar -C "$dest" -xf -
  fi
}

run_tests() {
  local -a args
  mapfile -t args < <(tests_to_run)
  chroot_run sh -c 'cd /srv/karaoke && exec "$@"' sh \
    env SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy PYTHONDONTWRITEBYTECODE= \
    .venv/bin/python -m pytest -q -p no:cacheprovider --timeout=1800 --durations=25 \
    --junitxml=/srv/arm64-junit.xml "${args[@]}"
}

main() {
  parse_args "$@"
  if [ "$dry_run" = 1 ]; then print_plan; exit 0; fi
  [ "$(id -u)" = 0 ] || { echo "arm64-tests.sh: run as root (mmdebstrap, chroot, mounts)" >&2; exit 1; }
  local started t0 status=0
  started="$(date +%s)"
  ensure_host_tools
  make_root
  local t_root=$(( $(date +%s) - started ))
  trap umount_all EXIT
  with_mounts
  copy_source
  t0="$(date +%s)"
  chroot_run sh -c 'cd /srv/karaoke && scripts/setup.sh test'
  local t_setup=$(( $(date +%s) - t0 ))
  t0="$(date +%s)"
  run_tests || status=$?
  local t_tests=$(( $(date +%s) - t0 ))
  cp "$root/srv/arm64-junit.xml" "$cache/last-junit.xml" 2>/dev/null || true   # each test's time
  umount_all
  say "root ${t_root}s, setup ${t_setup}s, tests ${t_tests}s, total $(( $(date +%s) - started ))s"
  if [ "$status" = 0 ]; then say "PASSED on $(chroot "$root" uname -m)"; else say "FAILED (pytest exit $status)"; fi
  return "$status"
}

main "$@"; exit $?   # one line: bash reads no further, so editing this file mid-run is safe
