"""Load checkpoints without running code from them, on every torch.

torch >= 2.6 loads with ``weights_only=True`` by default; torch 2.4 and 2.5
can (:func:`torch.serialization.add_safe_globals` lets mmengine's types
through, see :func:`mmllie.utils.compat.allow_mmengine_checkpoint_globals`);
torch 1.13 - 2.3 cannot load an mmengine training checkpoint that way (its
message hub pickles ``HistoryBuffer`` objects, which those versions cannot
allow-list). There, :func:`safe_torch_load` unpickles with
:data:`restricted_pickle`, whose unpickler resolves only an explicit list of
globals: torch's tensor rebuild functions, dtypes and sizes, numpy arrays and
scalars, ``HistoryBuffer`` and a few builtins. Anything else a pickle names
(``os.system``, ``builtins.eval``, any class) is refused with
:class:`pickle.UnpicklingError` naming it, before it is called.
"""
import io
import pickle
import types
from typing import Any, BinaryIO, Callable, Union

import _compat_pickle
import torch

#: Globals the restricted unpickler resolves, as ``module.name``.
_ALLOWED = frozenset({
    'collections.OrderedDict',
    '_codecs.encode',  # protocol 2 pickles bytes this way
    'builtins.set',
    'builtins.frozenset',
    'builtins.complex',
    'builtins.slice',
    'torch.Size',
    'torch.Tensor',
    'torch.device',
    'torch._utils._rebuild_tensor',
    'torch._utils._rebuild_tensor_v2',
    'torch._utils._rebuild_tensor_v3',
    'torch._utils._rebuild_parameter',
    'torch._utils._rebuild_parameter_with_state',
    'torch._utils._rebuild_meta_tensor_no_storage',
    'torch._utils._rebuild_sparse_tensor',
    'torch._tensor._rebuild_from_type_v2',
    'torch.nn.parameter.Parameter',
    'torch.serialization._get_layout',
    'mmengine.logging.history_buffer.HistoryBuffer',
    'numpy.ndarray',
    'numpy.dtype',
    'numpy.core.multiarray._reconstruct',
    'numpy.core.multiarray.scalar',
    'numpy._core.multiarray._reconstruct',
    'numpy._core.multiarray.scalar',
})


def _allowed(module: str, name: str) -> bool:
    if f'{module}.{name}' in _ALLOWED:
        return True
    if module == 'torch':  # torch.float32, torch.FloatStorage, ...
        return isinstance(getattr(torch, name, None),
                          torch.dtype) or name.endswith('Storage')
    # numpy >= 1.25 pickles a dtype by its class (numpy.dtypes.Float64DType)
    return module == 'numpy.dtypes' and name.endswith('DType')


def history_buffer_getattr(obj: type, name: str):
    """``getattr`` as mmengine checkpoints need it, and nothing more.

    Pickle protocol 2 (``torch.save``'s) stores a function defined in a
    class as ``getattr(cls, name)``: a ``HistoryBuffer`` in a checkpoint's
    message hub refers to its statistics methods that way. Only those
    lookups are allowed; any other ``getattr`` in a pickle is refused.
    """
    from mmengine.logging.history_buffer import HistoryBuffer
    builtin = ('mean', 'max', 'min', 'current')  # set on first __init__
    if obj is HistoryBuffer and (name in builtin
                                 or name in HistoryBuffer._statistics_methods):
        return getattr(obj, name)
    raise pickle.UnpicklingError(
        f'weights_only load: getattr({obj!r}, {name!r}) is not allowed '
        '(mmllie allows getattr only for HistoryBuffer statistics methods)')


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that resolves only the globals of :data:`_ALLOWED`.

    ``getattr`` in a pickle (protocol 2 stores a method as
    ``getattr(cls, name)``) is allowed only for ``HistoryBuffer``'s
    statistics methods.
    """

    def find_class(self, module: str, name: str) -> Any:
        # Python 2 names, as protocol 2 writes them (__builtin__, copy_reg)
        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        module = _compat_pickle.IMPORT_MAPPING.get(module, module)
        if module == 'builtins' and name == 'getattr':
            return history_buffer_getattr
        if _allowed(module, name):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f'refused to load the global {module}.{name}: a checkpoint may '
            'hold tensors, numbers, strings and containers, not code '
            '(mmllie.utils.safe_load)')


def _restricted_load(file: BinaryIO, **kwargs) -> Any:
    return RestrictedUnpickler(file, **kwargs).load()


def _restricted_loads(data: bytes, **kwargs) -> Any:
    return RestrictedUnpickler(io.BytesIO(data), **kwargs).load()


#: A ``pickle_module`` for :func:`torch.load` that refuses code.
restricted_pickle = types.SimpleNamespace(
    Unpickler=RestrictedUnpickler,
    load=_restricted_load,
    loads=_restricted_loads,
    UnpicklingError=pickle.UnpicklingError,
    __name__='mmllie.utils.safe_load.restricted_pickle')


def weights_only_supported() -> bool:
    """Whether this torch can load mmengine checkpoints with
    ``weights_only=True`` (torch >= 2.4, its types allow-listed)."""
    return hasattr(torch.serialization, 'add_safe_globals')


def safe_torch_load(f: Union[str, BinaryIO],
                    map_location: Union[str, Callable, None] = None) -> Any:
    """:func:`torch.load` that never runs code from ``f``.

    ``weights_only=True`` where torch supports mmengine's checkpoints that
    way, else :data:`restricted_pickle`.

    Args:
        f (str | file): The checkpoint.
        map_location: As for :func:`torch.load`.

    Raises:
        pickle.UnpicklingError: ``f`` names a global that is not allowed.
    """
    if weights_only_supported():
        return torch.load(f, map_location=map_location, weights_only=True)
    return restricted_torch_load(f, map_location)


def restricted_torch_load(
        f: Union[str, BinaryIO],
        map_location: Union[str, Callable, None] = None) -> Any:
    """:func:`torch.load` through :data:`restricted_pickle` (any torch)."""
    return torch.load(
        f,
        map_location=map_location,
        pickle_module=restricted_pickle,
        weights_only=False)
