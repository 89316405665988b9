"""Phone numbers in one form: E.164, the key the caller lookup searches on.

Callers dial in every form (``+86 21 6123 4567``, ``021-61234567``,
``0086 138 1234 5678``...); the stored contacts were typed in as many. Both
sides go through :func:`normalize_phone`, so any form of a number finds the
contact saved in any other form.
"""

import re

import phonenumbers

# Digits, a leading plus and the separators people type; no letters, since
# phonenumbers would read "1-800-FLOWERS" as digits and a junk search as a
# number.
PLAUSIBLE_NUMBER = re.compile(r"\+?[\d\s().\-/]{3,30}")


def normalize_phone(number, region=None):
    """The E.164 form of ``number`` (``+862161234567``), or ``None`` when it
    is not a valid number. ``region`` is the ISO country code a national
    number is read in (the contact's country, else the company's)."""
    if not isinstance(number, str):
        return None
    text = number.strip()
    if not PLAUSIBLE_NUMBER.fullmatch(text):
        return None
    if text.startswith("00"):
        # The international prefix of China and Europe, typed wherever the
        # default region uses another one (011 in North America).
        text = "+" + text[2:]
    try:
        parsed = phonenumbers.parse(text, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164):
    """The international form of a stored E.164 number, for people to read."""
    parsed = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
