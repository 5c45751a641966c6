"""The verifier's tables on a fresh database: gunicorn starts every worker at once, and each
creates the tables it needs. None of them may fail to boot because another was faster."""
from __future__ import annotations

import threading

from sqlalchemy import inspect

from verifier_service.models import make_engine, metadata


def test_workers_starting_together_on_a_fresh_database_all_boot(tmp_path):
    url = f"sqlite:///{tmp_path / 'verifier.sqlite3'}"
    barrier, failures = threading.Barrier(6), []

    def worker() -> None:
        barrier.wait()
        try:
            make_engine(url).dispose()
        except Exception as exc:  # a worker that fails to boot stops the whole gunicorn master
            failures.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) == set(metadata.tables)
