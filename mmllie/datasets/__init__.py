from .concat_subsets import ConcatSubsets  # noqa: F401
from .exlpose import ExLPoseDataset  # noqa: F401
from .nightcity import NightCityDataset  # noqa: F401
from .synthetic_city import generate_synthetic_city  # noqa: F401
from .transforms import *  # noqa: F401,F403
