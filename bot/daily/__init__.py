"""The term of the day: one post per subscribed channel and local day, never two.

    tables.py         the three tables (subscriptions, the daily ledger, rotation state)
    subscriptions.py  who gets the post, when: parsing, storing, seeding, due_day()
    rotation.py       which term and digest item come next, per channel
    ledger.py         the exactly-once ledger: claim, mark sending, posted or failed
    delivery.py       the Slack side: chat.postMessage with retries, finding a lost post
    post.py           DailyPoster: claim → choose → deliver → record; preview; todays_term
    scheduler.py      APScheduler cron jobs per subscription, catch-up sweep, SchedulerService

The post's Block Kit is ``daily_post_message`` in bot/render/blocks.py, its text form
``daily_post_text`` in bot/render/text.py; the Slack commands are bot/slack/listeners/daily.py.

Nothing here runs on import; ``SchedulerService`` is built by ``bot.runtime`` and started
with the other services.
"""
