"""How long a download may take: an overall deadline and a minimum rate over a sliding window.

A per-read socket timeout alone does not bound a transfer: a server that trickles one byte per second
never lets a read time out. :class:`Pace` is told how many bytes arrived after every read and says when
the transfer is too slow (:class:`TooSlow`) or past its deadline (:class:`PastDeadline`).

The defaults, and why:

- :data:`MIN_RATE` = 10 kB/s over :data:`RATE_WINDOW_S` = 30 s. Any working connection is faster (a 2G
  mobile link manages about 30 kB/s), so a server that sends less is stuck or trickling; 30 s is long
  enough to ride out a short stall or TCP's retransmission back-off (several seconds), short enough that
  nobody waits minutes for a stuck server.
- The deadline: 10x the time the expected bytes take at :data:`REFERENCE_RATE` = 1 MB/s (8 Mbit/s, a slow
  home line), and never under :data:`DEADLINE_FLOOR_S` = 10 min, so a small file is not cut off by a
  slow start. xlsa17's 0.9 GB gets 2.5 h. With no known length, :data:`UNKNOWN_LENGTH_DEADLINE_S` = 1 h.
"""
from __future__ import annotations

import math
import time
from collections import deque

__all__ = ["Pace", "TooSlow", "PastDeadline", "default_deadline", "check_pace_args",
           "MIN_RATE", "RATE_WINDOW_S", "REFERENCE_RATE", "DEADLINE_FLOOR_S", "UNKNOWN_LENGTH_DEADLINE_S"]

#: Bytes per second below which a transfer is given up (averaged over ``RATE_WINDOW_S``).
MIN_RATE = 10_000.0
#: Seconds over which the rate is averaged.
RATE_WINDOW_S = 30.0
#: The rate (bytes/s) at which the default deadline expects a file to arrive, ten times over.
REFERENCE_RATE = 1_000_000.0
#: The shortest default deadline, in seconds.
DEADLINE_FLOOR_S = 600.0
#: The default deadline when neither the caller nor the server says how long the file is.
UNKNOWN_LENGTH_DEADLINE_S = 3600.0


class TooSlow(Exception):
    """Fewer bytes arrived over the window than the minimum rate asks for."""


class PastDeadline(Exception):
    """The whole transfer took longer than its deadline."""


def default_deadline(n_bytes: int | None) -> float:
    """The deadline (seconds) for a file of ``n_bytes``: see the module's docstring for the rule."""
    if n_bytes is None:
        return UNKNOWN_LENGTH_DEADLINE_S
    return max(DEADLINE_FLOOR_S, 10 * n_bytes / REFERENCE_RATE)


def check_pace_args(deadline: float | None, min_rate: float, rate_window: float, timeout: float) -> None:
    """Raise a ValueError that names the argument when one of them is not a usable number."""
    for name, value, allow_zero in (("timeout", timeout, False), ("min_rate", min_rate, True),
                                    ("rate_window", rate_window, False), ("deadline", deadline, False)):
        if name == "deadline" and value is None:
            continue
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
            and (value >= 0 if allow_zero else value > 0)
        if not ok:
            bound = ">= 0 (0 turns the check off)" if allow_zero else "> 0"
            extra = ", or None for the default" if name == "deadline" else ""
            raise ValueError(f"{name} must be a finite number of {'bytes/s' if name == 'min_rate' else 'seconds'} "
                             f"{bound}{extra}; got {value!r}.")


class Pace:
    """Watch one download: call :meth:`update` with the running byte count after every read.

    ``deadline`` is in seconds from now (``None``: :func:`default_deadline` of ``expected``, refined by
    :meth:`learn_length` once the server says how long the file is). ``min_rate`` 0 turns the rate off.
    """

    def __init__(self, deadline: float | None, min_rate: float, rate_window: float,
                 expected: int | None = None) -> None:
        self.start = time.monotonic()
        self.derived = deadline is None
        self.deadline = default_deadline(expected) if deadline is None else float(deadline)
        self.min_rate, self.window = float(min_rate), float(rate_window)
        self._samples: deque[tuple[float, int]] = deque()

    def learn_length(self, n_bytes: int | None) -> None:
        """A derived deadline follows the length the server announced; one the caller chose stays."""
        if self.derived and n_bytes is not None:
            self.deadline = default_deadline(n_bytes)

    def remaining(self) -> float:
        """Seconds left before the deadline (negative once it passed)."""
        return self.deadline - (time.monotonic() - self.start)

    def begin(self) -> None:
        """A new attempt: the rate window starts again from zero bytes."""
        self._samples.clear()
        self._samples.append((time.monotonic(), 0))

    def check_deadline(self, n_bytes: int = 0) -> None:
        if self.remaining() < 0:
            raise PastDeadline(f"the download took longer than deadline={self.deadline:g} s "
                               f"({n_bytes:,} bytes had arrived)")

    def update(self, n_bytes: int) -> None:
        """Record that ``n_bytes`` have arrived in this attempt; raise if too slow or too late."""
        self.check_deadline(n_bytes)
        if not self.min_rate:
            return
        now = time.monotonic()
        samples = self._samples
        samples.append((now, n_bytes))
        # Keep the newest sample that is at least one window old as the window's start.
        while len(samples) >= 2 and samples[1][0] <= now - self.window:
            samples.popleft()
        t0, n0 = samples[0]
        if now - t0 >= self.window and n_bytes - n0 < self.min_rate * self.window:
            raise TooSlow(f"only {n_bytes - n0:,} bytes arrived in {now - t0:.0f} s, below min_rate="
                          f"{self.min_rate:,.0f} bytes/s over rate_window={self.window:g} s")
