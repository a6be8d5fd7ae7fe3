"""Python-Markdown against markdown-it-py on a corpus's bodies, CPU time (bench only; needs
markdown-it-py installed by hand: it is not a dependency). python bench/markdown_compare.py CONTENT_DIR"""
import sys, time, pathlib, markdown, markdown_it
files = sorted(pathlib.Path(sys.argv[1]).rglob("*.md"))[:500]
bodies = [f.read_text().split("\n---\n", 1)[1] for f in files]
def run(fn):
    best = 1e9
    for _ in range(3):
        t = time.process_time(); [fn(b) for b in bodies]; best = min(best, time.process_time() - t)
    return best
md = markdown.Markdown(extensions=["tables", "sane_lists"])
def pm(b): md.reset(); return md.convert(b)
mi = markdown_it.MarkdownIt("commonmark").enable("table")
a, b = run(pm), run(mi.render)
print(f"{len(bodies)} bodies, ~{sum(map(len,bodies))//len(bodies)} chars each; CPU s (best of 3): Python-Markdown {a:.2f}, markdown-it-py {b:.2f}, ratio {a/b:.2f}")
