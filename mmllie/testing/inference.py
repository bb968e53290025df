"""mmllie configs and checkpoints for inference tests, written to disk as a
user's would be: one image tree, one config (``GlobalPixelwiseEnhancer`` in
front of the host) and one (enhancer + recognizer) checkpoint per host.

Segmentation, pose and detection inherit mmllie's own configs (the
synthetic-night DeepLabV3+, the ExLPose LL-N/H/E/A recipe with a tiny pose
model, the ExDark RTMDet-tiny recipe at 96×96 on the ExDark fixture);
classification uses the tiny mmpretrain host of ``hosts.py``. The test
evaluator is ``DumpResults`` (``<root>/results.pkl``), so ``tools/test.py``
writes its predictions.
"""
import json
import os
import os.path as osp

import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import save_checkpoint
from PIL import Image

from mmllie.benchmarks.synthetic_night import RECOGNIZER
from mmllie.testing.exdark import make_exdark
from mmllie.testing.exlpose import make_exlpose
from mmllie.testing.hosts import HOSTS, MODEL_FNS
from mmllie.utils.mim_config import resolve_mmllie_config

CLS_CLASSES = ('bike', 'car', 'dog')
DAY_RECOGNIZER = RECOGNIZER
SCOPES = ('mmseg', 'mmpose', 'mmpretrain', 'mmdet')


def _enhanced(host: dict) -> dict:
    return dict(
        type='mmllie.GlobalPixelwiseEnhancer',
        host=host,
        enhancer=dict(type='GPLLIE'))


def _seg(root: str) -> tuple:
    from mmllie.datasets import generate_synthetic_city
    from mmllie.datasets.nightcity_convert import convert_nightcity_labels
    generate_synthetic_city(
        root, 0, 2, (64, 128), night_level='hard', show_progress=False)
    convert_nightcity_labels(osp.join(root, 'NightCity-label', 'label'))
    base = resolve_mmllie_config(
        'mmllie::synthetic/gpllie_deeplabv3plus-r18-tiny_1xb8-300_'
        'synthetic-night-64x128.py')
    body = dict(test_dataloader=dict(dataset=dict(data_root=root)))
    img = osp.join(root, 'NightCity-images', 'images', 'val')
    return base, body, osp.join(img, sorted(os.listdir(img))[0])


def _pose(root: str) -> tuple:
    """ExLPose LL-N/H/E/A tested on person boxes from a detection file
    (mmpose's ``bbox_file``), each box the whole image: what
    ``Pose2DInferencer`` uses without a detector."""
    coco = make_exlpose(root)
    bbox_files = {}
    for subset in ('LL-N', 'LL-H', 'LL-E', 'LL-A'):
        dets = [
            dict(
                image_id=img['id'],
                category_id=1,
                score=1.0,
                bbox=[0, 0, img['width'], img['height']])
            for img in coco[subset]['images']
        ]
        bbox_files[subset] = osp.join(root, f'dets_{subset}.json')
        with open(bbox_files[subset], 'w') as f:
            json.dump(dets, f)
    model = MODEL_FNS['mmpose'](_enhanced(HOSTS['mmpose']))
    model['head']['out_channels'] = 14
    model['head']['decoder'].update(input_size=(32, 48), heatmap_size=(4, 6))
    base = resolve_mmllie_config(
        'mmllie::pose/gpllie_td-hm-hrnet-w32_1xb8-10k_exlpose-256x192.py')
    pipeline = [
        dict(type='LoadImage'),
        dict(type='GetBBoxCenterScale'),
        dict(type='TopdownAffine', input_size=(32, 48)),
        dict(type='PackPoseInputs')
    ]
    datasets = [
        dict(
            type='mmllie.ExLPoseDataset',
            subset=subset,
            data_root=root,
            data_mode='topdown',
            data_prefix=dict(img=''),
            bbox_file=bbox_files[subset],
            test_mode=True) for subset in ('LL-N', 'LL-H', 'LL-E', 'LL-A')
    ]
    body = dict(
        model=dict(_delete_=True, **model),
        test_dataloader=dict(
            batch_size=2,
            num_workers=0,
            persistent_workers=False,
            dataset=dict(pipeline=pipeline, datasets=datasets)))
    return base, body, osp.join(root, coco['LL-N']['images'][0]['file_name'])


def _cls(root: str) -> tuple:
    rng = np.random.default_rng(0)
    for c in CLS_CLASSES:
        os.makedirs(osp.join(root, c), exist_ok=True)
        img = (rng.random((45, 61, 3)) * 50).astype(np.uint8)
        Image.fromarray(img).save(osp.join(root, c, '0.png'))
    dataset = dict(
        type='CustomDataset',
        data_root=root,
        classes=CLS_CLASSES,
        pipeline=[dict(type='LoadImageFromFile'),
                  dict(type='PackInputs')])
    body = dict(
        default_scope='mmpretrain',
        custom_imports=dict(imports=['mmllie'], allow_failed_imports=False),
        model=MODEL_FNS['mmpretrain'](_enhanced(HOSTS['mmpretrain'])),
        test_dataloader=dict(
            batch_size=1,
            num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            dataset=dataset),
        test_cfg=dict())
    base = 'mmpretrain::_base_/default_runtime.py'
    return base, body, osp.join(root, 'car', '0.png')


def _det(root: str) -> tuple:
    """ExDark test images through mmllie's RTMDet-tiny recipe at 96×96."""
    make_exdark(root)
    pad = dict(type='Pad', size=(96, 96), pad_val=dict(img=(114, 114, 114)))
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='Resize', scale=(96, 96), keep_ratio=True), pad,
        dict(type='LoadAnnotations', with_bbox=True),
        dict(
            type='PackDetInputs',
            meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                       'scale_factor'))
    ]
    body = dict(
        model=dict(test_cfg=dict(score_thr=0.0)),  # a random detector
        test_dataloader=dict(
            num_workers=0,
            persistent_workers=False,
            dataset=dict(data_root=root, pipeline=pipeline)))
    base = resolve_mmllie_config(
        'mmllie::detection/gpllie_rtmdet-tiny_1xb8-4k_exdark-640x640.py')
    return base, body, osp.join(root, 'ExDark', 'Cat', '2015_00007.jpg')


def _load_day_recognizer(model) -> None:
    """The shipped, trained synthetic-day recognizer."""
    from mmengine.runner import load_checkpoint
    load_checkpoint(model, DAY_RECOGNIZER, map_location='cpu')


def _wide_boxes(model) -> None:
    """Boxes of about a stride, not of width 0 (a random detector)."""
    for reg in model.bbox_head.rtm_reg:
        reg.bias.data.fill_(1.0)


#: scope → (data and config fixture, test evaluator given as a dict (else a
#: list), what the random model needs before it is saved)
CASES = dict(
    mmseg=(_seg, True, _load_day_recognizer),
    mmpose=(_pose, False, None),
    mmpretrain=(_cls, False, None),
    mmdet=(_det, False, _wide_boxes))


def make_case(scope: str, root: str) -> dict:
    """Data, config and checkpoint of one host under ``root``.

    Returns:
        dict: ``config``, ``checkpoint``, ``image`` and ``results`` (the
        pickle ``tools/test.py`` writes) paths.
    """
    os.makedirs(root, exist_ok=True)
    fixture, evaluator_is_dict, finish = CASES[scope]
    base, body, image = fixture(osp.join(root, 'data'))
    results = osp.join(root, 'results.pkl')
    dump = dict(type='DumpResults', out_file_path=results)
    # replaces the base's evaluator (a dict for mmseg, a list for mmpose)
    body['test_evaluator'] = dict(_delete_=True, **dump) \
        if evaluator_is_dict else [dump]
    config = osp.join(root, f'{scope}_config.py')
    with open(config, 'w') as f:
        f.write(f'_base_ = [{base!r}]\n')
        for key, value in body.items():
            f.write(f'{key} = {value!r}\n')
    cfg = Config.fromfile(config)
    init_default_scope(scope)
    model = MODELS.build(cfg.model)
    if finish is not None:
        finish(model)
    torch.manual_seed(0)
    for p in model.data_preprocessor.enhancer.parameters():
        if not p.any():  # zero-initialised heads: not an identity enhancer
            p.data.normal_(0, 0.05)
    checkpoint = osp.join(root, f'{scope}.pth')
    meta = dict(dataset_meta=_dataset_meta(cfg))
    save_checkpoint(dict(state_dict=model.state_dict(), meta=meta), checkpoint)
    return dict(
        config=config, checkpoint=checkpoint, image=image, results=results)


def _dataset_meta(cfg: Config) -> dict:
    """What the Runner stores in a checkpoint: the test set's metainfo."""
    from mmengine.registry import DATASETS
    return DATASETS.build(cfg.test_dataloader.dataset).metainfo
