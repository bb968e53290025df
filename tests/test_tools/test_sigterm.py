"""A scheduler's SIGTERM ends ``tools/train.py`` with a checkpoint of the
iteration reached and a log line saying where; ``--resume`` continues from
it to the same weights as an uninterrupted run."""
import os
import os.path as osp
import re
import signal
import subprocess

import pytest

from mmllie.testing.tiny_night_run import TinyNightRun
from mmllie.testing.tools import CHECKOUT as REPO
from mmllie.testing.tools import ENHANCER, checkpoint_state

pytestmark = pytest.mark.slow

ITERS = 12
# no periodic checkpoint: only the signal and the end of training save one
SPARSE = ['--cfg-options', 'default_hooks.checkpoint.interval=1000']


# the process alone, or (as Slurm does) every process of the job: the
# main process and its data-loader workers
@pytest.mark.parametrize(
    'workers', [0, 2], ids=['main-process', 'process-group-with-workers'])
def test_sigterm_saves_the_iteration_reached_then_resume(tmp_path, workers):
    run = TinyNightRun(tmp_path, iters=ITERS)
    work_dir = osp.join(run.base, 'stopped')
    loader = [
        f'train_dataloader.num_workers={workers}',
        f'train_dataloader.persistent_workers={workers > 0}'
    ]
    reference = osp.join(run.base, 'reference')
    run.train(reference, *SPARSE, *loader)
    proc = subprocess.Popen(
        run.command('train.py', run.config, '--work-dir', work_dir, *SPARSE,
                    *loader),
        cwd=REPO,
        start_new_session=True,
        env=dict(run.env, PYTHONUNBUFFERED='1'),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True)
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if re.search(r'Iter\(train\) \[ ?2/', line):
            # during iteration 3 or later
            if workers:
                os.killpg(proc.pid, signal.SIGTERM)
            else:
                proc.send_signal(signal.SIGTERM)
            break
    lines += proc.stdout.readlines()
    log = ''.join(lines)
    assert proc.wait(timeout=300) == 128 + signal.SIGTERM, log[-9000:]
    stopped = re.search(
        r'SIGTERM received: training stopped after iteration (\d+) of '
        f'{ITERS}; checkpoint (\\S+) written', log)
    assert stopped, log[-3000:]
    done = int(stopped[1])
    assert 2 <= done < ITERS
    assert stopped[2] == osp.join(work_dir, f'iter_{done}.pth')
    assert osp.isfile(stopped[2])
    assert checkpoint_state(stopped[2])  # a complete checkpoint
    log = run.train(work_dir, '--resume', *SPARSE, *loader)
    assert f'resumed epoch: 0, iter: {done}' in log
    got = checkpoint_state(osp.join(work_dir, f'iter_{ITERS}.pth'), ENHANCER)
    want = checkpoint_state(osp.join(reference, f'iter_{ITERS}.pth'), ENHANCER)
    assert got.keys() == want.keys() and got
    assert all((got[k] == want[k]).all() for k in got)
