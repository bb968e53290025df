"""Reading folders and videos, writing images and videos, never
overwriting without being asked (shared by ``tools/enhance.py`` and
``demo/``)."""
import os
import os.path as osp
from typing import Iterator, List, Sequence, Tuple

import cv2
import numpy as np

IMAGE_EXTS = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp',
              '.ppm', '.pgm')
#: Output extension → fourcc that opencv-python-headless can write.
VIDEO_FOURCC = {'.mp4': 'mp4v', '.avi': 'MJPG'}
VIDEO_EXTS = ('.mp4', '.avi', '.mov', '.mkv', '.webm', '.m4v', '.mpg')


def is_video(path: str) -> bool:
    return osp.splitext(path)[1].lower() in VIDEO_EXTS


def list_images(path: str) -> List[str]:
    """An image file, or the image files of a folder (sorted, not
    recursive; other files are left out, by extension)."""
    if not osp.exists(path):
        raise FileNotFoundError(f'input {path} does not exist')
    if osp.isfile(path):
        return [path]
    files = sorted(
        osp.join(path, f) for f in os.listdir(path)
        if osp.splitext(f)[1].lower() in IMAGE_EXTS)
    if not files:
        raise FileNotFoundError(f'no image ({", ".join(IMAGE_EXTS)}) in '
                                f'folder {path}')
    return files


def read_image(path: str) -> np.ndarray:
    """``cv2.imread(IMREAD_UNCHANGED)``: 8/16-bit, grey, BGR or BGRA."""
    img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if img is None:
        raise ValueError(f'cannot read image {path} (OpenCV could not '
                         'decode it)')
    return img


def write_image(path: str, img: np.ndarray) -> None:
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    if not cv2.imwrite(path, img):
        raise OSError(f'cannot write {path} ({img.dtype} {img.shape}); '
                      '16-bit images need .png or .tif')


def check_outputs(outputs: Sequence[str], inputs: Sequence[str],
                  overwrite: bool) -> None:
    """Refuse to overwrite an input ever, an output without
    ``overwrite``, and two outputs of one name (e.g. ``x.jpg`` and ``x.png``
    both written as ``x.png``); all before anything is written.

    Args:
        outputs (Sequence[str]): Files that will be written.
        inputs (Sequence[str]): Files that are read; when as many as
            ``outputs``, ``inputs[i]`` becomes ``outputs[i]`` (named in the
            message about a shared output).
        overwrite (bool): Whether existing outputs may be replaced.
    """
    first = {}
    for i, out in enumerate(outputs):
        key = osp.realpath(out)
        if key in first:
            j = first[key]
            srcs = (f'{inputs[j]} and {inputs[i]} would both be written '
                    if len(inputs) == len(outputs) else
                    'two outputs would be written ')
            raise FileExistsError(
                f'{srcs}to {out}: one would replace the other. Rename one '
                'of them (or enhance them into different folders).')
        first[key] = i
    ins = {osp.realpath(p) for p in inputs}
    for out in outputs:
        if osp.realpath(out) in ins:
            raise FileExistsError(f'output {out} is an input file; choose '
                                  'another output folder')
    existing = [p for p in outputs if osp.exists(p)]
    if existing and not overwrite:
        more = f' and {len(existing) - 3} more' if len(existing) > 3 else ''
        raise FileExistsError(f'output {", ".join(existing[:3])}{more} '
                              'exists; pass --overwrite to replace it')


def open_video(path: str) -> Tuple[cv2.VideoCapture, float, int]:
    """Open a video; return (capture, fps, frame count or 0 if unknown)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'video {path} does not exist')
    cap = cv2.VideoCapture(path)
    ok = cap.isOpened()
    if ok:
        ok = cap.grab()
        cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
    if not ok:
        cap.release()
        raise ValueError(f'cannot read video {path}: OpenCV could not open '
                         'or decode it')
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    return cap, fps, max(int(cap.get(cv2.CAP_PROP_FRAME_COUNT)), 0)


def read_frames(cap: cv2.VideoCapture) -> Iterator[np.ndarray]:
    """Frames one by one (BGR uint8), streamed."""
    try:
        while True:
            ok, frame = cap.read()
            if not ok:
                return
            yield frame
    finally:
        cap.release()


class VideoSink:
    """Writes BGR uint8 frames to ``.mp4`` (mp4v) or ``.avi`` (MJPG).

    These codecs need even frame sizes: an odd height or width is padded
    by one replicated row / column (the encoder would otherwise crop it).
    """

    def __init__(self, path: str, fps: float) -> None:
        ext = osp.splitext(path)[1].lower()
        if ext not in VIDEO_FOURCC:
            raise ValueError(f'video output {path}: use one of '
                             f'{sorted(VIDEO_FOURCC)}')
        os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
        self.path, self.fps, self.fourcc = path, fps, VIDEO_FOURCC[ext]
        self.writer = None
        self.count = 0

    def write(self, frame: np.ndarray) -> None:
        h, w = frame.shape[:2]
        if h % 2 or w % 2:
            frame = cv2.copyMakeBorder(frame, 0, h % 2, 0, w % 2,
                                       cv2.BORDER_REPLICATE)
        if self.writer is None:
            size = (frame.shape[1], frame.shape[0])
            self.writer = cv2.VideoWriter(self.path,
                                          cv2.VideoWriter_fourcc(*self.fourcc),
                                          self.fps, size)
            if not self.writer.isOpened():
                raise OSError(f'OpenCV cannot write {self.path} with codec '
                              f'{self.fourcc}')
        self.writer.write(frame)
        self.count += 1

    def close(self) -> None:
        if self.writer is not None:
            self.writer.release()
