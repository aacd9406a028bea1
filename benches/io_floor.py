#!/usr/bin/env python3
"""The I/O floor of a build: read every input file of a site root, then
write as many files, of the same sizes, as the build wrote. Prints seconds.

    io_floor.py SITE_ROOT BUILT_OUTPUT SCRATCH_DIR

SCRATCH_DIR must not exist; it is left for the caller to delete, after the
measurements: on an ext4 file system without a journal, files created
within one to six minutes of a mass deletion are slow to create (the
allocator skips recently deleted inodes), which would distort the next
measurement.
"""
import os
import sys
import time


def files(root):
    for d, _, names in os.walk(root):
        for n in names:
            yield os.path.join(d, n)


def main():
    site, built, scratch = sys.argv[1:4]
    inputs = [p for sub in ("site.yaml", "data", "content") for p in (
        [os.path.join(site, sub)] if os.path.isfile(os.path.join(site, sub)) else files(os.path.join(site, sub)))]
    outputs = [(os.path.relpath(p, built), os.path.getsize(p)) for p in files(built)]
    if os.path.exists(scratch):
        sys.exit(f"{scratch} exists; move it away first")
    start = time.perf_counter()
    total_in = 0
    for p in inputs:
        with open(p, "rb") as f:
            total_in += len(f.read())
    block = b"x" * max([s for _, s in outputs] + [1])
    made = set()
    for rel, size in outputs:
        d = os.path.dirname(os.path.join(scratch, rel))
        if d not in made:
            os.makedirs(d, exist_ok=True)
            made.add(d)
        with open(os.path.join(scratch, rel), "wb") as f:
            f.write(block[:size])
    elapsed = time.perf_counter() - start
    print(f"{elapsed:.3f} {len(inputs)} {total_in} {len(outputs)} {sum(s for _, s in outputs)}")


if __name__ == "__main__":
    main()
