from conftest import tree_bytes


def test_builds_a_one_article_site(site):
    site.photo("photos/a.jpg")
    site.article("2024/a.md", """
        title: "Hội nghị tổng kết"
        date: 2024-05-01 08:30
        photos:
          - src: photos/a.jpg
            caption: "Toàn cảnh hội nghị"
    """)
    result = site.build()
    assert result.returncode == 0, result.stderr
    files = tree_bytes(site.out)
    assert "2024/05/hoi-nghi-tong-ket/index.html" in files
    assert "index.html" in files and "tin-tuc/index.html" in files
