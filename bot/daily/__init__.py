"""The term of the day: one post per subscribed channel and local day, never two.

    tables.py         the three tables (subscriptions, the daily ledger, rotation state)
    subscriptions.py  who gets the post, when: parsing, storing, seeding, due_day()
    rotation.py       which term and digest item come next, per channel
    ledger.py         the exactly-once ledger: claim, mark sending, posted or failed
    delivery.py       the Slack side: chat.postMessage with retries, finding a lost post
    post.py           DailyPoster: claim → choose → deliver → record; preview; todays_term
    schedule.py       APScheduler cron jobs per subscription, catch-up sweep, start_scheduler

Nothing here runs on import; ``start_scheduler`` builds and starts everything.
"""
