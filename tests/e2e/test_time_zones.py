"""Time zones as people say them: a city, a country, a typo, or a shared location (#17)."""

from __future__ import annotations

from app.runtime import Runtime
from services.enrollment import enroll
from tests.fakebot import FakeBotApi
from tests.support.bot import ChatUser
from tests.support.checkin import PATIENT


async def finish_enrollment(person: ChatUser) -> None:
    """From the operation question to the end, by buttons."""
    await person.presses("Kyphoplasty", "When was your operation")
    await person.presses("Yesterday", "At what time")
    await person.presses("18:00", "Please check your details")
    await person.presses("Confirm", "all set")


async def zone_of(runtime: Runtime) -> str:
    state = await enroll.get_enrollment(runtime.services, PATIENT)
    assert state is not None
    return state.timezone


async def test_the_zone_question_offers_a_location_button(
    api: FakeBotApi, runtime: Runtime
) -> None:
    person = ChatUser(api, PATIENT)
    await person.walk("zone")
    offer = await api.wait_for_message(PATIENT, contains="share your location once")
    assert offer.reply_markup is not None
    (button,) = offer.reply_markup["keyboard"][0]
    assert button == {"text": "📍 Share my location", "request_location": True}
    assert offer.reply_markup["one_time_keyboard"] is True


async def test_a_city_and_a_country_are_understood(api: FakeBotApi, runtime: Runtime) -> None:
    person = ChatUser(api, PATIENT)
    await person.walk("zone")
    await person.says("Manchester", "Which operation")
    assert await zone_of(runtime) == "Europe/London"
    await finish_enrollment(person)

    await person.says("/settings", "What would you like to change?")
    await person.presses("Time zone", "Which time zone")
    await person.says("UK", "Saved.")
    assert await zone_of(runtime) == "Europe/London"


async def test_a_country_with_several_zones_and_a_typo_get_buttons(
    api: FakeBotApi, runtime: Runtime
) -> None:
    person = ChatUser(api, PATIENT)
    await person.walk("zone")
    choice = await person.says("Spain", "Which of these is your time zone?")
    assert choice.button_labels[0] == "Madrid"
    assert len(choice.button_labels) >= 2  # the Canary Islands keep another clock
    await person.presses("Madrid", "Which operation", message=choice)
    assert await zone_of(runtime) == "Europe/Madrid"
    await finish_enrollment(person)

    await person.says("/settings", "What would you like to change?")
    await person.presses("Time zone", "Which time zone")
    guess = await person.says("Manchestr", "Did you mean one of these?")
    assert "Manchester" in guess.button_labels
    assert guess.button_labels[-1] == "Cancel"
    await person.presses("Manchester", "Saved.", message=guess)
    assert await zone_of(runtime) == "Europe/London"


async def test_a_shared_location_sets_the_zone(api: FakeBotApi, runtime: Runtime) -> None:
    person = ChatUser(api, PATIENT)
    await person.walk("zone")
    seen = len(api.messages(PATIENT))
    api.send_location(PATIENT, 40.42, -3.70)  # Madrid
    await api.wait_for_message(PATIENT, contains="Which operation", after=seen)
    assert await zone_of(runtime) == "Europe/Madrid"


async def test_a_forged_zone_button_changes_nothing(api: FakeBotApi, runtime: Runtime) -> None:
    person = ChatUser(api, PATIENT)
    prompt = await person.walk("zone")
    query = api.press(PATIENT, prompt, "en:zone:Not/AZone")
    await api.wait_callback_answer(query)
    assert await zone_of(runtime) == "UTC"
