from .safe_load import safe_torch_load
from .setup_env import register_all_modules

__all__ = ['register_all_modules', 'safe_torch_load']
