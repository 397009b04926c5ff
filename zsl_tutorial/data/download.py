"""Download and cache machinery: verified, atomic, honest about being offline.

Every download here

- streams into a uniquely named temporary file *in the destination folder*
  (so the final rename never crosses file systems), with a progress bar;
- checks the byte count against ``Content-Length`` and, when known, the
  expected size and sha256;
- moves into place with ``os.replace``, which is atomic: ``dest`` either does
  not exist or holds a complete, verified file. A crash, a dropped connection
  or a bad hash never leaves anything at ``dest``, and a leftover ``*.part``
  file is never read back as if it were complete.

A transfer is bounded as a whole, not only per read: an overall ``deadline`` and a ``min_rate`` over a
sliding window (:mod:`zsl_tutorial.data.pace` gives the defaults and why), so a server that trickles
bytes cannot hold a download for ever. A lock (:mod:`zsl_tutorial._locks`) lets one process at a time
fetch a given ``dest``; the others wait, then find the verified file.

Offline (no route, DNS failure, refused connection, timeout, HTTP 4xx) the
error names the file, the URL and the exact path where a manual copy can be
put. ``ZSL_OFFLINE=1`` (or ``HF_HUB_OFFLINE=1``; see :mod:`zsl_tutorial.switches`
for the exact rule) skips the network entirely and fails fast with the same
message, while files already in the cache keep working.

Only the standard library is used for the network (``urllib``), so nothing
here needs ``requests``.
"""
from __future__ import annotations

import hashlib
import http.client
import json
import logging
import os
import socket
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from .. import switches
from ..repository import github_url
from .._deps import require
from .._io import atomic_write
from .._locks import cache_lock
from .archives import UnsafeArchiveError, remove_stale, safe_extract
from .pace import MIN_RATE, RATE_WINDOW_S, Pace, PastDeadline, TooSlow, check_pace_args

__all__ = [
    "download",
    "sha256sum",
    "verify_file",
    "safe_extract",
    "is_offline",
    "DownloadError",
    "OfflineError",
    "ChecksumError",
    "TooSlowError",
    "UnsafeArchiveError",
    "OFFLINE_ENV",
    "write_json_atomic",
]

logger = logging.getLogger(__name__)

#: Set this environment variable to 1 to forbid every network access (``HF_HUB_OFFLINE`` counts the same).
OFFLINE_ENV = switches.OFFLINE_ENV
#: Seconds to wait before the n-th retry is ``n * RETRY_BACKOFF_S`` (the tests set it to 0).
RETRY_BACKOFF_S = 1.0
_CHUNK = 1 << 20
_USER_AGENT = f"zsl-tutorial (+{github_url()})"
# Reads are at most this long, so the deadline and the rate are checked often even on a slow line.
_READ = 64 << 10


class DownloadError(OSError):
    """A file could not be downloaded, or what arrived was not the expected file."""


class OfflineError(DownloadError):
    """The server could not be reached (offline, blocked, timed out, 404), or offline mode is on."""


class ChecksumError(DownloadError):
    """The downloaded bytes do not match the expected size or sha256."""


class TooSlowError(DownloadError):
    """The transfer was slower than ``min_rate`` or took longer than its ``deadline``."""


class _Retryable(Exception):
    """Internal: the transfer started but failed part-way; worth another try."""

    def __init__(self, message: str, *, too_slow: bool = False) -> None:
        super().__init__(message)
        self.too_slow = too_slow


# --------------------------------------------------------------------------- helpers
def is_offline() -> bool:
    """True when ``ZSL_OFFLINE`` or ``HF_HUB_OFFLINE`` says yes (the rule of :func:`zsl_tutorial.switches.offline`)."""
    return switches.offline()


def sha256sum(path: str | os.PathLike, chunk_size: int = _CHUNK) -> str:
    """The hex sha256 of a file, read in chunks so large files need little memory."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk_size), b""):
            h.update(block)
    return h.hexdigest()


def verify_file(path: str | os.PathLike, *, sha256: str | None = None, size: int | None = None) -> str | None:
    """Check ``path`` against an expected size and sha256.

    Returns ``None`` when it matches (or nothing is expected), else a sentence
    saying what is wrong, ready to go in an error message.
    """
    path = Path(path)
    if not path.is_file():
        return f"{path} does not exist"
    actual_size = path.stat().st_size
    # The size is checked first: it is free, and a truncated file is the common failure.
    if size is not None and actual_size != int(size):
        return f"{path.name} has {actual_size:,} bytes, expected {int(size):,}"
    if sha256 is not None:
        actual = sha256sum(path)
        if actual.lower() != sha256.lower():
            return f"{path.name} has sha256 {actual}, expected {sha256.lower()}"
    return None


def _offline_message(url: str, dest: Path, reason: str, hint: str | None) -> str:
    msg = (
        f"Could not download {dest.name} from {url} ({reason}). "
        f"If this machine is offline or the server is unreachable, download the file on a machine "
        f"with internet access and copy it to {dest}"
    )
    msg += f", {hint}" if hint else ""
    msg = msg.rstrip(".") + "."
    if "ZSL_DATA_DIR" not in msg:
        msg += " (The cache folder can be changed with the ZSL_DATA_DIR environment variable.)"
    return msg


def _unlink(path: Path | None) -> None:
    if path is not None:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


# --------------------------------------------------------------------------- download
def download(
    url: str,
    dest: str | os.PathLike,
    *,
    sha256: str | None = None,
    size: int | None = None,
    retries: int = 2,
    timeout: float = 30,
    deadline: float | None = None,
    min_rate: float = MIN_RATE,
    rate_window: float = RATE_WINDOW_S,
    progress: bool = True,
    hint: str | None = None,
) -> Path:
    """Download ``url`` to ``dest``, verified and atomic; return ``dest``.

    Parameters
    ----------
    url : str
        What to fetch (http, https or file URLs).
    dest : path
        Where the file goes. Its folder is created if needed.
    sha256, size : optional
        Expected hex digest and byte count. A cached ``dest`` that fails them
        is treated as corrupt and fetched again; a download that fails them is
        deleted and retried, then raises :class:`ChecksumError`. With neither
        given, an existing ``dest`` is trusted: only a complete download (or a
        copy put there by hand) can be at that path.
    retries : int
        Extra attempts after a transfer that started but failed (dropped
        connection, truncated body, bad hash, too slow, HTTP 5xx). Failing to
        reach the server at all (offline, DNS, refused, timeout, 4xx) is not
        retried, so being offline costs at most one ``timeout``.
    timeout : float
        Seconds to wait for the connection and for each read.
    deadline : float, optional
        Seconds the whole call may take, all attempts together. Default: ten
        times the time the file takes at 1 MB/s, at least 10 minutes (1 hour
        when its length is unknown); see :mod:`zsl_tutorial.data.pace` for why.
        A read in progress may overrun it by up to ``timeout``.
    min_rate, rate_window : float
        Give up an attempt when fewer than ``min_rate`` bytes/s (default
        10 kB/s) arrive, averaged over ``rate_window`` seconds (default 30 s);
        ``min_rate=0`` turns this off.
    progress : bool
        Show a ``tqdm`` progress bar.
    hint : str, optional
        Extra advice for the offline message, e.g. where an unpacked copy may go.

    Raises
    ------
    OfflineError
        Unreachable server, HTTP 4xx, or offline mode (``ZSL_OFFLINE=1`` or ``HF_HUB_OFFLINE=1``).
    ChecksumError
        The bytes received never matched ``size``/``sha256``.
    TooSlowError
        Past ``deadline``, or slower than ``min_rate`` on the last attempt.
    DownloadError
        Any other failed transfer (e.g. truncated every time).
    ValueError
        An argument that is not usable (e.g. a negative ``deadline``), named in the message.
    """
    dest = Path(dest).expanduser()
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError(f"retries must be a whole number >= 0, got {retries!r}.")
    check_pace_args(deadline, min_rate, rate_window, timeout)
    pace = Pace(deadline, min_rate, rate_window, expected=None if size is None else int(size))

    if dest.exists() and verify_file(dest, sha256=sha256, size=size) is None:
        return dest  # a cache hit needs no network, and works offline; dest only changes by atomic renames
    reason = switches.offline_reason()
    if reason:
        raise OfflineError(_offline_message(url, dest, f"{reason} is set, so no download was attempted", hint))

    dest.parent.mkdir(parents=True, exist_ok=True)
    # One process at a time fetches dest; the others wait here, then find it complete below.
    with cache_lock(dest, what=dest.name):
        if dest.exists():
            problem = verify_file(dest, sha256=sha256, size=size)
            if problem is None:
                return dest
            logger.warning("Cached file %s looks corrupt (%s); fetching it again from %s.", dest, problem, url)
            _unlink(dest)
        remove_stale(dest.parent, f".{dest.name}.*.part")
        return _download_attempts(url, dest, sha256=sha256, size=size, retries=retries, timeout=timeout,
                                  pace=pace, progress=progress, hint=hint)


def _download_attempts(url: str, dest: Path, *, sha256: str | None, size: int | None, retries: int,
                       timeout: float, pace: Pace, progress: bool, hint: str | None) -> Path:
    """The retry loop of :func:`download`, run while holding ``dest``'s lock."""
    last_error, kind = "unknown error", "transfer"
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(max(0.0, min(attempt * RETRY_BACKOFF_S, pace.remaining())))
        try:
            pace.check_deadline()
            tmp, actual_sha, n_bytes = _fetch_to_temp(url, dest, timeout=timeout, pace=pace, progress=progress,
                                                      hint=hint)
        except PastDeadline as exc:  # the deadline covers every attempt: no retry can help
            last_error, kind = str(exc), "slow"
            break
        except _Retryable as exc:
            last_error, kind = str(exc), "slow" if exc.too_slow else "transfer"
            logger.warning("Download of %s failed (%s); attempt %d of %d.", url, exc, attempt + 1, retries + 1)
            continue
        # Verify before the rename: dest only ever holds a verified file.
        problems = []
        if size is not None and n_bytes != int(size):
            problems.append(f"size {n_bytes:,} bytes, expected {int(size):,}")
        if sha256 is not None and actual_sha != sha256.lower():
            problems.append(f"sha256 {actual_sha}, expected {sha256.lower()}")
        if problems:
            _unlink(tmp)  # refused bytes are never kept, so they can never be reused
            last_error, kind = "; ".join(problems), "checksum"
            logger.warning("Downloaded %s does not match (%s); attempt %d of %d.", dest.name, last_error,
                           attempt + 1, retries + 1)
            continue
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; a cache file is ordinary data
        os.replace(tmp, dest)
        return dest
    raise _final_error(kind, url, dest, last_error, attempt + 1)


def _final_error(kind: str, url: str, dest: Path, last_error: str, attempts: int) -> DownloadError:
    """The error :func:`download` raises after its last attempt: what failed, and what to do."""
    where = f"Nothing was saved at {dest}."
    if kind == "checksum":
        return ChecksumError(
            f"Downloaded {dest.name} from {url} does not match what was expected: {last_error} "
            f"(after {attempts} attempt(s)). The transfer may be corrupted by a proxy, or the file on "
            f"the server changed. {where} If you obtained a trusted copy another way, place it at {dest}."
        )
    if kind == "slow":
        return TooSlowError(
            f"Gave up downloading {dest.name} from {url}: {last_error} (after {attempts} attempt(s)). {where} "
            f"On a slow connection pass a larger deadline or a lower min_rate (0 turns the rate check off); "
            f"or download the file on another machine and place it at {dest}."
        )
    return DownloadError(
        f"Could not download {dest.name} from {url}: {last_error} (after {attempts} attempt(s)). "
        f"{where} Try again later, or download it on another machine and place it at {dest}."
    )


def _fetch_to_temp(
    url: str, dest: Path, *, timeout: float, pace: Pace, progress: bool, hint: str | None
) -> tuple[Path, str, int]:
    """One attempt: stream ``url`` into a fresh temp file next to ``dest``.

    Returns (temp path, sha256, byte count). Raises :class:`OfflineError` when
    the server cannot be reached, :class:`_Retryable` when the transfer
    started but broke or was too slow, and :class:`~.pace.PastDeadline`; in
    every case no temporary file is left behind.
    """
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    # No single wait may outlast the deadline (the socket keeps this timeout for every read).
    wait = max(0.01, min(timeout, pace.remaining()))
    try:
        response = urllib.request.urlopen(request, timeout=wait)
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code >= 500:  # the server exists but is struggling: worth another try
            raise _Retryable(f"HTTP {exc.code} {exc.reason}") from exc
        raise OfflineError(_offline_message(url, dest, f"HTTP {exc.code} {exc.reason}", hint)) from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        text = "timed out" if isinstance(reason, (TimeoutError, socket.timeout)) else f"{reason}"
        raise OfflineError(_offline_message(url, dest, f"server unreachable: {text}", hint)) from exc
    except (TimeoutError, socket.timeout) as exc:  # connected, but no response within the timeout
        pace.check_deadline()
        raise OfflineError(_offline_message(url, dest, f"no response within {wait:g} s", hint)) from exc
    except (ConnectionError, http.client.HTTPException) as exc:
        raise _Retryable(f"connection failed: {exc!r}") from exc

    tmp: Path | None = None
    n = 0
    try:
        with response:
            length_header = response.headers.get("Content-Length")
            expected = int(length_header) if length_header and length_header.isdigit() else None
            pace.learn_length(expected)
            pace.begin()
            fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
            tmp = Path(name)
            h = hashlib.sha256()
            # read1 returns what one socket read brings; read(n) would wait for n bytes, however slowly
            # they trickle in, and the deadline and rate could not be checked meanwhile.
            read = getattr(response, "read1", response.read)
            bar = _progress_bar(expected, dest.name, progress)
            try:
                with os.fdopen(fd, "wb") as out:
                    while True:
                        block = read(_READ)
                        if not block:
                            break
                        out.write(block)
                        h.update(block)
                        n += len(block)
                        if bar is not None:
                            bar.update(len(block))
                        pace.update(n)
                    out.flush()
                    os.fsync(out.fileno())  # the rename must not outrun the data on a crash
            finally:
                if bar is not None:
                    bar.close()
            if expected is not None and n != expected:
                raise _Retryable(f"connection closed after {n:,} of {expected:,} bytes (truncated transfer)")
            result, tmp = (tmp, h.hexdigest(), n), None
            return result
    except TooSlow as exc:
        raise _Retryable(str(exc), too_slow=True) from exc
    except http.client.IncompleteRead as exc:
        raise _Retryable(f"connection closed early, {len(exc.partial):,} bytes short of the expected length "
                         "(truncated transfer)") from exc
    except (TimeoutError, socket.timeout) as exc:
        pace.check_deadline(n)
        raise _Retryable(f"the server stopped sending for more than {wait:g} s") from exc
    except (ConnectionError, http.client.HTTPException) as exc:
        raise _Retryable(f"connection lost: {exc!r}") from exc
    finally:
        _unlink(tmp)  # set to None on success, so only a failed attempt's file is removed


def _progress_bar(total: int | None, desc: str, enabled: bool):
    if not enabled:
        return None
    tqdm = require("tqdm.auto").tqdm  # lazy: only a download needs it
    return tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=desc, leave=False)


# --------------------------------------------------------------------------- archives
def write_json_atomic(path: str | os.PathLike, obj) -> Path:
    """Write ``obj`` as JSON through a temp file and a rename (never a half-written file)."""
    path = Path(path)
    with atomic_write(path, "w", encoding="utf-8", suffix=".tmp") as f:
        json.dump(obj, f, indent=2, sort_keys=True)
    return path
