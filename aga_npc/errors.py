"""The exception tree. Every failure the game can see is one of these, never a bare string.

::

    AgaError
     +-- ConfigError                  bad environment variable, flag or option value
     +-- LLMError                     anything that went wrong getting a completion
     |    +-- TransientLLMError       worth retrying (retry wrapper decides)
     |    |    +-- RateLimitError     429, carries ``retry_after`` seconds when the server said
     |    |    +-- ServerError        5xx, 408, 409
     |    |    +-- LLMTimeoutError    the request timed out
     |    |    +-- LLMConnectionError the server could not be reached
     |    +-- PermanentLLMError       not worth retrying (400, 401, 403, 404, 422 ...)
     |    +-- EmptyResponseError      the server answered with no content
     |    +-- MalformedOutputError    JSON expected, none could be parsed or validated
     |    +-- BudgetExceededError     refused at once: over the token budget
     |    +-- ReplayMissError         replay mode and no recording for this request
     |    +-- RequestCancelledError   the ticket was cancelled
     |    +-- DeadlineExceededError   the request's deadline passed before it was served
     |    +-- GatewayClosedError      submitted after shutdown
     +-- EmbeddingError               the embedder failed (model missing, bad checksum ...)
     +-- StoreError                   persistence
     |    +-- CorruptFileError        a file failed to load; names the file and byte offset
     |    +-- SchemaVersionError      written by a newer (unknown) schema version
     |    +-- SaveError               a save game that cannot be loaded into this town
     |    +-- PolicyFileLocked        another process is writing the same policy file
     +-- MapError                     a map file cannot be read or violates conventions
     +-- PersonaError                 a persona file is malformed; names file and field
"""

from __future__ import annotations

__all__ = [
    "AgaError",
    "BudgetExceededError",
    "ConfigError",
    "CorruptFileError",
    "DeadlineExceededError",
    "EmbeddingError",
    "EmptyResponseError",
    "GatewayClosedError",
    "LLMConnectionError",
    "LLMError",
    "LLMTimeoutError",
    "MalformedOutputError",
    "MapError",
    "PermanentLLMError",
    "PersonaError",
    "PolicyFileLocked",
    "RateLimitError",
    "ReplayMissError",
    "RequestCancelledError",
    "SaveError",
    "SchemaVersionError",
    "ServerError",
    "StoreError",
    "TransientLLMError",
]


class AgaError(Exception):
    """Base of every aga_npc error."""


class ConfigError(AgaError):
    """A configuration value (environment variable, flag, option) is invalid."""


class LLMError(AgaError):
    """Getting a completion failed. ``kind`` is the short ledger name of the failure."""

    kind = "llm_error"

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class TransientLLMError(LLMError):
    """A failure that may go away when retried."""

    kind = "transient"


class RateLimitError(TransientLLMError):
    """HTTP 429. ``retry_after`` is the server's Retry-After in seconds, when given."""

    kind = "rate_limit"

    def __init__(
        self, message: str, *, status: int | None = 429, retry_after: float | None = None
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class ServerError(TransientLLMError):
    """HTTP 5xx, 408 or 409."""

    kind = "server_error"

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class LLMTimeoutError(TransientLLMError):
    """The request timed out."""

    kind = "timeout"


class LLMConnectionError(TransientLLMError):
    """The server could not be reached (refused, reset, DNS)."""

    kind = "connection"


class PermanentLLMError(LLMError):
    """A failure that retrying will not fix (bad request, auth, unknown model)."""

    kind = "permanent"


class EmptyResponseError(LLMError):
    """The server answered 200 with no content."""

    kind = "empty"


class MalformedOutputError(LLMError):
    """JSON was expected and could not be parsed or failed validation (after the re-ask)."""

    kind = "malformed"

    def __init__(self, message: str, *, text: str = "", status: int | None = None) -> None:
        super().__init__(message, status=status)
        self.text = text


class BudgetExceededError(LLMError):
    """Refused at once because the token budget is spent (fallback requests only)."""

    kind = "budget"


class ReplayMissError(LLMError):
    """Replay mode found no recording for the request."""

    kind = "replay_miss"


class RequestCancelledError(LLMError):
    """The request's ticket was cancelled before it was served."""

    kind = "cancelled"


class DeadlineExceededError(LLMError):
    """The request's deadline passed before it was served."""

    kind = "expired"


class GatewayClosedError(LLMError):
    """The gateway is shut down."""

    kind = "closed"


class EmbeddingError(AgaError):
    """The embedder failed."""


class StoreError(AgaError):
    """Persistence failed."""


class CorruptFileError(StoreError):
    """A file could not be loaded. Names the file and the byte offset where it broke."""

    def __init__(self, path: str, offset: int | None, reason: str) -> None:
        where = f" at byte {offset}" if offset is not None else ""
        super().__init__(f"{path}: corrupt or truncated{where}: {reason}")
        self.path = path
        self.offset = offset
        self.reason = reason


class SchemaVersionError(StoreError):
    """A file was written by a schema version this code does not know."""


class SaveError(StoreError):
    """A save game cannot be loaded into this town: malformed, from another map, for other
    residents. Raised before the town is touched (or after it was put back as it was)."""


class PolicyFileLocked(StoreError):
    """Another process (or another store in this one) holds the policy file open for
    writing. Names the file and the lock file."""

    def __init__(self, path: str, lock_path: str) -> None:
        super().__init__(
            f"{path}: another aga_npc process is writing this policy file (lock {lock_path} "
            "is held); close the other game or run, or give this one its own policy file "
            "(--policy-store / HostConfig.policy_path)"
        )
        self.path = path
        self.lock_path = lock_path


class MapError(AgaError):
    """A map cannot be read or breaks the map conventions."""


class PersonaError(AgaError):
    """A persona file is malformed. The message names the file and the field."""

    def __init__(self, path: str, field: str | None, reason: str) -> None:
        where = f" (field {field!r})" if field else ""
        super().__init__(f"{path}{where}: {reason}")
        self.path = path
        self.field = field
        self.reason = reason
