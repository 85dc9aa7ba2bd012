import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import ApiToken, Organisation, hash_token

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_organisation_prints_the_new_slug():
    out, _ = run("create_organisation", "Gemeente 's-Hertogenbosch", "--kind", "municipality")
    assert out.strip() == "gemeente-s-hertogenbosch"
    organisation = Organisation.objects.get(slug="gemeente-s-hertogenbosch")
    assert (organisation.name, organisation.kind) == ("Gemeente 's-Hertogenbosch", "municipality")


def test_create_organisation_picks_a_free_slug_when_the_first_is_taken():
    Organisation.objects.create(name="Acme", slug="acme-bv", kind="vendor")
    out, _ = run("create_organisation", "Acme B.V.", "--kind", "vendor")
    assert out.strip() == "acme-bv-2"


@pytest.mark.parametrize(
    "args, reason",
    [
        (["Gemeente X", "--kind", "village"], "unknown kind 'village'"),
        (["   ", "--kind", "municipality"], "letters or digits"),
        (["Gemeente X", "--kind", "municipality", "--cbs-code", "GM1"], "cbs_code"),
        (["Gemeente X", "--kind", "municipality", "--oin", "12"], "oin"),
    ],
)
def test_create_organisation_refuses_bad_input_and_writes_nothing(args, reason):
    with pytest.raises(CommandError, match=reason):
        run("create_organisation", *args)
    assert Organisation.objects.count() == 0


def test_create_organisation_refuses_a_duplicate_name(utrecht):
    with pytest.raises(CommandError, match="already exists"):
        run("create_organisation", "gemeente utrecht", "--kind", "municipality")
    assert Organisation.objects.count() == 1


def test_create_token_prints_the_token_last_and_stores_only_its_hash(acme):
    out, err = run("create_token", "acme", "--name", "GitHub Actions")
    plaintext = out.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert token.name == "GitHub Actions" and token.organisation == acme
    assert token.key_hash == hash_token(plaintext)
    assert plaintext not in token.key_hash
    assert "shown once" in err


def test_create_token_can_expire(acme):
    run("create_token", "acme", "--name", "ci", "--expires-in-days", "30")
    assert ApiToken.objects.get().expires_at is not None


@pytest.mark.parametrize(
    "args, reason",
    [
        (["nobody", "--name", "ci"], "no organisation with slug 'nobody'"),
        (["acme", "--name", "  "], "needs a name"),
        (["acme", "--name", "x" * 101], "longer than 100"),
        (["acme", "--name", "ci", "--expires-in-days", "0"], "positive"),
    ],
)
def test_create_token_refuses_bad_input_and_writes_nothing(acme, args, reason):
    with pytest.raises(CommandError, match=reason):
        run("create_token", *args)
    assert ApiToken.objects.count() == 0


def test_create_token_refuses_a_second_active_token_with_the_same_name(acme):
    run("create_token", "acme", "--name", "ci")
    with pytest.raises(CommandError, match="already has a token named 'ci'"):
        run("create_token", "acme", "--name", "ci")
    assert ApiToken.objects.count() == 1


def test_a_revoked_token_name_can_be_used_again(acme):
    run("create_token", "acme", "--name", "ci")
    ApiToken.objects.get().revoke()
    run("create_token", "acme", "--name", "ci")
    assert ApiToken.objects.active().count() == 1


def test_commands_exit_non_zero_with_one_line_on_stderr(tmp_path):
    """Run as a newcomer would: a real process, its exit status and its stderr."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run(
        [sys.executable, "manage.py", "create_organisation", "X", "--kind", "village"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "CommandError: unknown kind 'village'; choose one of municipality, province, "
        "water-authority, central-government, other-public, cooperation, vendor"
    ]
