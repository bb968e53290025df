"""Faults a real run meets: a kill -9, a checkpoint truncated by a crash
during saving, a converter killed mid-write."""
import os
import os.path as osp
import shutil
import signal
import subprocess
import sys
import time

import pytest
import torch

from mmllie.testing.nightcity import GT
from mmllie.testing.tiny_night_run import TinyNightRun
from mmllie.testing.tools import CHECKOUT as REPO
from mmllie.testing.tools import ENHANCER, checkpoint_state

pytestmark = pytest.mark.slow

ITERS = 2


@pytest.fixture(scope='module')
def run():
    """A tiny NightCity run and its uninterrupted reference work dir."""
    import tempfile
    with tempfile.TemporaryDirectory() as base:
        tiny = TinyNightRun(base, iters=ITERS)
        tiny.reference = osp.join(base, 'reference')
        tiny.train(tiny.reference)
        yield tiny


def _assert_same_enhancer(a: str, b: str) -> None:
    wa, wb = checkpoint_state(a, ENHANCER), checkpoint_state(b, ENHANCER)
    assert wa.keys() == wb.keys() and len(wa) > 0
    assert all(torch.equal(wa[k], wb[k]) for k in wa)


def test_kill_9_then_resume_is_bit_identical(run):
    work_dir = osp.join(run.base, 'killed')
    proc = subprocess.Popen(
        run.command('train.py', run.config, '--work-dir', work_dir),
        cwd=REPO,
        env=run.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    # last_checkpoint is written once iter_1.pth is complete; the kill
    # then lands in iteration 2 or while iter_2.pth is being written
    first = osp.join(work_dir, 'last_checkpoint')
    deadline = time.time() + 300
    while not osp.exists(first) and proc.poll() is None:
        assert time.time() < deadline, 'no checkpoint within 300 s'
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)  # whatever it was writing
    assert proc.wait() == -signal.SIGKILL, 'finished before the kill'
    assert not osp.exists(osp.join(work_dir, f'iter_{ITERS}.pth'))
    log = run.train(work_dir, '--resume')
    assert '--resume: resuming from' in log
    last = f'iter_{ITERS}.pth'
    _assert_same_enhancer(
        osp.join(work_dir, last), osp.join(run.reference, last))


def test_truncated_newest_checkpoint_falls_back(run):
    work_dir = osp.join(run.base, 'truncated')
    shutil.copytree(run.reference, work_dir)
    newest = osp.join(work_dir, f'iter_{ITERS}.pth')
    with open(newest, 'r+b') as f:  # a crash during saving
        f.truncate(os.path.getsize(newest) // 2)
    os.remove(osp.join(work_dir, 'last_checkpoint'))  # not written either
    log = run.train(work_dir, '--resume')
    assert f'skipping unreadable {newest}' in log
    assert f'resuming from {osp.join(work_dir, f"iter_{ITERS - 1}.pth")}' \
        in log
    _assert_same_enhancer(newest, osp.join(run.reference, f'iter_{ITERS}.pth'))


def test_new_run_never_overwrites_a_runs_checkpoints(run):
    work_dir = osp.join(run.base, 'again')
    shutil.copytree(run.reference, work_dir)
    before = {
        n: os.stat(osp.join(work_dir, n)).st_mtime_ns
        for n in os.listdir(work_dir)
    }
    log = run.train(work_dir, ok=False)
    assert 'holds checkpoints of an earlier run' in log and '--resume' in log
    after = {
        n: os.stat(osp.join(work_dir, n)).st_mtime_ns
        for n in os.listdir(work_dir)
    }
    assert after == before


KILL_MID_WRITE = """\
import os, signal, sys, io
sys.argv = ['nightcity.py', sys.argv[1]]
from PIL import Image
save, calls = Image.Image.save, []
def half_then_die(self, fp, *args, **kwargs):
    calls.append(fp)
    if len(calls) < 3:
        return save(self, fp, *args, **kwargs)
    buf = io.BytesIO()
    save(self, buf, format='PNG')
    with open(fp, 'wb') as f:
        f.write(buf.getvalue()[:len(buf.getvalue()) // 2])
    os.kill(os.getpid(), signal.SIGKILL)
Image.Image.save = half_then_die
sys.path.insert(0, 'tools/dataset_converters')
import runpy
runpy.run_path('tools/dataset_converters/nightcity.py', run_name='__main__')
"""


def test_converter_killed_mid_write_is_finished_on_rerun(run):
    root = osp.join(run.base, 'NightCity-kill')
    shutil.copytree(run.root, root)
    gt = osp.join(root, GT)
    for dirpath, _, names in os.walk(gt):
        for name in names:
            if name.endswith('_trainIds.png'):
                os.remove(osp.join(dirpath, name))
    proc = subprocess.run([sys.executable, '-c', KILL_MID_WRITE, root],
                          cwd=REPO,
                          env=run.env,
                          capture_output=True,
                          text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    out = run.run('dataset_converters/nightcity.py', root)
    assert '1 conversions left unfinished by an earlier run' in out
    assert 'differs' not in out
    for dirpath, _, names in os.walk(gt):
        assert not [n for n in names if n.endswith('.part')]
        labels = [n for n in names if n.endswith('_labelIds.png')]
        for name in labels:  # every label complete and readable
            path = osp.join(dirpath, name.replace('_labelIds', '_trainIds'))
            from PIL import Image
            with Image.open(path) as im:
                im.load()
