from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal import workdays
from portal.models import CalendarDay


@receiver([post_save, post_delete], sender=CalendarDay)
def forget_calendar_cache(**kwargs) -> None:
    workdays.clear_cache()
