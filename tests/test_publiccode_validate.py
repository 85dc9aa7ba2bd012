"""Validating publiccode.yml: the reference parser's rules, and reading any
input whatsoever without an exception."""

import datetime

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from components.publiccode import ERROR, WARNING, Finding, ValidationResult, validate

VALID = """\
publiccodeYmlVersion: "0"
name: Zaakregistratie
url: https://github.com/example/zaakregistratie
softwareVersion: "1.4.0"
releaseDate: "2025-03-01"
platforms:
  - web
categories:
  - document-management
developmentStatus: stable
softwareType: standalone/web
description:
  nl:
    shortDescription: Registreert zaken voor gemeenten.
    longDescription: >
      Zaakregistratie legt zaken vast en maakt ze opvraagbaar voor medewerkers en
      inwoners. Het onderdeel volgt de standaarden voor zaakgericht werken en is
      gemaakt om door elke gemeente hergebruikt te kunnen worden.
    features:
      - Zaken vastleggen
legal:
  license: EUPL-1.2
maintenance:
  type: community
  contacts:
    - name: Team Zaken
localisation:
  localisationReady: true
  availableLanguages:
    - nl
"""


def edit(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


def errors(result):
    return [(f.path, f.message) for f in result.findings if f.severity == ERROR]


def warnings(result):
    return [(f.path, f.message) for f in result.findings if f.severity == WARNING]


def only_error(result):
    [error] = [f for f in result.findings if f.severity == ERROR]
    return error


def test_a_valid_file_has_no_findings():
    result = validate(VALID)
    assert result.findings == []
    assert result.ok
    assert result.version == "0"
    assert result.data["name"] == "Zaakregistratie"
    assert result.data["releaseDate"] == datetime.date(2025, 3, 1)
    assert result.data["localisation"] == {"localisationReady": True, "availableLanguages": ["nl"]}


def test_bytes_and_text_are_read_alike():
    assert validate(VALID.encode()).data == validate(VALID).data


# ---------------------------------------------------------------------------
# Reading: line endings, BOM, YAML 1.1, unquoted versions


def test_crlf_line_endings_are_read_and_lines_still_count():
    result = validate(
        edit(VALID, "developmentStatus: stable", "developmentStatus: ready").replace("\n", "\r\n")
    )
    error = only_error(result)
    assert (error.path, error.line, error.column) == ("developmentStatus", 10, 1)
    assert result.data["description"]["nl"]["longDescription"].count("\r") == 0


def test_a_byte_order_mark_is_ignored():
    assert validate(b"\xef\xbb\xbf" + VALID.encode()).findings == []
    assert validate("\ufeff" + VALID).findings == []


def test_a_missing_final_newline_is_fine():
    result = validate(VALID.rstrip("\n"))
    assert result.findings == []
    assert result.data["localisation"]["availableLanguages"] == ["nl"]


def test_yaml_11_booleans_are_read_as_booleans_with_a_warning():
    text = edit(VALID, "localisationReady: true", "localisationReady: yes")
    text += "dependsOn:\n  open:\n    - name: PostgreSQL\n      optional: No\n"
    result = validate(text)
    assert result.ok
    assert result.data["localisation"]["localisationReady"] is True
    assert result.data["dependsOn"]["open"][0]["optional"] is False
    assert warnings(result) == [
        (
            "localisation.localisationReady",
            "'yes' is a YAML 1.1 boolean; read as true. Write true or false: "
            "the reference parser refuses it",
        ),
        (
            "dependsOn.open[0].optional",
            "'No' is a YAML 1.1 boolean; read as false. Write true or false: "
            "the reference parser refuses it",
        ),
    ]


def test_a_string_where_a_boolean_belongs_is_wrong():
    result = validate(edit(VALID, "localisationReady: true", 'localisationReady: "true"'))
    assert ("localisation.localisationReady", "wrong type for this field") in errors(result)


def test_an_unquoted_version_is_read_as_its_text():
    text = edit(VALID, 'publiccodeYmlVersion: "0"', "publiccodeYmlVersion: 0.2")
    text = edit(text, 'softwareVersion: "1.4.0"', "softwareVersion: 1.10")
    result = validate(text)
    assert result.ok
    assert result.version == "0.2"
    assert result.data["softwareVersion"] == "1.10"  # not the float 1.1
    assert warnings(result) == [
        (
            "publiccodeYmlVersion",
            "v0.2 is not the latest version, use '0'. Parsing this file as v0.7.",
        ),
        (
            "publiccodeYmlVersion",
            "publiccodeYmlVersion should be a quoted string (\"0.2\"); read as '0.2'. "
            "The reference parser refuses it unquoted",
        ),
    ]


def test_an_unquoted_date_is_read_as_a_date():
    result = validate(edit(VALID, 'releaseDate: "2025-03-01"', "releaseDate: 2025-03-01"))
    assert result.findings == []
    assert result.data["releaseDate"] == datetime.date(2025, 3, 1)


@pytest.mark.parametrize("value", ["2023-02-30", "2021-31-01", "2023-1-5", "2023-01-05T10:00:00"])
def test_an_impossible_or_badly_written_date_is_an_error(value):
    result = validate(edit(VALID, 'releaseDate: "2025-03-01"', f"releaseDate: {value}"))
    assert errors(result) == [
        ("releaseDate", f"releaseDate must be a date with format 'YYYY-MM-DD' (found '{value}')")
    ]


# ---------------------------------------------------------------------------
# Refusing what is not safe or not YAML


def test_a_file_over_one_megabyte_is_refused_before_parsing():
    text = VALID + "# " + "x" * (1024 * 1024) + "\n"
    result = validate(text.encode())
    assert result.findings == [
        Finding(
            ERROR, "", None, None, f"the file is larger than 1 MB ({len(text.encode()):,} bytes)"
        )
    ]
    assert result.data is None and not result.ok


def test_a_python_tag_is_refused_and_nothing_is_run():
    text = edit(
        VALID, "name: Zaakregistratie", "name: !!python/object/apply:os.system ['touch /tmp/pwned']"
    )
    result = validate(text)
    assert result.findings == [
        Finding(
            ERROR,
            "name",
            2,
            7,
            "YAML tag '!!python/object/apply:os.system' is not allowed: "
            "only plain strings, numbers, booleans, dates, lists and mappings",
        )
    ]
    assert result.data is None


def test_a_custom_tag_is_refused():
    result = validate(edit(VALID, "name: Zaakregistratie", "name: !vault secret"))
    assert only_error(result).message.startswith("YAML tag '!vault' is not allowed")


def test_a_billion_laughs_alias_bomb_is_refused():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        previous = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([previous] * 9)}]")
    result = validate('publiccodeYmlVersion: "0"\n' + "\n".join(lines) + "\n")
    error = only_error(result)
    assert error.message == "aliases expand to more than 100,000 nodes (an alias bomb?); refused"
    assert result.data is None


def test_a_long_list_without_aliases_is_no_alias_bomb():
    text = VALID + "usedBy: [" + "a, " * 150_000 + "b]\n"
    result = validate(text)
    assert result.ok
    assert len(result.data["usedBy"]) == 150_001


def test_an_alias_that_contains_itself_is_refused():
    result = validate('publiccodeYmlVersion: "0"\nname: &loop [*loop]\n')
    assert only_error(result).message == "an alias refers to a node that contains it; refused"


def test_modest_aliases_and_merge_keys_are_read():
    text = (
        VALID + "dependsOn:\n  open:\n    - &pg {name: PostgreSQL, versionMin: '14'}\n"
        "  proprietary:\n    - <<: *pg\n      name: Oracle\n"
    )
    result = validate(text)
    assert result.findings == []
    assert result.data["dependsOn"]["proprietary"] == [{"name": "Oracle", "versionMin": "14"}]


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n", "---\n", b""])
def test_an_empty_file_is_refused(text):
    assert validate(text).findings == [
        Finding(
            ERROR,
            "publiccodeYmlVersion",
            None,
            None,
            "the file is empty; publiccodeYmlVersion is a required field",
        )
    ]


def test_a_list_at_the_top_level_is_refused():
    assert validate("- name: Zaakregistratie\n- url: x\n").findings == [
        Finding(ERROR, "", 1, 1, "the top level must be a mapping of keys to values, not a list")
    ]


def test_a_lone_value_at_the_top_level_is_refused():
    assert validate("just some words\n").findings == [
        Finding(
            ERROR, "", 1, 1, "the top level must be a mapping of keys to values, not a single value"
        )
    ]


def test_binary_garbage_is_refused_as_invalid_utf8():
    assert validate(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe").findings == [
        Finding(ERROR, "", 1, None, "Invalid UTF-8 (byte 1)")
    ]


def test_control_characters_are_refused_as_invalid_yaml():
    error = only_error(validate('publiccodeYmlVersion: "0"\nname: a\x00b\n'))
    assert error.message.startswith("invalid YAML")


def test_broken_yaml_says_where():
    result = validate('publiccodeYmlVersion: "0"\nname: [unclosed\nurl: x\n')
    error = only_error(result)
    assert error.path == ""
    assert error.message.startswith("invalid YAML")
    assert (error.line, error.column) == (3, 4)


def test_two_documents_in_one_file_are_refused():
    result = validate(VALID + "---\nname: second\n")
    assert only_error(result).message == "multiple YAML documents in one file are not supported"


def test_a_duplicate_key_is_an_error():
    result = validate(VALID + "name: Again\n")
    assert errors(result) == [("name", 'mapping key "name" already defined at line 2')]
    assert result.data["name"] == "Zaakregistratie"


def test_very_deep_nesting_is_refused():
    result = validate('publiccodeYmlVersion: "0"\nname: ' + "[" * 5000 + "]" * 5000 + "\n")
    assert "nest" in only_error(result).message


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_findings_not_an_exception(data):
    result = validate(data)
    assert isinstance(result, ValidationResult)
    assert result.ok or result.errors


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_gives_findings_not_an_exception(text):
    result = validate(text)
    assert isinstance(result, ValidationResult)
    assert result.ok or result.errors


yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.dates(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "url",
                    "description",
                    "nl",
                    "en",
                    "legal",
                    "license",
                    "maintenance",
                    "type",
                    "contacts",
                    "contractors",
                    "until",
                    "features",
                    "localisation",
                    "IT",
                    "it",
                    "nl",
                    "commonground",
                    "layerType",
                    "upl",
                    "dependsOn",
                    "open",
                    "categories",
                    "usedBy",
                ]
            )
            | st.text(max_size=10),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "publiccodeYmlVersion",
                "name",
                "url",
                "description",
                "legal",
                "maintenance",
                "localisation",
                "dependsOn",
                "intendedAudience",
                "IT",
                "it",
                "nl",
                "platforms",
                "categories",
                "usedBy",
                "isBasedOn",
                "logo",
                "releaseDate",
                "fundedBy",
                "organisation",
            ]
        ),
        yaml_values,
    )
)
def test_any_yaml_document_gives_findings_not_an_exception(document):
    document.setdefault("publiccodeYmlVersion", "0")
    result = validate(yaml.safe_dump(document, allow_unicode=True))
    assert isinstance(result, ValidationResult)


# ---------------------------------------------------------------------------
# Versions


@pytest.mark.parametrize("version", ["0", "0.7", "0.7.0"])
def test_the_current_versions_draw_no_warning(version):
    assert validate(edit(VALID, '"0"', f'"{version}"')).findings == []


@pytest.mark.parametrize("version", ["0.2", "0.2.2", "0.3", "0.4.0", "0.5", "0.6"])
def test_older_versions_are_read_with_a_warning(version):
    result = validate(edit(VALID, '"0"', f'"{version}"'))
    assert result.ok
    assert warnings(result) == [
        (
            "publiccodeYmlVersion",
            f"v{version} is not the latest version, use '0'. Parsing this file as v0.7.",
        )
    ]


@pytest.mark.parametrize("version", ["0.1", "1", "0.8", "latest"])
def test_an_unsupported_version_is_refused_and_nothing_else_is_checked(version):
    result = validate(edit(VALID, '"0"', f'"{version}"'))
    assert errors(result) == [
        (
            "publiccodeYmlVersion",
            f"unsupported version: '{version}'. Supported versions: 0, 0.2, 0.2.0, 0.2.1, "
            "0.2.2, 0.3, 0.3.0, 0.4, 0.4.0, 0.5, 0.5.0, 0.6, 0.6.0, 0.7, 0.7.0",
        )
    ]


def test_a_missing_version_is_refused():
    result = validate(VALID.replace('publiccodeYmlVersion: "0"\n', ""))
    assert result.findings == [
        Finding(ERROR, "publiccodeYmlVersion", 1, 1, "publiccodeYmlVersion is a required field")
    ]


# ---------------------------------------------------------------------------
# The rules


def test_required_keys_are_reported_with_the_reference_parsers_words():
    result = validate('publiccodeYmlVersion: "0"\nname: Half\n')
    assert errors(result) == [
        ("legal.license", "license is a required field"),
        ("maintenance.type", "type is a required field"),
        ("localisation.localisationReady", "localisationReady is a required field"),
        ("localisation.availableLanguages", "availableLanguages is a required field"),
        ("url", "url is a required field"),
        ("platforms", "platforms must contain more than 0 items"),
        ("developmentStatus", "developmentStatus is a required field"),
        ("softwareType", "softwareType is a required field"),
        ("description", "description must contain more than 0 items"),
    ]


@pytest.mark.parametrize(
    "old, new, path, message",
    [
        (
            "developmentStatus: stable",
            "developmentStatus: ready",
            "developmentStatus",
            'developmentStatus must be one of the following: "concept", "development", "beta", '
            '"stable" or "obsolete" (found \'ready\')',
        ),
        (
            "softwareType: standalone/web",
            "softwareType: standalone",
            "softwareType",
            "softwareType must be one of the following: ",
        ),
        (
            "  - document-management",
            "  - documents",
            "categories[0]",
            "categories[0] must be a valid category, not 'documents'",
        ),
        (
            "url: https://github.com/example/zaakregistratie",
            "url: github.com/example",
            "url",
            "url must be a valid URL",
        ),
        (
            "legal:\n  license: EUPL-1.2",
            "legal:\n  license: EUPL-1.2 OR Whatever-1.0",
            "legal.license",
            "license must be a valid license (see https://spdx.org/licenses): "
            "Unknown licence identifier(s): Whatever-1.0",
        ),
        (
            "    shortDescription: Registreert zaken voor gemeenten.",
            "    shortDescription: " + "x" * 151,
            "description.nl.shortDescription",
            "shortDescription must be a maximum of 150 characters in length (it has 151)",
        ),
        (
            "    longDescription: >",
            "    longDescription: Te kort.\n    oldLongDescription: >",
            "description.nl.longDescription",
            "longDescription must be at least 150 characters in length (it has 8)",
        ),
        (
            "  nl:\n",
            "  nl_NL:\n",
            "description.nl_NL",
            "'nl_NL' is not a valid BCP 47 language tag",
        ),
        (
            "    - nl\n",
            "    - dutch\n",
            "localisation.availableLanguages[0]",
            "availableLanguages[0] must be a valid BCP 47 language (found 'dutch')",
        ),
        (
            "      - Zaken vastleggen\n",
            "      []\n",
            "description.nl.features",
            "features must contain more than 0 items",
        ),
        (
            "    - name: Team Zaken\n",
            "    - email: team@example.nl\n",
            "maintenance.contacts[0].name",
            "name is a required field",
        ),
        (
            "    - name: Team Zaken\n",
            "    - name: Team Zaken\n      email: not-an-address\n",
            "maintenance.contacts[0].email",
            "email must be a valid email address",
        ),
    ],
)
def test_one_broken_rule_gives_one_error_in_the_right_place(old, new, path, message):
    result = validate(edit(VALID, old, new))
    [(error_path, error_message)] = errors(result)
    assert error_path == path
    assert error_message.startswith(message)


def test_description_lengths_count_characters_not_bytes_or_combining_marks():
    short = "    shortDescription: Registreert zaken voor gemeenten."
    composed = "ë" * 150  # 300 bytes in UTF-8, 150 characters
    decomposed = "e\u0308" * 150  # 300 code points, 150 characters on screen
    for text in (composed, decomposed):
        assert validate(edit(VALID, short, f"    shortDescription: {text}")).findings == []
    result = validate(edit(VALID, short, f"    shortDescription: {composed}ë"))
    assert errors(result) == [
        (
            "description.nl.shortDescription",
            "shortDescription must be a maximum of 150 characters in length (it has 151)",
        )
    ]


MAINTENANCE = "maintenance:\n  type: community\n  contacts:\n    - name: Team Zaken\n"


@pytest.mark.parametrize(
    "maintenance, expected",
    [
        (
            "maintenance:\n  type: internal\n",
            [("maintenance.contacts", 'contacts is a required field when "type" is "internal"')],
        ),
        (
            "maintenance:\n  type: community\n",
            [("maintenance.contacts", 'contacts is a required field when "type" is "community"')],
        ),
        (
            "maintenance:\n  type: contract\n",
            [
                (
                    "maintenance.contractors",
                    'contractors is a required field when "type" is "contract"',
                )
            ],
        ),
        (
            "maintenance:\n  type: internal\n  contacts:\n    - name: A\n"
            "  contractors:\n    - name: B\n      until: '2030-01-01'\n",
            [
                (
                    "maintenance.contractors",
                    'contractors must not be present unless "type" is "contract"',
                )
            ],
        ),
        (
            "maintenance:\n  type: contract\n  contractors:\n    - name: B\n",
            [("maintenance.contractors[0].until", "until is a required field")],
        ),
        (
            "maintenance:\n  type: contract\n  contractors:\n    - name: B\n"
            "      until: '2030-01-01'\n  contacts:\n    - name: A\n",
            [],
        ),
        ("maintenance:\n  type: none\n", []),
        (
            "maintenance:\n  type: commercial\n",
            [
                (
                    "maintenance.type",
                    'type must be one of the following: "internal", "contract", "community" '
                    "or \"none\" (found 'commercial')",
                )
            ],
        ),
    ],
)
def test_maintenance_type_decides_about_contacts_and_contractors(maintenance, expected):
    assert errors(validate(edit(VALID, MAINTENANCE, maintenance))) == expected


def test_country_codes_and_scopes():
    text = (
        VALID
        + "intendedAudience:\n  countries: [NL, be, XX]\n  unsupportedCountries: [us]\n"
        + "  scope: [government, space]\n"
    )
    result = validate(text)
    assert errors(result) == [
        (
            "intendedAudience.countries[2]",
            "countries[2] must be a valid ISO 3166-1 alpha-2 two-letter country code (found 'XX')",
        ),
        (
            "intendedAudience.scope[1]",
            "scope[1] must be a valid scope, not 'space' (see https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/scope-list.rst)",
        ),
    ]
    assert warnings(result) == [
        (
            "intendedAudience.countries[1]",
            "Lowercase country codes are DEPRECATED. Use uppercase instead ('BE')",
        ),
        (
            "intendedAudience.unsupportedCountries[0]",
            "Lowercase country codes are DEPRECATED. Use uppercase instead ('US')",
        ),
    ]


def test_urls_must_be_http_where_the_standard_says_so():
    text = VALID + "landingURL: ftp://example.nl\nroadmap: https://example.nl/roadmap\n"
    assert errors(validate(text)) == [("landingURL", "landingURL must be an HTTP URL")]


@pytest.mark.parametrize(
    "logo, message",
    [
        ("img/logo.svg", None),
        ("https://example.nl/logo.png?raw=true", None),
        ("/etc/logo.png", "is an absolute path. Only relative paths or HTTP(s) URLs allowed"),
        ("file:///logo.png", "is a file:// URL. Only relative paths or HTTP(s) URLs allowed"),
        ("logo.gif", "invalid file extension for: logo.gif"),
    ],
)
def test_logo_paths(logo, message):
    result = validate(VALID + f"logo: {logo}\n")
    assert errors(result) == ([("logo", message)] if message else [])


def test_deprecated_keys_are_warnings():
    text = VALID + (
        "monochromeLogo: img/mono.svg\ninputTypes: [application/json]\noutputTypes: [text/html]\n"
    )
    text = edit(
        text,
        "legal:\n  license: EUPL-1.2\n",
        "legal:\n  license: EUPL-1.2\n  repoOwner: X\n  authorsFile: AUTHORS\n",
    )
    text = edit(
        text, "    shortDescription:", "    genericName: Zaaksysteem\n    shortDescription:"
    )
    result = validate(text)
    assert result.ok
    assert sorted(path for path, _ in warnings(result)) == [
        "description.nl.genericName",
        "inputTypes",
        "legal.authorsFile",
        "legal.repoOwner",
        "monochromeLogo",
        "outputTypes",
    ]


def test_unknown_keys_are_warnings_and_kept():
    result = validate(VALID + "installations:\n  - type: helm\n")
    assert result.ok
    assert warnings(result) == [
        ("installations", 'unknown field "installations"; kept as it is, not interpreted')
    ]
    assert result.data["installations"] == [{"type": "helm"}]


ITALY = """\
IT:
  countryExtensionVersion: "1.0"
  riuso:
    codiceIPA: pcm
  piattaforme:
    spid: true
    io: false
"""


def test_the_italian_section_is_understood():
    result = validate(VALID + ITALY)
    assert errors(result) == []
    assert result.data["IT"]["piattaforme"] == {"spid": True, "io": False}
    assert warnings(result) == [
        (
            "IT.riuso.codiceIPA",
            "This key is DEPRECATED and will be removed in the future. Use 'organisation.uri' "
            "and set it to 'urn:x-italian-pa:pcm' instead",
        )
    ]


def test_a_lowercase_it_section_is_a_warning_and_both_an_error():
    lower = validate(VALID + ITALY.replace("IT:", "it:"))
    assert (
        "it",
        "Lowercase country codes are DEPRECATED and will be removed in the future. "
        "Use 'IT' instead",
    ) in warnings(lower)
    assert lower.ok
    both = validate(VALID + ITALY + ITALY.replace("IT:", "it:"))
    assert errors(both) == [("it", "'IT' key already present. Remove this key")]


def test_a_bad_country_extension_version_is_an_error():
    result = validate(VALID + ITALY.replace('"1.0"', '"2.0"'))
    assert errors(result) == [
        (
            "IT.countryExtensionVersion",
            'countryExtensionVersion must be one of the following: "0.2" or "1.0"',
        )
    ]


def test_the_dutch_extension_is_understood_and_never_refuses():
    text = VALID + (
        "nl:\n  countryExtensionVersion: '1.0'\n  commonground:\n    layerType: Services\n"
        "    installationType: helm\n  gemma:\n    bedrijfsfuncties: [Zaakafhandeling]\n"
        "  upl: [Parkeervergunning, Paspoort]\n"
    )
    result = validate(text)
    assert result.findings == []
    assert result.data["nl"]["upl"] == ["Parkeervergunning", "Paspoort"]
    assert result.data["nl"]["gemma"] == {"bedrijfsfuncties": ["Zaakafhandeling"]}
    odd = validate(
        VALID + "nl:\n  commonground:\n    layerType: presentation\n  upl: Paspoort\n  extra: 1\n"
    )
    assert odd.ok
    assert [path for path, _ in warnings(odd)] == [
        "nl.commonground.layerType",
        "nl.upl",
        "nl.extra",
    ]


def test_findings_carry_line_and_column():
    result = validate(edit(VALID, "  - document-management", "  - documents"))
    error = only_error(result)
    assert (error.line, error.column) == (9, 5)
    assert str(error).startswith(
        "9:5: error: categories[0]: categories[0] must be a valid category"
    )


def test_wrong_types_are_reported_not_crashed_on():
    text = edit(VALID, "name: Zaakregistratie", "name: [a, b]")
    text = edit(text, "platforms:\n  - web", "platforms: web")
    result = validate(text)
    assert ("name", "wrong type for this field") in errors(result)
    assert ("platforms", "wrong type for this field") in errors(result)
