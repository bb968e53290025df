"""A tiny NightCity run through the real tools, shared by tool tests.

The shipped synthetic day DeepLabV3+ (ResNetV1c-18 tiny, 64×128) is the
frozen recognizer, GEM + PAM trains in front of it on a generated NightCity
tree (converted labels), from a user config outside the repository. Every
tool runs as a subprocess with one OpenMP thread.
"""
import os
import os.path as osp
import sys

from mmllie.benchmarks.synthetic_night import RECOGNIZER
from mmllie.datasets.nightcity_convert import convert_nightcity_labels
from mmllie.testing.nightcity import GT, make_nightcity
from mmllie.testing.tools import run_tool, script_path

DAY = RECOGNIZER
#: The labelled run's config and the same run trained label-free (the
#: NightCity train images as day images, darkened on the fly, no label read).
BASES = dict(
    labelled='mmllie::synthetic/'
    'gpllie_deeplabv3plus-r18-tiny_1xb8-300_synthetic-night-64x128.py',
    label_free='mmllie::synthetic/gpllie-label-free_deeplabv3plus-r18-tiny_'
    '1xb8-300_synthetic-day2night-64x128.py')
#: The user's config (outside the repository) over one of :data:`BASES`.
CONFIG = """\
_base_ = {base!r}
train_dataloader = dict(batch_size=2, dataset=dict(data_root={root!r}))
test_dataloader = dict(batch_size=1, dataset=dict(data_root={root!r}))
train_cfg = dict(max_iters={iters}, val_interval=1000)
val_cfg = None
val_dataloader = None
val_evaluator = None
default_hooks = dict(checkpoint=dict(interval=1), logger=dict(interval=1))
load_from = {day!r}
randomness = dict(seed=0, deterministic=True)
"""


class TinyNightRun:
    """Data, a user config and runners for ``tools/*.py`` under ``base``."""

    def __init__(self,
                 base: str,
                 iters: int = 3,
                 label_free: bool = False) -> None:
        self.base = str(base)
        self.root = osp.join(self.base, 'NightCity')
        make_nightcity(
            self.root, splits=(('train', 4), ('val', 2)), size=(64, 128))
        convert_nightcity_labels(osp.join(self.root, GT))
        self.config = osp.join(self.base, 'my_night.py')
        with open(self.config, 'w') as f:
            base = BASES['label_free' if label_free else 'labelled']
            f.write(
                CONFIG.format(base=base, root=self.root, iters=iters, day=DAY))
        #: the environment of a tool subprocess: one OpenMP / MKL thread
        self.env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')

    def command(self, tool: str, *args) -> list:
        """``python tools/<tool> <args>`` as an argument list."""
        return [sys.executable, script_path(f'tools/{tool}'), *map(str, args)]

    def run(self, tool: str, *args, ok: bool = True) -> str:
        """Run a tool; return its output (stdout and stderr)."""
        return run_tool(f'tools/{tool}', *args, ok=ok, timeout=400)

    def train(self, work_dir: str, *args, ok: bool = True) -> str:
        return self.run(
            'train.py', self.config, '--work-dir', work_dir, *args, ok=ok)

    def test(self, checkpoint: str, *args, ok: bool = True) -> str:
        return self.run(
            'test.py',
            self.config,
            checkpoint,
            '--work-dir',
            osp.join(self.base, 'test_work'),
            *args,
            ok=ok)
