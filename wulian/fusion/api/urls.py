from django.urls import path

from . import views

urlpatterns = [
    path("chains/", views.ChainListView.as_view(), name="chain-list"),
    path("chains/<slug:code>/fusion/", views.ChainFusionView.as_view(), name="chain-fusion"),
    path("chains/<slug:code>/gaps/", views.ChainGapsView.as_view(), name="chain-gaps"),
    path("chains/<slug:code>/targets/", views.ChainTargetsView.as_view(), name="chain-targets"),
    path("platforms/", views.PlatformListView.as_view(), name="platform-list"),
]
