from mmllie.hosts import import_host_modules
from mmllie.registry import METRICS

# metrics built on a host, only where that host is installed
globals().update(import_host_modules(METRICS, 'metrics'))
