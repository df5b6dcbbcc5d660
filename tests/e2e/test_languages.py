"""A patient in their own language (issue #16): Telegram's language at /start picks it, the
whole enrollment (questions, typed dates and times, summary, confirmation) and the urgent or
emergency reply to a warning sign come in it, and the care team's post is in
CLINIC_LANGUAGE (here the patient's language too; tests/e2e/test_journeys.py walks the same
way in English). Check-in questions come from the protocol's overlay in the
patient's language. A language chosen at the welcome or in /settings applies at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.runtime import Runtime
from models import Patient
from recovery import Level, Procedure
from tests.fakebot import FakeBotApi, SentMessage
from tests.support.bot import CARE_TEAM_CHAT, ChatUser
from tests.support.checkin import PATIENT, answer_all
from tests.support.clock import FakeClock
from tests.support.languages import stray_english
from views import texts
from views.callbacks import AnswerCb
from views.dates import full_date, local_moment
from views.i18n import LANGUAGE_NAMES, translator


@dataclass(frozen=True)
class Speaks:
    """What a patient of one language sees and types while enrolling (the clock says 2 March
    2026, 09:00 UTC): each question's opening words, and the answers."""

    welcome: str
    agree: str
    asks_name: str
    name: str
    asks_zone: str
    city: str  # London, as the patient writes it
    asks_operation: str
    kyphoplasty: str
    asks_date: str
    surgery: str  # 1 March in words
    asks_time: str
    at: str  # 18:00 in words
    summary: str
    confirm: str
    done: str


CASES = {
    "es": Speaks(
        "¿Está de acuerdo?",
        "Acepto",
        "¿Qué nombre debe ver",
        "Lucía",
        "¿En qué zona horaria está?",
        "Londres",
        "¿Qué operación le hicieron?",
        "Cifoplastia",
        "¿Cuándo fue su operación?",
        "1 de marzo",
        "¿A qué hora quiere recibir",
        "6 de la tarde",
        "Revise sus datos",
        "Confirmar",
        "Ya está todo listo.",
    ),
    "ru": Speaks(
        "Вы согласны?",
        "Согласен(на)",
        "Какое имя должна видеть",
        "Анна",
        "В каком вы часовом поясе?",
        "Лондон",
        "Какую операцию вам сделали?",
        "Кифопластика",
        "Когда была ваша операция?",
        "1 марта",
        "В какое время каждый день",
        "6 вечера",
        "проверьте ваши данные",
        "Подтвердить",
        "Всё готово.",
    ),
    "ar": Speaks(
        "هل توافق؟",
        "أوافق",
        "ما الاسم الذي تريد",
        "Sam سامي",  # a name in two directions
        "في أي منطقة زمنية أنت؟",
        "لندن",
        "ما العملية التي أُجريت لك؟",
        "رأب الحدبة",
        "متى أُجريت عمليتك؟",
        "١ مارس",  # Arabic-Indic digits
        "في أي وقت من كل يوم",
        "٦ مساءً",
        "يُرجى مراجعة بياناتك",
        "تأكيد",
        "كل شيء جاهز.",
    ),
}
FIRST_CHECKIN = datetime(2026, 3, 2, 18, 0, tzinfo=ZoneInfo("Europe/London"))


def english_in(message: SentMessage, language: str, *, allowed: frozenset[str]) -> list[str]:
    """English words in a message's text and (zone buttons aside: city names) its buttons."""
    zones = [
        b["text"]
        for row in message.buttons
        for b in row
        if str(b.get("callback_data", "")).startswith("en:zone:")
    ]
    cities = frozenset(word for label in zones for word in label.split())
    shown = [message.text or "", *(set(message.button_labels) - set(zones))]
    return [w for text in shown for w in stray_english(text, language, allowed=allowed | cities)]


async def enroll_in(api: FakeBotApi, language: str, *, picked: bool = False) -> SentMessage:
    """Enroll by typing in ``language`` wherever a typed answer is possible; every message
    after the welcome in that language is checked for English as it arrives (buttons go once a
    question is answered). ``picked``: the welcome comes in English and the patient presses
    their language's button. Returns the confirmation."""
    say = CASES[language]
    person = ChatUser(api, PATIENT)
    allowed = frozenset(say.name.split())
    if picked:
        await person.says("/start", "Do you agree?")
        skip = len(api.messages(PATIENT))
    else:
        skip = 0
    steps = [
        (person.presses, LANGUAGE_NAMES[language], say.welcome)
        if picked
        else (person.says, "/start", say.welcome),
        (person.presses, say.agree, say.asks_name),
        (person.says, say.name, say.asks_zone),
        (person.says, say.city, say.asks_operation),
        (person.presses, say.kyphoplasty, say.asks_date),
        (person.says, say.surgery, say.asks_time),
        (person.says, say.at, say.summary),
        (person.presses, say.confirm, say.done),
    ]
    for act, value, expect in steps:
        message = await act(value, expect)
        assert english_in(message, language, allowed=allowed) == [], message.text
        if expect == say.welcome:  # a button back to each other language, English too
            assert LANGUAGE_NAMES["en"] in message.button_labels
    for message in api.messages(PATIENT)[skip:]:  # the location offer and its keyboard too
        assert english_in(message, language, allowed=allowed) == [], message.text
        for row in (message.reply_markup or {}).get("keyboard", []):
            for button in row:
                assert stray_english(button["text"], language) == []
    return message


async def stored_language(runtime: Runtime) -> str | None:
    async with runtime.services.session_factory() as session:
        return await session.scalar(
            select(Patient.language).where(Patient.telegram_user_id == PATIENT)
        )


@pytest.mark.parametrize(
    ("language", "runtime"), [(code, code) for code in CASES], indirect=["runtime"]
)
async def test_a_patient_enrolls_and_is_answered_in_their_language(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock, language: str
) -> None:
    tr = translator(language)
    api.set_language(PATIENT, f"{language}-XX")
    done = await enroll_in(api, language)
    assert await stored_language(runtime) == language
    summary = next(m for m in api.messages(PATIENT) if CASES[language].summary in (m.text or ""))
    for shown in (CASES[language].name, full_date(date(2026, 3, 1), language), "Europe/London"):
        assert tr.isolate(shown) in (summary.text or "")
    assert tr.isolate(local_moment(FIRST_CHECKIN, language)) in (done.text or "")
    number = tr.isolate("999")  # London's emergency number
    shown = runtime.services.protocols.for_procedure(Procedure.KYPHOPLASTY, language)
    screen = shown.emergency_screen
    chest = next(o.label for o in screen.options if o.value == "chest")
    clock.set(datetime(2026, 3, 2, 18, 0, tzinfo=UTC))
    await runtime.tick()
    asked = await api.wait_for_message(PATIENT, contains=screen.text[:30])
    assert chest in asked.button_labels
    assert "Daily check-in" not in (asked.text or "")  # the frame is in the language too
    await answer_all(api, {screen.text[:30]: chest})
    first_words = shown.action_text(Level.EMERGENCY).split("{", 1)[0].strip()[:12]
    reply = await api.wait_for_message(PATIENT, contains=first_words)
    assert number in (reply.text or "")
    assert "You reported" not in (reply.text or "")
    head = f"🚨 {tr.gettext('EMERGENCY')}"
    post = await api.wait_for_message(CARE_TEAM_CHAT, contains=head)  # in CLINIC_LANGUAGE
    assert (post.text or "").startswith(head)
    ref = frozenset({"P"})  # the patient's reference, P-0001, is the same in every language
    allowed = frozenset(CASES[language].name.split()) | ref
    assert english_in(post, language, allowed=allowed) == [], post.text


async def test_the_language_can_be_changed_at_the_welcome(
    api: FakeBotApi, runtime: Runtime
) -> None:
    api.set_language(PATIENT, "en-GB")
    done = await enroll_in(api, "ru", picked=True)  # every later message in Russian
    assert await stored_language(runtime) == "ru"
    assert "Первые вопросы придут" in (done.text or "")


async def test_the_language_can_be_changed_in_settings(api: FakeBotApi, runtime: Runtime) -> None:
    person = ChatUser(api, PATIENT)
    await person.walk()
    assert await stored_language(runtime) == "en"
    await person.says("/settings", "What would you like to change?")
    question = await person.presses("Language / Idioma", "Which language")
    assert question.button_labels == ["English", "Español", "Русский", "العربية", "Cancel"]
    saved = await person.presses("Español", "Guardado.")  # the very next message
    assert stray_english(saved.text or "", "es") == []
    assert "Sus próximas preguntas llegarán el" in (saved.text or "")
    assert await stored_language(runtime) == "es"
    menu = await person.says("/settings", "¿Qué quiere cambiar?")
    assert "Idioma / Language" in menu.button_labels
    question = await person.presses("Idioma / Language", "¿En qué idioma le escribo?")
    assert "Cancelar" in question.button_labels
    saved = await person.presses("Русский", "Сохранено.")
    assert stray_english(saved.text or "", "ru") == []
    await person.says("/help", "Что я умею:")


STRANGER = 5151  # never enrolled, never a caregiver: no language stored anywhere
NOT_ENROLLED = "Todavía no está inscrito."
NOTHING_STORED = "No tengo ningún dato suyo guardado."
ONLY_PATIENTS = "Solo un paciente registrado puede invitar"
STRANGER_REPLIES = {
    **dict.fromkeys(
        ["/status", "/pause", "/resume", "/stop", "/checkin", "/settings", "/home"], NOT_ENROLLED
    ),
    **dict.fromkeys(["/mydata", "/delete"], NOTHING_STORED),
    **dict.fromkeys(["/invite", "/caregivers"], ONLY_PATIENTS),
}


@pytest.mark.parametrize(("command", "expect"), STRANGER_REPLIES.items())
async def test_someone_not_enrolled_is_answered_in_their_telegram_language(
    api: FakeBotApi, runtime: Runtime, command: str, expect: str
) -> None:
    api.set_language(STRANGER, "es-ES")
    reply = await ChatUser(api, STRANGER).says(command, expect)
    assert stray_english(reply.text or "", "es") == [], reply.text


async def test_a_stray_answer_button_is_refused_in_the_pressers_language(
    api: FakeBotApi, runtime: Runtime
) -> None:
    api.set_language(STRANGER, "ru")
    reply = await ChatUser(api, STRANGER).says("/status", "Вы ещё не зарегистрированы")
    query = api.press(STRANGER, reply, AnswerCb(1, 0, 0).pack())  # forged: no such check-in
    notice = (await api.wait_callback_answer(query)).get("text") or ""
    tr = translator("ru")
    assert notice in {tr.gettext(texts.STALE_BUTTON), tr.gettext(texts.NOT_YOURS)}, notice
