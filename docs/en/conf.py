"""Sphinx configuration of mmllie's documentation (MyST Markdown pages).

Build: ``sphinx-build -W -b html docs/en docs/en/_build/html``
(requirements in ``requirements/docs.txt``).
"""
import os
import os.path as osp
import sys

os.environ.setdefault('OMP_NUM_THREADS', '1')
sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))


def get_version() -> str:
    """``__version__`` from ``mmllie/version.py`` (the one place it lives)."""
    version_file = osp.join(
        osp.dirname(__file__), '..', '..', 'mmllie', 'version.py')
    namespace: dict = {}
    with open(version_file, encoding='utf-8') as f:
        exec(compile(f.read(), version_file, 'exec'), namespace)
    return namespace['__version__']


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
