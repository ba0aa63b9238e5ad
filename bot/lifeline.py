"""Child processes die with their parent.

``tanya serve --workers N`` runs N uvicorn worker processes under a supervisor, and every serving
process runs a send child (:mod:`bot.channels.send_worker`). Should the parent be killed outright
(``kill -9``, the OOM killer), its children must not live on answering webhooks and ``/healthz``
with nobody to restart or stop them: each asks the kernel for a signal when its parent dies
(Linux ``prctl(PR_SET_PDEATHSIG)``, through ctypes: no library wraps it without a C build), and
elsewhere watches its parent's pid from a thread. A worker gets SIGTERM (uvicorn then shuts down
gracefully: the relay gives its rows back); a send child too (its results have nowhere to go).
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time

log = logging.getLogger(__name__)

SUPERVISOR_ENV = "TANYA_SUPERVISOR_PID"  # set by ``tanya serve`` for its uvicorn workers
PR_SET_PDEATHSIG = 1
WATCH_EVERY = 0.5  # seconds; the fallback watcher's poll


def die_with_parent(parent_pid: int, sig: signal.Signals = signal.SIGTERM) -> None:
    """Get ``sig`` when the process ``parent_pid`` (our parent) exits; at once if it already has."""
    if not _pdeathsig(sig):
        threading.Thread(target=_watch, args=(parent_pid, sig), name="parent-watch", daemon=True).start()
    if os.getppid() != parent_pid:  # it died before the request took effect
        os.kill(os.getpid(), sig)


_supervisor: list[int] = []  # this worker's supervisor, once followed


def follow_supervisor() -> None:
    """In a worker of ``tanya serve --workers N``: die with the supervisor."""
    value = os.environ.get(SUPERVISOR_ENV, "")
    if not value.isdigit() or int(value) == os.getpid() or _supervisor:
        return
    _supervisor.append(int(value))
    die_with_parent(int(value))


def supervised() -> bool:
    return bool(_supervisor)


def supervisor_alive() -> bool:
    """For the health check: a worker whose supervisor is gone is on its way out."""
    return not _supervisor or os.getppid() == _supervisor[0]


def _pdeathsig(sig: signal.Signals) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        log.warning("prctl(PR_SET_PDEATHSIG) is not available; watching the parent instead")
        return False


def _watch(parent_pid: int, sig: signal.Signals) -> None:
    while os.getppid() == parent_pid:
        time.sleep(WATCH_EVERY)
    os.kill(os.getpid(), sig)
