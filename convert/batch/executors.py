"""Where a build's tasks run: warm processes on this machine (``local_pool``), or a Dask cluster
(``dask_executor``, imported only when asked for: it needs the ``dask`` extra)."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from convert.batch.executor import Executor, ExecutorUnavailable, ExtraMissing
from convert.batch.local_pool import LocalPool


def open_executor(name: str, scheduler: str | None, jobs: int) -> AbstractContextManager[Executor]:
    """The executor called ``name``, ready to run tasks until the ``with`` block ends.

    Raises ``ExecutorUnavailable`` (``ExtraMissing`` without the extra) before any work is done.
    """
    if name == "local":
        return nullcontext(LocalPool(jobs))
    if name == "dask":
        try:
            from convert.batch.dask_executor import DaskExecutor
        except ImportError as exc:
            if exc.name is not None and exc.name.partition(".")[0] in ("dask", "distributed"):
                raise ExtraMissing("dask") from None
            raise
        return DaskExecutor.connect(scheduler)
    raise ExecutorUnavailable(f"unknown executor {name!r} (have local, dask)")


__all__ = ["open_executor"]
