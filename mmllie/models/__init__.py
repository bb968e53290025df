from .adapters import *  # noqa: F401,F403
from .darkening import *  # noqa: F401,F403
from .data_preprocessors import *  # noqa: F401,F403
from .distillers import *  # noqa: F401,F403
from .enhancers import *  # noqa: F401,F403
from .finder import get_enhancer, get_enhancer_wrapper
from .frozen import freeze_recognizer, set_recognizer_eval
from .losses import *  # noqa: F401,F403
from .wrappers import *  # noqa: F401,F403
