"""The benchmark suite (`make bench`): the app under production settings and gunicorn
against a bare Django view under the same gunicorn. See bench/run.py."""
