"""The field types every model is made of: checked text, ids, phones and emails, and the strict base."""

from typing import Annotated

import msgspec

# Patterns end in `$(?!\n)`: Python's `$` also matches before a final line break, which the
# lookahead refuses; JSON Schema's (ECMA) `$` needs no such care, and the schema stays valid there.
END = r"$(?!\n)"
Text = Annotated[str, msgspec.Meta(min_length=1)]
# A field shown as one line (a name, a title, a subject): a line break in it could print a fake line.
ONE_LINE = r"^[^\n]+" + END
Line = Annotated[str, msgspec.Meta(min_length=1, pattern=ONE_LINE)]
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*" + END  # ids of flows, nodes, contacts and guidance
NodeId = Annotated[str, msgspec.Meta(pattern=ID_PATTERN)]
# A phone number as printed: digits and spaces, an optional leading +, an optional extension.
PHONE_PATTERN = r"^\+?[0-9][0-9 ]*[0-9]( ext [0-9]+)?" + END
Phone = Annotated[str, msgspec.Meta(pattern=PHONE_PATTERN, max_length=40)]
# One plain address (RFC 5322's dot-atom form): no display name, no quoting, no second address, no
# group syntax. `loading` also parses it with the standard library's `email` package.
EMAIL_PATTERN = (
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}" + END
)
Email = Annotated[str, msgspec.Meta(pattern=EMAIL_PATTERN, max_length=254)]
# What each pattern asks for: the phrasebook's key for its words, in the one-line error that names
# a field that breaks it.
PATTERN_MEANINGS = {
    ONE_LINE: "pattern_one_line",
    ID_PATTERN: "pattern_id",
    PHONE_PATTERN: "pattern_phone",
    EMAIL_PATTERN: "pattern_email",
}
MAX_PHONES = 20  # a contact lists a few numbers; thousands would only slow every listing


class Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """A model that refuses a field it does not know (a misspelt key is an error, not ignored) and never changes."""
