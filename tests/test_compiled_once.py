"""tests/compiled_once.py: what the suite's apps share is what each would have compiled for itself."""
from app import create_app
from tests.compiled_once import COMPILE_BUILDER, TEMPLATE_CACHE
from tests.conftest import make_test_config


def test_the_apps_share_the_url_builders_werkzeug_compiles(app, tmp_path):
    other = create_app(make_test_config(tmp_path / "other", tmp_path / "other.db"))
    others = {(rule.endpoint, rule.rule): rule for rule in other.url_map.iter_rules()}
    for rule in app.url_map.iter_rules():
        twin = others[(rule.endpoint, rule.rule)]
        for append_unknown, build, twin_build in ((False, rule._build, twin._build),
                                                  (True, rule._build_unknown, twin._build_unknown)):
            assert build.__func__ is twin_build.__func__, rule.rule
            assert build.__self__ is rule
            assert build.__func__.__code__ == COMPILE_BUILDER(rule, append_unknown).__code__, rule.rule


def test_the_apps_share_the_templates_jinja_compiles(app, tmp_path):
    app.jinja_env.get_template("base.html")
    other = create_app(make_test_config(tmp_path / "other", tmp_path / "other.db"))
    assert other.jinja_env.bytecode_cache is TEMPLATE_CACHE
    source, filename, _ = other.jinja_env.loader.get_source(other.jinja_env, "base.html")
    shared = other.jinja_env.get_template("base.html")
    fresh = other.jinja_env.compile(source, "base.html", filename)
    functions = [constant for constant in fresh.co_consts if hasattr(constant, "co_code")]
    assert shared.root_render_func.__code__ in functions


def test_a_changed_template_is_compiled_again(app, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html").write_text("one")
    app.jinja_loader.searchpath = [str(folder)]
    assert app.jinja_env.get_template("page.html").render() == "one"
    (folder / "page.html").write_text("two")
    other = create_app(make_test_config(tmp_path / "other", tmp_path / "other.db"))
    other.jinja_loader.searchpath = [str(folder)]
    assert other.jinja_env.get_template("page.html").render() == "two"
