"""Who sees the shared log: whoever sees the record a row belongs to (the record's own policy
decides, whatever app it is in). Nobody writes, changes or deletes a row by hand."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from portal.access import NOTHING, Policy, policy_for, register

from .models import WorkflowLog
from .registry import all_workflows


@register
class WorkflowLogPolicy(Policy):
    model = WorkflowLog
    workflow_record = True

    def visible(self, user: Any) -> Q:
        condition = NOTHING
        for workflow in all_workflows():
            model = workflow.model_class()
            records = policy_for(model).filter(model.objects.all(), user).values("pk")
            condition |= Q(
                content_type=ContentType.objects.get_for_model(model), object_id__in=records
            )
        return condition

    def can_view(self, user: Any, obj: Any) -> bool:
        record = obj.record
        return record is not None and policy_for(record).can_view(user, record)

    def changeable(self, user: Any) -> Q:
        return NOTHING

    def can_add(self, user: Any) -> bool:
        return False

    def can_delete(self, user: Any, obj: Any = None) -> bool:
        return False
