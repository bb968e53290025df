"""Everything mmllie does with checkpoint files, in one package.

- :mod:`.resume` -- which checkpoint of a work dir to resume from (the
  newest readable one), never a new run over an earlier run's files, a
  clear error for an unreadable ``load_from``;
- :mod:`.keys` -- does a checkpoint fit a model (missing / unexpected /
  mis-shaped keys; MMEngine only logs them);
- :mod:`.enhancer` -- the enhancer-only checkpoint: export it from a
  training checkpoint, read its stored config, load it;
- :mod:`.stored_cfg` -- the enhancer config stored in a checkpoint, built
  only from a small explicit set of enhancer classes;
- :mod:`.literal_cfg` -- config text read as literals, never executed;
- :mod:`.weights` -- weights-only copies of training checkpoints.
"""
from .enhancer import export_enhancer, load_enhancer, stored_enhancer_cfg
from .keys import check_checkpoint_matches, checkpoint_mismatch
from .literal_cfg import UnsafeConfigError
from .resume import (apply_resume, check_checkpoint_file, check_load_from,
                     find_resumable_checkpoint)
from .stored_cfg import CHECKPOINT_ENHANCER_TYPES, check_enhancer_types
from .weights import save_model_weights

__all__ = [
    'CHECKPOINT_ENHANCER_TYPES', 'UnsafeConfigError', 'apply_resume',
    'check_checkpoint_file', 'check_checkpoint_matches',
    'check_enhancer_types', 'check_load_from', 'checkpoint_mismatch',
    'export_enhancer', 'find_resumable_checkpoint', 'load_enhancer',
    'save_model_weights', 'stored_enhancer_cfg'
]
