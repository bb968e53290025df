"""ExDark → Pascal VOC layout (as IAT / MAET / YOLA train detectors on it).

::

    out/Annotations/<stem>.xml        # <object><name>People</name><bndbox>...
    out/JPEGImages/<name>             # links to the release images
    out/ImageSets/Main/{train,val,test}.txt   # the authors' split
"""
import os
import os.path as osp
import xml.etree.ElementTree as ET
from typing import Dict

from .exdark_layout import (EXDARK_TO_COCO, image_size, locate, read_bbgt,
                            read_image_list)


def _xml(name: str, width: int, height: int, boxes, coco_names: bool) -> str:
    root = ET.Element('annotation')
    ET.SubElement(root, 'folder').text = 'ExDark'
    ET.SubElement(root, 'filename').text = name
    size = ET.SubElement(root, 'size')
    for key, value in (('width', width), ('height', height), ('depth', 3)):
        ET.SubElement(size, key).text = str(value)
    for box in boxes:
        obj = ET.SubElement(root, 'object')
        cls = EXDARK_TO_COCO[box.cls] if coco_names else box.cls
        ET.SubElement(obj, 'name').text = cls
        ET.SubElement(obj, 'difficult').text = '0'
        bnd = ET.SubElement(obj, 'bndbox')
        for key, value in zip(('xmin', 'ymin', 'xmax', 'ymax'), box.bbox):
            ET.SubElement(bnd, key).text = str(int(round(value)))
    ET.indent(root)
    return ET.tostring(root, encoding='unicode') + '\n'


def convert_exdark_to_voc(root: str,
                          out: str,
                          coco_names: bool = False,
                          overwrite: bool = False) -> Dict[str, int]:
    """Write the VOC tree; returns images per split.

    Raises:
        FileExistsError: if ``out`` holds a differing file and not
            ``overwrite``.
    """
    images = read_image_list(osp.join(root, 'imageclasslist.txt'))
    for sub in ('Annotations', 'JPEGImages', osp.join('ImageSets', 'Main')):
        os.makedirs(osp.join(out, sub), exist_ok=True)
    splits: Dict[str, list] = dict(train=[], val=[], test=[])
    for image in images:
        img, ann = locate(image, osp.join(root, 'ExDark'),
                          osp.join(root, 'ExDark_Annno'))
        width, height = image_size(img)
        stem = osp.splitext(image.name)[0]
        text = _xml(image.name, width, height, read_bbgt(ann, width, height),
                    coco_names)
        _write(osp.join(out, 'Annotations', stem + '.xml'), text, overwrite)
        link = osp.join(out, 'JPEGImages', osp.basename(img))
        if not osp.lexists(link):
            os.symlink(osp.abspath(img), link)
        splits[image.split].append(stem)
    for split, stems in splits.items():
        _write(
            osp.join(out, 'ImageSets', 'Main', split + '.txt'),
            ''.join(s + '\n' for s in stems), overwrite)
    return {k: len(v) for k, v in splits.items()}


def _write(path: str, text: str, overwrite: bool) -> None:
    if osp.exists(path) and not overwrite:
        with open(path) as f:
            if f.read() == text:
                return
        raise FileExistsError(f'{path} exists and differs; pass --overwrite '
                              'to replace it')
    with open(path, 'w') as f:
        f.write(text)
