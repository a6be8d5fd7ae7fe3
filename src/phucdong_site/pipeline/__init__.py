"""The pipeline: build() and check() as named stages over the wings below."""

from phucdong_site.pipeline.check_site import check
from phucdong_site.pipeline.stages import BuildReport, Plan, build, plan

__all__ = ["BuildReport", "Plan", "build", "check", "plan"]
