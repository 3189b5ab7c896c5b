#!/usr/bin/python3
"""Peer of bench/Data: the same two passes over the same TSV with Python's streaming csv module.

Pass 1 learns the label's categories in order of first occurrence; pass 2 maps each label to its 1-based key and
reads the text and the value. Prints one JSON line: rows, seconds, MB/s, peak RSS, checksum (equal to ours).
"""
import csv
import json
import os
import resource
import sys
import time


def main(path):
    start = time.perf_counter()
    keys = {}
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for row in reader:
            keys.setdefault(row[0], len(keys) + 1)
    rows = key_sum = characters = 0
    value_sum = 0.0
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for label, text, value in reader:
            rows += 1
            key_sum += keys.get(label, 0)
            characters += len(text)
            value_sum += float(value)
    seconds = time.perf_counter() - start
    megabytes = os.path.getsize(path) / (1 << 20)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": round(seconds, 3), "mb_per_s": round(2 * megabytes / seconds, 1),
                      "peak_rss_mb": round(peak, 1), "checksum": f"{key_sum}-{characters}-{value_sum:.0f}"}))


if __name__ == "__main__":
    main(sys.argv[1])
