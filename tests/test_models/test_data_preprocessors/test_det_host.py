"""The mmdet host: mmdet's ``DetDataPreprocessor`` inside the wrapper.

Detectors are mmdet's own COCO recipes (``tests/det_hosts.py``):
single-stage RetinaNet and RTMDet, DETR, and YOLOX-tiny whose host resizes
the padded batch (``BatchSyncRandomResize``).
"""
import copy
import random

import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import save_checkpoint

from mmllie.apis import export_enhancer, load_enhancer
from mmllie.models import get_enhancer
from mmllie.testing.det_hosts import build_det_runner, det_batch, det_model

IDENTITY = dict(type='GPLLIE', use_gem=False, use_pam=False)
SIZES = [(64, 64), (50, 60)]  # the host pads the second image


def _build(name, **kwargs):
    init_default_scope('mmdet')
    MessageHub.get_current_instance().update_info('iter', 0)
    model = MODELS.build(det_model(name, **kwargs)).eval()
    if kwargs.get('enhancer') is not None:
        # the preprocessor is called alone in training mode (no Runner, no
        # FreezeRecognizerHook): the wrapper's explicit opt-out
        model.data_preprocessor.train_recognizer = True
    return model


def _preprocess(preprocessor, batch, seed):
    random.seed(seed)  # BatchSyncRandomResize draws its next size here
    torch.manual_seed(seed)
    return preprocessor(copy.deepcopy(batch), True)


DET_CASES = [('rtmdet', IDENTITY), ('detr', IDENTITY), ('yolox', IDENTITY),
             ('yolox', None)]


@pytest.mark.parametrize('name,enhancer', DET_CASES)
def test_enhancer_off_equals_plain_detector(name, enhancer):
    torch.manual_seed(0)
    plain = _build(name)
    wrapped = _build(name, enhancer=enhancer)
    missing, unexpected = wrapped.load_state_dict(
        plain.state_dict(), strict=False)
    assert not unexpected
    assert all(k.startswith('data_preprocessor.enhancer.') for k in missing)
    batch = det_batch(SIZES)
    shapes = []
    for step in range(2):  # YOLOX resizes the batch from the 2nd step on
        ref = _preprocess(plain.data_preprocessor, batch, step)
        out = _preprocess(wrapped.data_preprocessor, batch, step)
        shapes.append(tuple(ref['inputs'].shape[-2:]))
        torch.testing.assert_close(
            out['inputs'], ref['inputs'], atol=1e-5, rtol=0)
        for a, b in zip(out['data_samples'], ref['data_samples']):
            assert a.metainfo == b.metainfo  # img/pad/batch_input shapes
            assert torch.equal(a.gt_instances.bboxes, b.gt_instances.bboxes)
            assert torch.equal(a.gt_instances.labels, b.gt_instances.labels)
        torch.manual_seed(step)
        ref_loss = plain(**ref, mode='loss')
        torch.manual_seed(step)
        out_loss = wrapped(**out, mode='loss')
        assert out_loss.keys() == ref_loss.keys()
        for key in ref_loss:
            torch.testing.assert_close(  # random heads: losses ~1e4
                out_loss[key],
                ref_loss[key],
                atol=1e-5,
                rtol=1e-6)
    if name == 'yolox':
        assert shapes[1] != shapes[0]  # batch_augments really resized
    ref = plain.test_step(copy.deepcopy(batch))
    out = wrapped.test_step(copy.deepcopy(batch))
    for a, b in zip(out, ref):
        assert len(b.pred_instances) > 0
        for key in ('bboxes', 'scores', 'labels'):
            torch.testing.assert_close(
                a.pred_instances[key],
                b.pred_instances[key],
                atol=1e-5,
                rtol=0)


def test_valid_region_after_batch_resize():
    """After BatchSyncRandomResize the enhancer sees each resized image."""
    torch.manual_seed(0)
    # the grey-world exposure gain on: an enhancer that changes the pixels
    wrapped = _build(
        'yolox',
        enhancer=dict(type='GPLLIE', gem=dict(exposure_prior='fixed')))
    host = copy.deepcopy(wrapped.data_preprocessor.host)
    batch = det_batch(SIZES)
    for step in range(2):
        ref = _preprocess(host, batch, step)
        out = _preprocess(wrapped.data_preprocessor, batch, step)
    x, y = ref['inputs'], out['inputs']
    assert x.shape[-2:] != (64, 64)
    h, w = out['data_samples'][1].img_shape
    assert (h, w) == ref['data_samples'][1].img_shape
    assert h < x.shape[-2] and w < x.shape[-1]  # resized padding remains
    # outside the resized image: the host's (resized) padding, untouched
    assert torch.equal(y[1, :, h:], x[1, :, h:])
    assert torch.equal(y[1, :, :, w:], x[1, :, :, w:])
    # inside: the enhancer applied to that image alone
    pre = wrapped.data_preprocessor
    expected = pre.from_unit(pre.enhancer(pre.to_unit(x[1:2, :, :h, :w])))
    torch.testing.assert_close(y[1:2, :, :h, :w], expected, atol=1e-4, rtol=0)
    assert (y[1, :, :h, :w] - x[1, :, :h, :w]).abs().mean() > 0.1


@pytest.mark.parametrize('name', ['retinanet', 'detr'])
def test_frozen_detector_and_enhancer_export(name, tmp_path):
    init_default_scope('mmdet')
    torch.manual_seed(0)
    recognizer = MODELS.build(det_model(name))
    recognizer.init_weights()
    for m in recognizer.modules():  # non-trivial BN statistics
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
    before = recognizer.state_dict()
    ckpt = str(tmp_path / 'detector.pth')
    save_checkpoint({'state_dict': before}, ckpt)

    runner = build_det_runner(name, tmp_path, load_from=ckpt)
    enhancer = get_enhancer(runner.model)
    enhancer_before = copy.deepcopy(enhancer.state_dict())
    runner.train()
    after = runner.model.state_dict()
    for key, value in before.items():  # weights and BN buffers
        assert torch.equal(after[key], value), key
    changed = [
        k for k, v in enhancer.state_dict().items()
        if v.is_floating_point() and not torch.equal(v, enhancer_before[k])
    ]
    floats = [k for k, v in enhancer_before.items() if v.is_floating_point()]
    assert changed == floats

    runner.save_checkpoint(str(tmp_path), 'trained.pth')
    export_enhancer(str(tmp_path / 'trained.pth'), str(tmp_path / 'e.pth'))
    fresh = load_enhancer(str(tmp_path / 'e.pth'))
    for key, value in fresh.state_dict().items():
        assert torch.equal(value, enhancer.state_dict()[key]), key
