"""Domain errors with a German message for the user. Services raise them; the web layer
turns them into an HTML page or a JSON body with the right status code."""

from __future__ import annotations


class SelfcheckError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(SelfcheckError):
    """Also used for things the user may not see, so that existence is not revealed."""

    status_code = 404

    def __init__(
        self, message: str = "Diese Seite gibt es nicht (mehr). Bitte prüfen Sie die Adresse."
    ) -> None:
        super().__init__(message)


class InvalidInput(SelfcheckError):
    status_code = 422


class NotAllowed(SelfcheckError):
    """The action is not possible in the current state (e.g. editing a submitted assessment)."""

    status_code = 409


class Gone(SelfcheckError):
    status_code = 410


class TooManyAttempts(SelfcheckError):
    status_code = 429
