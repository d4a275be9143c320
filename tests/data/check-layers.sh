#!/bin/sh
# check-layers.sh — every #include "LAYER/…" in src/ names a layer its folder may use
# (HACKING.md, "The tree"): model → codec → archive → feed → render → ui → bin, with
# import beside the archive. One line per include that breaks it; exit 1 if any.
set -eu
root=${1:?usage: check-layers.sh SOURCE_ROOT}
cd "$root/src"
allowed() {
  case "$1" in
    model) echo "model" ;;
    codec) echo "model codec" ;;
    archive) echo "model codec archive" ;;
    import) echo "model codec import" ;;
    feed) echo "model codec archive feed" ;;
    render) echo "model codec archive feed render" ;;
    ui) echo "model codec archive feed render ui" ;;
    bin) echo "model codec archive import feed render ui" ;;
    *) echo "" ;;
  esac
}
status=0
for dir in */; do
  layer=${dir%/}
  ok=$(allowed "$layer")
  if [ -z "$ok" ]; then
    echo "src/$layer: a folder that is not a layer; add it to check-layers.sh and HACKING.md"
    status=1
    continue
  fi
  for used in $(grep -rhoE '#include "[a-z]+/' "$layer" | sed 's/#include "//; s#/##' | sort -u); do
    case " $ok " in
      *" $used "*) ;;
      *)
        grep -rnE "#include \"$used/" "$layer" | sed "s#^#src/#; s#\$# — $layer may not use $used#"
        status=1
        ;;
    esac
  done
done
exit $status
