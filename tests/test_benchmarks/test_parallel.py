"""mmllie.benchmarks.parallel: rows in worker processes."""
import os

import pytest

from mmllie.benchmarks.parallel import (available_cpus, default_workers,
                                        run_jobs)

pytestmark = pytest.mark.slow


def square_and_report(x: int) -> tuple:
    """A job: prints (into its log) and returns its worker's state."""
    import torch
    print(f'job {x} on stdout', flush=True)
    return x * x, os.getpid(), torch.get_num_threads()


def fail(x: int) -> None:
    print(f'job {x} about to fail', flush=True)
    raise ValueError(f'bad row {x}')


def test_results_in_job_order_logs_apart(tmp_path):
    logs = [str(tmp_path / f'row{i}' / 'row.log') for i in range(3)]
    seen = []
    out = run_jobs(
        square_and_report, [(3, ), (1, ), (2, )],
        logs,
        workers=3,
        on_done=lambda i, r: seen.append(i))
    assert [r[0] for r in out] == [9, 1, 4]
    assert sorted(seen) == [0, 1, 2]
    assert all(pid != os.getpid() for _, pid, _ in out)
    threads = max(1, available_cpus() // 3)
    assert all(n == threads for _, _, n in out)
    for x, log in zip((3, 1, 2), logs):
        assert open(log).read().strip() == f'job {x} on stdout'


def test_failed_job_names_its_log(tmp_path):
    logs = [str(tmp_path / 'a.log'), str(tmp_path / 'b.log')]
    # one worker: job 0 runs (and fails) first
    with pytest.raises(RuntimeError, match='a.log') as err:
        run_jobs(fail, [(1, ), (2, )], logs, workers=1)
    assert 'bad row 1' in str(err.value)
    assert 'job 1 about to fail' in open(logs[0]).read()
    with pytest.raises(ValueError, match='workers'):
        run_jobs(fail, [(1, )], logs[:1], workers=0)
    with pytest.raises(ValueError, match='one log file per job'):
        run_jobs(fail, [(1, )], logs, workers=1)


def test_default_workers():
    cpus = available_cpus()
    if cpus < 2:
        assert default_workers(3) == 1
    else:
        assert default_workers(3) == min(3, cpus + 1)
        assert default_workers(1) == 1
        assert default_workers(100) == cpus + 1
