import datetime

import pytest
from django.utils import timezone

from registry.core.templatetags.registry_tags import relative_time


@pytest.mark.embedded
def test_relative_time_says_just_now_for_the_last_minute_with_exact_utc_on_hover():
    html = str(relative_time(timezone.now() - datetime.timedelta(seconds=20)))
    assert ">just now</time>" in html
    assert 'title="' in html and ' UTC"' in html


@pytest.mark.embedded
def test_relative_time_says_how_long_ago_in_one_unit():
    html = str(relative_time(timezone.now() - datetime.timedelta(days=3, hours=5)))
    assert ">3\xa0days ago</time>" in html  # timesince joins number and unit with a no-break space


def test_relative_time_of_nothing_is_empty():
    assert relative_time(None) == ""
