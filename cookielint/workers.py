"""Worker processes for a run over many files: as many as are useful, never outliving the run, and
never losing the work of the others when one of them dies.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # imported when a run starts workers: a one-file run never pays for them
    from concurrent.futures import Future, ProcessPoolExecutor

Task = TypeVar("Task")
Result = TypeVar("Result")


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_TASKS = 32


def map_tasks(
    function: Callable[[Task], Result],
    tasks: Sequence[Task],
    jobs: int,
    lost: Callable[[Task, str], Result],
) -> list[Result]:
    """``function`` over ``tasks``, in worker processes when worth it; results in task order,
    the same whatever the number of workers."""
    jobs = useful_workers(jobs, len(tasks), available_cpus())
    if jobs <= 1 or len(tasks) < PARALLEL_MIN_TASKS:
        return [function(task) for task in tasks]
    return parallel_map(function, tasks, jobs, lost)


def available_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def useful_workers(requested: int, tasks: int, cpus: int) -> int:
    """No more workers than tasks, nor than CPUs this process may run on."""
    return max(1, min(requested, tasks, cpus))


def parallel_map(
    function: Callable[[Task], Result],
    tasks: Sequence[Task],
    workers: int,
    lost: Callable[[Task, str], Result],
) -> list[Result]:
    """``function`` over ``tasks`` in ``workers`` processes; results in task order.

    When a worker dies (killed, out of memory), the pool's unfinished tasks are
    checked again, one at a time in a fresh worker; a task whose worker dies
    again gets ``lost(task, why)`` instead. Every other result is kept.
    """
    from concurrent.futures.process import BrokenProcessPool

    results: list[Result | None] = [None] * len(tasks)
    done = [False] * len(tasks)
    chunk = max(1, min(64, len(tasks) // (workers * 8)))
    batches = [range(i, min(i + chunk, len(tasks))) for i in range(0, len(tasks), chunk)]
    with _pool(workers) as pool:
        futures: list[tuple[range, Future[list[Result]]]] = [
            (batch, pool.submit(_batch, function, [tasks[i] for i in batch])) for batch in batches
        ]
        for batch, future in futures:
            try:
                for index, result in zip(batch, future.result(), strict=True):
                    results[index], done[index] = result, True
            except BrokenProcessPool:
                continue
    for index in (i for i, finished in enumerate(done) if not finished):
        with _pool(1) as pool:
            try:
                results[index] = pool.submit(_batch, function, [tasks[index]]).result()[0]
            except BrokenProcessPool:
                results[index] = lost(tasks[index], "the worker process checking it ended abruptly")
    return results  # type: ignore[return-value]


def _batch(function: Callable[[Task], Result], tasks: list[Task]) -> list[Result]:
    return [function(task) for task in tasks]


class _pool:
    """A process pool whose workers die with this process, and which an interrupt ends at once."""

    def __init__(self, workers: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self.executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )

    def __enter__(self) -> ProcessPoolExecutor:
        return self.executor

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        from concurrent.futures.process import BrokenProcessPool

        if error is None or isinstance(error, BrokenProcessPool):
            self.executor.shutdown(wait=True)
            return
        # Interrupted (Ctrl-C) or failed: stop the workers now rather than finish their work.
        processes = list(getattr(self.executor, "_processes", {}).values())
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.kill()


def _start_worker(parent: int) -> None:
    """In each worker: exit with the parent, leave Ctrl-C to it, and hold none of its output."""
    import signal
    import threading

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            PR_SET_PDEATHSIG = 1
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker writes nothing: the run's standard output and error (a CI log, a
    # pipe someone waits on) are not kept open by it.
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)


def _watch(parent: int) -> None:
    """Where the kernel can't tie a worker's life to its parent's: look every half second."""
    import time

    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
