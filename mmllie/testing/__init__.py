"""Test helpers (like ``mmpose.testing``): tiny host recognizers and Runner
builders (:mod:`.hosts`, mmdet's detectors in :mod:`.det_hosts`), and tiny
NightCity / ExLPose / CODaN / ExDark trees in their release layouts
(:mod:`.nightcity`, :mod:`.exlpose`, :mod:`.codan`, :mod:`.exdark`).
Importing this package imports no host package."""
from .exlpose import make_exlpose
from .hosts import HOSTS, build_runner, make_sample, recognizer_checkpoint
from .nightcity import make_nightcity

__all__ = [
    'HOSTS', 'build_runner', 'make_exlpose', 'make_nightcity', 'make_sample',
    'recognizer_checkpoint'
]
