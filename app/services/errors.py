"""Domain errors: the refusals a technician or manager sees, with a message they can act on.

The message is English source text marked for translation; `str(error)`
gives it in the current language, with its parameters filled in.
"""

from __future__ import annotations

from ..i18n import N_, catalog, current_language, translate


class DomainError(Exception):
    message = N_("The action was refused.")

    def __init__(self, message: str | None = None, /, **params: object) -> None:
        if message is not None:
            self.message = message
        self.params = params
        super().__init__(self.message)

    def translated(self, language: str | None = None) -> str:
        # Parameters that are themselves marked texts (a reason, a detail) are
        # translated too; names, tags and serials are not in the catalog and stay as they are.
        cat = catalog(language or current_language())
        params = {k: cat.get(v, v) if isinstance(v, str) else v for k, v in self.params.items()}
        return translate(self.message, language, **params)

    def __str__(self) -> str:
        return self.translated()


class NotFound(DomainError):
    message = N_("Nothing was found for {what}.")


class ValidationError(DomainError):
    message = N_("The input is not valid.")


class InvalidTag(ValidationError):
    message = N_("“{tag}” is not a valid asset tag: check the characters and scan or type it again.")


class DuplicateSerial(DomainError):
    message = N_("A {manufacturer} device with serial number {serial} already exists: {tag}.")


class IllegalTransition(DomainError):
    message = N_("{tag} is “{status}”: “{action}” is only possible when it is {allowed}.")


class GuardFailed(DomainError):
    message = N_("{tag}: “{action}” is not possible yet: {reason}")


class StaleRecord(DomainError):
    message = N_("{what} was changed by {user} at {time} — reload it and try again.")


class PermissionDenied(DomainError):
    """A role the permission table does not allow; `permissions.refusal` says which roles may."""

    message = N_("You are not allowed to do this.")
    for_roles = N_("This is for: {roles}. You are signed in as: {role}.")

    def __init__(self, message: str | None = None, /, *, allowed_roles: tuple[str, ...] = (),
                 role: str | None = None, **params: object) -> None:
        super().__init__(message, **params)
        self.allowed_roles = allowed_roles  # marked role names, translated when shown
        self.role = role

    def translated(self, language: str | None = None) -> str:
        if self.role is None:
            return super().translated(language)
        cat = catalog(language or current_language())
        return translate(self.for_roles, language,
                         roles=", ".join(cat.get(r, r) for r in self.allowed_roles),
                         role=cat.get(self.role, self.role))


class SignInFailed(DomainError):
    message = N_("Unknown user name or wrong password.")


class AccountDisabled(DomainError):
    message = N_("This account is disabled. Ask an administrator.")


class NetworkShareRefused(DomainError):
    message = N_(
        "The database file {path} is on a network share. SQLite files must not be "
        "shared over the network: they get corrupted. Use a PostgreSQL server for "
        "several desks (a postgresql+psycopg:// URL)."
    )


class DatabaseUnavailable(DomainError):
    message = N_("The database cannot be reached ({detail}). Nothing was changed.")


class InvalidDatabaseUrl(DomainError):
    message = N_("“{url}” is not a database URL. Give a SQLite file (sqlite:///path/to/depot.sqlite) "
                 "or a PostgreSQL server (postgresql+psycopg://user@host/depot).")


class UnsupportedDatabase(DomainError):
    message = N_("“{url}”: only SQLite (sqlite:///path/to/depot.sqlite) and PostgreSQL "
                 "(postgresql+psycopg://user@host/depot) are supported.")


class InMemoryDatabaseRefused(DomainError):
    message = N_("An in-memory database ({url}) keeps nothing: everything would be lost when the "
                 "program ends. Give a file: sqlite:///path/to/depot.sqlite.")


class NewDatabaseRefused(DomainError):
    message = N_("There is no database at {path}. Check the path (a typing error?); to create a new, "
                 "empty database there, run the command again with --create.")


class DatabaseVanished(DomainError):
    message = N_("The database file {path} has disappeared (deleted or moved while the application "
                 "was running). Nothing was saved. Put the file back or restore a backup, then start "
                 "again.")


class NewerDatabase(DomainError):
    message = N_("The database {database} was made by a newer version of the application (schema "
                 "{revision}). Update the application first; nothing was changed.")


class DatabaseReadOnly(DomainError):
    message = N_("The database {database} is read-only ({detail}). Nothing was changed.")


class DatabaseRefused(DomainError):
    message = N_("The database refused the change ({detail}). Nothing was changed.")


class AuditWriteRefused(DomainError):
    """A programming error turned into a refusal: a write that would skip the audit trail."""

    message = N_("This change cannot be recorded in the audit trail and was not made: {detail}")
