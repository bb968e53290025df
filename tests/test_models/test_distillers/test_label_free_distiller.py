import copy
import uuid

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import Runner, load_checkpoint
from mmseg.structures import SegDataSample

from mmllie.benchmarks.synthetic_night import RECOGNIZER
from mmllie.models import get_enhancer
from mmllie.testing.hosts import HOSTS, distiller_cfg
from mmllie.testing.hosts import \
    recognizer_checkpoint as _recognizer_checkpoint
from mmllie.testing.tools import recognizer_part
from mmllie.utils.mim_config import get_config_path

PIPELINES = dict(
    mmseg=[
        dict(type='LoadImageFromFile'),
        dict(
            type='RandomResize',
            scale=(48, 32),
            ratio_range=(0.8, 1.5),
            keep_ratio=True),
        dict(type='RandomCrop', crop_size=(32, 32)),
        dict(type='PackSegInputs')
    ],
    mmpose=[
        dict(type='LoadImageFromFile'),
        dict(type='mmllie.WholeImageBBox'),
        dict(type='GetBBoxCenterScale'),
        dict(type='TopdownAffine', input_size=(32, 32)),
        dict(type='PackPoseInputs')
    ],
    mmpretrain=[
        dict(type='LoadImageFromFile'),
        dict(type='RandomResizedCrop', scale=32),
        dict(type='PackInputs')
    ])


def _write_images(folder, n=4):
    rng = np.random.default_rng(0)
    for i in range(n):  # odd sizes, a sub-folder, upper-case extensions
        name = f'day_{i}.png' if i % 2 else f'sub/DAY_{i}.JPG'
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        img = rng.integers(40, 255, (37 + i, 45, 3), dtype=np.uint8)
        cv2.imwrite(str(path), img)
    return folder


def _runner(scope, tmp_path, images, load_from):
    return Runner(
        model=distiller_cfg(scope),
        experiment_name=f'{scope}_{uuid.uuid4().hex}',
        load_from=load_from,
        work_dir=str(tmp_path),
        default_scope=scope,
        train_dataloader=dict(
            dataset=dict(
                type='mmllie.ImageFolderDataset',
                data_root=str(images),
                pipeline=PIPELINES[scope]),
            batch_size=2,
            num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False)),
        train_cfg=dict(by_epoch=False, max_iters=3),
        optim_wrapper=dict(optimizer=dict(type='Adam', lr=1e-3, eps=1e-16)),
        custom_hooks=[dict(type='mmllie.FreezeRecognizerHook')],
        default_hooks=dict(logger=dict(type='LoggerHook', interval=1)),
        randomness=dict(seed=0))


@pytest.mark.parametrize('scope', ['mmseg', 'mmpose', 'mmpretrain'])
def test_label_free_trains_enhancer_only(scope, tmp_path):
    """3 iterations on bare images (no labels on disk)."""
    images = _write_images(tmp_path / 'day')
    ckpt, before = _recognizer_checkpoint(scope, tmp_path)
    runner = _runner(scope, tmp_path, images, ckpt)
    model = runner.model
    enhancer = get_enhancer(model)  # found through the wrapper
    enhancer_before = copy.deepcopy(enhancer.state_dict())
    runner.train()
    state = model.state_dict()
    # same keys as the recognizer: load_from loaded, nothing else added
    assert set(recognizer_part(state)) == set(before)
    for key in before:  # weights AND BN running stats, bit-identical
        assert torch.equal(before[key], state[key]), key
    for key, value in enhancer.state_dict().items():
        if value.is_floating_point():
            assert not torch.equal(value, enhancer_before[key]), key
    assert runner.message_hub.get_scalar('train/loss_distill') is not None


def test_loss_falls_on_fixed_batch():
    # a recognizer that sees darkness: the shipped synthetic-day DeepLabV3+
    # (a randomly initialised one gives logits that barely depend on the
    # input, a loss of ~1e-8 that only measures float noise)
    cfg = Config.fromfile(
        get_config_path('mmllie::synthetic/gpllie-label-free_deeplabv3plus-'
                        'r18-tiny_1xb8-300_synthetic-day2night-64x128.py'))
    init_default_scope('mmseg')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    load_checkpoint(
        model.recognizer, RECOGNIZER, map_location='cpu', logger='silent')
    model.train()
    enhancer = get_enhancer(model)
    optim = torch.optim.Adam(enhancer.parameters(), lr=5e-4)
    g = torch.Generator().manual_seed(0)
    x = torch.rand(2, 3, 32, 48, generator=g) * 0.8 + 0.1
    dark = model.darkening(x, torch.Generator().manual_seed(1))
    model.darkening = _Fixed(dark)  # the same dark twin every step
    meta = dict(img_shape=(32, 48), ori_shape=(32, 48))
    data = dict(  # BGR in [0, 255], no labels
        inputs=[(img * 255).flip(0) for img in x],
        data_samples=[SegDataSample(metainfo=meta) for _ in x])
    losses = []
    for _ in range(20):
        batch = model.preprocess_train(copy.deepcopy(data))
        loss = model(**batch, mode='loss')['loss_distill']
        optim.zero_grad()
        loss.backward()
        optim.step()
        losses.append(loss.item())
    assert losses[0] > 0.1  # the dark twin is far from the day image
    assert losses[-1] < 0.5 * losses[0], losses


class _Fixed(torch.nn.Module):

    def __init__(self, out):
        super().__init__()
        self.out = out

    def forward(self, x, generator=None):
        return self.out


def test_recognizer_without_tensor_mode():
    init_default_scope('mmpretrain')
    cfg = distiller_cfg('mmpretrain')
    model = MODELS.build(cfg)

    def no_tensor(inputs, data_samples=None, mode='tensor'):
        if mode == 'tensor':
            raise RuntimeError(f'Invalid mode "{mode}".')

    model.recognizer.forward = no_tensor
    x = torch.rand(1, 3, 16, 16)
    with pytest.raises(RuntimeError, match='ImageClassifier has no raw out'):
        model(x, None, mode='loss', day_inputs=x)
    model.recognizer.forward = lambda *a, **k: None
    with pytest.raises(TypeError, match='ImageClassifier returned NoneType'):
        model(x, None, mode='loss', day_inputs=x)
    with pytest.raises(ValueError, match='needs day_inputs'):
        model(x, None, mode='loss')


def test_recognizer_without_enhancer():
    init_default_scope('mmseg')
    cfg = distiller_cfg('mmseg')
    cfg['recognizer']['data_preprocessor'] = HOSTS['mmseg']
    with pytest.raises(TypeError, match='EncoderDecoder needs data_pre'):
        MODELS.build(cfg)
