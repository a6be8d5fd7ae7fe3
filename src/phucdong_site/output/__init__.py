from phucdong_site.output.lock import quiet_output
from phucdong_site.output.staging import Staging

__all__ = [
    "Staging",
    "quiet_output",
]
