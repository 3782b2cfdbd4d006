"""Benchmarks and quality evaluations (``python -m bench.<name>``; see README.md, Measuring)."""

import os

# Before numpy is imported (``python -m bench.x`` imports this package first): the fits of bench.html_fit
# multiply small matrices, where OpenBLAS's second thread wins no wall time and busy-waits on the other CPU
# (python -m bench.quality_html on 2 CPUs: 160 user CPU-s in 138 s with it, 127 in 128 s without, the same
# rows). A value set by the caller stands.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
