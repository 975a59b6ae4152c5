"""Project settings as key/value text (json where structured)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from thematica.store.models import ProjectSetting


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(ProjectSetting, key)
    return default if row is None else json.loads(row.value)


def set_setting(session: Session, key: str, value: Any) -> None:
    row = session.get(ProjectSetting, key)
    encoded = json.dumps(value, ensure_ascii=False)
    if row is None:
        session.add(ProjectSetting(key=key, value=encoded))
    else:
        row.value = encoded
