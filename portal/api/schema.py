"""OpenAPI security schemes of the portal's own authentication classes (drf-spectacular)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class SystemClientScheme(OpenApiAuthenticationExtension):
    target_class = "portal.accounts.authentication.SystemClientAuthentication"
    name = "systemClient"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Systems only: `Authorization: Api-Key <key>`. A key belongs to one system client, "
                "carries its scopes, and is made by an administrator "
                "(`manage.py create_system_client`)."
            ),
        }


class LockoutBasicScheme(OpenApiAuthenticationExtension):
    target_class = "portal.accounts.authentication.LockoutBasicAuthentication"
    name = "basicAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "basic",
            "description": "Development and tests only; off in production.",
        }
