"""ExDark → VOC XML (the layout IAT / MAET / YOLA read): one XML per image
with the release's boxes, split lists, image links; nothing overwritten."""
import os.path as osp
import xml.etree.ElementTree as ET

import pytest

from mmllie.datasets.exdark_voc import convert_exdark_to_voc
from mmllie.testing.exdark import IMAGES, make_exdark

SPLITS = {1: 'train', 2: 'val', 3: 'test'}


def test_boxes_splits_and_links(tmp_path):
    root, out = str(tmp_path / 'ExDark'), str(tmp_path / 'voc')
    make_exdark(root)
    counts = convert_exdark_to_voc(root, out)
    for split in ('train', 'val', 'test'):
        expected = [
            osp.splitext(n)[0] for n, *_, s, _ in IMAGES if SPLITS[s] == split
        ]
        assert counts[split] == len(expected)
        with open(osp.join(out, 'ImageSets', 'Main', split + '.txt')) as f:
            assert f.read().split() == expected
    name, _, _, _, _, boxes = IMAGES[0]
    tree = ET.parse(
        osp.join(out, 'Annotations',
                 osp.splitext(name)[0] + '.xml'))
    objects = [(o.findtext('name'), [
        int(float(o.find('bndbox').findtext(k)))
        for k in ('xmin', 'ymin', 'xmax', 'ymax')
    ]) for o in tree.findall('object')]
    assert [n for n, _ in objects] == [c for c, *_ in boxes]
    cls, left, top, w, h = boxes[0]
    xmin, ymin, xmax, ymax = objects[0][1]
    assert (xmin, ymin) in ((left, top), (left + 1, top + 1))
    assert xmax - xmin in (w, w - 1) and ymax - ymin in (h, h - 1)
    assert osp.islink(osp.join(out, 'JPEGImages', name))
    # COCO names for a COCO detector's class list
    coco = str(tmp_path / 'voc_coco')
    convert_exdark_to_voc(root, coco, coco_names=True)
    tree = ET.parse(
        osp.join(coco, 'Annotations',
                 osp.splitext(name)[0] + '.xml'))
    assert tree.find('object').findtext('name') == 'person'


def test_differing_file_needs_overwrite(tmp_path):
    root, out = str(tmp_path / 'ExDark'), str(tmp_path / 'voc')
    make_exdark(root)
    convert_exdark_to_voc(root, out)
    convert_exdark_to_voc(root, out)  # same content: a no-op
    stem = osp.splitext(IMAGES[0][0])[0]
    with open(osp.join(out, 'Annotations', stem + '.xml'), 'w') as f:
        f.write('<annotation/>')
    with pytest.raises(FileExistsError, match=stem):
        convert_exdark_to_voc(root, out)
    convert_exdark_to_voc(root, out, overwrite=True)
    assert ET.parse(osp.join(out, 'Annotations',
                             stem + '.xml')).find('object') is not None
