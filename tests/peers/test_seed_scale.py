"""`manage.py seed_scale` on tiny sizes (the national run is for bench/directory.py)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from departments.models import Department
from peers.models import PeerListing
from peers.selectors import listed_peers
from tests.factories import UserFactory
from wnwa.accounts.models import User


def test_seed_scale_builds_a_network_whose_peers_mostly_show(db):
    UserFactory()  # ids continue after existing rows
    out = StringIO()
    call_command("seed_scale", departments=5, officers=60, peers=30, stdout=out)
    assert "5 departments, 60 officers, 30 certifications, 30 listings" in out.getvalue()
    assert Department.objects.filter(slug__startswith="scale-").count() == 5
    assert User.objects.filter(email__endswith="@scale.test").count() == 60
    assert PeerListing.objects.count() == 30
    assert 10 <= listed_peers().count() <= 30
    UserFactory()  # the id sequence was moved past the loaded rows


def test_seed_scale_refuses_to_run_twice_or_with_bad_sizes(db):
    call_command("seed_scale", departments=2, officers=4, peers=2, stdout=StringIO())
    with pytest.raises(CommandError, match="already loaded"):
        call_command("seed_scale", departments=2, officers=4, peers=2, stdout=StringIO())
    with pytest.raises(CommandError, match="no more peers than officers"):
        call_command("seed_scale", departments=2, officers=4, peers=9, stdout=StringIO())
