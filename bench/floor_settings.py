"""The app's own production settings, with the floor's URL configuration added."""

from zeus_assess.settings import *  # noqa: F403 - the very settings the app runs with

ROOT_URLCONF = "bench.floor_urls"
