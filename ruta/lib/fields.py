"""Model fields whose values are encrypted at rest with the field keys (see ``crypto``).

The database holds Fernet tokens only; Python code sees plain text. A token that no
configured key opens raises ``cryptography.fernet.InvalidToken``: a wrong key fails
loudly instead of showing garbage or empty values.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from ruta.lib import crypto

PREFIX = "f1:"  # marks a token so plain text written by mistake is caught, not decrypted


class EncryptedTextField(models.TextField[str, str]):
    """Free text stored encrypted. Not searchable, not sortable: by design."""

    description = "Text encrypted at rest"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        if not value:
            return ""
        if not value.startswith(PREFIX):
            raise ValueError(
                f"{self.model.__name__}.{self.name} holds a value that is not encrypted."
            )
        return crypto.decrypt(value[len(PREFIX) :])

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return ""
        return PREFIX + crypto.encrypt(str(value))

    def get_internal_type(self) -> str:
        return "TextField"


class EncryptedCharField(EncryptedTextField):
    """Short encrypted text; ``max_length`` limits the plain text in forms only."""

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        defaults: dict[str, Any] = {"form_class": forms.CharField, "max_length": self.max_length}
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)


def encrypted_fields(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def empty_encrypted(queryset: Any, names: list[str] | None = None) -> int:
    """Empty the encrypted fields ``names`` (default: all of the model's) of every row of
    ``queryset`` that still holds one; answers how many rows changed. The rows stay, with
    their coded fields: this is how personal data is erased while the figures keep counting.
    """
    from django.db.models import Q

    names = encrypted_fields(queryset.model) if names is None else names
    if not names:
        return 0
    filled = Q()
    for name in names:
        filled |= ~Q(**{name: ""})
    chosen = queryset.filter(filled).values("pk")
    return int(
        queryset.model._default_manager.filter(pk__in=chosen).update(**dict.fromkeys(names, ""))
    )
