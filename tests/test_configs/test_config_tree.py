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
import ast
import glob
import os.path as osp
import re
import uuid

import pytest
from mmengine.config import Config
from mmengine.evaluator import Evaluator
from mmengine.registry import (DATASETS, HOOKS, MODEL_WRAPPERS, MODELS,
                               VISUALIZERS, DefaultScope)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(
    osp.relpath(p, REPO) for p in glob.glob(
        osp.join(REPO, 'configs', '**', '*.py'), recursive=True)
    if '_base_' not in osp.relpath(p, REPO).split(osp.sep))

#: Built in the fast test set: the user-facing alias and the first GEM + PAM
#: training config of each task folder; every other config is built in the
#: slow set (a build takes seconds).
FAST_BUILDS = {'configs/nightcity_deeplabv3plus_gpllie.py'} | {
    min(
        c for c in CONFIGS
        if c.split('/')[1] == folder and osp.basename(c).startswith('gpllie_'))
    for folder in {c.split('/')[1]
                   for c in CONFIGS if c.count('/') == 2}
}


@pytest.fixture(scope='module')
def roots(release_trees):
    """``{'nightcity': root, 'exlpose': root, 'codan': root, 'exdark':
    root}`` (the session's shared trees)."""
    return release_trees


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


@pytest.mark.parametrize('path', [
    c if c in FAST_BUILDS else pytest.param(c, marks=pytest.mark.slow)
    for c in CONFIGS
])
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


# ---- the layout: folders, names, inheritance depth, README + metafile ----
ALIASES = {'configs/nightcity_deeplabv3plus_gpllie.py'}
FOLDERS = ('classification', 'detection', 'pose', 'segmentation', 'synthetic')
# {algorithm}_{components}[_{gpus}xb{batch}-{iterations}]_{data}-{HxW}.py
NAME = re.compile(r'^(?P<algorithm>[a-z0-9-]+)_(?P<components>[a-z0-9.-]+)'
                  r'(_(?P<schedule>\d+xb\d+-\d+[ke]?))?'
                  r'_(?P<data>[a-z0-9-]+)-(?P<size>\d+x\d+)\.py$')


def _bases(path: str) -> list:
    for node in ast.parse(open(path).read()).body:
        if isinstance(node, ast.Assign) and any(
                getattr(t, 'id', None) == '_base_' for t in node.targets):
            value = ast.literal_eval(node.value)
            return [value] if isinstance(value, str) else list(value)
    return []


def inheritance_depth(path: str) -> int:
    """``_base_`` levels below ``path``; a host recipe (``mmseg::…``) is one
    level (its own inheritance is the host's)."""
    depth = 0
    for base in _bases(path):
        below = 0 if '::' in base else inheritance_depth(
            osp.normpath(osp.join(osp.dirname(path), base)))
        depth = max(depth, 1 + below)
    return depth


def test_layout_folders_and_names():
    for path in CONFIGS:
        if path in ALIASES:
            continue
        folder, name = osp.split(osp.relpath(path, 'configs'))
        assert folder in FOLDERS, f'{path}: not in one of {FOLDERS}'
        assert NAME.match(name), (
            f'{path}: not {{algorithm}}_{{components}}_{{schedule}}_'
            '{data}-{HxW}.py')
    for alias in ALIASES:
        assert len(_bases(osp.join(REPO, alias))) == 1


def test_depth_counts_levels():
    assert inheritance_depth(
        osp.join(
            REPO, 'configs', 'segmentation',
            'gpllie_deeplabv3plus-mbv2-d8_1xb8-10k_nightcity-512x1024.py')
    ) == 1
    # alias -> gpllie -> mmseg's recipe
    assert inheritance_depth(osp.join(REPO, sorted(ALIASES)[0])) == 2


@pytest.mark.parametrize('path', CONFIGS)
def test_inheritance_at_most_three_levels(path):
    assert inheritance_depth(osp.join(REPO, path)) <= 3, path


@pytest.mark.parametrize('folder', FOLDERS)
def test_folder_readme_and_metafile(folder):
    yaml = pytest.importorskip('yaml')
    root = osp.join(REPO, 'configs', folder)
    configs = sorted(
        osp.relpath(p, REPO) for p in glob.glob(osp.join(root, '*.py')))
    readme = open(osp.join(root, 'README.md')).read()
    for config in configs:
        assert osp.basename(config) in readme, (config, 'not in README')
    meta = yaml.safe_load(open(osp.join(root, 'metafile.yml')))
    collections = {c['Name'] for c in meta['Collections']}
    listed = [m['Config'] for m in meta['Models']]
    assert sorted(listed) == configs
    for model in meta['Models']:
        assert model['Name'] == osp.splitext(osp.basename(model['Config']))[0]
        assert model['In Collection'] in collections
    for collection in meta['Collections']:
        assert osp.isfile(osp.join(REPO, collection['README']))
    index = yaml.safe_load(open(osp.join(REPO, 'model-index.yml')))
    assert f'configs/{folder}/metafile.yml' in index['Import']
