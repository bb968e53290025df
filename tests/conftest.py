"""Session fixtures: the dataset trees that several test modules read,
generated once per test session.

The trees are shared, so they are read-only by contract: a test that
changes a tree copies it first (``shutil.copytree``). Each fixture checks at
the end of the session that no file of its tree was added, removed or
rewritten, and fails naming the paths otherwise.
"""
import os
import os.path as osp
from typing import Dict, Tuple

import pytest

import mmllie  # noqa: F401  (CPU-stack import fixes first)


def snapshot(root: str) -> Dict[str, Tuple[int, int]]:
    """``{relative path: (size, mtime_ns)}`` of every file under root."""
    files = {}
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            path = osp.join(dirpath, name)
            st = os.stat(path)
            files[osp.relpath(path, root)] = (st.st_size, st.st_mtime_ns)
    return files


def assert_unchanged(root: str, before: Dict[str, Tuple[int, int]]) -> None:
    """Fail naming what a test changed in a shared tree."""
    after = snapshot(root)
    changed = sorted(
        set(before) ^ set(after)
        | {p
           for p in set(before) & set(after) if before[p] != after[p]})
    assert not changed, (f'a test modified the shared tree {root} (copy it '
                         f'before changing it): {changed[:10]}')


@pytest.fixture(scope='session')
def exlpose_trees(tmp_path_factory) -> dict:
    """ExLPose in both release layouts: ``{'public': (root, coco),
    'authors': (root, coco)}`` (coco: annotation dicts by subset)."""
    from mmllie.testing.exlpose import make_exlpose
    trees = {}
    for variant in ('public', 'authors'):
        root = str(tmp_path_factory.mktemp(f'exlpose_{variant}'))
        trees[variant] = (root, make_exlpose(root, variant))
    before = {v: snapshot(root) for v, (root, _) in trees.items()}
    yield trees
    for variant, (root, _) in trees.items():
        assert_unchanged(root, before[variant])


@pytest.fixture(scope='session')
def release_trees(tmp_path_factory, exlpose_trees) -> dict:
    """One tiny tree per real dataset, in its release layout:
    ``{'nightcity', 'exlpose', 'codan', 'exdark'}`` → data root.

    NightCity (64×128, labels converted to train ids), ExLPose (public
    layout), CODaN (after the converter: ``data/<split>/<Class>/``),
    ExDark (official layout)."""
    from mmllie.datasets.nightcity_convert import convert_nightcity_labels
    from mmllie.testing.codan import make_codan
    from mmllie.testing.exdark import make_exdark
    from mmllie.testing.nightcity import make_nightcity
    tmp = tmp_path_factory.mktemp('release_trees')
    roots = dict(
        nightcity=str(tmp / 'NightCity'),
        exlpose=exlpose_trees['public'][0],
        codan=str(tmp / 'CODaN' / 'data'),
        exdark=str(tmp / 'ExDark'))
    make_nightcity(roots['nightcity'], size=(64, 128))
    convert_nightcity_labels(
        osp.join(roots['nightcity'], 'NightCity-label', 'label'))
    make_codan(roots['codan'])
    make_exdark(roots['exdark'])
    before = snapshot(str(tmp))
    yield roots
    assert_unchanged(str(tmp), before)


@pytest.fixture(scope='session')
def inference_cases(tmp_path_factory) -> dict:
    """One config + (enhancer + recognizer) checkpoint + image per host
    (:func:`mmllie.testing.inference.make_case`): ``{scope: case}``.

    Read-only apart from ``case['results']``, which every ``tools/test.py``
    run on the case rewrites."""
    from mmllie.testing.inference import SCOPES, make_case
    tmp = tmp_path_factory.mktemp('inference_cases')
    return {s: make_case(s, str(tmp / s)) for s in SCOPES}
