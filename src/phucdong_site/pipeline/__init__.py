"""The pipeline: build() and check() as named stages over the wings below."""

from phucdong_site.pipeline.check_site import check
from phucdong_site.pipeline.stages import OUTPUT_TREES, BuildReport, Plan, Warm, build, plan

__all__ = ["OUTPUT_TREES", "BuildReport", "Plan", "Warm", "build", "check", "plan"]
