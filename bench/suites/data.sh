#!/usr/bin/env bash
# Data suite: streams generated TSVs of growing size through LoadFromTextFile + MapValueToKey (fit pass + transform
# pass), ours and Python's csv module side by side, and records throughput and peak RSS against file size.
# Sizes in MiB: DATA_BENCH_SIZES_MB (default "256 1024 4096"). Files go to DATA_BENCH_DIR (default a temp dir).
set -euo pipefail
root="${REPO_ROOT:?}"
sizes="${DATA_BENCH_SIZES_MB:-256 1024 4096}"
work="${DATA_BENCH_DIR:-$(mktemp -d)}"
section="${BENCH_SECTION:-/dev/null}"
trap 'rm -f "$work"/data-*.tsv' EXIT

dotnet build "$root/bench/Data" -c Release -o "$work/bin" >/dev/null
ours=(dotnet "$work/bin/MLNet.Transformers.Data.Bench.dll")
peer=(/usr/bin/python3 "$root/bench/peers/data_streaming.py")
field() { sed -n "s/.*\"$1\": \"\{0,1\}\([^,\"}]*\).*/\1/p" <<<"$2"; }

rows_table=""; summary=""; ratios=()
for mb in $sizes; do
  file="$work/data-$mb.tsv"
  "${ours[@]}" generate "$file" "$mb"
  o="$("${ours[@]}" run "$file")"; p="$("${peer[@]}" "$file")"
  if [ "$(field checksum "$o" | cut -d- -f1,2)" != "$(field checksum "$p" | cut -d- -f1,2)" ]; then
    echo "data: checksums differ at $mb MiB: ours $o, peer $p" >&2; exit 1
  fi
  ratio="$(awk -v a="$(field mb_per_s "$o")" -v b="$(field mb_per_s "$p")" 'BEGIN { printf "%.2f", a / b }')"
  ratios+=("$ratio")
  rows_table+="| $mb | $(field rows "$o") | $(field mb_per_s "$o") | $(field peak_rss_mb "$o") | $(field mb_per_s "$p") | $(field peak_rss_mb "$p") | $ratio |"$'\n'
  summary+=" peak_rss_mb_${mb}=$(field peak_rss_mb "$o")"
  rm -f "$file"
done

{
  echo "Streaming a TSV through \`LoadFromTextFile\` + \`MapValueToKey\`: one pass to fit the key map, one pass to transform"
  echo "while reading the key, the text and the value of every row. Peer: Python's \`csv\` module doing the same two passes."
  echo "MB/s counts both passes; each file is generated just before, so it is read from the page cache. Peak RSS is the whole"
  echo "process (VmHWM / ru_maxrss); flat across sizes means nothing is held per row. Ours includes the .NET runtime and JIT."
  echo
  echo "| file MiB | rows | ours MB/s | ours peak RSS MiB | peer MB/s | peer peak RSS MiB | throughput ratio |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  printf "%s" "$rows_table"
} > "$section"
cat "$section"
echo "data: throughput_ratio=${ratios[-1]}${summary}"
