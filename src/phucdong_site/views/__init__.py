"""`phucdong-site views`: views counted from the web server's access logs into the site's
data file (data/luot-xem.csv), without keeping anything that names a visitor."""

from phucdong_site.views.run import ViewsReport, count_views
from phucdong_site.views.summary import summary_lines

__all__ = ["ViewsReport", "count_views", "summary_lines"]
