"""Sphinx configuration of mmllie's documentation (MyST Markdown pages).

Build: ``sphinx-build -W -b html docs/en docs/en/_build/html``
(requirements in ``requirements/docs.txt``).
"""
import ast
import os
import os.path as osp
import sys

os.environ.setdefault('OMP_NUM_THREADS', '1')
sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))


def get_version() -> str:
    """``__version__`` from ``mmllie/version.py`` (the one place it lives),
    read as a literal: nothing in the file is executed."""
    version_file = osp.join(
        osp.dirname(__file__), '..', '..', 'mmllie', 'version.py')
    with open(version_file, encoding='utf-8') as f:
        tree = ast.parse(f.read(), version_file)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                getattr(t, 'id', None) == '__version__' for t in node.targets):
            return ast.literal_eval(node.value)
    raise RuntimeError(f'no __version__ in {version_file}')


project = 'mmllie'
copyright = '2026, mmllie contributors'
author = 'mmllie contributors'
version = release = get_version()

extensions = [
    'myst_parser',
    'sphinx.ext.autodoc',
    'sphinx.ext.napoleon',
    'sphinx.ext.viewcode',
    'sphinx_copybutton',
]
source_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}
master_doc = 'index'
exclude_patterns = ['_build', 'Thumbs.db', '.DS_Store']

myst_enable_extensions = ['colon_fence', 'dollarmath']
myst_heading_anchors = 4

autodoc_member_order = 'bysource'
autodoc_typehints = 'description'
autodoc_default_options = {'members': True, 'show-inheritance': True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

html_theme = 'sphinx_rtd_theme'
html_static_path = ['_static']
copybutton_prompt_text = r'\$ '
copybutton_prompt_is_regexp = True
