from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Officers are enrolled by their department; nobody signs themselves up."""

    def is_open_for_signup(self, request) -> bool:
        return False
