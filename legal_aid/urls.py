"""Pages of the legal_aid app."""

app_name = "legal_aid"

urlpatterns: list = []
