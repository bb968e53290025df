"""Every config in configs/ builds its model, datasets, evaluators and hooks.

Datasets in the NightCity layout (NightCity and the synthetic city) read a
tiny generated NightCity, ExLPose datasets a tiny generated ExLPose, CODaN
datasets (and image folders under CODaN) a tiny generated CODaN, ExDark
datasets (detection and classification) a tiny generated ExDark (all in the
release layouts); a dataset
type this test does not know is built with ``lazy_init=True`` (no files
read). Nothing is trained here: the
tools' end-to-end tests train and test the configs on the same fixtures.
"""
import glob
import os.path as osp
import uuid

import pytest
from codan_fixture import make_codan
from exdark_fixture import make_exdark
from mmengine.config import Config
from mmengine.evaluator import Evaluator
from mmengine.registry import (DATASETS, HOOKS, MODEL_WRAPPERS, MODELS,
                               VISUALIZERS, DefaultScope)

from mmllie.datasets.nightcity_convert import convert_nightcity_labels
from mmllie.testing.exlpose import make_exlpose
from mmllie.testing.nightcity import make_nightcity

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(
    osp.relpath(p, REPO) for p in glob.glob(
        osp.join(REPO, 'configs', '**', '*.py'), recursive=True)
    if '_base_' not in osp.relpath(p, REPO).split(osp.sep))


@pytest.fixture(scope='module')
def roots(tmp_path_factory):
    """``{'nightcity': root, 'exlpose': root, 'codan': root, 'exdark':
    root}``."""
    tmp = tmp_path_factory.mktemp('config_tree')
    nightcity, exlpose = str(tmp / 'NightCity'), str(tmp / 'ExLPose')
    codan = str(tmp / 'CODaN' / 'data')
    make_nightcity(nightcity)
    convert_nightcity_labels(osp.join(nightcity, 'NightCity-label', 'label'))
    make_exlpose(exlpose)
    make_codan(codan)
    exdark = str(tmp / 'ExDark')
    make_exdark(exdark)
    return dict(
        nightcity=nightcity, exlpose=exlpose, codan=codan, exdark=exdark)


def point_at_fixtures(cfg, roots: dict, lazy: list) -> None:
    """Set every dataset's ``data_root`` to a fixture (in place)."""
    if isinstance(cfg, (list, tuple)):
        for item in cfg:
            point_at_fixtures(item, roots, lazy)
        return
    if not isinstance(cfg, dict):
        return
    kind = str(cfg.get('type', ''))
    prefix = cfg.get('data_prefix') or {}
    img_path = str(prefix.get('img_path', '')) if isinstance(prefix,
                                                             dict) else ''
    if kind.endswith('ExLPoseDataset'):
        cfg['data_root'] = roots['exlpose']
    elif kind.endswith('CODaNDataset') or (kind.endswith('ImageFolderDataset')
                                           and 'CODaN' in str(
                                               cfg.get('data_root'))):
        cfg['data_root'] = roots['codan']
    elif kind.endswith(('ExDarkDataset', 'ExDarkClsDataset')):
        cfg['data_root'] = roots['exdark']
    elif img_path.startswith('NightCity-images'):
        cfg['data_root'] = roots['nightcity']
    elif 'data_root' in cfg or 'ann_file' in cfg:
        cfg['lazy_init'] = True
        lazy.append(kind)
    for value in cfg.values():
        point_at_fixtures(value, roots, lazy)


def test_tree_is_found():
    assert 'configs/nightcity_deeplabv3plus_gpllie.py' in CONFIGS
    assert len(CONFIGS) >= 20


@pytest.mark.parametrize('path', CONFIGS)
def test_config_builds(path, roots):
    cfg = Config.fromfile(osp.join(REPO, path))
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope')):
        model = MODELS.build(cfg.model)
        assert sum(p.numel() for p in model.parameters()) > 0
        if cfg.get('model_wrapper_cfg'):
            assert MODEL_WRAPPERS.get(cfg.model_wrapper_cfg['type'])
        for split in ('train', 'val', 'test'):
            loader = cfg.get(f'{split}_dataloader')
            if not loader:
                continue
            lazy = []
            dataset_cfg = loader['dataset'].to_dict()
            point_at_fixtures(dataset_cfg, roots, lazy)
            dataset = DATASETS.build(dataset_cfg)
            if not lazy:
                sample = dataset[0]
                assert 'inputs' in sample and 'data_samples' in sample
            evaluator = cfg.get(f'{split}_evaluator')
            if evaluator and split != 'train':
                assert Evaluator(evaluator).metrics
        if cfg.get('visualizer'):
            VISUALIZERS.build(dict(cfg.visualizer, name=uuid.uuid4().hex))
        hooks = list(cfg.get('custom_hooks', []))
        hooks += [h for h in cfg.get('default_hooks', {}).values() if h]
        for hook in hooks:
            HOOKS.build(dict(hook))
