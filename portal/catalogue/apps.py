from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CatalogueConfig(AppConfig):
    name = "portal.catalogue"
    label = "catalogue"
    verbose_name = _("Service catalogue")

    def import_models(self) -> None:
        super().import_models()
        # The one-thing bundles' models keep a module of their own (ADR 0118).
        import_module("portal.catalogue.bundles.models")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from portal import pagecache
        from portal.catalogue import access, signals  # noqa: F401 - policies, receivers
        from portal.catalogue.bundles import admin as bundle_admin  # noqa: F401
        from portal.catalogue.search import sqlite_index
        from portal.registry import registry

        pagecache.watch(self.label)  # cached public pages show an edit at once (ADR 0099)
        # SQLite's full-text table for the search, made again if a migration dropped it (ADR 0108)
        post_migrate.connect(
            sqlite_index.after_migrate, sender=self, dispatch_uid="catalogue_search_fts"
        )

        registry.add_reference_loader("catalogue", "portal.catalogue.reference.load")
        registry.add_demo_loader("catalogue", "portal.catalogue.demo.load")
        registry.add_nav_link("catalogue:item_list", _("Services"), order=10)
        registry.add_nav_link("catalogue:list_index", _("Handling lists"), order=20)
        # the header's short word for 一事全办 (the page says "One-thing services"): the header
        # stays on one row at 1280 px in English too
        registry.add_nav_link(
            "catalogue:bundle_list", pgettext_lazy("navigation", "Bundles"), order=15
        )
        registry.add_demo_loader(
            "bundles", "portal.catalogue.bundles.demo.load", after=["catalogue"]
        )
        registry.add_home_part(
            "catalogue",
            title=_("Services and handling lists"),
            text=_(
                "Find a service item: what to bring, how long it takes, where you can apply. The "
                "city-wide, regional and nearby lists say where else you can go."
            ),
            links=["catalogue:item_list", "catalogue:bundle_list", "catalogue:list_index"],
            order=10,
        )
