"""Run independent benchmark rows in worker processes.

Small models on a few CPU cores use one thread per process better than
several threads in one process (measured in
``docs/en/benchmarks/generated_city.md``: three 1-thread rows side by side
on 2 cores beat one 2-thread process running them one after the other).
Each worker gets ``threads`` intra-op threads and writes everything it
prints to its own log file; the caller gets the results in job order, and a
failed row names its log.
"""
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Callable, List, Optional, Sequence, Tuple


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask, else the count)."""
    if hasattr(os, 'sched_getaffinity'):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def default_workers(num_jobs: int) -> int:
    """One process per job, up to one more than the CPUs (1 on 1 CPU)."""
    cpus = available_cpus()
    return 1 if cpus < 2 else max(1, min(num_jobs, cpus + 1))


def _call(fn: Callable, args: Tuple, log_file: str, threads: int) -> Any:
    import torch
    torch.set_num_threads(threads)
    os.makedirs(os.path.dirname(os.path.abspath(log_file)), exist_ok=True)
    with open(log_file, 'a', buffering=1) as f:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(f.fileno(), 1)
        os.dup2(f.fileno(), 2)
        return fn(*args)


def run_jobs(
        fn: Callable,
        jobs: Sequence[Tuple],
        log_files: Sequence[str],
        workers: int,
        on_done: Optional[Callable[[int, Any], None]] = None) -> List[Any]:
    """``fn(*job)`` for every job in ``workers`` spawned processes.

    Args:
        fn (Callable): A module-level function (it is pickled by name).
        jobs (Sequence[tuple]): Its arguments, one tuple per job.
        log_files (Sequence[str]): Where each job's stdout / stderr go.
        workers (int): Processes (each gets ``CPUs // workers`` threads,
            at least 1).
        on_done (Callable, optional): Called in this process as
            ``on_done(index, result)`` when a job finishes.

    Returns:
        list: The results, in job order.

    Raises:
        RuntimeError: A job failed; the message names its log file.
    """
    if len(log_files) != len(jobs):
        raise ValueError('one log file per job expected')
    if not isinstance(workers, int) or workers < 1:
        raise ValueError(f'workers must be an int >= 1, got {workers!r}')
    threads = max(1, available_cpus() // workers)
    results: List[Any] = [None] * len(jobs)
    ctx = multiprocessing.get_context('spawn')
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        futures = {
            pool.submit(_call, fn, job, log, threads): i
            for i, (job, log) in enumerate(zip(jobs, log_files))
        }
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except Exception as e:
                for other in futures:
                    other.cancel()
                raise RuntimeError(f'job {i} ({jobs[i]!r}) failed: {e!r}; '
                                   f'its log: {log_files[i]}') from e
            if on_done is not None:
                on_done(i, results[i])
    return results
