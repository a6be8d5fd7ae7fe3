from phucdong_site.output.lock import quiet_output
from phucdong_site.output.staging import Staging, refuse_linked_output

__all__ = [
    "Staging",
    "quiet_output",
    "refuse_linked_output",
]
