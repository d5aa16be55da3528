"""Learning in Block Kit: the quiz question and its verdict, the review DM, the card's
learning controls ("Quiz me", "Add to my deck", "Was this clear?"), the clarity form,
the App Home's progress and the admins' learning stats.

Every string people read is at the top (``STRINGS``), so it moves to the string
catalogue in one piece.
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
from bot.render.text import learning_stats_lines

STRINGS = {
    "which_term": "*Which term is this?*",
    "what_means": "*What does {name} mean?*",
    "quiz_fallback": "Quiz: {prompt}",
    "right": ":white_check_mark: *Right!* It is *{name}*.",
    "wrong": ":x: *Not quite.* You chose *{chosen}*; the answer is *{name}*.",
    "wrong_none": ":x: *Not quite.* The answer is *{name}*.",
    "differs": "*How the others differ*",
    "repeat": "You had already answered this question; your first answer counts.",
    "next_due": "In your deck: next review of {name} on {when}.",
    "next": "Next question",
    "quiz_me": "Quiz me",
    "add": "Add to my deck",
    "clear_q": "Was this clear?",
    "clear_yes": "👍 Yes",
    "clear_no": "👎 No",
    "review_header": "Your review · {day}",
    "review_intro": "{count} from your deck. Answer when you have a minute; "
    "each answer moves the term's next review.",
    "review_fallback": "Your review: {count}",
    "review_footer": "`/lingo learn off` stops these reviews · `/lingo forget me` deletes "
    "your learning data.",
    "paused": "I have paused your reviews: the last {days} went unanswered. "
    "Nothing is lost; `/lingo learn on` resumes them.",
    "clarity_title": "Was this clear?",
    "clarity_label": "What was unclear about {name}? (optional)",
    "clarity_hint": "The glossary admins read it, without your name.",
    "home_header": "Your learning",
    "home_off": "Quiz yourself any time, or turn on a daily review of the terms you look up "
    "with `/lingo learn on 09:00`.",
    "home_on": "*{learning}* learning · *{learned}* learned · streak *{streak}* "
    "day{plural} · {answered} answers, {rate} right\nNext review: {next}",
    "home_paused": "Your reviews are paused; `/lingo learn on` resumes them.",
    "home_private": "Only you see this.",
}

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


def question_blocks(
    question: Question,
    *,
    number: int = 0,
    review_day: date | None = None,
    category: str | None = None,
) -> list[Block]:
    """The prompt and four answer buttons (a "which term" question: names as buttons;
    "what does it mean": the definitions as numbered lines, the buttons 1–4)."""
    blocks: list[Block] = []
    if question.kind == "which-term":
        blocks.append(section_block(f"{STRINGS['which_term']}\n>{escape(question.prompt)}"))
        labels = [o.text for o in question.options]
    else:
        lines = "\n".join(f"*{i + 1}.* {escape(o.text)}" for i, o in enumerate(question.options))
        head = STRINGS["what_means"].format(name=escape(question.prompt))
        blocks.append(section_block(f"{head}\n{lines}"))
        labels = [str(i + 1) for i in range(len(question.options))]
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


def quiz_message(question: Question, *, category: str | None = None) -> Message:
    """One quiz question, for an ephemeral answer or a DM."""
    prompt = question.prompt if question.kind == "what-means" else "which term is this?"
    return message_of(
        STRINGS["quiz_fallback"].format(prompt=escape(fit(prompt, 200))),
        question_blocks(question, category=category),
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
) -> Message:
    """Right or wrong, the answer's short card, how each other option differs, what next."""
    term = verdict.term
    if verdict.correct:
        head = STRINGS["right"].format(name=escape(term.name))
    elif verdict.chosen is not None:
        head = STRINGS["wrong"].format(chosen=escape(verdict.chosen.name), name=escape(term.name))
    else:
        head = STRINGS["wrong_none"].format(name=escape(term.name))
    blocks: list[Block] = [section_block(head)]
    if not first:
        blocks.append(context_block(STRINGS["repeat"]))
    blocks.append(
        section_block(f"*{escape(term.name)}* — {escape(' '.join(term.definition.split()))}")
    )
    if verdict.differences:
        lines = "\n".join(
            f"• *{escape(t.name)}*: {escape(line)}" for t, line in verdict.differences
        )
        blocks.append(section_block(fit(f"{STRINGS['differs']}\n{lines}", MAX_SECTION_TEXT)))
    if next_due is not None:
        when = next_due.astimezone(zone) if zone is not None else next_due
        blocks.append(
            context_block(
                STRINGS["next_due"].format(
                    name=escape(term.name), when=f"{when:%a} {when.day} {when:%b %Y}"
                )
            )
        )
    buttons = []
    if next_button:
        buttons.append(button_element(STRINGS["next"], QUIZ_NEXT, scope, primary=True))
    buttons.append(button_element(STRINGS["add"], DECK_ADD, term.id))
    blocks.append(ActionsBlock(elements=buttons))
    verdict_word = "Right" if verdict.correct else "Not quite"
    return message_of(f"{verdict_word}: {escape(term.name)}. {short_definition(term)}", blocks)


# -- the review DM -------------------------------------------------------------------------------


def review_message(day: date, questions: Sequence[Question], glossary: Glossary) -> Message:
    """The day's review DM: each due card as a question, numbered so the buttons differ."""
    count = f"{len(questions)} review" + ("" if len(questions) == 1 else "s")
    blocks: list[Block] = [
        header_block(STRINGS["review_header"].format(day=f"{day:%A} {day.day} {day:%B}")),
        context_block(STRINGS["review_intro"].format(count=count)),
    ]
    for number, question in enumerate(questions):
        blocks.append(DividerBlock())
        blocks += question_blocks(question, number=number, review_day=day)
    blocks.append(context_block(STRINGS["review_footer"]))
    return message_of(STRINGS["review_fallback"].format(count=count), blocks)


def paused_message(days: int) -> Message:
    text = STRINGS["paused"].format(days=days)
    return message_of(text, [section_block(text)])


# -- on every term card --------------------------------------------------------------------------


def learning_buttons(term: Term) -> list[Any]:
    """ "Quiz me" and "Add to my deck", for the card's row of buttons."""
    return [
        button_element(STRINGS["quiz_me"], QUIZ_ME, quiz_scope(category=term.category)),
        button_element(STRINGS["add"], DECK_ADD, term.id),
    ]


def clarity_blocks(term: Term) -> list[Block]:
    """The compact "Was this clear?" control under a card."""
    return [
        ActionsBlock(
            elements=[
                button_element(f"{STRINGS['clear_q']} {STRINGS['clear_yes']}", CLEAR_YES, term.id),
                button_element(STRINGS["clear_no"], CLEAR_NO, term.id),
            ]
        )
    ]


def clarity_view(term: Term) -> dict[str, Any]:
    """The short form a "no" opens: what was unclear (optional)."""
    return View(
        type="modal",
        callback_id=CLARITY_FORM,
        private_metadata=term.id,
        title=PlainTextObject(text=STRINGS["clarity_title"]),
        submit=PlainTextObject(text="Send"),
        close=PlainTextObject(text="Skip"),
        blocks=[
            InputBlock(
                block_id=CLARITY_TEXT,
                label=fit(STRINGS["clarity_label"].format(name=term.name), 2000),
                hint=STRINGS["clarity_hint"],
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
) -> list[Block]:
    """The person's own progress (None ``reviewing``: never opted in) and a "Quiz me"."""
    blocks: list[Block] = [header_block(STRINGS["home_header"])]
    if reviewing is None:
        blocks.append(section_block(STRINGS["home_off"]))
    else:
        when = "—"
        if next_review is not None:
            local = next_review.astimezone(zone)
            when = f"{local:%a} {local.day} {local:%b %H:%M}"
        rate = f"{round(100 * right / answered)}%" if answered else "—"
        blocks.append(
            section_block(
                STRINGS["home_on"].format(
                    learning=learning,
                    learned=learned,
                    streak=streak,
                    plural="" if streak == 1 else "s",
                    answered=answered,
                    rate=rate,
                    next=when,
                )
            )
        )
        if not reviewing:
            blocks.append(context_block(STRINGS["home_paused"]))
    blocks.append(
        ActionsBlock(elements=[button_element(STRINGS["quiz_me"], QUIZ_ME, "", primary=True)])
    )
    blocks.append(context_block(STRINGS["home_private"]))
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
