"""Passkeys (WebAuthn): sign in with the phone's face, fingerprint or screen lock; nothing recorded.

django-otp-webauthn does the protocol (py_webauthn beneath it); this app keeps what it stores to
what verification needs, makes each challenge single-use across copies of a signed cookie, and
signs people in through the portal's own session rules (README, "Passkeys").
"""
