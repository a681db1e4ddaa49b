"""Make the minimal project's database: migrate, and the bare table."""

import os

import django
from bare_views import create_bare_table
from django.core.management import call_command

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minimal_settings")
django.setup()
call_command("migrate", verbosity=0)
create_bare_table()
