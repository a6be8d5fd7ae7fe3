"""S3 or S3-compatible object storage, through boto3 (imported here only: a build never
needs it). Each object gets the Content-Type, Cache-Control and Content-Encoding that
output/headers.py gives its path, the same as the nginx config says.

Credentials come from where boto3 looks for them: AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), AWS_PROFILE and ~/.aws/credentials, or the
machine's role; never from site.toml, never printed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from phucdong_site.config import DeployTarget, SiteConfig
from phucdong_site.language import _
from phucdong_site.output import headers_for

from .state import DeployError

WORKERS = 8                      # uploads at once: objects are small, round trips dominate
DELETE_BATCH = 1000              # what one DeleteObjects request takes at most
_LOGIN_CODES = {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch",
                "ExpiredToken", "InvalidToken", "AllAccessDisabled", "403"}
_FULL_CODES = {"QuotaExceeded", "InsufficientStorage", "EntityTooLarge", "507",
               "XMinioStorageFull", "StorageFull"}


class S3Target:
    def __init__(self, config: SiteConfig, target: DeployTarget):
        self.target = target
        try:
            import boto3
            import botocore.config
            import botocore.exceptions
        except ImportError:
            raise DeployError(_("{target}: deploying to S3 needs boto3, which is not "
                                "installed: pip install 'phucdong-site[deploy]' (or pipx "
                                "install --force '.[deploy]')").format(
                                    target=target.name)) from None
        self.errors = botocore.exceptions
        settings = botocore.config.Config(
            connect_timeout=5, read_timeout=60, retries={"max_attempts": 3, "mode": "standard"},
            max_pool_connections=WORKERS)
        try:
            self.client = boto3.session.Session().client(
                "s3", endpoint_url=target.endpoint or None, region_name=target.region or None,
                config=settings)
        except self.errors.BotoCoreError as error:
            raise self._fail(error) from None
        self.prefix = target.prefix

    def _fail(self, error: Exception) -> DeployError:
        name, where = self.target.name, self.target.where()
        errors = self.errors
        if isinstance(error, errors.NoCredentialsError | errors.PartialCredentialsError):
            return DeployError(_("{target}: no S3 credentials found; set AWS_ACCESS_KEY_ID and "
                                 "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with a profile in "
                                 "~/.aws/credentials (never in site.toml)").format(target=name))
        if isinstance(error, errors.EndpointConnectionError | errors.ConnectTimeoutError
                      | errors.ReadTimeoutError | errors.ConnectionClosedError):
            return DeployError(_("{target}: cannot reach the storage ({where}); check the "
                                 "network and endpoint = in site.toml").format(
                                     target=name, where=where))
        if isinstance(error, errors.ClientError):
            code = str(error.response.get("Error", {}).get("Code", ""))
            status = str(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", ""))
            if code in _FULL_CODES or status in _FULL_CODES:
                return DeployError(_("{target}: the storage is full or over its quota "
                                     "({where}); what landed is recorded, run deploy again "
                                     "once there is room").format(target=name, where=where))
            if code in _LOGIN_CODES or status in _LOGIN_CODES:
                return DeployError(_("{target}: the storage refused the credentials "
                                     "({where}): check AWS_ACCESS_KEY_ID, "
                                     "AWS_SECRET_ACCESS_KEY or AWS_PROFILE").format(
                                         target=name, where=where))
            if code in ("NoSuchBucket", "404"):
                return DeployError(_("{target}: the bucket {bucket} does not exist ({where})")
                                   .format(target=name, bucket=self.target.bucket, where=where))
            return DeployError(_("{target}: the storage answered {code} ({where})").format(
                target=name, code=code or status, where=where))
        return DeployError(_("{target}: cannot reach the storage ({where}); check the "
                             "network and endpoint = in site.toml").format(
                                 target=name, where=where))

    def _call(self, action, *args, **kwargs):
        try:
            return action(*args, **kwargs)
        except (self.errors.BotoCoreError, self.errors.ClientError) as error:
            raise self._fail(error) from None

    def open(self) -> None:
        # Reachable, the login accepted, the bucket there: told before any upload.
        self._call(self.client.head_bucket, Bucket=self.target.bucket)

    def close(self) -> None:
        self.client.close()

    def _put(self, relative: str, source: Path) -> str:
        headers = headers_for(relative)
        extra = {"ContentType": headers["Content-Type"],
                 "CacheControl": headers["Cache-Control"]}
        if "Content-Encoding" in headers:
            extra["ContentEncoding"] = headers["Content-Encoding"]
        with open(source, "rb") as body:
            self._call(self.client.put_object, Bucket=self.target.bucket,
                       Key=self.prefix + relative, Body=body, **extra)
        return relative

    def upload(self, files: list[tuple[str, Path]], landed: Callable[[str], None]) -> None:
        with ThreadPoolExecutor(WORKERS) as pool:
            futures = [pool.submit(self._put, relative, source) for relative, source in files]
            try:
                for future in futures:
                    landed(future.result())
            except BaseException:
                for future in futures:
                    future.cancel()
                # what did land is recorded before the error is told
                for future in futures:
                    if future.done() and not future.cancelled() and future.exception() is None:
                        landed(future.result())
                raise

    def delete(self, paths: Iterable[str], gone: Callable[[str], None]) -> None:
        paths = list(paths)
        for start in range(0, len(paths), DELETE_BATCH):
            batch = paths[start:start + DELETE_BATCH]
            answer = self._call(self.client.delete_objects, Bucket=self.target.bucket,
                                Delete={"Objects": [{"Key": self.prefix + path}
                                                    for path in batch], "Quiet": True})
            failed = {error.get("Key") for error in answer.get("Errors", [])}
            for path in batch:
                if self.prefix + path not in failed:
                    gone(path)
            if failed:
                first = answer["Errors"][0]
                raise DeployError(_("{target}: the storage refused to delete {path}: {code}")
                                  .format(target=self.target.name, path=first.get("Key"),
                                          code=first.get("Code", "")))

    def listing(self) -> set[str]:
        found = set()
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.target.bucket, Prefix=self.prefix)
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    found.add(item["Key"][len(self.prefix):])
        except (self.errors.BotoCoreError, self.errors.ClientError) as error:
            raise self._fail(error) from None
        return found
