"""deploy to S3: moto's server mode, a real S3 API over HTTP on 127.0.0.1, through boto3:
only the changed objects are put (counted by their LastModified), each with the headers of
output/headers.py; a killed deploy resumed; unreachable storage, refused credentials."""

from __future__ import annotations

import time

import pytest
from deploytools import (
    S3_ENV,
    MotoServer,
    add_target,
    built,
    changed_between,
    edit_article,
    fill_site,
    free_port,
    kill_and_resume,
    run_deploy,
)

pytest.importorskip("boto3")
pytest.importorskip("moto")


@pytest.fixture(scope="module")
def moto(tmp_path_factory):
    server = MotoServer(tmp_path_factory.mktemp("moto"))
    yield server
    server.stop()


def bucket_files(client, bucket: str, prefix: str = "") -> dict[str, bytes]:
    keys = [item["Key"] for page in client.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Prefix=prefix) for item in page.get("Contents", [])]
    return {key[len(prefix):]: client.get_object(Bucket=bucket, Key=key)["Body"].read()
            for key in keys}


def modified(client, bucket: str) -> dict[str, object]:
    return {item["Key"]: item["LastModified"]
            for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
            for item in page.get("Contents", [])}


def s3_target(moto, bucket: str, name: str = "kho", prefix: str = "") -> str:
    return (f'[[deploy]]\nname = "{name}"\ntype = "s3"\nbucket = "{bucket}"\n'
            f'endpoint = "{moto.endpoint}"\nregion = "us-east-1"\nprefix = "{prefix}"')


def test_s3_puts_only_changed_objects_with_their_headers(site, moto):
    client = moto.client()
    client.create_bucket(Bucket="phucdong-1")
    fill_site(site)
    add_target(site, s3_target(moto, "phucdong-1"))
    site.build("-q")
    first = run_deploy(site, env=S3_ENV)
    assert first.returncode == 0, first.stderr
    assert bucket_files(client, "phucdong-1") == built(site)
    page = client.head_object(Bucket="phucdong-1", Key="index.html")
    assert page["ContentType"] == "text/html; charset=utf-8"
    assert page["CacheControl"] == "public, max-age=300"
    photo = next(key for key in built(site) if key.startswith("anh/") and key.endswith(".webp"))
    head = client.head_object(Bucket="phucdong-1", Key=photo)
    assert head["ContentType"] == "image/webp"
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    compressed = [key for key in built(site) if key.endswith(".html.gz")]
    if compressed:          # when the build precompresses (output/compress.py)
        head = client.head_object(Bucket="phucdong-1", Key=compressed[0])
        assert head["ContentEncoding"] == "gzip" and head["ContentType"].startswith("text/html")

    before, stamps = built(site), modified(client, "phucdong-1")
    time.sleep(1.1)                             # LastModified counts whole seconds
    edit_article(site)
    (site.content / "2021/bai-5.md").unlink()
    site.build("-q")
    after = built(site)
    changed, gone = changed_between(before, after), before.keys() - after.keys()
    result = run_deploy(site, env=S3_ENV)
    assert result.returncode == 0, result.stderr
    now = modified(client, "phucdong-1")
    moved = {key for key, stamp in now.items() if stamps.get(key) != stamp}
    assert moved == changed                     # counted at the storage
    assert f"{len(changed)} new or changed files, {len(gone)} files deleted" in result.stdout
    assert bucket_files(client, "phucdong-1") == after


def test_s3_prefix_others_objects_and_delete(site, moto):
    client = moto.client()
    client.create_bucket(Bucket="phucdong-2")
    client.put_object(Bucket="phucdong-2", Key="site/khac.txt", Body=b"not the site's")
    client.put_object(Bucket="phucdong-2", Key="ngoai.txt", Body=b"outside the prefix")
    fill_site(site, 2)
    add_target(site, s3_target(moto, "phucdong-2", prefix="/site/"))
    site.build("-q")
    assert run_deploy(site, env=S3_ENV).returncode == 0
    assert bucket_files(client, "phucdong-2", "site/") == {**built(site),
                                                          "khac.txt": b"not the site's"}
    assert run_deploy(site, "--delete", env=S3_ENV).returncode == 0
    assert bucket_files(client, "phucdong-2", "site/") == built(site)
    assert client.get_object(Bucket="phucdong-2", Key="ngoai.txt")["Body"].read()


def test_a_killed_s3_deploy_run_again_ends_equal(site, moto):
    client = moto.client()
    client.create_bucket(Bucket="phucdong-3")
    fill_site(site, 10)
    add_target(site, s3_target(moto, "phucdong-3"))
    site.build("-q")

    def landed(since: float) -> int:      # S3 keeps whole seconds
        stamps = modified(client, "phucdong-3").values()
        return sum(stamp.timestamp() >= int(since) for stamp in stamps)

    struck = kill_and_resume(site, (), times=4, landed=landed, env=S3_ENV)
    assert struck >= 1
    assert bucket_files(client, "phucdong-3") == built(site)
    edit_article(site, 2)
    site.build("-q")
    kill_and_resume(site, (), times=2, landed=landed, env=S3_ENV, seed=5)
    assert bucket_files(client, "phucdong-3") == built(site)


def test_s3_faults_are_one_line(site, moto, tmp_path):
    fill_site(site, 1)
    closed = f"http://127.0.0.1:{free_port()}"
    add_target(site, f'[[deploy]]\nname = "dong"\ntype = "s3"\nbucket = "phucdong-x"\n'
                     f'endpoint = "{closed}"\nregion = "us-east-1"')
    add_target(site, s3_target(moto, "khong-co-thung", name="thieu"))
    site.build("-q")
    unreachable = run_deploy(site, "dong", env=S3_ENV)
    assert unreachable.returncode == 1
    assert unreachable.stderr.startswith("dong: cannot reach the storage"), unreachable.stderr
    missing = run_deploy(site, "thieu", env=S3_ENV)
    assert missing.returncode == 1
    assert "thieu: the bucket khong-co-thung does not exist" in missing.stderr
    nobody = run_deploy(site, "thieu", env={**S3_ENV, "AWS_ACCESS_KEY_ID": "",
                                            "AWS_SECRET_ACCESS_KEY": ""})
    assert nobody.returncode == 1
    assert nobody.stderr.startswith("thieu: no S3 credentials found"), nobody.stderr
    for result in (unreachable, missing, nobody):
        assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
        assert "testing" not in result.stderr                   # no secret printed


def test_s3_refused_credentials(site, tmp_path):
    server = MotoServer(tmp_path / "moto-auth", enforce_auth=True)
    try:
        fill_site(site, 1)
        add_target(site, s3_target(server, "phucdong-4"))
        site.build("-q")
        result = run_deploy(site, env={**S3_ENV, "AWS_ACCESS_KEY_ID": "AKIASAI",
                                       "AWS_SECRET_ACCESS_KEY": "sai-mat-khau"})
        assert result.returncode == 1
        assert result.stderr.startswith("kho: the storage refused the credentials"), \
            result.stderr
        assert "sai-mat-khau" not in result.stderr and "Traceback" not in result.stderr
    finally:
        server.stop()
