#!/usr/bin/env bash
# Builds the release binary and the Debian package:
#   target/debian/connect-console_<version>-1_<arch>.deb
# With --rpm, also an RPM of the same files: target/generate-rpm/connect-console-<version>-1.<arch>.rpm
#
# The package's contents are listed in Cargo.toml, [package.metadata.deb] (and
# [package.metadata.generate-rpm]); the icons are committed renders (scripts/render-icons.sh), so
# no renderer is needed here. Installs cargo-deb (and dpkg-dev, for the automatic dependencies)
# when missing. scripts/check-package.sh validates, installs, runs and removes the result.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "package.sh: $*" >&2; exit 1; }

rpm=false
for arg in "$@"; do
  case $arg in
    --rpm) rpm=true ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$arg' (only --rpm)" ;;
  esac
done

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

# dpkg-shlibdeps (dpkg-dev) works out the shared libraries the binary links to ($auto).
if ! command -v dpkg-shlibdeps >/dev/null; then
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends dpkg-dev
fi
if ! cargo deb --version >/dev/null 2>&1; then
  cargo install --locked cargo-deb
fi

# The changelog's newest entry names the version being packaged.
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[ -n "$version" ] || die "no version in Cargo.toml"
head -n 1 debian/changelog | grep -q "^connect-console ($version-" \
  || die "debian/changelog does not start with an entry for $version: add one"

cargo build --release --bin connect-console

rm -f target/debian/connect-console_*.deb
cargo deb --no-build
deb=$(ls target/debian/connect-console_*.deb)
echo "package.sh: built $deb ($(du -k "$deb" | cut -f1) KB)"

if $rpm; then
  if ! cargo generate-rpm --version >/dev/null 2>&1; then
    cargo install --locked cargo-generate-rpm
  fi
  rm -f target/generate-rpm/connect-console-*.rpm
  cargo generate-rpm
  rpm_file=$(ls target/generate-rpm/connect-console-*.rpm)
  echo "package.sh: built $rpm_file ($(du -k "$rpm_file" | cut -f1) KB)"
fi
