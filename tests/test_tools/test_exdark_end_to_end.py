"""ExDark detection end to end, run as a user types it.

A fixture in the official ExDark layout → a user config outside the
repository with
``_base_ = 'mmllie::detection/gpllie_rtmdet-tiny_1xb8-4k_exdark-640x640.py'``
(mmdet's RTMDet-tiny recipe, frozen) → ``tools/train.py`` →
``tools/test.py`` (VOC mAP@0.5 and COCO AP over the 12 ExDark classes) →
the VOC converter → ``tools/dist_train.sh`` with 2 CPU processes. The COCO
detector is a randomly initialised RTMDet-tiny saved by the test: nothing
is downloaded.
"""
import os.path as osp
import re
import shutil

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner import save_checkpoint

from mmllie.datasets.exdark_voc import convert_exdark_to_voc
from mmllie.registry import MODELS
from mmllie.testing.exdark import make_exdark
from mmllie.testing.tools import (ENHANCER, assert_recognizer_frozen,
                                  checkpoint_state, run_tool)

pytestmark = pytest.mark.slow

USER_CONFIG = """\
_base_ = 'mmllie::detection/gpllie_rtmdet-tiny_1xb8-4k_exdark-640x640.py'
img_scale = (96, 96)
pad = dict(type='Pad', size=img_scale, pad_val=dict(img=(114, 114, 114)))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='Resize', scale=img_scale, keep_ratio=True), pad,
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=img_scale, keep_ratio=True), pad,
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='PackDetInputs', meta_keys=('img_id', 'img_path', 'ori_shape',
         'img_shape', 'scale_factor', 'instances'))
]
model = dict(test_cfg=dict(score_thr=0.0))  # a random detector scores low
train_dataloader = dict(
    batch_size=2, num_workers=0, persistent_workers=False,
    dataset=dict(data_root={root!r}, pipeline=train_pipeline))
test_dataloader = dict(
    num_workers=0, persistent_workers=False,
    dataset=dict(data_root={root!r}, pipeline=test_pipeline))
val_dataloader = dict(
    num_workers=0, persistent_workers=False,
    dataset=dict(data_root={root!r}, pipeline=test_pipeline))
train_cfg = dict(max_iters=4, val_interval=100)
default_hooks = dict(checkpoint=dict(interval=2), logger=dict(interval=1))
load_from = {ckpt!r}
randomness = dict(seed=0)
# a random detector gives the enhancer gradients of ~1e-10: a small eps
# lets Adam move every enhancer tensor within a few iterations
optim_wrapper = dict(optimizer=dict(eps=1e-16))
"""


@pytest.fixture(scope='module')
def env(tmp_path_factory):
    base = str(tmp_path_factory.mktemp('exdark_e2e'))
    root, config = osp.join(base, 'ExDark'), osp.join(base, 'my_exdark.py')
    ckpt = osp.join(base, 'rtmdet_tiny_coco.pth')
    make_exdark(root)
    with open(config, 'w') as f:
        f.write(USER_CONFIG.format(root=root, ckpt=ckpt))
    with DefaultScope.overwrite_default_scope('mmdet'):
        torch.manual_seed(0)
        model = MODELS.build(Config.fromfile(config).model)
        model.init_weights()
        # boxes of about a stride's size (the freshly initialised head
        # regresses ~0 distances, boxes of width 0 that mmdet drops)
        for reg in model.bbox_head.rtm_reg:
            reg.bias.data.fill_(1.0)
    detector = {
        k: v
        for k, v in model.state_dict().items() if not k.startswith(ENHANCER)
    }
    save_checkpoint(dict(state_dict=detector), ckpt)  # as mmdet's zoo files
    run_env = dict(TORCH_HOME=osp.join(base, 'torch_home'))
    yield dict(
        base=base, root=root, config=config, detector=detector, env=run_env)
    shutil.rmtree(base, ignore_errors=True)


def test_train_test_frozen_detector(env):
    work = osp.join(env['base'], 'train')
    log = run_tool(
        'tools/train.py', env['config'], '--work-dir', work, env=env['env'])
    assert 'Iter(train) [4/4]' in log
    assert 'trainable enhancer parameters' in log
    # weights and BN buffers
    final = assert_recognizer_frozen(
        osp.join(work, 'iter_4.pth'), env['detector'])
    mid = checkpoint_state(osp.join(work, 'iter_2.pth'), ENHANCER)
    floats = [k for k, v in mid.items() if v.is_floating_point()]
    assert len(floats) > 50
    unchanged = [k for k in floats if torch.equal(mid[k], final[k])]
    assert not unchanged, unchanged[:5]

    log = run_tool(
        'tools/test.py',
        env['config'],
        osp.join(work, 'iter_4.pth'),
        '--work-dir',
        osp.join(env['base'], 'test'),
        env=env['env'])
    voc = re.findall(r'pascal_voc/mAP: ([\d.]+)', log)
    coco = re.findall(r'coco/bbox_mAP: ([\d.-]+)', log)
    assert voc and coco, log[-3000:]
    assert 0 <= float(voc[-1]) <= 1
    assert '| dining table |' in log and '| traffic light' not in log


def test_voc_converter(env):
    out = osp.join(env['base'], 'voc')
    log = run_tool(
        'tools/dataset_converters/exdark.py', env['root'], out, env=env['env'])
    assert 'train 4, val 2, test 2 images' in log
    xml = open(osp.join(out, 'Annotations', '2015_00001.xml')).read()
    assert xml.count('<object>') == 3 and '<name>Bicycle</name>' in xml
    assert '<xmin>4</xmin>' in xml and '<ymax>46</ymax>' in xml
    assert open(osp.join(out, 'ImageSets', 'Main', 'val.txt')).read() == \
        '2015_00005\n2015_00006\n'
    assert osp.isfile(osp.join(out, 'JPEGImages', '2015_00003.JPG'))
    # idempotent; a different output is not overwritten silently
    assert convert_exdark_to_voc(env['root'], out)['test'] == 2
    with pytest.raises(FileExistsError, match='exists and differs'):
        convert_exdark_to_voc(env['root'], out, coco_names=True)


def test_dist_train_two_cpu_processes(env):
    work = osp.join(env['base'], 'dist')
    log = run_tool(
        'tools/dist_train.sh',
        env['config'],
        2,
        '--work-dir',
        work,
        '--cfg-options',
        'env_cfg.dist_cfg.backend=gloo',
        'train_cfg.max_iters=2',
        env=env['env'])
    assert 'Iter(train) [2/2]' in log
    assert_recognizer_frozen(osp.join(work, 'iter_2.pth'), env['detector'])
