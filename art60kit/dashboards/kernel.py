"""A dashboard kernel with bounded memory: ``python -m art60kit.dashboards.kernel -f FILE``.

Sets the process's address-space limit (``RLIMIT_AS``) to ``ART60KIT_KERNEL_MEMORY_MB``
megabytes (default 3072) and then runs the IPython kernel as usual. An allocation
beyond the limit fails inside that kernel (``MemoryError``) instead of taking the
machine and the other people's kernels down; the server (:mod:`.server`) starts every
dashboard kernel this way.
"""
from __future__ import annotations

import os
import resource

DEFAULT_MB = 3072


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


def main() -> None:
    limit_memory(int(os.environ.get("ART60KIT_KERNEL_MEMORY_MB", DEFAULT_MB)))
    from ipykernel import kernelapp
    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
