import datetime
import warnings

from mmengine import DefaultScope


def register_all_modules(init_default_scope: bool = True) -> None:
    """Import every mmllie module so its classes are in the registries.

    Args:
        init_default_scope (bool): Whether to set the default scope to
            ``'mmllie'`` (only when no default scope exists yet; the host's
            scope -- mmseg, mmpose, mmpretrain -- is kept otherwise).
            Defaults to True.
    """
    import mmllie.datasets  # noqa: F401,F403
    import mmllie.engine  # noqa: F401,F403
    import mmllie.evaluation  # noqa: F401,F403
    import mmllie.models  # noqa: F401,F403

    if not init_default_scope:
        return
    never_created = DefaultScope.get_current_instance() is None \
        or not DefaultScope.check_instance_created('mmllie')
    if never_created:
        DefaultScope.get_instance('mmllie', scope_name='mmllie')
        return
    current_scope = DefaultScope.get_current_instance()
    if current_scope.scope_name != 'mmllie':
        warnings.warn('The current default scope '
                      f'"{current_scope.scope_name}" is not "mmllie", '
                      '`register_all_modules` will force the current '
                      'default scope to be "mmllie". If this is not '
                      'expected, please set `init_default_scope=False`.')
        new_instance_name = f'mmllie-{datetime.datetime.now()}'
        DefaultScope.get_instance(new_instance_name, scope_name='mmllie')
