"""Credentials: environment first, then the settings file; errors never quote a key."""

from __future__ import annotations

from pathlib import Path

import pytest

from covey.errors import InputError
from covey.sources.credentials import lookup, require


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings.toml"
    monkeypatch.setenv("COVEY_SETTINGS", str(path))
    monkeypatch.delenv("COVEY_TEST_KEY", raising=False)
    return path


def test_environment_wins_over_the_settings_file(settings: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.write_text('[youtube]\napi_key = "from-file-123"\n', encoding="utf-8")
    found = lookup("COVEY_TEST_KEY", "youtube", "api_key")
    assert found is not None and found.reveal() == "from-file-123" and "settings" in found.source
    monkeypatch.setenv("COVEY_TEST_KEY", "from-env-456")
    found = lookup("COVEY_TEST_KEY", "youtube", "api_key")
    assert found is not None and found.reveal() == "from-env-456"


def test_missing_key_names_both_places(settings: Path) -> None:
    with pytest.raises(InputError) as info:
        require("COVEY_TEST_KEY", "youtube", "api_key", "A key", "Get one somewhere.")
    assert "COVEY_TEST_KEY" in str(info.value) and str(settings) in str(info.value)


def test_a_broken_settings_file_is_named_without_its_content(settings: Path) -> None:
    settings.write_text('[youtube]\napi_key = "leaky-secret-999\n', encoding="utf-8")  # unclosed string
    with pytest.raises(InputError) as info:
        lookup("COVEY_TEST_KEY", "youtube", "api_key")
    assert str(settings) in str(info.value) and "leaky-secret-999" not in str(info.value)


def test_a_non_string_key_is_refused_by_field(settings: Path) -> None:
    settings.write_text("[youtube]\napi_key = 12\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"youtube\.api_key"):
        lookup("COVEY_TEST_KEY", "youtube", "api_key")
