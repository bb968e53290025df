"""Label-free training as a user types it, on a generated ExLPose tree:
``tools/train.py`` with the repo's label-free pose config (well-lit person
boxes, keypoints never read, recognizer shrunk for speed), the frozen
recognizer bit-identical, ``export_enhancer.py`` on the distiller's
checkpoint, ``tools/test.py`` reporting LL-N/H/E/A through the distiller.
"""
import math
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import save_checkpoint

from mmllie.apis import load_enhancer
from mmllie.testing.exlpose import four_aps, make_exlpose, user_config
from mmllie.testing.tools import CHECKOUT as REPO
from mmllie.testing.tools import ENHANCER, assert_recognizer_frozen, run_tool

pytestmark = pytest.mark.slow

CONFIG = osp.join(
    REPO, 'configs', 'pose',
    'gpllie-label-free_td-hm-hrnet-w32_1xb8-10k_exlpose-wl2ll-256x192.py')


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('label_free_e2e')
    root = str(tmp / 'ExLPose')
    make_exlpose(root, 'public')
    ckpt, cfg = str(tmp / 'recognizer.pth'), str(tmp / 'label_free.py')
    with open(cfg, 'w') as f:
        f.write(user_config(CONFIG, root, ckpt, label_free=True))
    init_default_scope('mmpose')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(cfg).model.recognizer)
    state = {
        k: v
        for k, v in model.state_dict().items() if not k.startswith(ENHANCER)
    }
    save_checkpoint(dict(state_dict=state), ckpt)
    work_dir = str(tmp / 'work')
    stdout = run_tool('tools/train.py', cfg, '--work-dir', work_dir)
    return dict(tmp=tmp, cfg=cfg, ckpt=ckpt, work_dir=work_dir, out=stdout)


def test_train_export_test(trained):
    assert 'loss_distill' in trained['out']
    last = osp.join(trained['work_dir'], 'iter_3.pth')
    after = assert_recognizer_frozen(last, trained['ckpt'])
    out = str(trained['tmp'] / 'enhancer.pth')
    run_tool('tools/model_converters/export_enhancer.py', last, out)
    enhancer = load_enhancer(out)
    for key, value in enhancer.state_dict().items():
        assert torch.equal(value, after[ENHANCER + key]), key
    stdout = run_tool('tools/test.py', trained['cfg'], last, '--work-dir',
                      str(trained['tmp'] / 'test'))
    for subset, ap in four_aps(stdout).items():
        assert math.isfinite(ap) and 0. <= ap <= 1., (subset, ap)
