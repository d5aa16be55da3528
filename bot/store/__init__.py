"""Storage: the engine, the tables and their migrations (Alembic).

    engine.py       make_engine (SQLite file or PostgreSQL), upgrade_schema, read_only
    tables.py       every table on one ``metadata``: what the code reads and writes
    migrations/     how the database gets there: Alembic revisions, configured in code

Every start runs ``upgrade_schema``, which applies the revisions a database lacks under the
schema lock (a PostgreSQL advisory lock; SQLite's write lock), so replicas starting together
upgrade it once. ``lingo db upgrade`` does the same by hand; ``lingo db current`` shows
where a database is.

Adding a migration (a new table or column):

1. Change ``tables.py`` (what the code uses).
2. Add ``migrations/versions/NNNN_what.py`` with ``revision = "NNNN_what"`` and
   ``down_revision`` = the newest revision so far (``"0001"`` is the baseline), and write
   ``upgrade()`` / ``downgrade()`` with ``alembic.op`` (copy the shape of ``0001_baseline``;
   define the table there rather than importing it from tables.py).
3. ``tests/store/test_migrations.py`` checks that the revisions form one chain and that a
   database upgraded to the head matches ``tables.py`` exactly, on SQLite and PostgreSQL.
"""
