"""The Dockerfile, read as Docker reads it (no engine here to build it): the last
stage runs as uid 1000, carries no build tool, and starts gunicorn with our
configuration; static files are collected while building."""

import re

from .conftest import ROOT

BUILD_TOOLS = re.compile(
    r"\b(apt-get|apt|apk|gcc|g\+\+|make|build-essential|npm|node|pip install|git|curl|wget)\b"
)


def instructions():
    """(stage, instruction, arguments) for every line of the Dockerfile."""
    text = (ROOT / "Dockerfile").read_text()
    joined = re.sub(r"\\\n", " ", text)
    stage = None
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        word = word.upper()
        if word == "FROM":
            stage = rest.split(" AS ")[-1].strip() if " AS " in rest else rest
        yield stage, word, rest.strip()


def test_the_image_is_built_in_stages_and_only_the_last_one_ships():
    stages = [rest for _stage, word, rest in instructions() if word == "FROM"]
    assert [s.split(" AS ")[1] for s in stages] == ["assets", "build", "runtime", "final"]
    assert stages[-2].startswith("python:3.11-slim")
    assert stages[-1].startswith("runtime ")


def test_the_runtime_stage_adds_only_graphviz_and_keeps_no_package_lists():
    runtime = [rest for stage, word, rest in instructions() if stage == "runtime" and word == "RUN"]
    assert len(runtime) == 1
    assert "apt-get install -y --no-install-recommends graphviz" in runtime[0]
    assert runtime[0].rstrip().endswith("rm -rf /var/lib/apt/lists/*")


def test_the_final_stage_runs_as_uid_1000_and_has_no_build_tools():
    final = [(word, rest) for stage, word, rest in instructions() if stage == "final"]
    users = [rest for word, rest in final if word == "USER"]
    assert users == ["1000:1000"]
    # USER comes before CMD, so nothing after it runs as root.
    words = [word for word, _rest in final]
    assert words.index("USER") < words.index("CMD")
    for word, rest in final:
        if word == "RUN":
            assert "uninstall" in rest or not BUILD_TOOLS.search(rest), rest
            assert not BUILD_TOOLS.search(rest.replace("pip uninstall", "")), rest
        if word == "COPY":
            assert rest.startswith("--from=build "), f"the final stage copies built files: {rest}"


def test_static_files_are_collected_and_translations_compiled_at_build_time():
    build = " ".join(rest for stage, word, rest in instructions() if stage == "build")
    assert "manage.py collectstatic --noinput" in build
    assert "pybabel -q compile" in build


def test_the_container_starts_gunicorn_with_our_configuration_and_stops_on_sigterm():
    final = {word: rest for stage, word, rest in instructions() if stage == "final"}
    assert final["CMD"] == (
        '["gunicorn", "--config", "python:registry.gunicorn_conf", "registry.wsgi"]'
    )
    assert final["STOPSIGNAL"] == "SIGTERM"
    assert "PROMETHEUS_MULTIPROC_DIR=/tmp/metrics" in final["ENV"]


def test_everything_the_dockerfile_copies_exists():
    for stage, word, rest in instructions():
        if word == "COPY" and not rest.startswith("--from"):
            *sources, _target = rest.split()
            for source in sources:
                assert (ROOT / source).exists(), f"{stage}: COPY {source}"


def test_the_final_image_carries_node_and_spectral_for_the_api_quality_check():
    """The worker (and an upload on the site or the API) runs Spectral: the
    final stage has node and the production node_modules with Spectral in them."""
    import json

    package = json.loads((ROOT / "package.json").read_text())
    assert "@stoplight/spectral-cli" in package["dependencies"]  # not a dev dependency
    steps = list(instructions())
    assert ("assets", "RUN", "npm ci --omit=dev --no-audit --no-fund") in steps
    build = [rest for stage, word, rest in steps if stage == "build" and word == "COPY"]
    assert "--from=assets /app/node_modules ./node_modules" in build
    assert "--from=assets /usr/local/bin/node /usr/local/bin/node" in build
    final = [rest for stage, word, rest in steps if stage == "final" and word == "COPY"]
    assert "--from=build /app /app" in final  # /app/node_modules/.bin/spectral with it
    assert "--from=build /usr/local/bin/node /usr/local/bin/node" in final
    workdir = [rest for stage, word, rest in steps if stage == "final" and word == "WORKDIR"]
    assert workdir == ["/app"]  # BASE_DIR, where quality.spectral_command() looks
