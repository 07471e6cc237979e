from pathlib import Path

import pytest

from khabar import ConfigError, Settings, load_settings


def test_defaults_match_the_seed_product() -> None:
    s = load_settings(env={})
    assert s.words_per_minute == 200
    assert s.bullets == 3


def test_precedence_file_env_overrides(tmp_path: Path) -> None:
    cfg = tmp_path / "k.toml"
    cfg.write_text("[khabar]\nwords_per_minute = 150\nbullets = 4\n", encoding="utf-8")
    env = {"KHABAR_CONFIG": str(cfg), "KHABAR_BULLETS": "5"}
    s = load_settings(env=env)
    assert (s.words_per_minute, s.bullets) == (150, 5)
    s = load_settings(env=env, bullets=2, words_per_minute=None)
    assert (s.words_per_minute, s.bullets) == (150, 2)


@pytest.mark.parametrize(
    "env", [{"KHABAR_WORDS_PER_MINUTE": "0"}, {"KHABAR_BULLETS": "many"}, {"KHABAR_EMBED": "yes"}]
)
def test_bad_values_are_config_errors(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        load_settings(env=env)


def test_unknown_setting_and_bad_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown"):
        Settings().with_overrides(colour="red")
    bad = tmp_path / "bad.toml"
    bad.write_text("this is = = not toml", encoding="utf-8")
    with pytest.raises(ConfigError, match="config file"):
        load_settings(env={"KHABAR_CONFIG": str(bad)})
