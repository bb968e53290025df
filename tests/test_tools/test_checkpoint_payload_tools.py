"""Entry points that build a model from a config and a checkpoint
(``tools/test.py --guard``, the demos, the inferencers) never build what a
checkpoint's metadata names: a training checkpoint carrying a payload in
``meta['enhancer_cfg']`` and in ``meta['cfg']`` runs as the plain one."""
import os
import os.path as osp
import re

import numpy as np
import pytest
import torch
from PIL import Image

from mmllie.testing.tiny_night_run import TinyNightRun

pytestmark = pytest.mark.slow

METRIC = re.compile(r'Iter\(test\).*mIoU: [\d.]+')


@pytest.fixture(scope='module')
def evil(tmp_path_factory):
    """A trained checkpoint whose metadata would run ``touch PWNED``."""
    run = TinyNightRun(tmp_path_factory.mktemp('payload'), iters=1)
    run.train(osp.join(run.base, 'work'))
    ckpt = torch.load(osp.join(run.base, 'work', 'iter_1.pth'))
    mark = osp.join(run.base, 'PWNED')
    command = dict(
        type='mmllie.TorchModuleBackbone',
        network='os:system',
        kwargs=dict(command=f'touch {mark}'))
    ckpt['meta']['enhancer_cfg'] = dict(type='GPLLIE', gem=dict(x=[command]))
    ckpt['meta']['cfg'] = f"__import__('os').system('touch {mark}')\n"
    path = osp.join(run.base, 'evil.pth')
    torch.save(ckpt, path)
    return run, path, mark


def test_guard_demo_and_inferencer_ignore_checkpoint_metadata(evil):
    run, ckpt, mark = evil
    log = run.test(ckpt, '--guard')
    assert METRIC.search(log) and not osp.exists(mark)
    images = osp.join(run.base, 'images')
    os.makedirs(images)
    Image.fromarray(np.full((64, 128, 3), 40,
                            np.uint8)).save(osp.join(images, 'a.png'))
    out = osp.join(run.base, 'demo')
    log = run.run(
        osp.join('..', 'demo', 'image_demo.py'), images, run.config, ckpt,
        '--out-dir', out)
    assert osp.isfile(osp.join(out, 'a.png')) and not osp.exists(mark)


def test_inferencer_needs_a_config_and_ignores_metadata(evil):
    from mmllie.apis import build_inferencer
    run, ckpt, mark = evil
    with pytest.raises(ValueError, match='a config is required'):
        build_inferencer(None, ckpt)
    inferencer = build_inferencer(run.config, ckpt)
    assert inferencer.model.data_preprocessor.enhancer is not None
    assert not osp.exists(mark)
