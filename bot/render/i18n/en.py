"""Every user-facing string in English: the source the other catalogues translate.

Placeholders are ``str.format`` fields; the text is Slack mrkdwn unless the key says plain.
"""

from __future__ import annotations

from bot.lookup.commands import COMMANDS

MESSAGES: dict[str, str] = {
    "language.name": "English",
    "kit.overflow": "…more than fits in one message.",
    # the term card
    "card.other_name": "Korean: {name}",
    "card.examples": "Examples",
    "card.also_called": "Also called: {names}",
    "card.category": "Category: {name}",
    "card.related": "Related: {names}",
    "card.related_terms": "Related terms:",
    "card.share": "Share in channel",
    "card.source": "Source: ",
    "card.sources": "Sources: ",
    "card.more_links": " · and {count} more",
    "card.untranslated": "_Shown in English (no translation yet): {fields}_",
    "card.shared_by": "Shared by {who} with /lingo",
    "card.shared_fallback": "{card} (shared by {who})",
    "card.someone": "someone",
    "field.definition": "definition",
    "field.details": "details",
    "field.examples": "examples",
    "field.name": "name",
    "field.digest": "digest item",
    # lookups
    "lookup.showing": "Showing *{name}* for “{query}”{cut}",
    "lookup.cut": " (your text was long, so I read only its beginning)",
    "lookup.cut_alone": "Your text was long, so I read only its beginning.",
    "choices.head": "“{query}” could mean more than one term.{cut} Did you mean:",
    "choices.fallback": "“{query}” could mean: {names}",
    "miss.head": "I don't know “{query}” yet.{cut}",
    "miss.empty": "Type a term after `/lingo`, for example `/lingo quantization`.",
    "miss.closest": "The closest terms I know:",
    "miss.fallback_closest": " Closest: {names}.",
    "miss.propose": (
        "Missing a term? {link}. `/lingo search &lt;words&gt;` finds terms by what they mean."
    ),
    "miss.empty_fallback": "Type a term after /lingo.",
    "miss.mentioned": "Mentioned in:",
    "miss.fallback_mentioned": " Mentioned in: {names}.",
    "suggest.none_of_these": "None of these? Suggest it as a new term",
    "suggest.missing": "Is it missing? Suggest it as a new term",
    "propose.suggest": "{label} with `/lingo suggest`",
    "miss.propose_link": "Propose it",
    # help
    "help.intro": (
        "I explain the vocabulary of large language models: {count} terms. "
        "Type `/lingo` and a term; typos, plurals and British spellings are fine. "
        "Answers are visible only to you until you share them."
    ),
    "help.commands": "Commands",
    "help.examples": "Examples",
    "help.shortcut": "On any message: *⋯ More actions → Explain LLM jargon* lists the terms it uses.",
    "help.fallback": "LLM Lingo knows {count} terms. Try /lingo quantization",
    # the usage lines of help: one definition, in bot.lookup.commands
    **{f"command.{word}": line for word, line in COMMANDS.items()},
    # lists, search, the message shortcut
    "listing.unknown": "There is no category “{name}”. The categories are:",
    "listing.header": "The glossary by category",
    "listing.hint": "`/lingo list &lt;category&gt;` shows one category, `/lingo &lt;term&gt;` a term.",
    "listing.fallback": "The glossary: {count} terms in {categories} categories",
    "listing.category_fallback": "{name}: {count} terms",
    "listing.more": "And {count} more: {names}",
    "listing.more_in_category": " · …and {count} more (`/lingo list {id}`)",
    "listing.empty": "No terms in this category yet.",
    "button.show": "Show",
    "button.more": "More",
    "search.none": "Nothing in the glossary mentions “{words}”.",
    "search.none_hint": "Try other words, `/lingo list` to browse, or {link}.",
    "search.propose_link": "propose a term",
    "search.head": "Terms matching “{words}”:",
    "search.fallback": "Terms matching “{words}”: {names}",
    "mentions.none": "I found no glossary terms in that message.",
    "mentions.none_hint": "Try `/lingo search` with a word from it, or `/lingo list` to browse.",
    "mentions.head": "*LLM jargon in that message* ({count})",
    "mentions.count_one": "1 term",
    "mentions.count_many": "{count} terms",
    "mentions.fallback": "LLM jargon in that message: {names}",
    "apology": (
        "Sorry, something went wrong on my side. If it keeps happening, tell whoever runs "
        "LLM Lingo and give them the error id `{error_id}`."
    ),
    "heading.today": "Term of the day",
    "heading.random": "A random term",
    # the App Home
    "home.intro": (
        "I explain the words people use about large language models, in plain language: "
        "{count} terms, from *attention* to *quantization*."
    ),
    "home.howto": (
        "*How to use me*\n"
        "• `/lingo quantization`: a term's card, visible only to you; typos are fine\n"
        "• `/lingo search memory`: terms whose definitions mention the words\n"
        "• `/lingo list`, `/lingo list training`: browse by category\n"
        "• `/lingo random`, `/lingo today`: something new to learn\n"
        "• On any message, *⋯ More actions → Explain LLM jargon*: the terms it uses\n"
        "• *Share in channel* under a card shows it to everyone\n"
        "• `/lingo quiz`, *Quiz me*: a question only you see; `/lingo learn on`: a daily "
        "review of the terms you look up\n"
        "• `/lingo lang ko|en|auto`: answers in Korean or English ({language} now)"
    ),
    "home.by_category": "Terms by category",
    "home.missing": "Missing a term? {link}.",
    # the daily post
    "daily.heading": "Term of the day",
    "daily.date": "{weekday} {day} {month} {year}",
    "daily.quiz_button": "Quiz me",
    "daily.related_button": "Look up related terms",
    "daily.series_count": " · {number} of {total}",
    "daily.source": "Source: {link}",
    "daily.terms": "Terms: {names}",
    "daily.fallback": "Term of the day: {name}. {definition}",
    "related.none": "{name} has no related terms in the glossary.",
    "related.head": "*Terms related to {name}*",
    "related.fallback": "Terms related to {name}: {names}",
    # /lingo lang
    "lang.set": "From now on I answer you in {language}. `/lingo lang auto` follows your Slack language again.",
    "lang.auto": "I follow your Slack language again ({language} now).",
    "lang.current": (
        "I answer you in {language} ({how}). Change it with `/lingo lang ko`, "
        "`/lingo lang en` or `/lingo lang auto`."
    ),
    "lang.how_chosen": "your choice",
    "lang.how_auto": "your Slack language",
    "lang.unknown": "I can answer in English (`en`) or Korean (`ko`); `auto` follows your Slack language.",
    # terminal text (lingo ask, console)
    "text.several": "“{query}” could mean several terms. Did you mean:",
    "text.empty": "Type a term, for example: quantization",
    "text.closest_names": "Closest names:",
    "text.no_match": "No term matches “{query}”.",
    "text.propose": "Missing a term? Propose it: {url}",
    "text.showing": "(showing {name} for “{query}”)",
    "text.help_intro": "LLM Lingo knows {count} terms. Type a term, or one of:",
    "text.examples": "Examples: {examples}",
    "text.no_category": "No category “{name}”. The categories are:",
    "text.category_line": "{name} ({id}): {count} terms",
    # dates (bot.render.i18n: day_month, short_date, short_day)
    "date.day_month": "{weekday} {day} {month}",
    "date.short": "{weekday} {day} {month} {year}",
    "date.short_day": "{weekday} {day} {month}",
    "weekday_short.0": "Mon",
    "weekday_short.1": "Tue",
    "weekday_short.2": "Wed",
    "weekday_short.3": "Thu",
    "weekday_short.4": "Fri",
    "weekday_short.5": "Sat",
    "weekday_short.6": "Sun",
    "month_short.1": "Jan",
    "month_short.2": "Feb",
    "month_short.3": "Mar",
    "month_short.4": "Apr",
    "month_short.5": "May",
    "month_short.6": "Jun",
    "month_short.7": "Jul",
    "month_short.8": "Aug",
    "month_short.9": "Sep",
    "month_short.10": "Oct",
    "month_short.11": "Nov",
    "month_short.12": "Dec",
    # what matched a search, by field of the entry
    "match.name": "also called",
    "match.asked_as": "asked as",
    "match.definition": "definition",
    "match.details": "details",
    "match.examples": "example",
    # the quiz
    "quiz.which_term": "*Which term is this?*",
    "quiz.what_means": "*What does {name} mean?*",
    "quiz.fallback": "Quiz: {prompt}",
    "quiz.fallback_which": "which term is this?",
    "quiz.right": ":white_check_mark: *Right!* It is *{name}*.",
    "quiz.wrong": ":x: *Not quite.* You chose *{chosen}*; the answer is *{name}*.",
    "quiz.wrong_none": ":x: *Not quite.* The answer is *{name}*.",
    "quiz.differs": "*How the others differ*",
    "quiz.repeat": "You had already answered this question; your first answer counts.",
    "quiz.next_due": "In your deck: next review of {name} on {when}.",
    "quiz.next": "Next question",
    "console.quiz_answer": "Answer by typing 1–4.",
    "console.quiz_elsewhere": "The console (`lingo`) lets you answer.",
    "console.quiz_again": "Type `quiz` for another.",
    "quiz.verdict_right": "Right: {name}. {definition}",
    "quiz.verdict_wrong": "Not quite: {name}. {definition}",
    "quiz.no_quiz": "No quiz here: {reason}.",
    "quiz.no_category": "There is no category “{name}”. Categories: {names}.",
    "quiz.unreadable": "That answer cannot be read; try `/lingo quiz` for a new question.",
    "quiz.gone": "That term is no longer in the glossary. Try `/lingo quiz`.",
    # the deck and the card's learning buttons
    "learn.quiz_me": "Quiz me",
    "learn.add": "Add to my deck",
    "deck.off": (
        "Your review deck is off. `/lingo learn on` starts a daily review; then "
        "*Add to my deck* puts {name} in it."
    ),
    "deck.added": "Added *{name}* to your deck: first review {day} at {time}.",
    "deck.already": "*{name}* is already in your deck.",
    # "Was this clear?"
    "clarity.question": "Was this clear?",
    "clarity.yes": "👍 Yes",
    "clarity.no": "👎 No",
    "clarity.title": "Was this clear?",
    "clarity.label": "What was unclear about {name}? (optional)",
    "clarity.hint": "The glossary admins read it, without your name.",
    "clarity.send": "Send",
    "clarity.skip": "Skip",
    "clarity.thanks": "Thanks! Glad {name} was clear.",
    # the review DM
    "review.header": "Your review · {day}",
    "review.intro": (
        "{count} from your deck. Answer when you have a minute; "
        "each answer moves the term's next review."
    ),
    "review.count_one": "1 review",
    "review.count_many": "{count} reviews",
    "review.fallback": "Your review: {count}",
    "review.footer": (
        "`/lingo learn off` stops these reviews · `/lingo forget me` deletes your learning data."
    ),
    "review.paused": (
        "I have paused your reviews: the last {days} went unanswered. "
        "Nothing is lost; `/lingo learn on` resumes them."
    ),
    # /lingo learn, /lingo forget me
    "learn.not_on": "Learning is not on. `/lingo learn on` starts a daily review.",
    "learn.now_off": (
        "Learning is off: no more review DMs. Your deck is kept; `/lingo learn on` resumes "
        "it and `/lingo forget me` deletes it."
    ),
    "learn.state_on": "Learning is on. Usage: {usage}.",
    "learn.state_off": "Learning is off. Usage: {usage}.",
    "learn.usage": "`/lingo learn on [HH:MM] [time zone]`, `/lingo learn off`",
    "learn.now_on": (
        "Learning is on. Each day at *{time}* ({zone}) I send you one DM "
        "with up to {count} reviews, when any are due: the terms you look up, get wrong in a "
        "quiz or add with *Add to my deck*. First possible review: {first}. Only you see "
        "your deck. `/lingo learn off` stops it; `/lingo forget me` deletes your learning data."
    ),
    "forget.usage": (
        "`/lingo forget me` deletes all your learning data (deck, answers, votes, settings)."
    ),
    "forget.nothing": "There was no learning data of yours to delete.",
    "forget.done": (
        "Deleted {parts}. Nothing of yours is left in the learning data; "
        "the lookup log never knew who you are."
    ),
    "forget.quiz_answers_one": "1 quiz answer",
    "forget.quiz_answers_many": "{count} quiz answers",
    "forget.learning_cards_one": "1 card of your review deck",
    "forget.learning_cards_many": "{count} cards of your review deck",
    "forget.learning_people_one": "your review settings",
    "forget.learning_people_many": "your review settings",
    "forget.clarity_votes_one": "1 “Was this clear?” vote",
    "forget.clarity_votes_many": "{count} “Was this clear?” votes",
    "forget.review_messages_one": "1 record of a review DM",
    "forget.review_messages_many": "{count} records of review DMs",
    "forget.user_prefs_one": "1 language preference",
    "forget.user_prefs_many": "{count} language preferences",
    # the App Home's learning section
    "home.learning_header": "Your learning",
    "home.learning_off": (
        "Quiz yourself any time, or turn on a daily review of the terms you look up "
        "with `/lingo learn on 09:00`."
    ),
    "home.learning_on": (
        "*{learning}* learning · *{learned}* learned · streak {streak} · "
        "{answered} answers, {rate} right\nNext review: {next}"
    ),
    "home.streak_one": "*1* day",
    "home.streak_many": "*{count}* days",
    "home.learning_paused": "Your reviews are paused; `/lingo learn on` resumes them.",
    "home.learning_private": "Only you see this.",
    "weekday.0": "Monday",
    "weekday.1": "Tuesday",
    "weekday.2": "Wednesday",
    "weekday.3": "Thursday",
    "weekday.4": "Friday",
    "weekday.5": "Saturday",
    "weekday.6": "Sunday",
    "month.1": "January",
    "month.2": "February",
    "month.3": "March",
    "month.4": "April",
    "month.5": "May",
    "month.6": "June",
    "month.7": "July",
    "month.8": "August",
    "month.9": "September",
    "month.10": "October",
    "month.11": "November",
    "month.12": "December",
}
