"""The test tree itself: pytest's default import mode imports test modules
by their file name, so two ``test_x.py`` in different folders break the
collection of the whole suite."""
import collections
import glob
import os.path as osp

TESTS = osp.dirname(osp.abspath(__file__))


def test_module_names_are_unique():
    names = collections.defaultdict(list)
    for path in glob.glob(osp.join(TESTS, '**', '*.py'), recursive=True):
        names[osp.basename(path)].append(osp.relpath(path, TESTS))
    clashes = {
        n: p
        for n, p in names.items() if len(p) > 1 and n != 'conftest.py'
    }
    assert not clashes, f'rename one of each: {clashes}'


def test_no_helper_modules_under_tests():
    """Helpers live in mmllie.testing; tests/ holds tests and conftest."""
    stray = [
        osp.relpath(p, TESTS)
        for p in glob.glob(osp.join(TESTS, '**', '*.py'), recursive=True)
        if not osp.basename(p).startswith('test_')
        and osp.basename(p) != 'conftest.py'
    ]
    assert not stray, f'move to mmllie/testing/: {stray}'
