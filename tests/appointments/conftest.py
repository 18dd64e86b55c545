import pytest
import time_machine
from django.core import mail

from portal import sms

from .support import at, build_world


@pytest.fixture
def world(db):
    sms.outbox.clear()
    mail.outbox.clear()
    return build_world()


@pytest.fixture
def travel():
    """Move the clock (every thread's) to a moment such as "2026-09-29 10:00" (Asia/Shanghai)."""
    travellers = []

    def go(moment, tick=True):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(at(moment), tick=tick)
        traveller.start()
        travellers.append(traveller)

    yield go
    for traveller in travellers:
        traveller.stop()
