"""A dashboard kernel with bounded memory: ``python -m art60kit.dashboards.kernel -f FILE``.

Sets the process's address-space limit (``RLIMIT_AS``) to ``ART60KIT_KERNEL_MEMORY_MB``
megabytes (default 3072) and then runs the IPython kernel as usual. An allocation
beyond the limit fails inside that kernel (``MemoryError``) instead of taking the
machine and the other people's kernels down; the server (:mod:`.server`) starts every
dashboard kernel this way (:data:`ARGV`).

A dashboard kernel is never interrupted: a dashboard page has no "interrupt" button,
and the only SIGINT it receives is the one the Jupyter kernel manager sends before
shutting a kernel down (server stopped with Ctrl-C, idle kernel culled). Left to
Python, that signal becomes a ``KeyboardInterrupt`` wherever the kernel is — while
starting, while drawing a dashboard — and a traceback in the server's terminal. So
the kernel ignores SIGINT from its first statement (:data:`ARGV`) and while it runs
cells; it still stops at once on the shutdown request, or on the SIGTERM that
follows it when a cell is busy.
"""
from __future__ import annotations

import os
import resource
import signal
import sys

DEFAULT_MB = 3072
#: the kernel's command line (``{connection_file}`` filled in by Jupyter): SIGINT is
#: ignored before anything else is imported (importing pandas takes seconds)
ARGV = [sys.executable, "-c",
        "import signal; signal.signal(signal.SIGINT, signal.SIG_IGN); import runpy; "
        "runpy.run_module('art60kit.dashboards.kernel', run_name='__main__', alter_sys=True)",
        "-f", "{connection_file}"]


def limit_memory(megabytes: int) -> int:
    """Lower the address-space limit to ``megabytes`` (never raise it); returns the
    limit in bytes now in force."""
    want = max(256, int(megabytes)) * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if soft == resource.RLIM_INFINITY or want < soft:
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    return resource.getrlimit(resource.RLIMIT_AS)[0]


def ignore_interrupts() -> None:
    """SIGINT ignored now and while the kernel runs cells (ipykernel turns it into
    ``KeyboardInterrupt`` around each message it handles, :func:`main` keeps it off)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from ipykernel.kernelbase import Kernel
    Kernel.pre_handler_hook = lambda self: None
    Kernel.post_handler_hook = lambda self: None


def main() -> None:
    ignore_interrupts()
    limit_memory(int(os.environ.get("ART60KIT_KERNEL_MEMORY_MB", DEFAULT_MB)))
    from ipykernel import kernelapp
    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
