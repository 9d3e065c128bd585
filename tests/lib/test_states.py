"""One list of states for every app: departments, professionals and the peer directory agree."""

import pytest
from django.core.exceptions import ValidationError

from peers.forms import DirectoryForm
from professionals.forms import STATE_CHOICES
from tests.factories import DepartmentFactory
from wnwa.lib.states import STATE_NAMES, US_STATES


def test_fifty_states_dc_and_puerto_rico():
    assert len(US_STATES) == 52 and STATE_NAMES["DC"] == "District of Columbia"


def test_the_forms_offer_the_same_states():
    peer_codes = [
        code for code, _ in DirectoryForm(areas=[], languages=[]).fields["state"].choices if code
    ]
    professional_codes = [code for code, _ in STATE_CHOICES if code]
    assert peer_codes == professional_codes == [code for code, _ in US_STATES]


@pytest.mark.parametrize("state", ["ZZ", "il", "Illinois"])
def test_a_department_in_no_state_is_refused(db, state):
    department = DepartmentFactory.build(state=state)
    with pytest.raises(ValidationError, match="state"):
        department.full_clean(exclude=["slug"])
