"""Read an enhancer config out of a checkpoint without executing anything.

MMEngine stores the training config in ``checkpoint['meta']['cfg']`` as the
text of a Python file. ``Config.fromstring(text, '.py')`` *executes* that
text, so a crafted checkpoint could run any command. Here the text is only
parsed (:mod:`ast`) and the enhancer config is rebuilt from literals:
``dict(...)`` calls with keyword arguments, ``{...}``, lists, tuples,
strings, numbers, booleans and ``None``. Anything else inside the enhancer
config (a name, an attribute, any other call) is refused, never evaluated.
"""
import ast
from typing import Any, Optional

WRAPPER = 'GlobalPixelwiseEnhancer'


class UnsafeConfigError(ValueError):
    """The config text holds something that is not a plain literal."""


def literal(node: ast.AST, where: str = 'config') -> Any:
    """Rebuild a literal value from ``node``; refuse anything else.

    Args:
        node (ast.AST): An expression node.
        where (str): Names the value in error messages.

    Raises:
        UnsafeConfigError: ``node`` is not built from literals and
            ``dict(key=...)`` calls only.
    """
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [literal(e, where) for e in node.elts]
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.Dict) and None not in node.keys:
        return {
            literal(k, where): literal(v, where)
            for k, v in zip(node.keys, node.values)
        }
    if _is_signed_number(node):
        value = node.operand.value
        return -value if isinstance(node.op, ast.USub) else value
    if _is_dict_call(node):
        return {kw.arg: literal(kw.value, where) for kw in node.keywords}
    raise UnsafeConfigError(
        f'{where}: {ast.unparse(node)[:80]!r} is not a plain literal '
        '(only dict(...), {...}, lists, tuples, strings, numbers, booleans '
        'and None are read; nothing is executed)')


def _is_signed_number(node: ast.AST) -> bool:
    """``-1`` / ``+2.5`` (a unary sign on a number literal)."""
    if not isinstance(node, ast.UnaryOp):
        return False
    operand = node.operand
    return isinstance(node.op, (ast.USub, ast.UAdd)) and isinstance(
        operand, ast.Constant) and isinstance(operand.value, (int, float))


def _is_dict_call(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == 'dict' and not node.args
            and all(kw.arg is not None for kw in node.keywords))


def _keyword(node: ast.AST, key: str) -> Optional[ast.AST]:
    """The value node of ``key`` in a ``dict(...)`` / ``{...}`` node."""
    if _is_dict_call(node):
        return next((kw.value for kw in node.keywords if kw.arg == key), None)
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values):
            if isinstance(k, ast.Constant) and k.value == key:
                return v
    return None


def _find_wrapper(node: ast.AST) -> Optional[ast.AST]:
    """The first dict node with ``type='...GlobalPixelwiseEnhancer'``."""
    for sub in ast.walk(node):
        kind = _keyword(sub, 'type')
        if isinstance(kind, ast.Constant) and isinstance(
                kind.value, str) and kind.value.split('.')[-1] == WRAPPER:
            return sub
    return None


def enhancer_cfg_from_dict(model: Any) -> Optional[dict]:
    """The same lookup as :func:`enhancer_cfg_from_text` on a model dict.

    Returns:
        dict | None: A plain ``dict`` copy of the enhancer config.
    """
    stack = [model]
    while stack:
        node = stack.pop(0)
        if isinstance(node, dict):
            kind = node.get('type')
            if isinstance(kind, str) and kind.split('.')[-1] == WRAPPER:
                return _plain(node.get('enhancer'))
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return _plain(model.get('enhancer')) if isinstance(model, dict) else None


def _plain(value: Any) -> Any:
    """``Config``/``ConfigDict`` → plain dicts, lists and literals."""
    if hasattr(value, 'to_dict'):
        value = value.to_dict()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


def is_plain(value: Any) -> bool:
    """True for dicts / lists / tuples of str, int, float, bool, None."""
    if isinstance(value, dict):
        return all(
            isinstance(k, str) and is_plain(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(is_plain(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


def enhancer_cfg_from_text(text: str, where: str = 'cfg') -> Optional[dict]:
    """The enhancer config in the text of an MMEngine config, never run.

    Looks at the top-level ``model = ...``: the ``enhancer`` of the first
    ``GlobalPixelwiseEnhancer`` in it, else ``model.enhancer`` (models
    that train an enhancer alone, e.g. ``mmllie.ZeroDCEUnsupervised``).

    Args:
        text (str): Config file text (``checkpoint['meta']['cfg']``).
        where (str): Names the text in error messages.

    Returns:
        dict | None: The enhancer config, or None if there is none.

    Raises:
        UnsafeConfigError: the enhancer config is not a plain literal.
        ValueError: the text is not Python syntax.
    """
    try:
        tree = ast.parse(text)
    except SyntaxError as e:
        raise ValueError(f'{where} is not a config text: {e}') from e
    model = None
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == 'model'
                for t in stmt.targets):
            model = stmt.value
    if model is None:
        return None
    wrapper = _find_wrapper(model)
    node = _keyword(wrapper, 'enhancer') if wrapper is not None else None
    if node is None:
        node = _keyword(model, 'enhancer')
    if node is None:
        return None
    value = literal(node, f'{where}: model enhancer')
    if value is not None and not isinstance(value, dict):
        raise UnsafeConfigError(
            f'{where}: the enhancer config is {type(value).__name__}, '
            'expected a dict')
    return value


__all__ = [
    'UnsafeConfigError', 'enhancer_cfg_from_dict', 'enhancer_cfg_from_text',
    'is_plain', 'literal'
]
