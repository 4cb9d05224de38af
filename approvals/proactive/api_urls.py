"""API routes of proactive approvals, mounted under /api/v1/."""

urlpatterns: list = []
