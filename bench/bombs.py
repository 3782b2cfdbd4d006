"""Peak memory of a reindex over input bombs: one 1.5 GiB line in a gzip, and 6 million ``{}`` lines.

Builds the bombs in a temporary folder (never in the repo), runs ``newsearch reindex`` on each as a
separate process (as a user would, with its default worker processes) and reports the peak resident
memory of that process and its workers, the time, and the summary's first line. With ``--base`` it
runs another checkout's code too, alternating, for before/after numbers::

    .venv/bin/python -m bench.bombs                      # this checkout
    .venv/bin/python -m bench.bombs --base ../main       # and another one, side by side
"""

import argparse
import gzip
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: Runs the CLI of the checkout in the working folder; prints the peak RSS (KB) of it and its workers.
MEASURE = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-c", "import newsearch; newsearch.cli(prog_name='newsearch')",
                       *sys.argv[1:]], capture_output=True, text=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(done.returncode)
print((done.stdout + done.stderr).strip().splitlines()[0] if (done.stdout + done.stderr).strip() else "")
"""


def long_line_bomb(folder: Path, gib: float = 1.5) -> Path:
    """A ``.jsonl.gz`` of one JSON line ``gib`` GiB long (about 1.5 MB compressed)."""
    path = folder / "long-line.jsonl.gz"
    chunk = b"a" * (16 * 1024 * 1024)
    with gzip.open(path, "wb", compresslevel=9) as f:
        f.write(b'{"id": "bomb", "body": "')
        for _ in range(int(gib * 1024 / 16)):
            f.write(chunk)
        f.write(b'"}\n')
    return path


def empty_lines_bomb(folder: Path, lines: int = 6_000_000) -> Path:
    """A ``.jsonl.gz`` of ``lines`` lines ``{}`` (about 17.5 KB compressed), each skipped as no article."""
    path = folder / "empty-objects.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as f:
        for _ in range(lines // 100_000):
            f.write(b"{}\n" * 100_000)
    return path


def measure(checkout: Path, bomb: Path, index_dir: Path) -> dict:
    """Reindex ``bomb`` into a fresh ``index_dir`` with ``checkout``'s code."""
    shutil.rmtree(index_dir, ignore_errors=True)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURE, "reindex", str(bomb), "--index", str(index_dir)],
                          cwd=checkout, capture_output=True, text=True, env={"PYTHONPATH": str(checkout)})
    seconds = time.perf_counter() - started
    peak_kb, code, summary = (done.stdout.split("\n", 2) + ["", "", ""])[:3]
    return {"peak_mb": int(peak_kb) / 1024 if peak_kb.isdigit() else None, "exit": code,
            "seconds": seconds, "summary": summary.strip()[:110]}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--base", type=Path, help="another checkout to measure too (e.g. ../main)")
    parser.add_argument("--gib", type=float, default=1.5, help="length of the long line, GiB")
    parser.add_argument("--lines", type=int, default=6_000_000, help="lines of the '{}' bomb")
    args = parser.parse_args(argv)
    checkouts = [("this", REPO)] + ([("base", args.base.resolve())] if args.base else [])
    work = Path(tempfile.mkdtemp(prefix="newsearch-bombs-"))
    try:
        bombs = [long_line_bomb(work, args.gib), empty_lines_bomb(work, args.lines)]
        for bomb in bombs:
            print(f"{bomb.name}: {bomb.stat().st_size / 1e6:.2f} MB on disk")
        print(f"{'bomb':<28} {'checkout':<8} {'peak RSS':>9} {'exit':>4} {'time':>7}  summary")
        for bomb in bombs:
            for name, checkout in checkouts:
                got = measure(checkout, bomb, work / "ix")
                peak = f"{got['peak_mb']:.0f} MB" if got["peak_mb"] is not None else "?"
                print(f"{bomb.name:<28} {name:<8} {peak:>9} {got['exit']:>4} {got['seconds']:>6.1f}s  "
                      f"{got['summary']}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
