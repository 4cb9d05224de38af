"""Pages of proactive approvals."""

app_name = "proactive"

urlpatterns: list = []
