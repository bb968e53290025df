"""mmdet's own COCO detectors (small variants) and batches for tests.

Each model is the ``model`` of a config mmdet ships, loaded through
``mmdet::``; only the ImageNet ``Pretrained`` backbone init is removed
(nothing is downloaded). NMS comes from mmllie's plain-PyTorch
``mmcv._ext.nms`` on mmcv-lite.

Two-stage detectors are not here: their ``RoIAlign`` is a compiled mmcv op
that mmcv-lite lacks, and torchvision's CPU fallback
(``RoIAlign(use_torchvision=True)``) is ``torch.compile``-d on first call:
on this stack it compiled for minutes, then failed allocating 2.3 TB.
"""
import copy
import uuid

from mmengine.config import ConfigDict
from mmengine.hub import get_config
from mmengine.runner import Runner
from torch.utils.data import Dataset

from mmllie.hosts import get_host

#: name → mmdet config whose ``model`` is used
DETECTORS = dict(
    retinanet='mmdet::retinanet/retinanet_r18_fpn_1x_coco.py',
    rtmdet='mmdet::rtmdet/rtmdet_tiny_8xb32-300e_coco.py',
    detr='mmdet::detr/detr_r18_8xb2-500e_coco.py',
    # YOLOX-tiny: its host has BatchSyncRandomResize (batch_augments)
    yolox='mmdet::yolox/yolox_tiny_8xb8-300e_coco.py')


def _no_pretrained(cfg):
    if isinstance(cfg, dict):
        init = cfg.get('init_cfg')
        if isinstance(init, dict) and init.get('type') == 'Pretrained':
            cfg['init_cfg'] = None
        for value in cfg.values():
            _no_pretrained(value)
    elif isinstance(cfg, list):
        for value in cfg:
            _no_pretrained(value)
    return cfg


def det_model(name: str, enhancer=None, **preprocessor) -> dict:
    """The model config of mmdet's ``DETECTORS[name]`` recipe.

    Args:
        name: key of :data:`DETECTORS`.
        enhancer: if given, the data preprocessor becomes
            ``mmllie.GlobalPixelwiseEnhancer(host=<mmdet's>, enhancer=...)``.
        **preprocessor: overrides of the host preprocessor.
    """
    model = _no_pretrained(copy.deepcopy(get_config(DETECTORS[name]).model))
    model.pop('pretrained', None)
    if name == 'yolox':  # resize every iteration, to small sizes
        model['data_preprocessor']['batch_augments'][0].update(
            random_size_range=(64, 128), interval=1)
    host = ConfigDict(model['data_preprocessor'], **preprocessor)
    if enhancer is not None:
        host = ConfigDict(
            type='mmllie.GlobalPixelwiseEnhancer',
            host=host,
            enhancer=enhancer)
    model['data_preprocessor'] = host
    return model


def det_sample(h: int, w: int, seed: int, n_boxes: int = 2):
    """One (uint8 BGR image, DetDataSample) pair with COCO-space labels
    (the mmdet adapter's test factory)."""
    return get_host('mmdet').test_sample(h, w, seed, n_boxes)


def det_batch(sizes, seed: int = 0) -> dict:
    items = [det_sample(h, w, seed + i) for i, (h, w) in enumerate(sizes)]
    return dict(
        inputs=[i for i, _ in items], data_samples=[s for _, s in items])


class TinyDetDataset(Dataset):
    """In-memory detection items of two sizes (the host pads)."""

    def __init__(self, n: int = 8):
        self.items = [det_sample(64 if i % 2 else 56, 64, i) for i in range(n)]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, idx: int) -> dict:
        img, sample = self.items[idx]
        return dict(inputs=img, data_samples=copy.deepcopy(sample))


def build_det_runner(name, tmp_path, max_iters=3, load_from=None):
    """A Runner training GEM + PAM in front of a frozen mmdet detector."""
    return Runner(
        model=det_model(name, enhancer=dict(type='GPLLIE')),
        experiment_name=f'{name}_{uuid.uuid4().hex}',
        load_from=load_from,
        work_dir=str(tmp_path),
        default_scope='mmdet',
        train_dataloader=dict(
            dataset=TinyDetDataset(),
            batch_size=2,
            num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='pseudo_collate')),
        train_cfg=dict(by_epoch=False, max_iters=max_iters),
        optim_wrapper=dict(optimizer=dict(type='Adam', lr=1e-3, eps=1e-16)),
        custom_hooks=[dict(type='mmllie.FreezeRecognizerHook')],
        default_hooks=dict(logger=dict(type='LoggerHook', interval=1)),
        env_cfg=dict(dist_cfg=dict(backend='gloo')),
        randomness=dict(seed=0))
