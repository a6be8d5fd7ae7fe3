"""The live-reload script and error overlay belong to serve's responses, never to build output."""

from __future__ import annotations

from conftest import tree_bytes

# Everything serve adds to a page: the script's marker, its endpoint, its API, the overlay.
SERVE_ONLY = (b"data-phucdong-serve", b"/_phucdong/", b"EventSource", b"phucdong-serve-errors",
              b"phucdongServeVersion")


def test_no_file_of_a_build_carries_the_live_reload_script(site):
    site.photo("photos/a.jpg")
    site.article("2024/a.md", """
        title: "Hội nghị tổng kết"
        date: 2024-05-01 08:30
        photos:
          - src: photos/a.jpg
            caption: "Toàn cảnh hội nghị"
    """, body="Đoạn một.\n\n![Ảnh](photos/a.jpg)\n")
    for number in range(5):                     # enough for a second listing page
        site.article(f"2024/b{number}.md", f"""
            title: "Tin số {number}"
            date: 2024-04-0{number + 1} 09:00
        """)
    site.article("2024/draft.md", """
        title: "Bản nháp"
        date: 2024-05-02 08:00
        draft: true
    """)
    for extra in ([], ["--drafts"]):
        result = site.build(*extra)
        assert result.returncode == 0, result.stderr
        files = tree_bytes(site.out)
        assert len([name for name in files if name.endswith(".html")]) >= 8
        carrying = {name: marker for name, data in files.items()
                    for marker in SERVE_ONLY if marker in data}
        assert carrying == {}
