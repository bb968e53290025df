"""mmllie: recognition-oriented low-light enhancement (OpenMMLab plugin)."""
import ast
import os
import os.path as osp
import shutil
import sys
import warnings
from setuptools import find_packages, setup


def readme() -> str:
    with open('README.md', encoding='utf-8') as f:
        return f.read()


def get_version() -> str:
    """``__version__`` of ``mmllie/version.py``, read as a literal."""
    version_file = 'mmllie/version.py'
    with open(version_file, encoding='utf-8') as f:
        tree = ast.parse(f.read(), version_file)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                getattr(t, 'id', None) == '__version__' for t in node.targets):
            return ast.literal_eval(node.value)
    raise RuntimeError(f'no __version__ in {version_file}')


def parse_requirements(fname: str = 'requirements.txt') -> list:
    """Read requirement lines (comments and ``-r`` includes resolved)."""
    out = []
    with open(fname, encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            if line.startswith('-r '):
                out.extend(
                    parse_requirements(
                        osp.join(osp.dirname(fname),
                                 line.split()[1])))
            else:
                out.append(line)
    return out


def add_mim_extension() -> None:
    """Put configs/, tools/ and model-index.yml into ``mmllie/.mim``.

    The OpenMMLab mim layout (as mmseg's setup.py).

    With it, ``_base_ = 'mmllie::nightcity_deeplabv3plus_gpllie.py'``
    resolves after a normal install. Editable installs (``develop``) get
    symlinks; wheels and sdists get copies.
    """
    if 'develop' in sys.argv or 'editable_wheel' in sys.argv:
        mode = 'symlink'
    elif any(
            x in sys.argv
            for x in ('sdist', 'bdist_wheel', 'install', 'build')):
        mode = 'copy'
    else:
        return
    filenames = ['tools', 'configs', 'model-index.yml']
    repo_path = osp.dirname(osp.abspath(__file__))
    mim_path = osp.join(repo_path, 'mmllie', '.mim')
    os.makedirs(mim_path, exist_ok=True)
    for filename in filenames:
        if not osp.exists(filename):
            continue
        src_path = osp.join(repo_path, filename)
        tar_path = osp.join(mim_path, filename)
        if osp.isfile(tar_path) or osp.islink(tar_path):
            os.remove(tar_path)
        elif osp.isdir(tar_path):
            shutil.rmtree(tar_path)
        if mode == 'symlink':
            try:
                os.symlink(osp.relpath(src_path, mim_path), tar_path)
                continue
            except OSError:
                warnings.warn(f'Failed to symlink {src_path}; copying.')
        if osp.isfile(src_path):
            shutil.copyfile(src_path, tar_path)
        else:
            shutil.copytree(src_path, tar_path)


if __name__ == '__main__':
    add_mim_extension()
    setup(
        name='mmllie',
        version=get_version(),
        description='Recognition-oriented low-light enhancement '
        '(GEM + PAM) in front of frozen OpenMMLab recognizers',
        long_description=readme(),
        long_description_content_type='text/markdown',
        keywords='low-light enhancement, segmentation, pose, OpenMMLab',
        packages=find_packages(exclude=('configs', 'tools', 'tests')),
        include_package_data=True,
        package_data={
            'mmllie': [
                '.mim/configs/**/*', '.mim/tools/**/*', '.mim/model-index.yml',
                'benchmarks/checkpoints/*.pth'
            ]
        },
        python_requires='>=3.8',
        license='Apache License 2.0',
        install_requires=parse_requirements('requirements/runtime.txt'),
        extras_require={
            'all': parse_requirements('requirements/optional.txt'),
            'tests': parse_requirements('requirements/tests.txt'),
            'mim': parse_requirements('requirements/mminstall.txt'),
        },
        zip_safe=False)
