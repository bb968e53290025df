"""Run mmllie's command-line scripts (``tools/``, ``demo/``) in tests the
way a user runs them, and read what they wrote."""
import atexit
import functools
import os
import os.path as osp
import runpy
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
from typing import Dict, Optional, Sequence, Union

import torch

from mmllie.checkpoint.enhancer import PREFIX as ENHANCER
from mmllie.checkpoint.keys import OFF_KEY
from mmllie.utils.safe_load import safe_torch_load

_PKG_DIR = osp.dirname(osp.dirname(osp.abspath(__file__)))
#: The source checkout next to the package, where ``tools/``, ``demo/`` and
#: ``configs/`` live (tests run from one).
CHECKOUT = osp.dirname(_PKG_DIR)


def script_path(script: str) -> str:
    """Absolute path of a script given as in the docs, e.g.
    ``'tools/train.py'`` or ``'demo/image_demo.py'``.

    ``tools/`` scripts are looked up in the package's mim folder
    (``mmllie/.mim/tools``, made by ``pip install``) first, then in the
    checkout; ``demo/`` scripts in the checkout.

    Raises:
        FileNotFoundError: naming the script and the places searched.
    """
    tried = []
    if script.startswith('tools/'):
        tried.append(osp.join(_PKG_DIR, '.mim', script))
    tried.append(osp.join(CHECKOUT, script))
    for path in tried:
        if osp.isfile(path):
            return path
    raise FileNotFoundError(f'no script {script!r}: tried {tried}')


def free_port() -> str:
    """A TCP port on 127.0.0.1 that nothing listens on (for ``PORT`` of
    ``tools/dist_*.sh`` or a gloo ``init_method``)."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return str(s.getsockname()[1])


@functools.lru_cache(maxsize=None)
def _python_dir() -> str:
    """A folder whose ``python`` is this interpreter: ``tools/dist_*.sh``
    run ``python -m torch.distributed.run``."""
    folder = tempfile.mkdtemp(prefix='mmllie-python-')
    atexit.register(shutil.rmtree, folder, True)
    shim = osp.join(folder, 'python')
    with open(shim, 'w') as f:
        f.write(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$@"\n')
    os.chmod(shim, 0o755)
    return folder


def checkpoint_state(path: str, prefix: str = '') -> Dict[str, torch.Tensor]:
    """The ``state_dict`` entries of a checkpoint whose keys start with
    ``prefix`` (all by default), on the CPU."""
    state = safe_torch_load(path, map_location='cpu')['state_dict']
    return {k: v for k, v in state.items() if k.startswith(prefix)}


def recognizer_part(state: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """The entries of a model ``state_dict`` that are the recognizer's:
    neither the enhancer's nor the wrapper's ``enhancer_off`` switch."""
    return {
        k: v
        for k, v in state.items()
        if not k.startswith(ENHANCER) and k != OFF_KEY
    }


#: GEM's and PAM's zero-initialised output convolutions: the first step
#: whose gradients reach the enhancer moves them.
ZERO_INIT_OUTPUTS = ('gem.head.weight', 'pam.out_conv.weight')


def assert_recognizer_frozen(
        trained: str,
        recognizer: Union[str, Dict[str, torch.Tensor]],
        moved: Sequence[str] = ZERO_INIT_OUTPUTS) -> Dict[str, torch.Tensor]:
    """Check a checkpoint written by ``tools/train.py``: the recognizer
    exactly as it was loaded, the enhancer trained.

    Args:
        trained (str): The training checkpoint.
        recognizer (str | dict): The recognizer's checkpoint (the run's
            ``load_from``) or its state dict.
        moved (Sequence[str]): Enhancer tensors that must no longer be all
            zero. Defaults to :data:`ZERO_INIT_OUTPUTS`.

    Returns:
        dict: The training checkpoint's state dict.

    Raises:
        AssertionError: Naming the checkpoint and the first keys that
            differ.
    """
    after = checkpoint_state(trained)
    if isinstance(recognizer, str):
        recognizer = checkpoint_state(recognizer)
    recognizer = recognizer_part(recognizer)
    outside = set(recognizer_part(after))
    assert set(recognizer) == outside, (
        f'{trained}: recognizer keys differ: '
        f'{sorted(set(recognizer) ^ outside)[:5]}')
    changed = [
        k for k, v in recognizer.items() if not torch.equal(after[k], v)
    ]
    assert not changed, f'{trained}: the recognizer changed: {changed[:5]}'
    still = [k for k in moved if not after[ENHANCER + k].abs().sum() > 0]
    assert not still, f'{trained}: enhancer tensors still zero: {still}'
    return after


#: A rare abort of a gloo rank at exit (a C++ thread destroyed while
#: joinable), seen in fresh-clone CI runs on 2 cores and never when rerun:
#: the one failure of a distributed run (``dist_*.sh``) retried, once, with
#: a fresh port.
GLOO_ABORT = 'terminate called without an active exception'


def _move_work_dir_aside(argv: list, cwd: str) -> None:
    """Rename the ``--work-dir`` named in ``argv`` to ``<dir>.aborted``."""
    for i, arg in enumerate(argv):
        if arg == '--work-dir' and i + 1 < len(argv):
            work_dir = argv[i + 1]
        elif arg.startswith('--work-dir='):
            work_dir = arg.split('=', 1)[1]
        else:
            continue
        work_dir = os.path.join(cwd, work_dir)
        if os.path.exists(work_dir):
            aborted = work_dir.rstrip(os.sep) + '.aborted'
            shutil.rmtree(aborted, ignore_errors=True)
            os.rename(work_dir, aborted)


def run_tool(script: str,
             *args,
             ok: bool = True,
             in_process: bool = False,
             cwd: Optional[str] = None,
             env: Optional[dict] = None,
             timeout: float = 600) -> str:
    """Run ``python <script> <args>`` and return what it printed.

    A shell script (``tools/dist_train.sh``, ``tools/dist_test.sh``) runs
    under ``bash`` with this interpreter as its ``python`` and a free
    ``PORT`` (``env`` may set another); a run that must succeed and ends
    in the :data:`GLOO_ABORT` is run once more, after the aborted run's
    ``--work-dir`` (if any) is moved aside to ``<work-dir>.aborted`` so the
    second run starts from an empty one as the first did.

    Args:
        script (str): As in the docs, e.g. ``'tools/train.py'``.
        *args: Command-line arguments (converted with ``str``).
        ok (bool): Whether the run must succeed (exit status 0) or fail.
            Defaults to True.
        in_process (bool): Run the script in this process with
            :func:`runpy.run_path` and ``sys.argv`` set, as ``__main__``
            (fast; what it prints goes to pytest's ``capsys``, and an error
            propagates as the exception itself). Defaults to False: a
            subprocess with one OpenMP / MKL thread.
        cwd (str, optional): Working directory of the subprocess. Defaults
            to the checkout, so relative ``configs/...`` paths work as in
            the docs.
        env (dict, optional): Extra environment variables.
        timeout (float): Seconds before the subprocess is killed.

    Returns:
        str: The subprocess's stdout and stderr together ('' in process).
    """
    path = script_path(script)
    argv = [path, *map(str, args)]
    shell = path.endswith('.sh')
    if in_process and shell:
        raise ValueError(f'{script}: a shell script runs in a subprocess, '
                         'not in process')
    if in_process:
        saved = sys.argv
        sys.argv = argv
        try:
            runpy.run_path(path, run_name='__main__')
        finally:
            sys.argv = saved
        return ''
    for attempt in range(2 if shell else 1):
        full_env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')
        if shell:
            full_env.update(
                PATH=_python_dir() + os.pathsep + full_env.get('PATH', ''),
                PORT=free_port())
        full_env.update(env or {})
        proc = subprocess.run(['bash' if shell else sys.executable, *argv],
                              cwd=cwd or CHECKOUT,
                              env=full_env,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT,
                              text=True,
                              timeout=timeout)
        if not (ok and proc.returncode != 0 and GLOO_ABORT in proc.stdout):
            break
        _move_work_dir_aside(argv, cwd or CHECKOUT)
    assert (proc.returncode == 0) == ok, (
        f'{script} {" ".join(argv[1:])} exited with {proc.returncode}:\n'
        f'{proc.stdout[-6000:]}')
    return proc.stdout
