"""What the suite's apps compile once for all: werkzeug's URL builders and Jinja's templates.

The suite creates an app for nearly every test, and every app compiled again what the one before it had:
werkzeug a Python function for every route as the route is added (35 of create_app's 40 ms), Jinja every
template on its first rendering (a sixth of a test's time in the client). Both results are made only from what
every app of the suite shares (the rule's text and parts; the template's source, checked on every load), so the
apps share them. tests/test_compiled_once.py checks that what is shared is what would have been compiled.
"""
from flask import Flask
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from werkzeug.routing.rules import Rule

COMPILE_BUILDER = Rule._compile_builder


def builder_key(rule: Rule, append_unknown: bool) -> tuple:
    """Everything Rule._compile_builder reads from the rule."""
    defaults = tuple((name, repr(value), type(rule._converters.get(name)))
                     for name, value in (rule.defaults or {}).items())
    return append_unknown, rule.rule, tuple(rule._trace), defaults


def share_url_builders() -> None:
    builders: dict[tuple, object] = {}

    def shared_builder(rule: Rule, append_unknown: bool = True):
        key = builder_key(rule, append_unknown)
        if key not in builders:
            builders[key] = COMPILE_BUILDER(rule, append_unknown)
        return builders[key]

    Rule._compile_builder = shared_builder


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates by name and file, in memory; Jinja compiles again when the source's checksum differs."""

    def __init__(self):
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.codes.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = MemoryBytecodeCache()


def share_compiled_templates() -> None:
    Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": TEMPLATE_CACHE}


def compile_once() -> None:
    share_url_builders()
    share_compiled_templates()
