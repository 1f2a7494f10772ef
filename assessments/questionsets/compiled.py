"""The compiled engine for a question-set version, cached per process."""

import threading

from cachetools import LRUCache, cached

from assessments.formulation.engine import CompiledQuestionSet, load_definition

from .models import QuestionSetVersion

# Compiling a definition (validation, expression compilation) is the expensive part;
# it happens once per version and is reused for every formulation. Drafts can change,
# so their key includes the last modification time; every draft edit adds a key, so
# the cache keeps only the most recently used versions. Gunicorn serves requests from
# several threads of one process: cachetools' LRU cache behind a lock keeps the
# bookkeeping consistent (a compile itself runs outside the lock, so a slow one never
# blocks other versions; two threads compiling the same version at once keep the first).
COMPILED_CACHE_SIZE = 32
_cache: LRUCache = LRUCache(maxsize=COMPILED_CACHE_SIZE)


def _key(version: QuestionSetVersion) -> tuple[int, str]:
    return (version.pk, version.updated_at.isoformat() if version.updated_at else "")


@cached(_cache, key=_key, lock=threading.Lock())
def compiled_for(version: QuestionSetVersion) -> CompiledQuestionSet:
    return load_definition(version.definition)


def compiled_cache_size() -> int:
    return len(_cache)


def compiled_cache_clear() -> None:
    compiled_for.cache_clear()
