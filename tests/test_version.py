"""The version lives in mmllie/version.py only; setup.py and the docs read
it from there, as a literal."""
import ast
import os.path as osp
import runpy

import pytest

import mmllie
from mmllie.version import parse_version_info

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def test_docs_conf_reads_the_package_version():
    conf = runpy.run_path(osp.join(REPO, 'docs', 'en', 'conf.py'))
    assert conf['version'] == conf['release'] == mmllie.__version__


def test_setup_reads_the_package_version(monkeypatch):
    with open(osp.join(REPO, 'setup.py'), encoding='utf-8') as f:
        tree = ast.parse(f.read())
    assert "version=get_version()" in ast.unparse(tree).replace(' ', '')
    # setup.py's own reader, without running setup()
    func = next(
        n for n in tree.body
        if isinstance(n, ast.FunctionDef) and n.name == 'get_version')
    namespace = dict(ast=ast)
    exec(compile(ast.Module([func], []), 'setup.py', 'exec'), namespace)
    monkeypatch.chdir(REPO)
    assert namespace['get_version']() == mmllie.__version__


@pytest.mark.parametrize('text, info', [('0.1.0', (0, 1, 0)),
                                        ('1.2.3rc1', (1, 2, 3, 'rc1')),
                                        ('2.0.10', (2, 0, 10))])
def test_parse_version_info(text, info):
    assert parse_version_info(text) == info
    assert mmllie.version_info == parse_version_info(mmllie.__version__)
