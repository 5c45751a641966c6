"""Several processes on one database: unique indexes, no lost status bits, a complete audit log;
a process killed while issuing leaves no half-issued credential and loses at most its unused
block of reserved status indexes (decision 0175)."""
from __future__ import annotations

import multiprocessing
import os
import signal
import time

from sqlalchemy import func, select

from issuer_helpers import base_config, concurrent_worker, issue_forever

from issuer_service.models import AuditEntry, IssuedCredential, StatusAllocation, StatusList
from issuer_service.status import BLOCK
from passport.format.status_list import BitstringStatusList

PROCESSES, PER_PROCESS, REVOKE_EVERY = 4, 25, 5


def test_parallel_issue_and_revoke(app, tokens, tmp_path, database):
    config = base_config(tmp_path, database)
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        work = [(config, tokens["admin"], PER_PROCESS, REVOKE_EVERY)] * PROCESSES
        pending = pool.starmap_async(concurrent_worker, work)
        results = pending.get(timeout=180)
    issued = [cid for ids, _ in results for cid in ids]
    revoked = {cid for _, ids in results for cid in ids}
    assert len(issued) == len(set(issued)) == PROCESSES * PER_PROCESS
    with app.extensions["paspoort_issuer_db"].reading() as session:
        rows = session.scalars(select(IssuedCredential)).all()
        assert len(rows) == len(issued)
        positions = {(row.status_list_id, row.status_index) for row in rows}
        assert len(positions) == len(rows)  # unique indexes, one per credential
        reserved = {tuple(row) for row in session.execute(select(StatusAllocation.list_id, StatusAllocation.idx))}
        assert positions <= reserved  # every position handed out was reserved first
        assert len(reserved) - len(rows) <= PROCESSES * BLOCK  # each process leaves at most its unused block
        lists = {item.id: BitstringStatusList.from_bytes(item.bits) for item in session.scalars(select(StatusList))}
        values = {(list_id, index): lists[list_id].get_value(index, 2) for list_id, index in positions}
        expected = {(row.status_list_id, row.status_index) for row in rows if row.id in revoked}
        assert {position for position, value in values.items() if value} == expected  # no lost updates
        assert all(values[position] == 2 for position in expected)  # 0x2: revoked
        assert {row.id for row in rows if row.revoked} == revoked
        audit = session.execute(select(AuditEntry.action, func.count()).group_by(AuditEntry.action)).all()
    assert dict(audit) == {"issue": len(issued), "revoke": len(revoked)}


def test_a_killed_process_leaves_no_half_issued_credential(app, tokens, tmp_path, database):
    config = base_config(tmp_path, database)
    context = multiprocessing.get_context("spawn")
    started = context.Event()
    process = context.Process(target=issue_forever, args=(config, tokens["admin"], started))
    process.start()
    try:
        assert started.wait(60), "the issuing process did not start"
        time.sleep(0.3)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.join(10)
    with app.extensions["paspoort_issuer_db"].reading() as session:
        credentials = session.scalar(select(func.count()).select_from(IssuedCredential))
        positions = {tuple(row) for row in session.execute(
            select(IssuedCredential.status_list_id, IssuedCredential.status_index)
            .where(IssuedCredential.status_index.is_not(None)))}
        reserved = {tuple(row) for row in session.execute(select(StatusAllocation.list_id, StatusAllocation.idx))}
        audit = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "issue"))
    assert credentials >= 1
    assert len(positions) == credentials and audit == credentials and positions <= reserved
    assert len(reserved) - credentials <= BLOCK  # the killed process lost at most its unused block
