"""Tiny host recognizers and batches for tests, from each registered host
adapter's test factory (:meth:`mmllie.hosts.BaseHost.test_model`,
:meth:`~mmllie.hosts.BaseHost.test_sample`).

Every host model has ``init_cfg=None``: nothing is downloaded.
"""
import uuid

import torch
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import Runner, save_checkpoint
from torch.utils.data import Dataset

from mmllie.hosts import all_hosts, get_host

#: scope → the host data-preprocessor config of its tiny test recognizer,
#: for every registered host that has one (mmdet's test detector is a
#: recipe of its own: ``tests/det_hosts.py``)
HOSTS = {
    host.scope: host.test_preprocessor
    for host in all_hosts() if host.test_preprocessor
}


def make_sample(scope: str, h: int, w: int, seed: int):
    """One (uint8 image, data sample) pair from the host's test factory."""
    return get_host(scope).test_sample(h, w, seed)


def tiny_model(scope: str, data_preprocessor: dict) -> dict:
    """Config of the host's tiny recognizer (nothing downloaded)."""
    return get_host(scope).test_model(data_preprocessor)


#: scope → :func:`tiny_model` of that host
MODEL_FNS = {scope: get_host(scope).test_model for scope in HOSTS}


class TinyDataset(Dataset):
    """In-memory dataset of ``make_sample`` items (same size)."""

    def __init__(self, scope: str, n: int = 8, h: int = 32, w: int = 32):
        self.items = [make_sample(scope, h, w, i) for i in range(n)]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, idx: int) -> dict:
        img, sample = self.items[idx]
        return dict(inputs=img, data_samples=sample)


def recognizer_checkpoint(scope, tmp_path):
    """A recognizer-only checkpoint, as a user's `load_from` would be."""
    init_default_scope(scope)
    model = MODELS.build(tiny_model(scope, HOSTS[scope]))
    model.init_weights()
    for m in model.modules():  # non-trivial BN statistics
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.9, 1.1)
    path = str(tmp_path / f'{scope}_recognizer.pth')
    save_checkpoint({'state_dict': model.state_dict()}, path)
    return path, model.state_dict()


def build_runner(scope,
                 tmp_path,
                 max_iters=3,
                 load_from=None,
                 enhancer=None,
                 **kwargs):
    model = tiny_model(
        scope,
        dict(
            type='mmllie.GlobalPixelwiseEnhancer',
            host=HOSTS[scope],
            enhancer=enhancer or dict(type='GPLLIE')))
    # the host's own option must not be needed
    model['backbone']['norm_eval'] = False
    return Runner(
        model=model,
        # unique: MMEngine keys its logger and default scope by this name
        experiment_name=f'{scope}_{uuid.uuid4().hex}',
        load_from=load_from,
        work_dir=str(tmp_path),
        default_scope=scope,
        train_dataloader=dict(
            dataset=TinyDataset(scope),
            batch_size=2,
            num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='pseudo_collate')),
        train_cfg=dict(by_epoch=False, max_iters=max_iters),
        # random tiny recognizers give GEM gradients of ~1e-10: a small eps
        # lets Adam move every parameter within 3 iterations
        optim_wrapper=kwargs.pop(
            'optim_wrapper',
            dict(optimizer=dict(type='Adam', lr=1e-3, eps=1e-16))),
        # a random tiny recognizer unless load_from: allowed on purpose
        custom_hooks=kwargs.pop('custom_hooks', [
            dict(
                type='mmllie.FreezeRecognizerHook',
                partial_load=load_from is None)
        ]),
        default_hooks=dict(
            logger=dict(type='LoggerHook', interval=1),
            **kwargs.pop('default_hooks', {})),
        env_cfg=dict(dist_cfg=dict(backend='gloo')),
        randomness=dict(seed=0),
        **kwargs)


def distiller_cfg(scope: str) -> dict:
    """``mmllie.LabelFreeDistiller`` around the tiny model of ``scope``
    (GEM + PAM in front, darkening at the ``hard`` preset)."""
    return dict(
        type='mmllie.LabelFreeDistiller',
        recognizer=MODEL_FNS[scope](dict(
            type='mmllie.GlobalPixelwiseEnhancer',
            host=HOSTS[scope],
            enhancer=dict(type='GPLLIE'))),
        darkening=dict(type='mmllie.BatchLowLightSynthesis', level='hard'))
