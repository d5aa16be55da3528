"""Every user-facing string in Korean (한국어), key for key as ``en``.

Korean technical writing keeps many English terms; so do these messages (카드, 채널).
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "language.name": "한국어",
    "kit.overflow": "…한 메시지에 다 담지 못했습니다.",
    # the term card
    "card.other_name": "영어: {name}",
    "card.examples": "예시",
    "card.also_called": "다른 이름: {names}",
    "card.category": "분류: {name}",
    "card.related": "관련 용어: {names}",
    "card.related_terms": "관련 용어:",
    "card.share": "채널에 공유",
    "card.source": "출처: ",
    "card.sources": "출처: ",
    "card.more_links": " · 외 {count}개",
    "card.untranslated": "_아직 번역이 없어 영어로 보여 드립니다: {fields}_",
    "card.shared_by": "{who} 님이 /lingo로 공유했습니다",
    "card.shared_fallback": "{card} ({who} 님이 공유)",
    "card.someone": "누군가",
    "field.definition": "정의",
    "field.details": "자세한 설명",
    "field.examples": "예시",
    "field.name": "이름",
    "field.digest": "다이제스트 항목",
    # lookups
    "lookup.showing": "*{name}* 용어를 보여 드립니다 (검색어: “{query}”){cut}",
    "lookup.cut": " (입력이 길어서 앞부분만 읽었습니다)",
    "lookup.cut_alone": "입력이 길어서 앞부분만 읽었습니다.",
    "choices.head": "“{query}”에 해당하는 용어가 여러 개입니다.{cut} 어느 것을 찾으시나요?",
    "choices.fallback": "“{query}”의 후보: {names}",
    "miss.head": "“{query}”에 맞는 용어는 아직 용어집에 없습니다.{cut}",
    "miss.empty": "`/lingo` 뒤에 용어를 입력해 주세요. 예: `/lingo 양자화`",
    "miss.closest": "가장 가까운 용어:",
    "miss.fallback_closest": " 가까운 용어: {names}",
    "miss.propose": (
        "찾는 용어가 없나요? {link}. "
        "`/lingo search &lt;단어&gt;`로 정의에 나오는 단어로도 찾을 수 있습니다."
    ),
    "miss.empty_fallback": "/lingo 뒤에 용어를 입력해 주세요.",
    "miss.mentioned": "언급된 용어:",
    "miss.fallback_mentioned": " 언급된 용어: {names}",
    "suggest.none_of_these": "해당하는 용어가 없나요? 새 용어로 제안하기",
    "suggest.missing": "없는 용어인가요? 새 용어로 제안하기",
    "propose.suggest": "`/lingo suggest`로 {label}",
    "miss.propose_link": "제안하기",
    # help
    "help.intro": (
        "대규모 언어 모델(LLM) 용어 {count}개를 쉬운 말로 설명합니다. "
        "`/lingo` 뒤에 용어를 입력해 주세요. 한국어와 영어 모두 되고, 오타가 있거나 띄어쓰기가 "
        "달라도 찾습니다. 답은 채널에 공유하기 전까지 본인에게만 보입니다."
    ),
    "help.commands": "명령어",
    "help.examples": "예시",
    "help.shortcut": "아무 메시지에서나 *⋯ 더 보기 → Explain LLM jargon* 메뉴를 누르면 그 메시지의 용어를 알려 줍니다.",
    "help.fallback": "LLM Lingo는 용어 {count}개를 알고 있습니다. 예: /lingo 양자화",
    "command.help": "`/lingo help` — 이 도움말",
    "command.list": "`/lingo list [분류]` — 분류별로 용어집 둘러보기",
    "command.search": "`/lingo search <단어>` — 이름이나 정의에 단어가 들어 있는 용어 찾기",
    "command.quiz": "`/lingo quiz [분류]` — 본인만 보는 퀴즈 한 문제",
    "command.learn": "`/lingo learn on [HH:MM] [시간대]` / `off` — 찾아본 용어를 매일 DM으로 복습",
    "command.forget": "`/lingo forget me` — 내 학습 데이터 모두 삭제",
    "command.random": "`/lingo random` — 무작위 용어 하나",
    "command.today": "`/lingo today` — 오늘의 용어",
    "command.subscribe": (
        "`/lingo subscribe [HH:MM] [mon-fri] [시간대] [lang=en|ko]` — 이 채널에 매일 오늘의 용어 올리기"
    ),
    "command.unsubscribe": "`/lingo unsubscribe` — 이 채널의 오늘의 용어 그만 받기",
    "command.subscriptions": "`/lingo subscriptions` — 오늘의 용어를 받는 채널 목록",
    "command.suggest": "`/lingo suggest` — 새 용어 제안하기",
    "command.stats": "`/lingo stats` — 찾아본 용어, 못 찾은 용어, 퀴즈 답, 명확성 피드백 (관리자)",
    "command.reload": "`/lingo reload` — 용어집 지금 다시 읽기 (관리자)",
    "command.lang": "`/lingo lang ko|en|auto` — 답변 언어 설정",
    # lists, search, the message shortcut
    "listing.unknown": "“{name}” 분류는 없습니다. 분류 목록:",
    "listing.header": "분류별 용어집",
    "listing.hint": "`/lingo list &lt;분류&gt;`는 한 분류를, `/lingo &lt;용어&gt;`는 용어 하나를 보여 줍니다.",
    "listing.fallback": "용어집: 분류 {categories}개, 용어 {count}개",
    "listing.category_fallback": "{name}: 용어 {count}개",
    "listing.more": "외 {count}개: {names}",
    "listing.more_in_category": " · …외 {count}개 (`/lingo list {id}`)",
    "listing.empty": "이 분류에는 아직 용어가 없습니다.",
    "button.show": "보기",
    "button.more": "더 보기",
    "search.none": "“{words}”에 맞는 용어가 없습니다.",
    "search.none_hint": "다른 단어로 찾거나, `/lingo list`로 둘러보거나, {link}.",
    "search.propose_link": "용어를 제안해 주세요",
    "search.head": "“{words}” 검색 결과:",
    "search.fallback": "“{words}” 검색 결과: {names}",
    "mentions.none": "그 메시지에서 용어집에 있는 용어를 찾지 못했습니다.",
    "mentions.none_hint": "메시지에 있는 단어로 `/lingo search`를 해 보거나 `/lingo list`로 둘러보세요.",
    "mentions.head": "*그 메시지의 LLM 용어* ({count})",
    "mentions.count_one": "1개",
    "mentions.count_many": "{count}개",
    "mentions.fallback": "그 메시지의 LLM 용어: {names}",
    "apology": (
        "죄송합니다. 처리 중에 문제가 생겼습니다. 계속 이러면 LLM Lingo 관리자에게 "
        "오류 ID `{error_id}`를 알려 주세요."
    ),
    "heading.today": "오늘의 용어",
    "heading.random": "무작위 용어",
    # the App Home
    "home.intro": (
        "대규모 언어 모델(LLM)을 이야기할 때 쓰는 용어를 쉬운 말로 설명합니다. "
        "어텐션부터 양자화까지 용어 {count}개가 있습니다."
    ),
    "home.howto": (
        "*사용법*\n"
        "• `/lingo 양자화`: 본인에게만 보이는 용어 카드 (오타가 있어도 찾습니다)\n"
        "• `/lingo search 메모리`: 정의에 그 단어가 나오는 용어\n"
        "• `/lingo list`, `/lingo list training`: 분류별로 둘러보기\n"
        "• `/lingo random`, `/lingo today`: 새로 배울 용어\n"
        "• 아무 메시지에서 *⋯ 더 보기 → Explain LLM jargon*: 그 메시지에 나온 용어\n"
        "• 카드 아래 *채널에 공유*: 채널의 모두에게 카드 보여 주기\n"
        "• `/lingo quiz`, *퀴즈 풀기*: 본인만 보는 퀴즈 · `/lingo learn on`: 찾아본 용어를 "
        "매일 복습\n"
        "• `/lingo lang ko|en|auto`: 답변 언어 설정 (지금은 {language})"
    ),
    "home.by_category": "분류별 용어",
    "home.missing": "찾는 용어가 없나요? {link}.",
    # the daily post
    "daily.heading": "오늘의 용어",
    "daily.date": "{year}년 {month} {day}일 {weekday}",
    "daily.quiz_button": "퀴즈 풀기",
    "daily.related_button": "관련 용어 보기",
    "daily.series_count": " · {total}개 중 {number}번째",
    "daily.source": "출처: {link}",
    "daily.terms": "용어: {names}",
    "daily.fallback": "오늘의 용어: {name}. {definition}",
    "related.none": "{name}에는 용어집에 있는 관련 용어가 없습니다.",
    "related.head": "*{name}의 관련 용어*",
    "related.fallback": "{name}의 관련 용어: {names}",
    # /lingo lang
    "lang.set": "이제부터 {language}로 답합니다. `/lingo lang auto`를 입력하면 다시 Slack 언어 설정을 따릅니다.",
    "lang.auto": "다시 Slack 언어 설정을 따릅니다 (지금은 {language}).",
    "lang.current": (
        "지금은 {language}로 답합니다 ({how}). `/lingo lang ko`, `/lingo lang en`, "
        "`/lingo lang auto`로 바꿀 수 있습니다."
    ),
    "lang.how_chosen": "직접 고른 언어",
    "lang.how_auto": "Slack 언어 설정",
    "lang.unknown": "영어(`en`)나 한국어(`ko`)로 답할 수 있습니다. `auto`는 Slack 언어를 따릅니다.",
    # terminal text (lingo ask, console)
    "text.several": "“{query}”에 해당하는 용어가 여러 개입니다. 어느 것을 찾으시나요?",
    "text.empty": "용어를 입력해 주세요. 예: 양자화",
    "text.closest_names": "가까운 이름:",
    "text.no_match": "“{query}”에 맞는 용어가 없습니다.",
    "text.propose": "찾는 용어가 없나요? 제안하기: {url}",
    "text.showing": "({name} 용어를 보여 드립니다. 검색어: “{query}”)",
    "text.help_intro": "LLM Lingo는 용어 {count}개를 알고 있습니다. 용어나 다음 명령어를 입력해 주세요:",
    "text.examples": "예시: {examples}",
    "text.no_category": "“{name}” 분류는 없습니다. 분류 목록:",
    "text.category_line": "{name} ({id}): 용어 {count}개",
    # dates (bot.render.i18n: day_month, short_date, short_day)
    "date.day_month": "{month} {day}일 {weekday}",
    "date.short": "{year}년 {month} {day}일({weekday})",
    "date.short_day": "{month} {day}일({weekday})",
    **{f"weekday_short.{n}": w for n, w in enumerate("월화수목금토일")},
    **{f"month_short.{n}": f"{n}월" for n in range(1, 13)},
    # what matched a search, by field of the entry
    "match.name": "다른 이름",
    "match.asked_as": "이렇게도 묻습니다",
    "match.definition": "정의",
    "match.details": "자세한 설명",
    "match.examples": "예시",
    # the quiz
    "quiz.which_term": "*어떤 용어일까요?*",
    "quiz.what_means": "*{name}의 뜻은 무엇일까요?*",
    "quiz.fallback": "퀴즈: {prompt}",
    "quiz.fallback_which": "어떤 용어일까요?",
    "quiz.right": ":white_check_mark: *정답입니다!* 답: *{name}*",
    "quiz.wrong": ":x: *아쉽습니다.* 정답: *{name}* (고른 답: *{chosen}*)",
    "quiz.wrong_none": ":x: *아쉽습니다.* 정답: *{name}*",
    "console.quiz_answer": "1~4 중 하나를 입력해 답해 주세요.",
    "console.quiz_elsewhere": "콘솔(`lingo`)에서 답할 수 있습니다.",
    "console.quiz_again": "다른 문제는 `quiz`를 입력해 주세요.",
    "quiz.differs": "*다른 보기와의 차이*",
    "quiz.repeat": "이미 답한 문제입니다. 처음 고른 답으로 기록됩니다.",
    "quiz.next_due": "내 덱: {name}의 다음 복습은 {when}입니다.",
    "quiz.next": "다음 문제",
    "quiz.verdict_right": "정답: {name}. {definition}",
    "quiz.verdict_wrong": "오답. 정답은 {name}: {definition}",
    "quiz.no_quiz": (
        "여기서는 퀴즈를 낼 수 없습니다. 문제 하나에 서로 다른 용어가 네 개 이상 필요합니다 "
        "({reason})."
    ),
    "quiz.no_category": "“{name}” 분류는 없습니다. 분류 목록: {names}.",
    "quiz.unreadable": "이 답은 읽을 수 없습니다. `/lingo quiz`로 새 문제를 받아 보세요.",
    "quiz.gone": "그 용어는 이제 용어집에 없습니다. `/lingo quiz`로 새 문제를 받아 보세요.",
    # the deck and the card's learning buttons
    "learn.quiz_me": "퀴즈 풀기",
    "learn.add": "내 덱에 추가",
    "deck.off": (
        "복습 덱이 꺼져 있습니다. `/lingo learn on`으로 매일 복습을 켠 다음 "
        "*내 덱에 추가* 버튼을 누르면 덱에 {name} 용어가 들어갑니다."
    ),
    "deck.added": "*{name}* 용어를 덱에 추가했습니다. 첫 복습: {day} {time}",
    "deck.already": "*{name}* 용어는 이미 덱에 있습니다.",
    # "Was this clear?"
    "clarity.question": "이해가 되셨나요?",
    "clarity.yes": "👍 네",
    "clarity.no": "👎 아니요",
    "clarity.title": "이해가 되셨나요?",
    "clarity.label": "{name} 설명에서 어떤 부분이 어려웠나요? (선택)",
    "clarity.hint": "용어집 관리자가 읽습니다. 이름은 전달되지 않습니다.",
    "clarity.send": "보내기",
    "clarity.skip": "건너뛰기",
    "clarity.thanks": "고맙습니다! {name} 설명이 도움이 되었다니 다행입니다.",
    # the review DM
    "review.header": "오늘의 복습 · {day}",
    "review.intro": (
        "덱에서 {count}를 골랐습니다. 시간 날 때 답해 주세요. "
        "답할 때마다 그 용어의 다음 복습일이 정해집니다."
    ),
    "review.count_one": "복습 1개",
    "review.count_many": "복습 {count}개",
    "review.fallback": "오늘의 복습: {count}",
    "review.footer": (
        "`/lingo learn off`로 복습을 끌 수 있고, `/lingo forget me`로 내 학습 데이터를 "
        "지울 수 있습니다."
    ),
    "review.paused": (
        "최근 복습 {days}번에 답이 없어서 복습을 잠시 멈췄습니다. 기록은 그대로 남아 있고, "
        "`/lingo learn on`으로 다시 시작할 수 있습니다."
    ),
    # /lingo learn, /lingo forget me
    "learn.not_on": "학습이 켜져 있지 않습니다. `/lingo learn on`으로 매일 복습을 시작할 수 있습니다.",
    "learn.now_off": (
        "학습을 껐습니다. 이제 복습 DM을 보내지 않습니다. 덱은 남아 있으니 "
        "`/lingo learn on`으로 다시 시작하거나 `/lingo forget me`로 지울 수 있습니다."
    ),
    "learn.state_on": "학습이 켜져 있습니다. 사용법: {usage}",
    "learn.state_off": "학습이 꺼져 있습니다. 사용법: {usage}",
    "learn.usage": "`/lingo learn on [HH:MM] [시간대]`, `/lingo learn off`",
    "learn.now_on": (
        "학습을 켰습니다. 복습할 용어가 있는 날에는 매일 *{time}*({zone})에 복습을 최대 "
        "{count}개 담은 DM을 보냅니다. 찾아본 용어, 퀴즈에서 틀린 용어, *내 덱에 추가* 버튼으로 넣은 "
        "용어가 덱에 들어갑니다. 첫 복습은 빨라야 {first}입니다. 덱은 본인만 볼 수 있습니다. "
        "`/lingo learn off`로 끄고, `/lingo forget me`로 학습 데이터를 지울 수 있습니다."
    ),
    "forget.usage": "`/lingo forget me`는 내 학습 데이터(덱, 답, 투표, 설정)를 모두 지웁니다.",
    "forget.nothing": "지울 학습 데이터가 없습니다.",
    "forget.done": (
        "삭제했습니다: {parts}. 학습 데이터에 내 정보는 남아 있지 않습니다. "
        "조회 기록은 처음부터 누가 찾았는지 알지 못합니다."
    ),
    "forget.quiz_answers_one": "퀴즈 답 1개",
    "forget.quiz_answers_many": "퀴즈 답 {count}개",
    "forget.learning_cards_one": "복습 덱 카드 1장",
    "forget.learning_cards_many": "복습 덱 카드 {count}장",
    "forget.learning_people_one": "복습 설정",
    "forget.learning_people_many": "복습 설정",
    "forget.clarity_votes_one": "“이해가 되셨나요?” 응답 1개",
    "forget.clarity_votes_many": "“이해가 되셨나요?” 응답 {count}개",
    "forget.review_messages_one": "복습 DM 기록 1개",
    "forget.review_messages_many": "복습 DM 기록 {count}개",
    "forget.user_prefs_one": "언어 설정 1개",
    "forget.user_prefs_many": "언어 설정 {count}개",
    # the App Home's learning section
    "home.learning_header": "내 학습",
    "home.learning_off": (
        "언제든 퀴즈를 풀 수 있고, `/lingo learn on 09:00`으로 찾아본 용어를 매일 "
        "복습할 수 있습니다."
    ),
    "home.learning_on": (
        "학습 중인 용어 *{learning}* · 익힌 용어 *{learned}* · 연속 {streak} · "
        "답 {answered}개, 정답률 {rate}\n다음 복습: {next}"
    ),
    "home.streak_one": "*1일*",
    "home.streak_many": "*{count}일*",
    "home.learning_paused": "복습이 잠시 멈춰 있습니다. `/lingo learn on`으로 다시 시작할 수 있습니다.",
    "home.learning_private": "이 내용은 본인에게만 보입니다.",
    "weekday.0": "월요일",
    "weekday.1": "화요일",
    "weekday.2": "수요일",
    "weekday.3": "목요일",
    "weekday.4": "금요일",
    "weekday.5": "토요일",
    "weekday.6": "일요일",
    **{f"month.{n}": f"{n}월" for n in range(1, 13)},
}
