"""Make the peer's database: migrate, one queue, a staff user with a token,
and TICKETS tickets (10,000 by default); prints {"token", "queue"} as JSON."""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402  (needs the settings above)
from django.core.management import call_command  # noqa: E402
from helpdesk.models import Queue, Ticket  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

TICKETS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000


def main() -> None:
    call_command("migrate", verbosity=0)
    queue, _ = Queue.objects.get_or_create(slug="arrears", defaults={"title": "Arrears"})
    user, _ = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True, "is_superuser": True}
    )
    token, _ = Token.objects.get_or_create(user=user)
    missing = TICKETS - Ticket.objects.count()
    Ticket.objects.bulk_create(
        (
            Ticket(
                queue=queue,
                title=f"Seeded ticket {n}",
                description="Payment overdue for delivered goods.",
                submitter_email=f"sme{n}@example.com",
            )
            for n in range(missing)
        ),
        batch_size=1000,
    )
    print(json.dumps({"token": token.key, "queue": queue.pk}))


main()
