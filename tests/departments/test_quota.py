import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from departments.models import peer_quota, peer_quota_rates


@pytest.mark.parametrize(
    ("strength", "expected"),
    [(50, (4, 5)), (13_000, (260, 390)), (1, (1, 1)), (10, (1, 1)), (20_000, (400, 600))],
)
def test_quota_follows_the_product_rule(strength, expected):
    assert peer_quota(strength) == expected


def test_a_department_of_fifty_or_fewer_uses_the_small_department_rates():
    assert peer_quota_rates(50) == pytest.approx((0.07, 0.10))
    assert peer_quota_rates(5) == pytest.approx((0.07, 0.10))
    assert peer_quota_rates(50_000) == pytest.approx((0.02, 0.03))


strengths = st.integers(min_value=1, max_value=60_000)


@settings(max_examples=200, deadline=None)
@given(strengths, strengths)
def test_bounds_are_ordered_never_fall_and_rates_never_rise(a, b):
    smaller, larger = sorted((a, b))
    low, high = peer_quota(smaller)
    assert 1 <= low <= high
    assert peer_quota(larger)[0] >= low
    assert peer_quota(larger)[1] >= high
    small_rates, large_rates = peer_quota_rates(smaller), peer_quota_rates(larger)
    assert large_rates[0] <= small_rates[0] + 1e-12
    assert large_rates[1] <= small_rates[1] + 1e-12
    assert small_rates[0] <= small_rates[1]


def test_settings_change_the_rule(settings):
    settings.PEER_QUOTA_SMALL_RATES = (0.10, 0.20)
    assert peer_quota(50) == (5, 10)
