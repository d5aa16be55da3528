"""Every table the bot stores, on one ``metadata``: the schema in one place.

Features read and write these tables; the schema itself changes only through a migration
(``bot/store/migrations``), applied at start by ``bot.store.engine.upgrade_schema``.

    daily_subscriptions  channels that get the term of the day, and when
    daily_posts          the exactly-once ledger: one row per channel and local date
    daily_rotations      where each channel is in each rotation
    lookup_counts        the anonymous lookup log: counts by minute, query, outcome, term
    request_claims       Slack request keys being handled, shared by every replica
    learning_people      who opted in to the review deck, and when their review comes
    learning_cards       each person's review deck: one FSRS card per term
    quiz_answers         one row per question and person: the answer, counted once
    clarity_votes        "Was this clear?" per term and person, with an optional comment
    review_messages      the review DM's exactly-once ledger: one row per person and date
    user_prefs           what a person chose for themselves (the language of answers)
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
    true,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData()

MAX_QUERY_CHARS = 200


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every database (SQLite stores it without a zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; the daily tables store aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Channels that get the post: when (local time, days, zone) and who set it up.
# ``source`` is "settings" for rows seeded from LINGO_DAILY_CHANNELS (they follow the
# settings) and "slack" once someone changed them with /lingo (then the settings leave
# them alone). An unsubscribed channel keeps its row with active false, so a restart does
# not seed it back.
subscriptions = Table(
    "daily_subscriptions",
    metadata,
    Column("channel", String(32), primary_key=True),
    Column("post_time", String(5), nullable=False),  # HH:MM, local
    Column("days", String(64), nullable=False),  # cron style: mon-fri, mon,wed,fri
    Column("timezone", String(64), nullable=False),  # IANA name
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("source", String(16), nullable=False, server_default="slack"),
    Column("created_by", String(32)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("changed_by", String(32)),
    # When the schedule last changed: a run scheduled before it is not caught up.
    Column("changed_at", UtcDateTime, nullable=False),
    # The language of the channel's post ("en", "ko"); `/lingo subscribe ... lang=ko`.
    Column("lang", String(8), nullable=False, server_default="en"),
)


def ledger_columns() -> list[Column[object]]:
    """The columns of an exactly-once ledger (bot.store.ledger), after its key columns:
    the state of the claim, the attempts, and the message once it is sent."""
    return [
        Column("status", String(16), nullable=False),
        Column("claim_token", String(36), nullable=False),
        Column("claimed_at", UtcDateTime, nullable=False),
        Column("first_claimed_at", UtcDateTime, nullable=False),
        Column("attempts", Integer, nullable=False, server_default="1"),
        Column("maybe_sent", Boolean, nullable=False, server_default=false()),
        Column("retry_at", UtcDateTime),
        Column("message_ts", String(32)),
        Column("posted_at", UtcDateTime),
    ]


# The ledger: one row per channel and local date, claimed before anything is posted.
#   claimed  a process owns the day and has not called Slack yet
#   sending  the owner is calling chat.postMessage now
#   posted   done; message_ts is the message
#   failed   the last attempt did not post; retried after retry_at, the same local day
# ``maybe_sent`` is set once an attempt may have reached Slack without us learning the ts
# (a crash while sending, a dropped connection, a 5xx); the next attempt first looks for
# the message in the channel's history.
daily_posts = Table(
    "daily_posts",
    metadata,
    Column("channel", String(32), primary_key=True),
    Column("local_date", Date, primary_key=True),
    *ledger_columns(),
    Column("term_id", String(64)),
    Column("digest_id", String(64)),
    Column("digest_item_id", String(64)),
    Column("last_error", Text),
)

# Where each channel is in each rotation: "terms", or "digest:<digest id>".
# ``shown`` lists the ids already posted in the current cycle.
rotations = Table(
    "daily_rotations",
    metadata,
    Column("channel", String(32), primary_key=True),
    Column("series", String(80), primary_key=True),
    Column("cycle", Integer, nullable=False, server_default="0"),
    Column("shown", JSON, nullable=False),
    Column("last_id", String(64)),
    Column("updated_at", UtcDateTime, nullable=False),
)


# One row: how many lookups of ``query`` had ``outcome`` (and ``term_id``) in the minute
# starting at ``at``. A minute may have several rows for one query (one per write and
# process); the counts are summed when read.
lookup_counts = Table(
    "lookup_counts",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("at", DateTime(timezone=False), nullable=False, index=True),  # UTC, whole minutes
    Column("query", String(MAX_QUERY_CHARS), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("term_id", String(64), nullable=True),
    Column("count", Integer, nullable=False),
)


# A Slack request that may be retried, claimed by the replica handling it (bot.store.claims):
# the SHA-256 of its request key, and when the claim lapses (a retry after that acts again).
request_claims = Table(
    "request_claims",
    metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
)
DAILY_TABLES = (subscriptions, daily_posts, rotations)


# -- learning (bot.learning): per-person rows, each deleted by /lingo forget me ----------------

# Who opted in to the review deck: the local time and zone of their daily review DM.
# ``active`` false: learning is off (the row stays, so `learn on` remembers the time).
# ``paused_at``: the reviews paused themselves after unanswered days; `learn on` resumes.
learning_people = Table(
    "learning_people",
    metadata,
    Column("user_id", String(32), primary_key=True),
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("review_time", String(5), nullable=False),  # HH:MM, local
    Column("timezone", String(64), nullable=False),  # IANA name
    Column("paused_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
)

# A person's review deck: one card per term, its FSRS state and when it is due.
# ``source``: how it got there (lookup, wrong, added).
learning_cards = Table(
    "learning_cards",
    metadata,
    Column("user_id", String(32), primary_key=True),
    Column("term_id", String(64), primary_key=True),
    Column("source", String(16), nullable=False),
    Column("state", JSON, nullable=False),
    Column("due", UtcDateTime, nullable=False),
    Column("reviews", Integer, nullable=False, server_default="0"),
    Column("added_at", UtcDateTime, nullable=False),
    Column("reviewed_at", UtcDateTime),
)

# Quiz answers: the key (question, person) makes a retried or double click count once.
# ``review_day``: the local date of the review DM the question came in (None: a quiz).
quiz_answers = Table(
    "quiz_answers",
    metadata,
    Column("question_id", String(120), primary_key=True),
    Column("user_id", String(32), primary_key=True),
    Column("term_id", String(64), nullable=False),
    Column("chosen_id", String(64)),
    Column("correct", Boolean, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("review_day", Date),
    Column("answered_at", UtcDateTime, nullable=False),
    Index("ix_quiz_answers_user", "user_id", "answered_at"),
    Index("ix_quiz_answers_term", "term_id"),
)

# "Was this clear?": one vote per term and person (a second click changes it).
clarity_votes = Table(
    "clarity_votes",
    metadata,
    Column("term_id", String(64), primary_key=True),
    Column("user_id", String(32), primary_key=True),
    Column("clear", Boolean, nullable=False),
    Column("comment", Text),
    Column("voted_at", UtcDateTime, nullable=False),
)

# The review DM's ledger (bot.store.ledger): one row per person and local date, the same
# columns and states as daily_posts. The choice: the terms asked (``term_ids``), or the
# notice sent instead (``notice``: "paused").
review_messages = Table(
    "review_messages",
    metadata,
    Column("user_id", String(32), primary_key=True),
    Column("local_date", Date, primary_key=True),
    *ledger_columns(),
    Column("term_ids", JSON),
    Column("notice", String(16)),
    Column("last_error", Text),
)


# One row per person who chose something for themselves. ``lang`` is "en" or "ko"; a person
# who chose `/lingo lang auto` has no row (answers follow their Slack locale). Migration
# 0004_user_prefs.
user_prefs = Table(
    "user_prefs",
    metadata,
    Column("user_id", String(32), primary_key=True),
    Column("lang", String(8), nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
)


LEARNING_TABLES = (
    learning_people,
    learning_cards,
    quiz_answers,
    clarity_votes,
    review_messages,
    user_prefs,
)
"""Every table with per-person rows, keyed by ``user_id``: what `/lingo forget me` empties
(the language preference too: nothing of the person stays)."""
