"""Corpus mode's engines: worker processes on this machine, or actors on a Ray cluster.

Each worker opens the model once and aligns whole stories, writing each story's JSON atomically
itself: whatever finished is safe, whatever happens to the batch. The parent only hands out
stories and collects one `Outcome` per story; a story that fails is an outcome, never the end of
the batch.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from align.corpus import Outcome, Settings, Story, align_story
from align.model import DiffnewsError
from align.onnx_model import cores

Job = tuple[Story, str]  # a story and the path of its JSON

RAY_CONNECT_SECONDS = 5
_worker: dict[str, Any] = {}  # this worker process's settings, embedder and pair model


def start_worker(settings: Settings, threads: int) -> None:
    """A worker's start: its share of the cores (`threads` encoding threads, unless
    $DIFFNEWS_THREADS says), the model opened once, Ctrl-C left to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.setdefault("DIFFNEWS_THREADS", str(threads))  # the user's own setting wins
    from align import pair_model
    from align.embed import Embedder

    _worker["settings"] = settings
    _worker["embedder"] = Embedder(settings.model, Path(settings.cache) if settings.cache else None,
                                   int8=settings.int8)
    _worker["scorer"] = pair_model.load(Path(settings.pair_model)) if settings.pair_model else pair_model.shipped()


def align_job(job: Job) -> Outcome:
    """Align one story in this worker and write its JSON; any failure is the story's outcome."""
    from align.export import write_atomic

    story, path = job
    try:
        text = align_story(story, _worker["settings"], _worker["embedder"], _worker["scorer"])
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(Path(path), text)
    except DiffnewsError as error:
        return Outcome(story.id, "failed", _one_line(str(error)))
    except Exception as error:  # noqa: BLE001 - one bad story must not stop the batch
        return Outcome(story.id, "failed", _one_line(f"{type(error).__name__}: {error}"))
    return Outcome(story.id, "aligned")


def run_local(jobs: list[Job], settings: Settings, workers: int) -> Iterator[Outcome]:
    """Stories aligned by `workers` processes, each with its share of the cores; outcomes as they
    finish."""
    if not jobs:
        return
    workers = max(1, min(workers, len(jobs)))
    # Workers ignore Ctrl-C from their first instruction (an ignored signal stays ignored across
    # exec): the parent alone handles it, and ends them.
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pool = multiprocessing.get_context("spawn").Pool(
            workers, initializer=start_worker, initargs=(settings, max(1, cores() // workers)))
    finally:
        signal.signal(signal.SIGINT, handler)
    with pool:
        yield from pool.imap_unordered(align_job, jobs)


class RayWorker:
    """A Ray actor: one worker process, as `run_local` starts them."""

    def __init__(self, settings: Settings, threads: int) -> None:
        start_worker(settings, threads)

    def align(self, job: Job) -> Outcome:
        return align_job(job)


def run_ray(jobs: list[Job], settings: Settings, address: str, workers: int | None) -> Iterator[Outcome]:
    """Stories aligned by Ray actors, one per CPU of the cluster (or `workers`), as many of them as
    the cluster has GPUs with a GPU each (ONNX Runtime encodes on it where onnxruntime-gpu is
    installed); "local" starts a Ray instance on this machine. Articles and the output folder
    must be where every node sees them (a shared file system)."""
    try:
        import ray
        from ray.util import ActorPool
    except ImportError:
        raise DiffnewsError("--ray needs Ray: pip install -e '.[ray]'") from None
    local = address == "local"
    if not local and address != "auto":
        _check_reachable(address)
    if not ray.is_initialized():
        ray.init(address=None if local else address, num_cpus=(workers or cores()) if local else None,
                 include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        resources: dict[str, float] = ray.cluster_resources()  # type: ignore[no-untyped-call]
        count = max(1, min(workers or int(resources.get("CPU", 1)), len(jobs)))
        gpus = min(int(resources.get("GPU", 0)), count)  # those actors encode on their GPU
        on_gpu, on_cpu = ray.remote(num_cpus=1, num_gpus=1)(RayWorker), ray.remote(num_cpus=1)(RayWorker)
        pool = ActorPool([on_gpu.remote(settings, 1) for _ in range(gpus)]
                         + [on_cpu.remote(settings, 1) for _ in range(count - gpus)])
        yield from pool.map_unordered(lambda a, job: a.align.remote(job), jobs)
    finally:
        if local:
            ray.shutdown()


def _check_reachable(address: str) -> None:
    """A clear error for a Ray address nothing answers at: ray.init would retry for minutes."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=RAY_CONNECT_SECONDS).close()
    except (OSError, ValueError) as error:
        raise DiffnewsError(f"--ray {address}: no Ray cluster answers there "
                            f"({getattr(error, 'strerror', None) or error})") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())
