"""Pages of the outlets app."""

app_name = "outlets"

urlpatterns: list = []
