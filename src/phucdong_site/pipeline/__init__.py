from phucdong_site.pipeline.stages import build, check

__all__ = [
    "build",
    "check",
]
