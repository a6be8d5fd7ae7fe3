from phucdong_site.cli import main

# Guarded, as multiprocessing asks of a main module where workers are spawned (Windows,
# macOS): a worker that imports it again (as __mp_main__) must not start a second command.
if __name__ == "__main__":
    raise SystemExit(main())
