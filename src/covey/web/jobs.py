"""Background jobs (import, score, index): one worker thread each, progress kept in memory.

The server is the one writer of every workspace's DuckDB file; jobs write through the
workspace's store, whose transactions are serialised by the store itself.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from covey.errors import CoveyError

log = logging.getLogger("covey.web.jobs")

JobState = Literal["queued", "running", "done", "failed"]


@dataclass
class Job:
    """One piece of long work and how far it got."""

    job_id: str
    workspace: str
    kind: str
    state: JobState = "queued"
    step: str = ""
    completed: int = 0
    total: int = 0
    error: str | None = None
    result: dict[str, Any] = field(default_factory=dict)
    rejects: Path | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None

    @property
    def percent(self) -> int:
        """Share done, 0-100 (100 once finished)."""
        if self.state in ("done", "failed"):
            return 100
        return int(100 * self.completed / self.total) if self.total else 0

    def progress(self, step: str, completed: int, total: int) -> None:
        """A callback for the library's progress reports."""
        self.step, self.completed, self.total = step, completed, total


Work = Callable[[Job], dict[str, Any]]


class Jobs:
    """Every job of the server, looked up by workspace and id."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, workspace: str, kind: str, work: Work) -> Job:
        """Run ``work`` in a thread; its dict is kept as the job's result."""
        job = Job(uuid.uuid4().hex, workspace, kind)
        with self._lock:
            self._jobs[job.job_id] = job

        def run() -> None:
            job.state = "running"
            try:
                job.result = work(job)
                job.state = "done"
            except CoveyError as exc:
                job.error, job.state = str(exc), "failed"
            except Exception as exc:  # a bug: logged with its traceback, shown as one line
                log.exception("job %s (%s) failed", job.job_id, kind)
                job.error, job.state = f"internal error: {type(exc).__name__}", "failed"
            finally:
                job.finished = time.time()

        threading.Thread(target=run, name=f"covey-job-{kind}", daemon=True).start()
        return job

    def get(self, workspace: str, job_id: str) -> Job | None:
        """The job, only when it belongs to ``workspace``."""
        job = self._jobs.get(job_id)
        return job if job is not None and job.workspace == workspace else None

    def of(self, workspace: str) -> list[Job]:
        """A workspace's jobs, newest first."""
        return sorted((j for j in self._jobs.values() if j.workspace == workspace), key=lambda j: -j.started)

    def wait(self, workspace: str, job_id: str, timeout: float = 60) -> Job | None:
        """Block until the job ends (for scripts and tests)."""
        end = time.time() + timeout
        job = self.get(workspace, job_id)
        while job is not None and job.state in ("queued", "running") and time.time() < end:
            time.sleep(0.05)
        return job
