import cv2
import numpy as np
import pytest

from mmllie.datasets import ImageFolderDataset


def _img(path, h=12, w=10):
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), np.full((h, w, 3), 128, np.uint8))


def test_lists_images_recursively_any_case(tmp_path):
    for name in ('b.png', 'a/c.JPG', 'a/deep/d.Jpeg', 'e.BMP'):
        _img(tmp_path / name)
    (tmp_path / 'notes.txt').write_text('not an image')
    (tmp_path / 'labels.json').write_text('{}')
    # as real downloads have: a macOS resource fork with an image
    # extension, a hidden folder
    (tmp_path / 'a' / '._c.JPG').write_bytes(b'\x00\x05\x16\x07 fork')
    _img(tmp_path / '.thumbnails' / 'x.png')
    ds = ImageFolderDataset(
        data_root=str(tmp_path), pipeline=[dict(type='LoadImageFromFile')])
    names = [osp_rel(d['img_path'], tmp_path) for d in ds]
    assert names == ['a/c.JPG', 'a/deep/d.Jpeg', 'b.png', 'e.BMP']
    assert ds[0]['img'].shape == (12, 10, 3)
    flat = ImageFolderDataset(data_root=str(tmp_path), recursive=False)
    assert len(flat) == 2


def osp_rel(path, root):
    return str(path)[len(str(root)) + 1:]


def test_empty_folder_names_it(tmp_path):
    (tmp_path / 'day').mkdir()
    (tmp_path / 'day' / 'readme.txt').write_text('x')
    with pytest.raises(FileNotFoundError, match=r'no images .* in .*day'):
        ImageFolderDataset(data_root=str(tmp_path / 'day'))
    with pytest.raises(FileNotFoundError, match='missing.*does not exist'):
        ImageFolderDataset(
            data_root=str(tmp_path), data_prefix=dict(img_path='missing'))


def test_unreadable_image_names_the_file(tmp_path):
    _img(tmp_path / 'good.png')
    (tmp_path / 'broken.jpg').write_bytes(b'not a jpeg at all')
    ds = ImageFolderDataset(
        data_root=str(tmp_path), pipeline=[dict(type='LoadImageFromFile')])
    with pytest.raises(OSError, match='broken.jpg'):
        ds[0]
    assert ds[1]['img'].shape == (12, 10, 3)
