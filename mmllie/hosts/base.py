"""What mmllie needs to know about one OpenMMLab codebase (a host).

Like mmdeploy's ``BaseTask`` (one per codebase, in a registry), each host
(mmseg, mmpose, mmpretrain, mmdet) is one :class:`BaseHost` subclass in
``mmllie/hosts/<host>.py``, registered in :data:`mmllie.registry.HOSTS`
under its scope name. Nothing outside ``mmllie/hosts/`` branches on a host
name: a new codebase is one adapter file plus its configs. Adapters import
their host package only inside methods, so ``import mmllie`` imports none.
"""
import importlib
import importlib.util
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch

Size = Tuple[int, int]


class BaseHost:
    """One OpenMMLab codebase as mmllie uses it.

    Subclasses override these class attributes.

    Attributes:
        scope (str): Default scope and import name, e.g. ``'mmseg'``.
        package (str): pip name, e.g. ``'mmsegmentation'``.
        inferencer (tuple[str, str]): (module, class) of the host's own
            inferencer.
        distill_loss (dict): Default loss of ``mmllie.LabelFreeDistiller``
            between raw outputs (``mode='tensor'``).
        export_verify_shape (tuple[int, int]): An H×W the host's models
            accept, checked after fused ONNX export.
        export_output (str): Name of the fused ONNX graph's output where
            the recognizer has one (``mode='tensor'``); several outputs are
            numbered ``output0``, ``output1``, ...
        datasets (dict[str, str]): mmllie dataset class name → the mmllie
            module that defines it on top of this host; imported only where
            the host is installed.
        metrics (dict[str, str]): The same for metrics.
        models (dict[str, str]): The same for models.
        test_preprocessor (dict): The host's data-preprocessor config of
            the tiny test models (:meth:`test_model`).
    """
    scope: str = ''
    package: str = ''
    inferencer: Tuple[str, str] = ('', '')
    distill_loss: dict = dict(type='mmllie.OutputDistillationLoss', kind='kl')
    export_verify_shape: Size = (257, 193)
    export_output: str = 'output'
    datasets: Dict[str, str] = {}
    metrics: Dict[str, str] = {}
    models: Dict[str, str] = {}
    test_preprocessor: dict = {}

    def is_installed(self) -> bool:
        """Whether the host package can be imported (without importing)."""
        try:
            return importlib.util.find_spec(self.scope) is not None
        except (ImportError, ValueError):  # blocked or half-removed
            return False

    # inference -------------------------------------------------------
    def build_inferencer(self,
                         cfg,
                         checkpoint: Optional[str] = None,
                         device: Optional[str] = None):
        """The host's inferencer for ``cfg`` (an mmllie config)."""
        module, name = self.inferencer
        cls = getattr(importlib.import_module(module), name)
        return cls(cfg, checkpoint, device=device)

    def draw(self, inferencer, rgb: np.ndarray, sample) -> np.ndarray:
        """Draw ``sample``'s prediction on an RGB uint8 image with the
        inferencer's visualiser; RGB uint8 out."""
        vis = inferencer.visualizer
        vis.add_datasample(
            'prediction', rgb, sample, draw_gt=False, show=False)
        return vis.get_image()

    def enable_visualization(self, hook: dict, visualizer: dict,
                             show_dir: str) -> None:
        """Make the host's visualisation hook save pictures to
        ``show_dir`` (``tools/test.py --show-dir``)."""
        hook['enable'] = True
        hook['out_dir'] = show_dir

    def export_output_names(self, n: int) -> List[str]:
        """Output names of a fused ONNX graph with ``n`` outputs."""
        if n == 1:
            return [self.export_output]
        return [f'output{i}' for i in range(n)]

    # the data path ---------------------------------------------------
    def valid_sizes(self, sizes: List[Size], data_samples: Sequence[Any],
                    hw: Size) -> List[Size]:
        """Each image's un-padded H×W inside the host's output batch.

        Args:
            sizes: Each input image's H×W, before the host.
            data_samples: The host's output data samples.
            hw: H×W of the host's output batch.
        """
        h, w = hw
        return [(min(sh, h), min(sw, w)) for sh, sw in sizes]

    # tests -----------------------------------------------------------
    def test_model(self, data_preprocessor: dict) -> dict:
        """Config of a tiny recognizer (``init_cfg=None``: no download)."""
        raise NotImplementedError

    def test_sample(self, h: int, w: int,
                    seed: int) -> Tuple[torch.Tensor, Any]:
        """One (uint8 3×H×W image, data sample with a label) pair."""
        raise NotImplementedError

    @staticmethod
    def test_meta(h: int, w: int, seed: int) -> dict:
        return dict(img_shape=(h, w), ori_shape=(h, w), img_path=f'img{seed}')

    @staticmethod
    def test_image(h: int, w: int, g: torch.Generator) -> torch.Tensor:
        return (torch.rand(3, h, w, generator=g) * 60).to(torch.uint8)
