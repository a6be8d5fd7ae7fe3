from phucdong_site.output.compress import precompress
from phucdong_site.output.headers import headers_for
from phucdong_site.output.lock import lock_output, quiet_output
from phucdong_site.output.nginx import nginx_config
from phucdong_site.output.staging import Staging, output_folder, published_output

__all__ = [
    "Staging",
    "headers_for",
    "lock_output",
    "nginx_config",
    "output_folder",
    "precompress",
    "published_output",
    "quiet_output",
]
