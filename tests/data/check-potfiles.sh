#!/bin/sh
# check-potfiles.sh — every file with a translatable string is in po/POTFILES, and
# every file in po/POTFILES exists. One line per problem; exit 1 if any.
set -eu
root=${1:?usage: check-potfiles.sh SOURCE_ROOT}
cd "$root"
status=0
found=$(mktemp)
trap 'rm -f "$found"' EXIT
{
  grep -rlE '\b(_|N_|C_) ?\(' src --include='*.c' || true
  grep -rl 'translatable="yes"' resources data --include='*.ui' --include='*.in' || true
} | sort -u >"$found"
while read -r f; do
  grep -qxF "$f" po/POTFILES || { echo "po/POTFILES: $f has translatable strings but is not listed"; status=1; }
done <"$found"
while read -r f; do
  case "$f" in ''|'#'*) continue ;; esac
  [ -e "$f" ] || { echo "po/POTFILES: $f does not exist"; status=1; }
done <po/POTFILES
exit $status
