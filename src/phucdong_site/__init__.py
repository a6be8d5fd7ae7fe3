"""phucdong-site: the static news site of phường Phúc Đồng."""

__version__ = "0.1.0"
