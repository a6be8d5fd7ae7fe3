from phucdong_site.serve.server import serve

__all__ = ["serve"]
