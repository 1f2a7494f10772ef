from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_succeeds_with_the_hashed_manifest_storage(tmp_path):
    """The Docker image runs collectstatic under the production storage (whitenoise's
    compressed manifest), whose hashing step refuses a stylesheet that points at a
    file we do not ship (a source map). Django's manifest storage hashes the same
    way without the slow compression."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path):
        call_command("collectstatic", "--noinput", verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
