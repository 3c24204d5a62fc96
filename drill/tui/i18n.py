"""The TUI's own words in the trainee's language (gettext, domain ``drill``).

Deck content is shown as written; only the app's labels, hints and messages go through here.
The language is chosen once per app (``--lang``, else ``LC_ALL``/``LC_MESSAGES``/``LANG``, else
English) and kept in this module, so widgets call ``_()`` without threading a translator
through every constructor. Binding descriptions are class attributes written in English and
are translated per node when it is built (``drill.tui.base.Localised``).
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "drill"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
LANGUAGES = ("en", "zh-CN")
"""What ``--lang`` accepts; en is the source language and needs no catalog."""

_catalog: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def resolve_language(flag: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """``--lang`` when given; else the first set of LC_ALL, LC_MESSAGES, LANG; else English.

    Any Chinese locale (``zh_CN.UTF-8``, ``zh_SG``, ``zh``) gets Simplified Chinese, the only
    Chinese catalog there is: closer to a Chinese reader than English would be.
    """
    if flag:
        return flag
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "zh-CN" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(language: str) -> None:
    """Use ``language`` (one of ``LANGUAGES``) for every string translated from now on."""
    global _catalog, _language
    if language == "en":
        _catalog = gettext.NullTranslations()
    else:
        _catalog = gettext.translation(
            DOMAIN, LOCALE_DIR, languages=[language.replace("-", "_")], fallback=True
        )
    _language = language


def language() -> str:
    """The language in use: ``en`` or ``zh-CN``."""
    return _language


def _(message: str) -> str:
    """``message`` (an English source string) in the current language."""
    return _catalog.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message that fits ``n``, in the current language."""
    return _catalog.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks ``message`` for extraction where it must stay English until shown."""
    return message
