from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "portal.catalogue"
    label = "catalogue"
    verbose_name = _("Service catalogue")

    def ready(self) -> None:
        from portal import pagecache
        from portal.catalogue import access, signals  # noqa: F401 - policies, receivers
        from portal.registry import registry

        pagecache.watch(self.label)  # cached public pages show an edit at once (ADR 0099)

        registry.add_reference_loader("catalogue", "portal.catalogue.reference.load")
        registry.add_demo_loader("catalogue", "portal.catalogue.demo.load")
        registry.add_nav_link("catalogue:item_list", _("Services"), order=10)
        registry.add_nav_link("catalogue:list_index", _("Handling lists"), order=20)
        registry.add_home_part(
            "catalogue",
            title=_("Services and handling lists"),
            text=_(
                "Find a service item: what to bring, how long it takes, where you can apply. The "
                "city-wide, regional and nearby lists say where else you can go."
            ),
            links=["catalogue:item_list", "catalogue:list_index"],
            order=10,
        )
