"""The typst peer of the certificate benchmark: renders one PDF per document listed on stdin.

Usage: render.py TEMPLATE ROOT OUT_DIR WORKERS < jobs.jsonl, one {"name", "data", "key_id",
"fingerprint", "digest", "qr"} per line; FONT_DIR names the fonts Refurbdesk embeds too.
Prints one line: the wall seconds of rendering and writing everything (worker start-up
included, as the Rust side includes its threads'), then "<ms>:<bytes>" per document.
Each worker process keeps one typst Compiler, so the template, the fonts and the word table
are loaded once per worker and reused, the fastest way the typst package offers.
"""
import json
import multiprocessing
import os
import sys
import time

import typst


def work(args):
    template, root, out_dir, jobs = args
    compiler = typst.Compiler(
        template, root=root, font_paths=[os.environ["FONT_DIR"]], ignore_system_fonts=True
    )
    results = []
    for job in jobs:
        started = time.perf_counter()
        inputs = {k: job[k] for k in ("data", "key_id", "fingerprint", "digest", "qr")}
        pdf = compiler.compile(sys_inputs=inputs)
        with open(os.path.join(out_dir, job["name"] + ".pdf"), "wb") as f:
            f.write(pdf)
        results.append(f"{(time.perf_counter() - started) * 1e3:.3f}:{len(pdf)}")
    return results


def main():
    template, root, out_dir, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    jobs = [json.loads(line) for line in sys.stdin if line.strip()]
    chunks = [(template, root, out_dir, jobs[i::workers]) for i in range(workers)]
    started = time.perf_counter()
    with multiprocessing.Pool(workers) as pool:
        results = [r for part in pool.map(work, chunks) for r in part]
    elapsed = time.perf_counter() - started
    print(f"{elapsed:.3f} " + " ".join(results))


if __name__ == "__main__":
    main()
