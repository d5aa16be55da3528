"""Learning in Block Kit: the quiz question and its verdict, the review DM, the card's
learning controls ("Quiz me", "Add to my deck", "Was this clear?"), the clarity form,
the App Home's progress and the admins' learning stats.

Every surface is rendered in the reader's language (``lang``): its words come from the
catalogues (bot.render.i18n), the glossary's from the term's localized fields, with English
and the card's short note where a field has no translation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    DividerBlock,
    InputBlock,
    PlainTextInputElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.admin.stats import LearningStats
from bot.glossary.model import Glossary, Term
from bot.learning.quiz import Kind, Option, Question, Verdict
from bot.render.blocks.kit import (
    MAX_SECTION_TEXT,
    Message,
    button_element,
    context_block,
    escape,
    fit,
    header_block,
    message_of,
    section_block,
    short_definition,
)
from bot.render.i18n import day_month, message, short_date
from bot.render.i18n.terms import definition, term_name
from bot.render.text import learning_stats_lines

# Action ids. A review DM has several questions, so its answer buttons are numbered
# quiz_answer_<question>_<option>; a value carries everything the answer needs (AnswerValue).
QUIZ_ME = "quiz_me"
QUIZ_ANSWER = "quiz_answer"
QUIZ_NEXT = "quiz_next"
DECK_ADD = "deck_add"
CLEAR_YES = "clarity_yes"
CLEAR_NO = "clarity_no"
CLARITY_FORM = "clarity_form"
CLARITY_TEXT = "clarity_text"


@dataclass(frozen=True)
class AnswerValue:
    """What an answer button carries: the question (as ids), the option and where it came from."""

    question_id: str
    kind: Kind
    term_id: str
    option_ids: tuple[str, ...]
    chosen: int
    review_day: date | None = None
    category: str | None = None

    def encode(self) -> str:
        return json.dumps(
            {
                "q": self.question_id,
                "k": self.kind,
                "t": self.term_id,
                "o": list(self.option_ids),
                "c": self.chosen,
                "r": self.review_day.isoformat() if self.review_day else None,
                "g": self.category,
            },
            separators=(",", ":"),
        )

    @classmethod
    def decode(cls, value: str) -> AnswerValue:
        """Raises ValueError on anything that is not one of our values."""
        try:
            data = json.loads(value)
            kind: Kind = "what-means" if data["k"] == "what-means" else "which-term"
            return cls(
                question_id=str(data["q"])[:120],
                kind=kind,
                term_id=str(data["t"]),
                option_ids=tuple(str(o) for o in data["o"]),
                chosen=int(data["c"]),
                review_day=date.fromisoformat(data["r"]) if data.get("r") else None,
                category=str(data["g"]) if data.get("g") else None,
            )
        except (TypeError, KeyError, json.JSONDecodeError) as error:
            raise ValueError(f"not a quiz answer: {error}") from None

    def question(self) -> Question:
        """The question as far as judging it needs (ids, not texts)."""
        options = tuple(Option(i, "") for i in self.option_ids)
        answer = self.option_ids.index(self.term_id) if self.term_id in self.option_ids else -1
        return Question(self.question_id, self.kind, self.term_id, "", options, answer)


def quiz_scope(term: Term | None = None, category: str | None = None) -> str:
    """The value of a "Quiz me" or "Next question" button: what to ask about next."""
    if term is not None:
        return f"term:{term.id}"
    return f"category:{category}" if category else ""


# -- the question ------------------------------------------------------------------------------


def untranslated_note(lang: str, fields: Sequence[str]) -> list[Block]:
    """The card's short note for fields shown in English to a reader of another language."""
    if not fields:
        return []
    names = ", ".join(message(lang, f"field.{f}") for f in dict.fromkeys(fields))
    return [context_block(message(lang, "card.untranslated", fields=names))]


def question_blocks(
    question: Question,
    *,
    number: int = 0,
    review_day: date | None = None,
    category: str | None = None,
    lang: str = "en",
) -> list[Block]:
    """The prompt and four answer buttons (a "which term" question: names as buttons;
    "what does it mean": the definitions as numbered lines, the buttons 1–4). The question
    was made in ``lang`` (bot.learning.quiz); the words around it are put in ``lang`` here."""
    blocks: list[Block] = []
    if question.kind == "which-term":
        head = message(lang, "quiz.which_term")
        blocks.append(section_block(f"{head}\n>{escape(question.prompt)}"))
        labels = [o.text for o in question.options]
    else:
        lines = "\n".join(f"*{i + 1}.* {escape(o.text)}" for i, o in enumerate(question.options))
        head = message(lang, "quiz.what_means", name=escape(question.prompt))
        blocks.append(section_block(f"{head}\n{lines}"))
        labels = [str(i + 1) for i in range(len(question.options))]
    blocks += untranslated_note(lang, question.untranslated)
    buttons = [
        button_element(
            label,
            f"{QUIZ_ANSWER}_{number}_{i}",
            AnswerValue(
                question.question_id,
                question.kind,
                question.term_id,
                tuple(o.term_id for o in question.options),
                i,
                review_day,
                category,
            ).encode(),
        )
        for i, label in enumerate(labels)
    ]
    blocks.append(ActionsBlock(elements=buttons))
    return blocks


def quiz_message(question: Question, *, category: str | None = None, lang: str = "en") -> Message:
    """One quiz question, for an ephemeral answer or a DM."""
    prompt = (
        question.prompt if question.kind == "what-means" else message(lang, "quiz.fallback_which")
    )
    return message_of(
        message(lang, "quiz.fallback", prompt=escape(fit(prompt, 200))),
        question_blocks(question, category=category, lang=lang),
    )


# -- the verdict -------------------------------------------------------------------------------


def verdict_message(
    verdict: Verdict,
    *,
    first: bool,
    next_due: datetime | None = None,
    zone: Any = None,
    scope: str = "",
    next_button: bool = True,
    lang: str = "en",
) -> Message:
    """Right or wrong, the answer's short card, how each other option differs, what next;
    in ``lang`` (judge the verdict in the same ``lang`` for the differences)."""
    term = verdict.term
    name = escape(term_name(term, lang))
    if verdict.correct:
        head = message(lang, "quiz.right", name=name)
    elif verdict.chosen is not None:
        chosen = escape(term_name(verdict.chosen, lang))
        head = message(lang, "quiz.wrong", chosen=chosen, name=name)
    else:
        head = message(lang, "quiz.wrong_none", name=name)
    blocks: list[Block] = [section_block(head)]
    if not first:
        blocks.append(context_block(message(lang, "quiz.repeat")))
    blocks.append(section_block(f"*{name}* — {escape(' '.join(definition(term, lang).split()))}"))
    if verdict.differences:
        lines = "\n".join(
            f"• *{escape(term_name(t, lang))}*: {escape(line)}" for t, line in verdict.differences
        )
        differs = message(lang, "quiz.differs")
        blocks.append(section_block(fit(f"{differs}\n{lines}", MAX_SECTION_TEXT)))
    shown = (term, *(t for t, _ in verdict.differences))
    if lang != "en" and any(lang not in t.translations for t in shown):
        blocks += untranslated_note(lang, ["definition"])
    if next_due is not None:
        when = next_due.astimezone(zone) if zone is not None else next_due
        blocks.append(
            context_block(message(lang, "quiz.next_due", name=name, when=short_date(lang, when)))
        )
    buttons = []
    if next_button:
        buttons.append(button_element(message(lang, "quiz.next"), QUIZ_NEXT, scope, primary=True))
    buttons.append(button_element(message(lang, "learn.add"), DECK_ADD, term.id))
    blocks.append(ActionsBlock(elements=buttons))
    key = "quiz.verdict_right" if verdict.correct else "quiz.verdict_wrong"
    return message_of(
        message(lang, key, name=name, definition=short_definition(term, lang=lang)), blocks
    )


# -- the review DM -------------------------------------------------------------------------------


def review_message(
    day: date, questions: Sequence[Question], glossary: Glossary, lang: str = "en"
) -> Message:
    """The day's review DM: each due card as a question, numbered so the buttons differ."""
    n = len(questions)
    count = (
        message(lang, "review.count_one") if n == 1 else message(lang, "review.count_many", count=n)
    )
    blocks: list[Block] = [
        header_block(message(lang, "review.header", day=day_month(lang, day))),
        context_block(message(lang, "review.intro", count=count)),
    ]
    for number, question in enumerate(questions):
        blocks.append(DividerBlock())
        blocks += question_blocks(question, number=number, review_day=day, lang=lang)
    blocks.append(context_block(message(lang, "review.footer")))
    return message_of(message(lang, "review.fallback", count=count), blocks)


def paused_message(days: int, lang: str = "en") -> Message:
    text = message(lang, "review.paused", days=days)
    return message_of(text, [section_block(text)])


# -- on every term card --------------------------------------------------------------------------


def learning_buttons(term: Term, lang: str = "en") -> list[Any]:
    """ "Quiz me" and "Add to my deck", for the card's row of buttons."""
    return [
        button_element(message(lang, "learn.quiz_me"), QUIZ_ME, quiz_scope(category=term.category)),
        button_element(message(lang, "learn.add"), DECK_ADD, term.id),
    ]


def clarity_blocks(term: Term, lang: str = "en") -> list[Block]:
    """The compact "Was this clear?" control under a card."""
    question, yes = message(lang, "clarity.question"), message(lang, "clarity.yes")
    return [
        ActionsBlock(
            elements=[
                button_element(f"{question} {yes}", CLEAR_YES, term.id),
                button_element(message(lang, "clarity.no"), CLEAR_NO, term.id),
            ]
        )
    ]


def clarity_view(term: Term, lang: str = "en") -> dict[str, Any]:
    """The short form a "no" opens: what was unclear (optional)."""
    return View(
        type="modal",
        callback_id=CLARITY_FORM,
        private_metadata=term.id,
        title=PlainTextObject(text=message(lang, "clarity.title")),
        submit=PlainTextObject(text=message(lang, "clarity.send")),
        close=PlainTextObject(text=message(lang, "clarity.skip")),
        blocks=[
            InputBlock(
                block_id=CLARITY_TEXT,
                label=fit(message(lang, "clarity.label", name=term_name(term, lang)), 2000),
                hint=message(lang, "clarity.hint"),
                optional=True,
                element=PlainTextInputElement(action_id="value", multiline=True, max_length=1000),
            )
        ],
    ).to_dict()


# -- the App Home --------------------------------------------------------------------------------


def home_learning_blocks(
    *,
    learning: int,
    learned: int,
    streak: int,
    answered: int,
    right: int,
    reviewing: bool | None,
    next_review: datetime | None,
    zone: Any,
    lang: str = "en",
) -> list[Block]:
    """The person's own progress (None ``reviewing``: never opted in) and a "Quiz me"."""
    blocks: list[Block] = [header_block(message(lang, "home.learning_header"))]
    if reviewing is None:
        blocks.append(section_block(message(lang, "home.learning_off")))
    else:
        when = "—"
        if next_review is not None:
            local = next_review.astimezone(zone)
            when = f"{short_date(lang, local, year=False)} {local:%H:%M}"
        rate = f"{round(100 * right / answered)}%" if answered else "—"
        days = (
            message(lang, "home.streak_one")
            if streak == 1
            else message(lang, "home.streak_many", count=streak)
        )
        blocks.append(
            section_block(
                message(
                    lang,
                    "home.learning_on",
                    learning=learning,
                    learned=learned,
                    streak=days,
                    answered=answered,
                    rate=rate,
                    next=when,
                )
            )
        )
        if not reviewing:
            blocks.append(context_block(message(lang, "home.learning_paused")))
    quiz_me = button_element(message(lang, "learn.quiz_me"), QUIZ_ME, "", primary=True)
    blocks.append(ActionsBlock(elements=[quiz_me]))
    blocks.append(context_block(message(lang, "home.learning_private")))
    return blocks


# -- the admins' view: aggregates, never who -----------------------------------------------------


def learning_stats_blocks(stats: LearningStats, names: Mapping[str, str]) -> list[Block]:
    """Per term: answers and right rate, the pairs most confused, clarity votes and comments."""
    sections = learning_stats_lines(stats, names)
    blocks: list[Block] = [DividerBlock(), header_block("How people learn")]
    for title, lines in sections:
        body = "\n".join(escape(line) for line in lines) if lines else "_none yet_"
        blocks.append(section_block(fit(f"*{title}*\n{body}", MAX_SECTION_TEXT)))
    return blocks
