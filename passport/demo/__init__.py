"""The main job: one career switcher's passport, from her wallet to the employer's hiring check.

``python -m passport.demo`` runs it with real services on 127.0.0.1. Modules, one job each:
``flow`` (the steps), ``servers`` (processes), ``issuers`` (issuer and verifier services),
``worker`` (Ria's wallet), ``story`` (who takes part, from ``examples/``), ``output`` (the
files it owns), ``account``/``html_report`` (what it prints and writes), ``http`` (its client),
``offline`` (the library-only run) and ``world`` (signed example documents for tests and benches).
"""
