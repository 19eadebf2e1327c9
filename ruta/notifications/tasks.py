"""Background work of notifications (django-tasks).

E-mails carry no case data: only that there is something waiting in Ruta and a link.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from ruta.accounts.models import User
from ruta.lib.links import absolute_url


@task()
def send_notification_emails(user_ids: list[int]) -> int:
    messages = []
    for user in User.objects.filter(pk__in=user_ids, is_active=True):
        with translation.override(user.language):
            link = absolute_url(reverse("notifications:list"))
            messages.append(
                (
                    _("Ruta: you have new notifications"),
                    _("Something in Ruta needs your attention. Open %(link)s to see it.")
                    % {"link": link},
                    settings.DEFAULT_FROM_EMAIL,
                    [user.email],
                )
            )
    return send_mass_mail(messages, fail_silently=False) if messages else 0
