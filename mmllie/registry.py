"""mmllie registries, children of MMEngine's root registries.

Being children of the roots (not of mmseg's or mmpose's), every class here
resolves as ``mmllie.X`` from the mmseg, mmpose and mmpretrain scopes alike,
e.g. ``data_preprocessor=dict(type='mmllie.GlobalPixelwiseEnhancer', ...)``
inside an mmseg config. ``import mmllie`` imports only this module; each
registry imports its ``locations`` when it is first asked for a name.
"""
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import Registry

#: Enhancers, the data-preprocessor wrapper, losses, the batch darkening
#: and the label-free distiller.
MODELS = Registry(
    'model',
    parent=MMENGINE_MODELS,
    locations=[
        'mmllie.models.enhancers', 'mmllie.models.data_preprocessors',
        'mmllie.models.losses', 'mmllie.models.darkening',
        'mmllie.models.distillers', 'mmllie.models.adapters'
    ])
#: Model wrappers (distributed training of the enhancer).
MODEL_WRAPPERS = Registry(
    'model_wrapper',
    parent=MMENGINE_MODEL_WRAPPERS,
    locations=['mmllie.models'])
#: Datasets (NightCity, ExLPose subsets).
DATASETS = Registry(
    'dataset', parent=MMENGINE_DATASETS, locations=['mmllie.datasets'])
#: Data transforms (low-light synthesis).
TRANSFORMS = Registry(
    'transform',
    parent=MMENGINE_TRANSFORMS,
    locations=['mmllie.datasets.transforms'])
#: Hooks (frozen-recognizer guarantee).
HOOKS = Registry(
    'hook', parent=MMENGINE_HOOKS, locations=['mmllie.engine.hooks'])
#: Optimizer wrappers (mixed precision where the device has it).
OPTIM_WRAPPERS = Registry(
    'optim_wrapper',
    parent=MMENGINE_OPTIM_WRAPPERS,
    locations=['mmllie.engine.optimizers'])
#: Metrics.
METRICS = Registry(
    'metric', parent=MMENGINE_METRICS, locations=['mmllie.evaluation'])
#: Host adapters, one per OpenMMLab codebase (mmseg, mmpose, mmpretrain,
#: mmdet), registered under their scope names; see :mod:`mmllie.hosts`.
HOSTS = Registry('host', locations=['mmllie.hosts'])
