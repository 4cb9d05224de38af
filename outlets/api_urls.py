"""API routes of the outlets app, mounted under /api/v1/."""

urlpatterns: list = []
