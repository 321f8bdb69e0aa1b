#!/usr/bin/env bash
# Builds the Debian package (scripts/package.sh) and checks it as a user's machine would see it:
# the desktop entry and AppStream metadata as shipped, lintian (errors fail, warnings are shown),
# then install it with apt, run it, remove it, and check that it left no file behind.
# Needs root (or sudo) for apt; CI runs it from .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
fail() { echo "check-package.sh: $*" >&2; exit 1; }

missing=()
command -v desktop-file-validate >/dev/null || missing+=(desktop-file-utils)
command -v appstreamcli >/dev/null || missing+=(appstream)
command -v lintian >/dev/null || missing+=(lintian)
command -v dpkg-shlibdeps >/dev/null || missing+=(dpkg-dev)
if [ ${#missing[@]} -gt 0 ]; then
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

scripts/package.sh
deb=$(ls target/debian/connect-console_*.deb)

# The files as the package ships them.
shipped=$(mktemp -d)
trap 'rm -rf "$shipped"' EXIT
dpkg-deb -x "$deb" "$shipped"
dpkg-deb --info "$deb"
dpkg-deb --contents "$deb"

echo "== desktop-file-validate"
out=$(desktop-file-validate "$shipped/usr/share/applications/connect-console.desktop" 2>&1) \
  || fail "desktop-file-validate failed: $out"
[ -z "$out" ] || fail "desktop-file-validate printed: $out"
echo "(nothing printed)"

echo "== appstreamcli validate --no-net"
appstreamcli validate --no-net "$shipped/usr/share/metainfo/connect-console.metainfo.xml"

echo "== lintian"
lintian --fail-on error --display-info "$deb"
echo "(no errors)"

echo "== install, run, remove"
$sudo apt-get install -y --no-install-recommends "./$deb"
version=$(connect-console --version)
echo "$version"
case $version in
  "connect-console $(dpkg-deb --field "$deb" Version | sed 's/-[^-]*$//')"*) ;;
  *) fail "unexpected --version: $version" ;;
esac
connect-console --help >/dev/null
files=$(dpkg-query -L connect-console)
$sudo apt-get remove -y connect-console
left=""
while IFS= read -r path; do
  if [ -n "$path" ] && [ -e "$path" ] && [ ! -d "$path" ]; then left+="$path"$'\n'; fi
done <<<"$files"
[ -z "$left" ] || fail "left behind after removal: $left"
for path in /usr/bin/connect-console /usr/share/applications/connect-console.desktop; do
  [ ! -e "$path" ] || fail "$path is still there after removal"
done
echo "check-package.sh: the package validates, installs, runs and removes cleanly"
