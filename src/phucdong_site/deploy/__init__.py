"""`phucdong-site deploy`: the built site to a folder, a server over SSH (rsync) or S3
object storage, sending only what changed since the last deploy to that target; and the
units that run `publish` on time (schedule.py)."""

from phucdong_site.deploy.run import DeployReport, choose_target, default_max_deletes, deploy_site
from phucdong_site.deploy.schedule import UnitFile, next_lines, unit_files, units_text, write_units
from phucdong_site.deploy.state import DeployError
from phucdong_site.deploy.summary import dry_run_lines, summary_line

__all__ = ["DeployError", "DeployReport", "UnitFile", "choose_target", "default_max_deletes",
           "deploy_site", "dry_run_lines", "next_lines", "summary_line", "unit_files",
           "units_text", "write_units"]
