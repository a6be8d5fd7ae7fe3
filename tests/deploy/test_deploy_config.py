"""[[deploy]] in site.toml: every bad setting told at its line in one run, and a credential
refused with where credentials go instead."""

from __future__ import annotations

from deploytools import add_target

BAD = """\
[[deploy]]
name = "may-chu"
type = "ssh"
host = "web1"
path = "/srv/www"
password = "hunter2"

[[deploy]]
name = "Kho Anh"
type = "s3"
bucket = "B"
endpoint = "https://u:p@s3.example.vn"
aws_secret_access_key = "x"
port = 22

[[deploy]]
type = "ftp"

[[deploy]]
name = "thu-muc"
type = "folder"
token = "abc"
"""


def test_every_bad_deploy_setting_at_its_line(site, invoke):
    start = len((site.root / "site.toml").read_text().splitlines()) + 1
    add_target(site, BAD)
    result = invoke("deploy", "--site", str(site.root))
    assert result.code == 1
    lines = result.err.splitlines()
    at = {line.split(": ", 2)[0]: line for line in lines if line.startswith("site.toml:")}

    def line(offset: int) -> str:
        return at[f"site.toml:{start + offset}"]

    assert "deploy.password: a password, key or token does not belong in site.toml" in line(6)
    assert "deploy.name: a target's name uses only a-z, 0-9 and hyphens" in line(9)
    assert "deploy.bucket: a bucket name has 3 to 63 characters" in line(11)
    assert "deploy.endpoint: expected an http(s) address" in line(12)
    assert "deploy.aws_secret_access_key: a password, key or token" in line(13)
    assert "deploy.port: unknown setting" in line(14)
    assert "deploy: name = is missing" in line(16)
    assert 'deploy.type: expected "folder", "ssh" or "s3", got "ftp"' in line(17)
    assert "deploy.token: a password, key or token" in line(22)
    assert "deploy: path = is missing" in line(19)
    hint = "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws/credentials"
    assert result.err.count(hint) == 3 and "SSH agent or ~/.ssh/config" in result.err
    assert "hunter2" not in result.err
    assert lines[-1] == "10 problems found"
    # the same site.toml stops a build too: a secret is never left in a committed file
    assert invoke("build", str(site.root), "-q").code == 1


def test_two_targets_with_one_name_and_the_first_is_the_default(site, invoke, tmp_path):
    add_target(site, f'[[deploy]]\nname = "a"\ntype = "folder"\npath = "{tmp_path}/a"\n'
                     f'[[deploy]]\nname = "a"\ntype = "folder"\npath = "{tmp_path}/b"')
    result = invoke("deploy", "--site", str(site.root))
    assert result.code == 1 and "deploy.name: two targets are named a" in result.err


def test_no_target_is_a_usage_error(site, invoke):
    result = invoke("deploy", "--site", str(site.root))
    assert result.code == 2 and "site.toml names no deploy target" in result.err
