"""Names and layout of the ExLPose release (Lee et al., CVPR 2023).

Subset names, where their annotation files are, and how a low-light image
is paired with its well-lit twin: both come from one beam-split camera rig
as ``dark/<key>_dark_<frame>__gain_<g>_exposure_<e>.png`` and
``bright/<key>_bright_<frame>__gain_<g'>_exposure_<e'>.png``; ``<key>``
(``imgs_0212_hwangridan_vid000020_exp1200``) and ``<frame>`` are shared, the
gain (and in some files exposure) parts differ.
"""
import os.path as osp
import re
from typing import Dict, List, Optional, Tuple

from mmengine.fileio import exists, list_dir_or_file

#: canonical subset -> (accepted aliases, annotation file stems in the
#: order they are searched: public release first, then the authors' code)
SUBSETS: Dict[str, Tuple[Tuple[str, ...], Tuple[str, ...]]] = {
    'LL-N': (('LL-Normal', ), ('ExLPose_test_LL-N', 'ExLPose_test_LL-Normal')),
    'LL-H': (('LL-Hard', ), ('ExLPose_test_LL-H', 'ExLPose_test_LL-Hard')),
    'LL-E':
    (('LL-Extreme', ), ('ExLPose_test_LL-E', 'ExLPose_test_LL-Extreme')),
    'LL-A': (('LL-All', ), ('ExLPose_test_LL-A', 'ExLPose_test_LL-All')),
    'WL': (('test-WL', ), ('ExLPose_test_WL', )),
    'train-LL': (('train_LL', ), ('ExLPose_train_LL', )),
    'train-WL': (('train_WL', ), ('ExLPose_train_WL', )),
}
#: annotation folders searched under ``data_root``, in this order
ANN_DIRS = ('annotations/ExLPose', 'Annotations/ExLPose', 'annotations',
            'Annotations', '')
#: ``<key>_<dark|bright>_<frame>_...``: the pairing key of an image name
PAIRED_NAME = re.compile(r'^(?P<key>.+)_(?P<tree>dark|bright)_(?P<frame>\d+)_')


def canonical_subset(subset: str) -> str:
    """``'LL-Normal'``/``'ll-n'`` -> ``'LL-N'``; raise on unknown names."""
    for name, (aliases, _) in SUBSETS.items():
        if subset.lower() in (n.lower() for n in (name, ) + aliases):
            return name
    known = [n for name, (al, _) in SUBSETS.items() for n in (name, ) + al]
    raise ValueError(f'Unknown ExLPose subset {subset!r}; expected one of '
                     f'{known}')


def find_ann_file(subset: str, data_root: Optional[str]) -> str:
    """The first existing annotation file of ``subset`` under ``data_root``.

    Folders :data:`ANN_DIRS` are searched in order, each for the public name
    (``ExLPose_test_LL-A.json``) before the authors' (``..._LL-All.json``).
    Returns the path relative to ``data_root``.
    """
    tried = []
    for folder in ANN_DIRS:
        for stem in SUBSETS[canonical_subset(subset)][1]:
            rel = osp.join(folder, stem + '.json')
            tried.append(osp.join(data_root or '', rel))
            if exists(tried[-1]):
                return rel
    raise FileNotFoundError(
        f'No annotation file for ExLPose subset {subset!r}; tried:\n  ' +
        '\n  '.join(tried))


def index_tree(tree_dir: str, tree: str) -> Dict[tuple, List[str]]:
    """``(key, frame) -> [file name]`` of the ``tree`` images in
    ``tree_dir`` (``tree``: ``'dark'`` or ``'bright'``)."""
    index: Dict[tuple, List[str]] = {}
    for name in list_dir_or_file(tree_dir, list_dir=False):
        match = PAIRED_NAME.match(name)
        if match and match['tree'] == tree:
            index.setdefault((match['key'], match['frame']), []).append(name)
    return index
