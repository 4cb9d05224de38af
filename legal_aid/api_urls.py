"""API routes of the legal_aid app, mounted under /api/v1/."""

urlpatterns: list = []
