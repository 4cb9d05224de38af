from django.urls import path

from . import unified, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    # the province's unified identity platform (OpenID Connect; 404 when not configured)
    path("unified/start/", unified.StartView.as_view(), name="unified_start"),
    path("unified/callback/", unified.CallbackView.as_view(), name="unified_callback"),
]
