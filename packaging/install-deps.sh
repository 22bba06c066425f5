#!/usr/bin/env bash
# Installs the Debian packages of a list file: by default every package InitLab needs
# (packaging/debian-packages.txt); another list (packaging/bench-packages.txt) as the argument.
# Runs apt-get as root, or through sudo when started by another user. Skips the
# install when everything is already present, so repeated set-ups are quick.
#
#   packaging/install-deps.sh [LIST]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
list=${1:-$here/debian-packages.txt}
if [[ ! -r "$list" ]]; then
    echo "error: cannot read the package list '$list'" >&2
    exit 2
fi
mapfile -t pkgs < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$')

missing=()
for p in "${pkgs[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install-deps: all ${#pkgs[@]} packages of $(basename "$list") present"
    exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
    sudo_cmd=()
elif command -v sudo >/dev/null; then
    sudo_cmd=(sudo)
else
    echo "error: ${#missing[@]} packages are missing (${missing[*]}) and neither root nor sudo is available" >&2
    exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
