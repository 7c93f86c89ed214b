"""The data interfaces of FAB's account screens: scoped to the Admin's offices, with the related rows
their lists show loaded in one statement per relation instead of one per row."""

from __future__ import annotations

from typing import Any

from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy.orm import joinedload, selectinload

from app.models.staff import Staff


class EagerInterface(SQLAInterface):
    """An interface whose list query loads related rows with it (loader options such as
    `selectinload(Role.permissions)`)."""

    def __init__(self, obj: type, *loads: Any) -> None:
        super().__init__(obj)
        self._loads = loads

    def apply_all(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        """FAB's list query, with the relations loaded."""
        return super().apply_all(query, *args, **kwargs).options(*self._loads)


def security_interfaces(sm: Any) -> None:
    """Give FAB's account screens their interfaces: the accounts scoped, every list loaded eagerly."""
    user, role, group, pair = sm.user_model, sm.role_model, sm.group_model, sm.permissionview_model
    sm.userdbmodelview.datamodel = StaffInterface(user, selectinload(user.roles))
    sm.rolemodelview.datamodel = EagerInterface(
        role, selectinload(role.permissions).joinedload(pair.permission), _view_menus(role, pair)
    )
    sm.groupmodelview.datamodel = EagerInterface(group, selectinload(group.roles))
    sm.permissionviewmodelview.datamodel = EagerInterface(
        pair, joinedload(pair.permission), joinedload(pair.view_menu)
    )


def _view_menus(role: Any, pair: Any) -> Any:
    return selectinload(role.permissions).joinedload(pair.view_menu)


class StaffInterface(EagerInterface):
    """The accounts an Admin manages: an office's Admin those of its office, the national Admin all."""

    def _apply_inner_all(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        from app.security import scope

        # FAB queries the choices of a related field (roles, office, region) through an interface of
        # the same class: only the accounts themselves are narrowed, not a cross join with them.
        if issubclass(self.obj, Staff):
            query = query.filter(scope.staff_clause(scope.current_staff()))
        return super()._apply_inner_all(query, *args, **kwargs)
