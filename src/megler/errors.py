"""The one user-error type and its nouns.

Raised where the problem is known; printed as one line in `megler.cli` and never
shown with a traceback. Anything else that escapes is a bug.
"""


class MeglerError(Exception):
    """A problem the user can fix: bad input, an unknown name, a locked store."""


class NotFound(MeglerError):
    pass


class InvalidInput(MeglerError):
    pass


class CatalogError(MeglerError):
    pass
